using Summit.Data.Idempotency;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Summit.Storage;

namespace Summit.Gateway.Idempotency;

/// <summary>The endpoint accepts <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentWriteMetadata;

/// <summary>
/// The endpoint's answer holds a secret shown once (a calendar feed's address): it is not kept for retries, so the
/// secret is stored nowhere. A retry with the same key runs as a replay and answers from what the key applied.
/// </summary>
public sealed class SecretResponseMetadata;

/// <summary>
/// Makes keyed writes safe to retry. A keyed request's <see cref="IdempotencyMark"/> travels with its grain call, and the
/// entity grain commits it in the same transaction as the change: a key is applied at most once, whatever crashes. After
/// a 2xx answer the response is kept, and a retry with the same key, account and route gets exactly that back, marked
/// <c>Idempotent-Replayed: true</c>. If the change committed but its response was lost, the retry runs as a replay: the
/// grain answers with the stored entity and writes nothing. The same key with another body is refused with 422.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next,
    IIdempotencyStore store,
    TimeProvider time,
    IOptions<IdempotencyOptions> options,
    IProblemDetailsService problems,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    private static readonly string[] KeptHeaders = [HeaderNames.ETag, HeaderNames.Location, HeaderNames.ContentType];
    private static readonly object ScopeItem = new();

    /// <summary>The request's idempotency scope as one string (account, route, key), or null for a request without a key.</summary>
    public static string? KeyOf(HttpContext http) =>
        http.Items.TryGetValue(ScopeItem, out var scope) && scope is IdempotencyScope s ? $"{s.Account}\n{s.Route}\n{s.Key}" : null;

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
        var found = await store.FindAsync(scope, now, http.RequestAborted);
        if (found.State != KeyState.Unused && !CryptographicOperations.FixedTimeEquals(found.RequestHash, hash))
        {
            await ProblemAsync(http, new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Idempotency-Key reused with a different request.",
                Detail = "This key was already used for a request with another body. Use a new key for a new request.",
            });
            return;
        }
        if (found.State == KeyState.Answered)
        {
            await ReplayAsync(http, found.Response!);
            return;
        }

        var lifetime = Duration.FromTimeSpan(options.Value.Lifetime);
        var replay = found.State == KeyState.Applied;
        http.Items[ScopeItem] = scope;
        IdempotencyContext.Send(new IdempotencyMark(scope.Account, scope.Route, scope.Key, hash, now + lifetime, replay) { Lifetime = lifetime });
        if (replay) http.Response.Headers[ReplayedHeader] = "true";
        try
        {
            await RunAndKeepAsync(http, scope, hash, now, now + lifetime);
        }
        finally
        {
            IdempotencyContext.Clear();
        }
    }

    private async Task RunAndKeepAsync(HttpContext http, IdempotencyScope scope, byte[] hash, Instant now, Instant keepUntil)
    {
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
        if (http.Response.StatusCode is < 200 or >= 300) return;
        if (http.GetEndpoint()?.Metadata.GetMetadata<SecretResponseMetadata>() is not null) return;

        // The answer is on its way first; keeping it is not part of the change, which is already committed together with
        // the record of its key. If keeping it fails, a retry is answered as a replay of the stored entity instead.
        await original.FlushAsync(http.RequestAborted);
        var headers = KeptHeaders
            .Where(h => http.Response.Headers.ContainsKey(h))
            .ToDictionary(h => h, h => http.Response.Headers[h].ToString(), StringComparer.OrdinalIgnoreCase);
        try
        {
            await store.SaveAsync(scope, hash, new StoredResponse(http.Response.StatusCode, headers, captured.ToArray()), now, keepUntil, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not keep the response of an idempotent request; a retry will be answered from the stored entity.");
        }
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
