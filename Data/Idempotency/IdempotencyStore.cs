using Summit.Settings;
using NodaTime;

namespace Summit.Data.Idempotency;

/// <summary>Whose retry this is: the same key from another account or on another route is a different request.</summary>
public sealed record IdempotencyScope(string Account, string Route, string Key);

/// <summary>The first response to a keyed request, replayed to its retries.</summary>
public sealed record StoredResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);

public enum KeyState
{
    /// <summary>No live record of the key: the request runs.</summary>
    Unused,
    /// <summary>The key's change is committed but its response was not stored (the answer was lost): the request runs
    /// as a replay, and the entity grain answers with what is stored without writing.</summary>
    Applied,
    /// <summary>The key's first response is stored: it is replayed.</summary>
    Answered,
}

/// <param name="RequestHash">The hash of the request that first used the key (Applied and Answered).</param>
public sealed record KeyLookup(KeyState State, byte[]? RequestHash = null, StoredResponse? Response = null);

/// <summary>
/// Where keyed requests and their first results are kept. The record that a key was applied is written by the entity
/// commit itself, in the same transaction as the change (see <c>Summit.Storage.IEntityStore</c>); this store reads it
/// and adds the response once the request has been answered.
/// </summary>
public interface IIdempotencyStore
{
    Task<KeyLookup> FindAsync(IdempotencyScope scope, Instant now, CancellationToken cancellationToken);

    /// <summary>Keeps the first 2xx response of the key (a later one for the same key changes nothing).</summary>
    Task SaveAsync(IdempotencyScope scope, byte[] requestHash, StoredResponse response, Instant now, Instant keepUntil, CancellationToken cancellationToken);

    Task<int> PurgeExpiredAsync(Instant now, CancellationToken cancellationToken);
}

public sealed class IdempotencyOptions
{
    public const string Section = "Summit:Idempotency";

    /// <summary>How long a key is remembered and its result replayed.</summary>
    [Positive]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    [Positive]

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
