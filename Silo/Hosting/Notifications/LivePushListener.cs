using Summit.Data.Notifications;
using Microsoft.Extensions.Logging;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>
/// Hands each stored notification to the cluster's <see cref="INotificationFanoutGrain"/>, which passes it to the
/// Gateways for the live push. Fire-and-forget: the inbox grain neither waits for the Gateways nor hears of a failure,
/// since the notification is already stored and readers catch up from their inbox.
/// </summary>
public sealed class LivePushListener(IGrainFactory grains, ILogger<LivePushListener> logger) : INotificationListener
{
    public Task OnNotifiedAsync(Notification notification)
    {
        _ = PublishAsync(notification);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(Notification notification)
    {
        try
        {
            // Off the inbox grain's scheduler after the call: nothing of this runs as part of the grain's turns.
            await grains.GetGrain<INotificationFanoutGrain>(NotificationHub.FanoutKey).Publish(notification).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Publishing notification {Id} ({Target}) for the live push failed.", notification.Id, notification.Target);
        }
    }
}
