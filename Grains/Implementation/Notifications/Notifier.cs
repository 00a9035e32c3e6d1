using Summit.Domain;

namespace Summit.Notifications;

/// <summary>Stores notifications in their targets' inboxes, one call per inbox.</summary>
public static class Notifier
{
    public static async Task DeliverAsync(IGrainFactory grains, IReadOnlyCollection<Notification> notifications)
    {
        if (notifications.Count == 0) return;
        await Task.WhenAll(notifications
            .GroupBy(n => NotificationKeys.Inbox(n.Target), StringComparer.Ordinal)
            .Select(g => grains.GetGrain<INotificationInboxGrain>(g.Key).Add(g.ToArray())));
    }

    /// <summary>
    /// The in-app audience of a unit: its own accounts for a county or university; the secretariat for a secretariat
    /// department, since secretariat accounts are not bound to departments.
    /// </summary>
    public static NotificationTarget UnitTarget(OwningUnit unit) =>
        unit.Kind == UnitKind.Secretariat ? NotificationTarget.Secretariat : NotificationTarget.ForUnit(unit);
}
