using NodaTime;

namespace Summit.Gateway.Idempotency;

/// <summary>Whose retry this is: the same key from another account or on another route is a different request.</summary>
public sealed record IdempotencyScope(string Account, string Route, string Key);

/// <summary>The first response to a keyed request, replayed to its retries.</summary>
public sealed record StoredResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);

public enum ClaimOutcome
{
    /// <summary>First time this key is seen (or its earlier use expired): the caller runs the request.</summary>
    Claimed,
    /// <summary>The key's first request finished; <see cref="Claim.Response"/> is what it answered.</summary>
    Completed,
    /// <summary>The key's first request is still running.</summary>
    InProgress,
}

/// <param name="RequestHash">The hash of the request that first used the key (for Completed and InProgress).</param>
public sealed record Claim(ClaimOutcome Outcome, byte[]? RequestHash = null, StoredResponse? Response = null);

/// <summary>
/// Where keyed requests and their first results are kept: PostgreSQL when the gateway has a database, else memory.
/// A claim is a short lease while the request runs; a completed result is kept until it expires.
/// </summary>
public interface IIdempotencyStore
{
    Task<Claim> ClaimAsync(IdempotencyScope scope, byte[] requestHash, Instant now, Instant leaseUntil, CancellationToken cancellationToken);

    Task CompleteAsync(IdempotencyScope scope, StoredResponse response, Instant keepUntil, CancellationToken cancellationToken);

    /// <summary>Forgets a claim whose request did not succeed, so a retry runs it again.</summary>
    Task ReleaseAsync(IdempotencyScope scope, CancellationToken cancellationToken);

    Task<int> PurgeExpiredAsync(Instant now, CancellationToken cancellationToken);
}

public sealed class IdempotencyOptions
{
    public const string Section = "Summit:Idempotency";

    /// <summary>How long a completed result is replayed.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a running request holds its key; a request that died leaves it free after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
