using NodaTime;

namespace Summit.Gateway.Idempotency;

/// <summary>The store of a gateway without a database; its keys live as long as the process.</summary>
public sealed class MemoryIdempotencyStore : IIdempotencyStore
{
    private sealed record Entry(byte[] RequestHash, StoredResponse? Response, Instant ExpiresAt);

    private readonly Dictionary<IdempotencyScope, Entry> _entries = [];
    private readonly Lock _lock = new();

    public Task<Claim> ClaimAsync(IdempotencyScope scope, byte[] requestHash, Instant now, Instant leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var entry) && entry.ExpiresAt > now)
                return Task.FromResult(entry.Response is null
                    ? new Claim(ClaimOutcome.InProgress, entry.RequestHash)
                    : new Claim(ClaimOutcome.Completed, entry.RequestHash, entry.Response));
            _entries[scope] = new Entry(requestHash, null, leaseUntil);
            return Task.FromResult(new Claim(ClaimOutcome.Claimed));
        }
    }

    public Task CompleteAsync(IdempotencyScope scope, StoredResponse response, Instant keepUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var entry) && entry.Response is null)
                _entries[scope] = entry with { Response = response, ExpiresAt = keepUntil };
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(IdempotencyScope scope, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var entry) && entry.Response is null) _entries.Remove(scope);
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
