using Orleans.Concurrency;

namespace Summit.Notifications;

/// <summary>
/// One per Gateway process: hears every stored notification of the cluster and pushes it to its own connections.
/// Registered with the <see cref="INotificationFanoutGrain"/>, re-registered on a timer, dropped by expiry when the
/// Gateway dies. One-way, so a slow or dead Gateway never holds up an inbox.
/// </summary>
[Alias("summit.INotificationObserver")]
public interface INotificationObserver : IGrainObserver
{
    [OneWay, Alias("notified")] Task OnNotified(Notification notification);
}
