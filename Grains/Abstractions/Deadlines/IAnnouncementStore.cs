namespace Summit.Deadlines;

/// <summary>An announcement as stored: the record and whether the escalation side has accepted it.</summary>
public sealed record StoredAnnouncement(DueAnnouncementRecord Record, bool Delivered);

/// <summary>
/// Where a summit's deadline engine keeps the announcements it made, one row each, so its grain state stays small
/// however long the summit runs. An announcement is identified by task, deadline, kind and lead
/// (<see cref="DueAnnouncementRecord"/>: at most one of each); appending one that is stored already changes nothing.
/// Lists are oldest first (in the order appended).
/// </summary>
public interface IAnnouncementStore
{
    /// <summary>Stores <paramref name="records"/> as undelivered, all or none; those already stored are left as they are.</summary>
    Task AppendAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Marks <paramref name="records"/> (matched by task, deadline, kind and lead) as accepted by the escalation side.</summary>
    Task MarkDeliveredAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Every announcement of the summit with its delivered flag, oldest first: what the engine loads on activation.</summary>
    Task<IReadOnlyList<StoredAnnouncement>> LoadAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> announcements not yet delivered, oldest first.</summary>
    Task<IReadOnlyList<DueAnnouncementRecord>> UndeliveredAsync(string summit, int max, CancellationToken cancellationToken = default);

    /// <summary>The announcements of one task, oldest first.</summary>
    Task<IReadOnlyList<DueAnnouncementRecord>> ForTaskAsync(string summit, string taskId, CancellationToken cancellationToken = default);

    /// <summary>A page of the summit's announcements as <paramref name="query"/> filters them, oldest first, and the number of matches.</summary>
    Task<AnnouncementPage> QueryAsync(AnnouncementListQuery query, CancellationToken cancellationToken = default);
}

/// <summary>One page of a summit's announcements, oldest first: what <see cref="IAnnouncementStore.QueryAsync"/> answers.</summary>
public sealed record AnnouncementListQuery(string Summit)
{
    /// <summary>Only this task's announcements.</summary>
    public string? TaskId { get; init; }

    /// <summary>
    /// Only announcements of stored tasks these units own (the units whose tasks the reader may read); null for every
    /// announcement, whatever its task.
    /// </summary>
    public IReadOnlyList<Domain.OwningUnit>? Owners { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>A page of announcements and how many match in all.</summary>
public sealed record AnnouncementPage(IReadOnlyList<DueAnnouncementRecord> Items, int Total);

/// <summary>What identifies an announcement: at most one is made per task, deadline, kind and lead.</summary>
public readonly record struct AnnouncementKey(string TaskId, Domain.Deadline Deadline, Scheduling.DueKind Kind, int? LeadDays)
{
    public static AnnouncementKey Of(DueAnnouncementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.TaskId, record.Deadline, record.Kind, record.LeadDays);
    }
}
