using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Summit.Notifications;

/// <summary>
/// One target's notifications, kept as rows of the <see cref="INotificationStore"/>, not as grain state: the grain
/// holds nothing that grows with the inbox. A notification is stored before any listener (live push, webhook outbox)
/// hears of it, so a listener that fails never loses it; one stored already is not told again.
/// </summary>
[GrainType("summit.notification-inbox")]
public sealed class NotificationInboxGrain(INotificationStore store, ILogger<NotificationInboxGrain> logger)
    : Grain, INotificationInboxGrain
{
    /// <summary>How many of the newest <see cref="List"/> returns; readers page through the store instead.</summary>
    public const int Capacity = 1000;

    private INotificationListener[] _listeners = [];

    private string Inbox => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _listeners = ServiceProvider.GetServices<INotificationListener>().ToArray();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Notification>> List() => store.LatestAsync(Inbox, Capacity);

    public async Task<int> Add(IReadOnlyList<Notification> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        if (notifications.Count == 0) return 0;
        var fresh = await store.AddAsync(Inbox, notifications);

        foreach (var notification in fresh)
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnNotifiedAsync(notification);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Notification listener {Listener} failed for {Id} ({Target}).", listener.GetType().Name, notification.Id, notification.Target);
            }
        }
        return fresh.Count;
    }
}
