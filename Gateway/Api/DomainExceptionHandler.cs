using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Summit.Domain;
using Summit.Gateway.Security;

namespace Summit.Gateway.Api;

/// <summary>
/// Turns the grains' typed refusals, access refusals and unreadable requests into RFC 9457 problem responses,
/// so a client mistake is never a 500. Field-level problems carry an <c>errors</c> map keyed by the client's field names.
/// </summary>
public sealed partial class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ProblemFor(http, exception);
        if (problem is null) return false;
        http.Response.StatusCode = problem.Status!.Value;
        ServiceUnavailable.AddRetryAfter(http, problem);
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception })) return true;
        await ApiProblems.WriteAsync(http, problem);
        return true;
    }

    /// <summary>The problem response for a client mistake, or null for anything else (a server error).</summary>
    public static ProblemDetails? ProblemFor(HttpContext http, Exception exception) => exception switch
    {
        DomainValidationException e => Invalid(e.Errors.ToDictionary(x => x.Key, x => x.Value)),
        EntityNotFoundException e => NotFound(e.Kind, e.Id),
        // Indistinguishable from a missing entity on purpose.
        AccessRefusedException { Visible: false } e => NotFound(e.Kind, e.Id),
        AccessRefusedException e when e.Fields is not null => new HttpValidationProblemDetails(e.Fields.ToDictionary(x => x.Key, x => x.Value))
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "You may not change these fields.",
            Detail = e.Message,
        },
        AccessRefusedException e => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = e.Message },
        EntityExistsException e => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Already exists.",
            Detail = $"A {Names.Of(e.Kind, e.Id)} already exists.",
        },
        VersionConflictException e => new ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "The resource has changed since you read it.",
            Detail = e.Expected < 0
                ? $"If-Match named no version of this resource (its ETag is \"{e.Current}\"). Read it again and reapply your change."
                : $"If-Match named version {e.Expected}, but the current version is {e.Current}. Read it again and reapply your change.",
            Extensions = { ["currentVersion"] = e.Current },
        },
        RequestAlreadyAppliedException => AlreadyApplied(http),
        ConcurrentChangeException e => Concurrent(http, e),
        Summit.Notifications.NudgeTooSoonException e => NudgeTooSoon(http, e),
        RequestBodyTooLargeException e => TooLarge(e.Limit),
        BadHttpRequestException e => Unreadable(http, e),
        _ when ServiceUnavailable.Matches(exception) => ServiceUnavailable.Problem(exception),
        _ => null,
    };

    /// <summary>
    /// The store refused the change because someone else changed the entity at that very moment (a race between two
    /// activations, or the summit changed). Nothing was written and the client's version may still be current, so this is
    /// no 412: 409, retry the same request.
    /// </summary>
    private static ProblemDetails Concurrent(HttpContext http, ConcurrentChangeException e)
    {
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers.ContentLanguage = "zh-CN";
        return new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "有人刚刚修改了此内容",
            Detail = $"{Names.Of(e.Kind, e.Id)} 刚刚被其他人修改，本次修改未保存。请重新提交（Someone else changed it just now; nothing was saved. Please try again.）",
            Extensions = { ["retryable"] = true },
        };
    }

    /// <summary>A 催报 within an hour of the campaign's last one: 429, with when it may be sent again.</summary>
    private static ProblemDetails NudgeTooSoon(HttpContext http, Summit.Notifications.NudgeTooSoonException e)
    {
        // By the summit clock, which may run ahead of the wall clock (the demo's).
        var now = http.RequestServices.GetRequiredService<NodaTime.IClock>().GetCurrentInstant();
        var wait = Math.Max(1, (long)Math.Ceiling((e.NextAllowedAt - now).TotalSeconds));
        http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        var english = ProblemLanguage.Of(http) == ProblemLanguage.English;
        return new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Reminded too recently.",
            Detail = english
                ? $"The units were reminded at {e.LastLocal}; a campaign's units may be reminded once an hour. Try again from {e.NextLocal}."
                : $"本通知已于{e.LastLocal}催报，每小时最多催报一次，请于{e.NextLocal}后再催报。",
            Extensions = { ["nextAllowedAt"] = e.NextAllowedAt.ToString(), ["lastRemindedAt"] = e.LastAt.ToString() },
        };
    }

    private static ProblemDetails AlreadyApplied(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "A request with this Idempotency-Key is still in progress.",
            Detail = "Another attempt of this request was applied; retry after a moment to get its result.",
        };
    }

    /// <summary>A streamed body (an upload) past its limit.</summary>
    public static ProblemDetails TooLarge(long limit) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = $"The files of one upload may total at most {Sizes.Describe(limit)}.",
        Extensions = { ["limit"] = limit },
    };

    private static HttpValidationProblemDetails Invalid(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request has invalid fields.",
    };

    private static ProblemDetails NotFound(EntityKind kind, string id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = $"No {Names.Of(kind, id)}.",
    };

    private static ProblemDetails Unreadable(HttpContext http, BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
            var requestType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return Invalid(JsonBodyErrors.Describe(json, requestType, RequestBodyLimit.BufferedBody(http)));
        }
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type.",
                Detail = "Send the body as JSON with Content-Type: application/json.",
            };
        if (BindFailure().Match(e.Message) is { Success: true } bind)
            return Invalid(new Dictionary<string, string[]>
            {
                [JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value)] =
                    [$"'{bind.Groups["value"].Value}' is not a valid {Describe(bind.Groups["type"].Value)}."],
            });
        if (e.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
            return Invalid(new Dictionary<string, string[]> { [JsonBodyErrors.Body] = ["a JSON body is required."] });
        return new ProblemDetails { Status = e.StatusCode, Title = "Bad request.", Detail = e.Message };
    }

    private static string Describe(string type) => (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type.TrimEnd('?')) switch
    {
        "int" or "Int32" or "long" or "Int64" => "whole number",
        "bool" or "Boolean" => "true or false",
        var other => other,
    };

    // Singleline and \z: the value may hold line breaks, and must still be named.
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>.*)\"\\.\\z", RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}

/// <summary>
/// Answers the API's refusals from inside the endpoint, so the middleware around it (idempotency, the security log)
/// sees the final status; a hidden refusal (404) is marked so the security log still records it.
/// </summary>
public sealed class DomainProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (DomainExceptionHandler.ProblemFor(context.HttpContext, e) is { } problem)
        {
            if (e is AccessRefusedException { Visible: false } refused) context.HttpContext.RecordRefusal(refused.Message);
            ServiceUnavailable.AddRetryAfter(context.HttpContext, problem);
            return TypedResults.Problem(problem);
        }
    }
}

public static class ProblemsSetup
{
    public static IServiceCollection AddSummitProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Answered by the framework before any endpoint runs.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
                context.ProblemDetails.Detail ??= FilesApi.IsUpload(context.HttpContext.Request)
                    ? "Send the files as multipart/form-data."
                    : "Send the body as JSON with Content-Type: application/json.";
            ProblemLanguage.Apply(context);
        });
        services.AddExceptionHandler<DomainExceptionHandler>();
        // Unreadable requests throw, so the handler above answers them with a problem that names the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseSummitProblems(this WebApplication app)
    {
        // Every 429 and 503 tells the client when to come back, whoever answered it (a limiter, load shedding, /healthz, a fault below).
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable
                    && !http.Response.Headers.ContainsKey(HeaderNames.RetryAfter))
                    http.Response.Headers.RetryAfter = http.Response.StatusCode == StatusCodes.Status503ServiceUnavailable
                        ? ServiceUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)
                        : "1";
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}

/// <summary>Byte counts as people read them.</summary>
public static class Sizes
{
    /// <summary>20971520 → "20 MiB", 1536 → "1.5 KiB", 100 → "100 bytes".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{Math.Round(bytes / 1048576.0, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} MiB",
        >= 1024 => $"{Math.Round(bytes / 1024.0, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} KiB",
        _ => $"{bytes} bytes",
    };
}
