using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Summit.Grains;

namespace Summit.Notifications;

[GenerateSerializer, Alias("summit.state.notification-inbox")]
public sealed class InboxState
{
    [Id(0)] public List<Notification> Items { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.notification-reads")]
public sealed class ReadsState
{
    /// <summary>Read ids, oldest first.</summary>
    [Id(0)] public List<string> Ids { get; set; } = [];
}

/// <summary>
/// One target's notifications. The notification is stored before any listener (live push, webhook outbox) hears of
/// it, so a listener that fails never loses it.
/// </summary>
[GrainType("summit.notification-inbox")]
public sealed class NotificationInboxGrain(
    [PersistentState("inbox", StorageNames.Summit)] IPersistentState<InboxState> state,
    ILogger<NotificationInboxGrain> logger)
    : Grain, INotificationInboxGrain
{
    /// <summary>The newest kept; an inbox is a notice board, not an archive.</summary>
    public const int Capacity = 1000;

    private Notification[] _committed = [];
    private HashSet<string> _ids = new(StringComparer.Ordinal);
    private INotificationListener[] _listeners = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Items ??= [];
        _committed = [.. state.State.Items];
        _ids = new HashSet<string>(_committed.Select(n => n.Id), StringComparer.Ordinal);
        _listeners = ServiceProvider.GetServices<INotificationListener>().ToArray();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Notification>> List() => Task.FromResult<IReadOnlyList<Notification>>(_committed);

    public async Task<int> Add(IReadOnlyList<Notification> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var fresh = notifications.Where(n => !_ids.Contains(n.Id)).DistinctBy(n => n.Id).ToArray();
        if (fresh.Length == 0) return 0;

        Notification[] next = [.. _committed.Concat(fresh).OrderBy(n => n.CreatedAt).TakeLast(Capacity)];
        state.State.Items = [.. next];
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Items = [.. _committed];
            throw;
        }
        _committed = next;
        _ids.UnionWith(fresh.Select(n => n.Id));

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
        return fresh.Length;
    }
}

[GrainType("summit.notification-reads")]
public sealed class NotificationReadsGrain(
    [PersistentState("reads", StorageNames.Summit)] IPersistentState<ReadsState> state)
    : Grain, INotificationReadsGrain
{
    /// <summary>Beyond this the oldest read marks are dropped; their notifications have long left the inboxes.</summary>
    public const int Capacity = 5000;

    private HashSet<string> _committed = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Ids ??= [];
        _committed = new HashSet<string>(state.State.Ids, StringComparer.Ordinal);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<string>> ReadIds() => Task.FromResult<IReadOnlyList<string>>([.. _committed]);

    public async Task MarkRead(IReadOnlyList<string> notificationIds)
    {
        ArgumentNullException.ThrowIfNull(notificationIds);
        var fresh = notificationIds.Where(id => !string.IsNullOrEmpty(id) && !_committed.Contains(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (fresh.Length == 0) return;
        var previous = state.State.Ids;
        state.State.Ids = [.. previous.Concat(fresh).TakeLast(Capacity)];
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Ids = previous;
            throw;
        }
        _committed = new HashSet<string>(state.State.Ids, StringComparer.Ordinal);
    }
}
