using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Summit.Gateway.Api;

/// <summary>
/// Refuses, before any endpoint reads it, an API request that no endpoint could read: a path or query value with
/// control characters (400 naming <c>path</c> or the parameter) and a body declared in a charset other than UTF-8
/// (415). A UTF-8 charset in any legal spelling (<c>utf-8</c>, <c>UTF8</c>, <c>"utf-8"</c>) is rewritten to the one
/// form the JSON reader knows, so the body is read as usual.
/// </summary>
public sealed class RequestFormat(RequestDelegate next)
{
    private const string Charset = "charset";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        var errors = QueryValues.CheckText(request.Query);
        if (QueryValues.HasControl(request.Path.Value)) errors.Add("path", "must not contain control characters.");
        if (errors.Any)
        {
            await ApiProblems.WriteAsync(http, new HttpValidationProblemDetails(errors.ToDictionary())
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request has invalid fields.",
            });
            return;
        }

        if (!TryNormalizeCharset(request, out var charset))
        {
            await ApiProblems.WriteAsync(http, new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type.",
                Detail = $"The body must be UTF-8 JSON (Content-Type: application/json; charset=utf-8), not charset '{QueryValues.Printable(charset!)}'.",
            });
            return;
        }
        await next(http);
    }

    /// <summary>
    /// False, with the offending charset, when Content-Type names a charset that is not UTF-8. A UTF-8 charset is rewritten
    /// as <c>charset=utf-8</c>. A Content-Type that does not parse is left alone: the endpoint refuses it with 415 if it reads a body.
    /// </summary>
    internal static bool TryNormalizeCharset(HttpRequest request, out string? charset)
    {
        charset = null;
        var header = request.ContentType;
        if (string.IsNullOrEmpty(header) || header.IndexOf(Charset, StringComparison.OrdinalIgnoreCase) < 0) return true;
        if (!MediaTypeHeaderValue.TryParse(header, out var mediaType)) return true;
        var named = mediaType.Parameters.Where(p => p.Name.Equals(Charset, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (named.Length == 0) return true;
        foreach (var parameter in named)
        {
            var value = HeaderUtilities.RemoveQuotes(parameter.Value).Trim().ToString();
            if (!IsUtf8(value))
            {
                charset = value.Length > 40 ? value[..40] + "…" : value;
                return false;
            }
        }
        var normalized = new MediaTypeHeaderValue(mediaType.MediaType);
        foreach (var parameter in mediaType.Parameters.Where(p => !p.Name.Equals(Charset, StringComparison.OrdinalIgnoreCase)))
            normalized.Parameters.Add(parameter);
        normalized.Charset = new StringSegment("utf-8");
        request.ContentType = normalized.ToString();
        return true;
    }

    // The IANA name and its alias, and the unregistered spelling everybody sends.
    private static bool IsUtf8(string value) =>
        value.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || value.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        || value.Equals("csUTF8", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Writes a problem document from middleware, also to a client whose Accept header does not list JSON.</summary>
public static class ApiProblems
{
    public static async Task WriteAsync(HttpContext http, ProblemDetails problem)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = problem.Status!.Value;
        var problems = http.RequestServices.GetService<IProblemDetailsService>();
        if (problems is not null && await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem })) return;
        // Clients rely on the status and the problem document, whatever they said they accept.
        await http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
    }
}
