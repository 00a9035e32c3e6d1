using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>The notification store without a database: the same behaviour as <see cref="PostgresNotificationStore"/>, in memory.</summary>
public sealed class MemoryNotificationStore : INotificationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Notification>> _inboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _reads = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<Notification>> AddAsync(string inbox, IReadOnlyList<Notification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var stored = new List<Notification>();
        lock (_gate)
        {
            if (!_inboxes.TryGetValue(inbox, out var items)) _inboxes[inbox] = items = new(StringComparer.Ordinal);
            foreach (var n in notifications)
                if (items.TryAdd(n.Id, n)) stored.Add(n);
        }
        return Task.FromResult<IReadOnlyList<Notification>>(stored);
    }

    public Task<IReadOnlyList<Notification>> LatestAsync(string inbox, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<Notification> latest = _inboxes.TryGetValue(inbox, out var items)
                ? Newest(items.Values).Take(limit).Reverse().ToArray()
                : [];
            return Task.FromResult(latest);
        }
    }

    public Task<NotificationPage> PageAsync(NotificationPageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            var read = _reads.GetValueOrDefault(query.Account) ?? [];
            var all = Visible(query.Inboxes, query.Summit);
            var matches = all.Where(n => query.Unread is not { } unread || read.Contains(n.Id) != unread).ToArray();
            return Task.FromResult(new NotificationPage(
                matches.Skip(query.Offset).Take(query.Limit).Select(n => new NotificationRow(n, read.Contains(n.Id))).ToArray(),
                matches.Length,
                all.Count(n => !read.Contains(n.Id))));
        }
    }

    public Task<Notification?> MarkReadAsync(string account, IReadOnlyList<string> inboxes, string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var notification = inboxes
                .Select(i => _inboxes.GetValueOrDefault(i)?.GetValueOrDefault(id))
                .FirstOrDefault(n => n is not null);
            if (notification is not null) Reads(account).Add(id);
            return Task.FromResult(notification);
        }
    }

    public Task<int> MarkAllReadAsync(string account, IReadOnlyList<string> inboxes, string? summit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var reads = Reads(account);
            return Task.FromResult(Visible(inboxes, summit).Count(n => reads.Add(n.Id)));
        }
    }

    private HashSet<string> Reads(string account)
    {
        if (!_reads.TryGetValue(account, out var reads)) _reads[account] = reads = new(StringComparer.Ordinal);
        return reads;
    }

    /// <summary>One copy per id (the first inbox's), newest first.</summary>
    private Notification[] Visible(IReadOnlyList<string> inboxes, string? summit) =>
        Newest(inboxes
            .SelectMany(i => _inboxes.GetValueOrDefault(i)?.Values ?? Enumerable.Empty<Notification>())
            .DistinctBy(n => n.Id)
            .Where(n => string.IsNullOrEmpty(summit) || n.Summit == summit))
        .ToArray();

    private static IEnumerable<Notification> Newest(IEnumerable<Notification> notifications) =>
        notifications.OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal);
}
