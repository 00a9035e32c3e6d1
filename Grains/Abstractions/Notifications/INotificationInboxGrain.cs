using Orleans.Concurrency;

namespace Summit.Notifications;

/// <summary>
/// The notifications of one target (an account, a unit or the secretariat), stored as rows of the
/// <see cref="INotificationStore"/>; the grain serialises an inbox's writes and tells the listeners.
/// Key: <see cref="NotificationKeys.Inbox"/>.
/// </summary>
[Alias("summit.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the notifications not already there (by id) and tells the listeners of those; returns how many were new.</summary>
    [Alias("add")] Task<int> Add(IReadOnlyList<Notification> notifications);

    /// <summary>The newest notifications (up to a thousand), oldest first.</summary>
    [Alias("list"), AlwaysInterleave] Task<IReadOnlyList<Notification>> List();
}
