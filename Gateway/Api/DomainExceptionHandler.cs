using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>Turns the grains' typed refusals into RFC 9457 problem responses, so a client mistake is never a 500.</summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            DomainValidationException e => new HttpValidationProblemDetails(e.Errors.ToDictionary(x => x.Key, x => x.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request has invalid fields.",
            },
            EntityNotFoundException e => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not found.",
                Detail = $"No {e.Kind.ToString().ToLowerInvariant()} '{e.Id}'.",
            },
            EntityExistsException e => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Already exists.",
                Detail = $"A {e.Kind.ToString().ToLowerInvariant()} '{e.Id}' already exists.",
            },
            VersionConflictException e => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "The resource has changed since you read it.",
                Detail = $"Current version is {e.Current}.",
                Extensions = { ["currentVersion"] = e.Current },
            },
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request.", Detail = e.Message },
            _ => null,
        };
        if (problem is null) return false;

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}

public static class ProblemsSetup
{
    public static IServiceCollection AddSummitProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        return services;
    }

    public static WebApplication UseSummitProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
