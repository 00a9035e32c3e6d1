using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Summit.Grains.Progress;

namespace Summit.Notifications;

/// <remarks>
/// No state: the observers are the Gateways' to renew (every <c>Summit:Live:ObserverRefreshSeconds</c>), so a new
/// activation, here or on another silo after a failure, is complete again within one refresh.
/// </remarks>
[GrainType("summit.notification-fanout")]
public sealed class NotificationFanoutGrain(IOptions<ProgressOptions> options, ILogger<NotificationFanoutGrain> logger)
    : Grain, INotificationFanoutGrain
{
    private readonly ObserverManager<INotificationObserver> _observers =
        new(TimeSpan.FromSeconds(Math.Max(5, options.Value.ObserverExpirySeconds)), logger);

    public Task Publish(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        // One-way: a Gateway that is slow or gone never holds up the next notification.
        _observers.Notify(o => { _ = o.OnNotified(notification); });
        return Task.CompletedTask;
    }

    public Task Subscribe(INotificationObserver observer)
    {
        _observers.ClearExpired();
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(INotificationObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
