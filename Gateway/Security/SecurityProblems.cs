using Microsoft.AspNetCore.Mvc;

namespace Summit.Gateway.Security;

/// <summary>Writes RFC 9457 problem responses from middleware and authentication events.</summary>
internal static class SecurityProblems
{
    public static async ValueTask WriteAsync(HttpContext http, int status, string title, string? detail = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            // The client did not accept JSON problem documents; send it anyway, clients rely on the status.
            await http.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
