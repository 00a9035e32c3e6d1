using NodaTime;

namespace Summit.Hosting.Notifications;

/// <summary>The webhook store of a process without a database: lost at restart, like the rest of its state.</summary>
public sealed class MemoryWebhookStore : IWebhookStore
{
    /// <summary>Per summit; the oldest dead letters are dropped beyond this.</summary>
    public const int MaxDeadLetters = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Summit, string Unit), WebhookConfig> _configs = [];
    private readonly Dictionary<long, (WebhookDelivery Delivery, Instant? LockedUntil)> _outbox = [];
    private readonly List<WebhookDeadLetter> _dead = [];
    private long _sequence;

    public Task<WebhookConfig?> GetAsync(string summit, string unit, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_configs.GetValueOrDefault((summit, unit)));
    }

    public Task<IReadOnlyList<WebhookConfig>> ListAsync(string summit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<WebhookConfig>>(_configs.Values
                .Where(c => c.Summit == summit).OrderBy(c => c.Unit, StringComparer.Ordinal).ToArray());
    }

    public Task PutAsync(WebhookConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        lock (_lock) _configs[(config.Summit, config.Unit)] = config;
        return Task.CompletedTask;
    }

    public Task EnqueueAsync(IReadOnlyList<WebhookPost> posts, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posts);
        lock (_lock)
            foreach (var post in posts)
            {
                if (_outbox.Values.Any(o => o.Delivery.Summit == post.Summit && o.Delivery.Unit == post.Unit && o.Delivery.NotificationId == post.NotificationId))
                    continue;
                var id = ++_sequence;
                _outbox[id] = (new WebhookDelivery(id, post.Summit, post.Unit, post.NotificationId, post.Url, post.Body, 0, now, null, now), null);
            }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> ClaimAsync(Instant now, int max, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var claimed = _outbox.Values
                .Where(o => o.Delivery.NextAttemptAt <= now && (o.LockedUntil is null || o.LockedUntil <= now))
                .OrderBy(o => o.Delivery.NextAttemptAt).ThenBy(o => o.Delivery.Id)
                .Take(max)
                .Select(o => o.Delivery)
                .ToArray();
            foreach (var delivery in claimed) _outbox[delivery.Id] = (delivery, leaseUntil);
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>(claimed);
        }
    }

    public Task CompleteAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_lock) _outbox.Remove(id);
        return Task.CompletedTask;
    }

    public Task RetryAsync(long id, int attempts, Instant nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            if (_outbox.TryGetValue(id, out var entry))
                _outbox[id] = (entry.Delivery with { Attempts = attempts, NextAttemptAt = nextAttemptAt, LastError = error }, null);
        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(long id, int attempts, string error, Instant at, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_outbox.Remove(id, out var entry)) return Task.CompletedTask;
            var d = entry.Delivery;
            _dead.Add(new WebhookDeadLetter(d.Id, d.Summit, d.Unit, d.NotificationId, d.Url, d.Body, attempts, error, d.CreatedAt, at));
            var ofSummit = _dead.Where(x => x.Summit == d.Summit).ToArray();
            if (ofSummit.Length > MaxDeadLetters)
                foreach (var old in ofSummit.Take(ofSummit.Length - MaxDeadLetters)) _dead.Remove(old);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string summit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>(_outbox.Values.Select(o => o.Delivery)
                .Where(d => d.Summit == summit).OrderBy(d => d.Id).ToArray());
    }

    public Task<(IReadOnlyList<WebhookDeadLetter> Items, int Total)> DeadLettersAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var all = _dead.Where(d => d.Summit == summit).OrderByDescending(d => d.DeadAt).ThenByDescending(d => d.Id).ToArray();
            return Task.FromResult<(IReadOnlyList<WebhookDeadLetter>, int)>((all.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToArray(), all.Length));
        }
    }
}
