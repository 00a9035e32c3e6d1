using NodaTime;

namespace Summit.Data.Notifications;

/// <summary>
/// Webhook settings, the delivery outbox and its dead letters: PostgreSQL (<c>summit_webhooks</c>,
/// <c>summit_webhook_outbox</c>, <c>summit_webhook_dead_letters</c>; migration 0131) or, without a database, memory.
/// </summary>
public interface IWebhookStore
{
    Task<WebhookConfig?> GetAsync(string summit, string unit, CancellationToken cancellationToken = default);

    /// <summary>Every webhook of the summit, ordered by unit.</summary>
    Task<IReadOnlyList<WebhookConfig>> ListAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>A page of the summit's webhooks, ordered by unit, each with its posts still in the outbox, and how many webhooks it has.</summary>
    Task<(IReadOnlyList<WebhookListing> Items, int Total)> PageAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the webhook of (summit, unit).</summary>
    Task PutAsync(WebhookConfig config, CancellationToken cancellationToken = default);

    /// <summary>Adds posts due at <paramref name="now"/>; a post already queued for the same (summit, unit, notification) is skipped.</summary>
    Task EnqueueAsync(IReadOnlyList<WebhookPost> posts, Instant now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> posts due at <paramref name="now"/> that nobody else holds, and holds them
    /// until <paramref name="leaseUntil"/> (a dispatcher that dies lets them go again then).
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimAsync(Instant now, int max, Instant leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Delivered: removes it from the outbox.</summary>
    Task CompleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Failed again: records the attempt and releases it until <paramref name="nextAttemptAt"/>.</summary>
    Task RetryAsync(long id, int attempts, Instant nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Failed for the last time: moves it from the outbox to the dead letters.</summary>
    Task DeadLetterAsync(long id, int attempts, string error, Instant at, CancellationToken cancellationToken = default);

    /// <summary>The summit's posts still in the outbox, oldest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>The summit's dead letters, newest first.</summary>
    Task<(IReadOnlyList<WebhookDeadLetter> Items, int Total)> DeadLettersAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default);
}
