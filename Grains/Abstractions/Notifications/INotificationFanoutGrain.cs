using Orleans.Concurrency;

namespace Summit.Notifications;

/// <summary>
/// Fans every stored notification out to the Gateways' <see cref="INotificationObserver"/>s. Key:
/// <see cref="NotificationHub.FanoutKey"/>. Keeps nothing: a notification published while no Gateway is registered
/// is only in its inbox, which is where readers catch up from.
/// </summary>
[Alias("summit.INotificationFanoutGrain")]
public interface INotificationFanoutGrain : IGrainWithIntegerKey
{
    [OneWay, Alias("publish")] Task Publish(Notification notification);

    /// <summary>Registers or refreshes a Gateway's observer.</summary>
    [Alias("subscribe")] Task Subscribe(INotificationObserver observer);

    [Alias("unsubscribe")] Task Unsubscribe(INotificationObserver observer);
}
