using NodaTime;
using Summit.Storage;

namespace Summit.Gateway.Idempotency;

/// <summary>
/// The store of a gateway without a database; its keys live as long as the process. Keys applied by entity commits are
/// read from the in-process silo's <see cref="IIdempotencyLedger"/>.
/// </summary>
public sealed class MemoryIdempotencyStore(IIdempotencyLedger? ledger = null) : IIdempotencyStore
{
    private sealed record Entry(byte[] RequestHash, StoredResponse Response, Instant ExpiresAt);

    private readonly Dictionary<IdempotencyScope, Entry> _entries = [];
    private readonly Lock _lock = new();

    public async Task<KeyLookup> FindAsync(IdempotencyScope scope, Instant now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var entry) && entry.ExpiresAt > now)
                return new KeyLookup(KeyState.Answered, entry.RequestHash, entry.Response);
        }
        var applied = ledger is null ? null : await ledger.FindAppliedAsync(scope.Account, scope.Route, scope.Key, now, cancellationToken);
        return applied is null ? new KeyLookup(KeyState.Unused) : new KeyLookup(KeyState.Applied, applied);
    }

    public Task SaveAsync(IdempotencyScope scope, byte[] requestHash, StoredResponse response, Instant now, Instant keepUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(scope, out var entry) || entry.ExpiresAt <= now)
                _entries[scope] = new Entry(requestHash, response, keepUntil);
        }
        return Task.CompletedTask;
    }

    public Task<int> PurgeExpiredAsync(Instant now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToArray();
            foreach (var scope in expired) _entries.Remove(scope);
            return Task.FromResult(expired.Length);
        }
    }
}
