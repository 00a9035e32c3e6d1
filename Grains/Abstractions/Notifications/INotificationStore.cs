namespace Summit.Notifications;

/// <summary>What one page of an account's notifications asks for.</summary>
/// <param name="Account">The reading account: whose read marks count.</param>
/// <param name="Inboxes">The inbox keys (<see cref="NotificationKeys.Inbox"/>) the account reads, most specific first; a notification in several is listed once, as the first one holds it.</param>
/// <param name="Summit">Only this summit's, when set.</param>
/// <param name="Unread">true: only unread; false: only read; null: both.</param>
public sealed record NotificationPageQuery(
    string Account,
    IReadOnlyList<string> Inboxes,
    string? Summit,
    bool? Unread,
    int Offset,
    int Limit);

/// <summary>One listed notification and whether the reading account has read it.</summary>
public sealed record NotificationRow(Notification Notification, bool Read);

/// <summary>A page, newest first; <see cref="Total"/> counts every match, <see cref="Unread"/> every unread one (summit filter applied, read filter not).</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationRow> Items, int Total, int Unread);

/// <summary>
/// The store of record of notifications: one row per notification and inbox, and one read mark per account and
/// notification id. Lists are queries, so no grain holds a growing list. PostgreSQL (migration 0170) with a connection
/// string, else memory with the same behaviour.
/// </summary>
public interface INotificationStore
{
    /// <summary>Stores those not already in the inbox (by id); returns the ones stored by this call, once each.</summary>
    Task<IReadOnlyList<Notification>> AddAsync(string inbox, IReadOnlyList<Notification> notifications, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> notifications of one inbox, oldest first.</summary>
    Task<IReadOnlyList<Notification>> LatestAsync(string inbox, int limit, CancellationToken cancellationToken = default);

    Task<NotificationPage> PageAsync(NotificationPageQuery query, CancellationToken cancellationToken = default);

    /// <summary>Marks one notification of the inboxes read (idempotent); null when none of them holds it.</summary>
    Task<Notification?> MarkReadAsync(string account, IReadOnlyList<string> inboxes, string id, CancellationToken cancellationToken = default);

    /// <summary>Marks every notification of the inboxes (of one summit, when set) read; returns how many were unread.</summary>
    Task<int> MarkAllReadAsync(string account, IReadOnlyList<string> inboxes, string? summit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the notifications created before <paramref name="createdBefore"/> that some account has read (from every
    /// inbox that holds them), with their read marks; unread ones stay. Returns how many notification rows went.
    /// </summary>
    Task<int> PruneReadAsync(NodaTime.Instant createdBefore, CancellationToken cancellationToken = default);
}
