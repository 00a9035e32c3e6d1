namespace Summit.Notifications;

/// <summary>
/// The live notification push on the progress hub (<c>/hubs/progress</c>, see <c>Summit.Progress.ProgressHub</c> for the
/// connection and authentication). JSON is SummitJson, like every other hub message. Changes are additive only.
/// </summary>
/// <remarks>
/// <para>Server → client: <see cref="OnNotification"/>(item), sent once when a notification is stored; the item has the
/// shape of one entry of <c>GET /api/me/notifications</c>, with <c>read</c> false.</para>
/// <para>Every connection joins, when it connects, the groups of exactly the inboxes <c>GET /api/me/notifications</c>
/// lists for its account: its own, its unit's (county and university accounts) and the secretariat's (secretariat
/// accounts). Nothing needs subscribing, and the progress protocol is untouched.</para>
/// <para>Nothing is replayed: after a (re)connect that gave a new connection, and at load, read
/// <c>GET /api/me/notifications</c> and count by <c>id</c>; a notification may arrive both ways.</para>
/// </remarks>
public static class NotificationHub
{
    /// <summary>Server → client: <c>notification(NotificationResource)</c>.</summary>
    public const string OnNotification = "notification";

    /// <summary>The one <see cref="INotificationFanoutGrain"/> of a cluster.</summary>
    public const long FanoutKey = 0;

    /// <summary>
    /// The SignalR group of a target's readers: <c>notify:</c> and the inbox key. Summit codes have no <c>:</c>, so no
    /// progress group (<c>{summit}/…</c>) can share the name.
    /// </summary>
    public static string GroupOf(NotificationTarget target) => "notify:" + NotificationKeys.Inbox(target);
}
