using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace Summit.Gateway.Idempotency;

/// <summary>The endpoint accepts <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentWriteMetadata;

/// <summary>
/// Makes keyed writes safe to retry. The first request with a key runs and, if it succeeds (2xx), its status, body
/// and ETag/Location are kept; a retry with the same key, account and route gets exactly that back, marked
/// <c>Idempotent-Replayed: true</c>, and changes nothing. A request that failed changed nothing either, so its key is
/// freed and a retry runs anew. The same key with another body is refused with 422; while the first request is
/// still running, a retry gets 409 and <c>Retry-After</c>.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next,
    IIdempotencyStore store,
    TimeProvider time,
    IOptions<IdempotencyOptions> options,
    IProblemDetailsService problems)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    private static readonly string[] KeptHeaders = [HeaderNames.ETag, HeaderNames.Location, HeaderNames.ContentType];

    public async Task InvokeAsync(HttpContext http)
    {
        var keys = http.Request.Headers[HeaderName];
        var account = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
        if (keys.Count == 0 || account is null || http.GetEndpoint()?.Metadata.GetMetadata<IdempotentWriteMetadata>() is null)
        {
            await next(http);
            return;
        }
        if (keys.Count > 1 || keys[0] is not { Length: > 0 and <= MaxKeyLength } key || key.Any(c => c is < '!' or > '~'))
        {
            await ProblemAsync(http, new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["idempotency-key"] = [$"must be one value of 1-{MaxKeyLength} visible ASCII characters, e.g. a UUID."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request has invalid fields.",
            });
            return;
        }

        var scope = new IdempotencyScope(account, $"{http.Request.Method} {http.Request.PathBase}{http.Request.Path}", key);
        var hash = await HashBodyAsync(http);
        var now = Now();
        var claim = await store.ClaimAsync(scope, hash, now, now + Duration.FromTimeSpan(options.Value.Lease), http.RequestAborted);
        if (claim.Outcome != ClaimOutcome.Claimed && !CryptographicOperations.FixedTimeEquals(claim.RequestHash, hash))
        {
            await ProblemAsync(http, new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Idempotency-Key reused with a different request.",
                Detail = "This key was already used for a request with another body. Use a new key for a new request.",
            });
            return;
        }
        switch (claim.Outcome)
        {
            case ClaimOutcome.Completed:
                await ReplayAsync(http, claim.Response!);
                return;
            case ClaimOutcome.InProgress:
                http.Response.Headers.RetryAfter = "1";
                await ProblemAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "A request with this Idempotency-Key is still in progress.",
                    Detail = "Retry after a moment to get its result.",
                });
                return;
        }

        await RunAndKeepAsync(http, scope);
    }

    private async Task RunAndKeepAsync(HttpContext http, IdempotencyScope scope)
    {
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        var succeeded = false;
        try
        {
            await next(http);
            succeeded = http.Response.StatusCode is >= 200 and < 300;
        }
        finally
        {
            http.Response.Body = original;
            if (!succeeded) await store.ReleaseAsync(scope, CancellationToken.None);
        }

        if (succeeded)
        {
            var headers = KeptHeaders
                .Where(h => http.Response.Headers.ContainsKey(h))
                .ToDictionary(h => h, h => http.Response.Headers[h].ToString(), StringComparer.OrdinalIgnoreCase);
            var response = new StoredResponse(http.Response.StatusCode, headers, captured.ToArray());
            // Kept even if the client has gone: its retry is exactly what this is for.
            await store.CompleteAsync(scope, response, Now() + Duration.FromTimeSpan(options.Value.Lifetime), CancellationToken.None);
        }
        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, StoredResponse response)
    {
        http.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) http.Response.Headers[name] = value;
        http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentLength = response.Body.Length;
        await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
    }

    private static async Task<byte[]> HashBodyAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        var hash = await SHA256.HashDataAsync(http.Request.Body, http.RequestAborted);
        http.Request.Body.Position = 0;
        return hash;
    }

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());

    private async Task ProblemAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
