using Summit.Data.Notifications;
using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Domain;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>
/// Puts a post in the outbox for each stored notification whose target has a webhook: a unit's own webhook, and for
/// the secretariat every enabled <c>secretariat:*</c> webhook of the summit. Only queues; the dispatcher sends.
/// </summary>
public sealed class WebhookOutboxListener(IWebhookStore store, WebhookSignal signal, TimeProvider time, ILogger<WebhookOutboxListener> logger)
    : INotificationListener
{
    public async Task OnNotifiedAsync(Notification notification)
    {
        IReadOnlyList<WebhookConfig> hooks = notification.Target.Audience switch
        {
            NotificationAudience.Unit when notification.Target.Unit is { } unit =>
                await store.GetAsync(notification.Summit, unit.ToString()) is { } hook ? [hook] : [],
            NotificationAudience.Secretariat => (await store.ListAsync(notification.Summit))
                .Where(h => h.Unit.StartsWith(new OwningUnit(UnitKind.Secretariat, "").ToString(), StringComparison.Ordinal)).ToArray(),
            _ => [],
        };
        var posts = hooks
            .Where(h => h.Enabled)
            .Select(h => new WebhookPost(h.Summit, h.Unit, notification.Id, h.Url, WebhookMessages.Body(notification, h.Robot, h.Format, h.Keyword)))
            .ToArray();
        if (posts.Length == 0) return;
        await store.EnqueueAsync(posts, Instant.FromDateTimeOffset(time.GetUtcNow()));
        logger.LogDebug("Queued {Count} webhook post(s) for notification {Id}.", posts.Length, notification.Id);
        signal.Poke();
    }
}

/// <summary>Wakes the dispatcher of this process when something was queued, so posts need not wait for the next poll.</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Poke()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked; one wake-up serves every post queued since.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
