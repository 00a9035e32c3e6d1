using NodaTime;
using Summit.Deadlines;
using Summit.Scheduling;

namespace Summit.Grains.Deadlines;

/// <summary>
/// What a summit's deadline engine keeps across restarts in its grain state: its settings and when it last reconciled,
/// small and of fixed size. The announcements it made are rows of the <see cref="IAnnouncementStore"/>; the schedule
/// itself is rebuilt from the tasks on activation, so it is not stored.
/// </summary>
[GenerateSerializer, Alias("summit.state.deadlines")]
public sealed class DeadlineState
{
    /// <summary>Null: the default calendar.</summary>
    [Id(0)] public WorkingCalendarDefinition? Calendar { get; set; }

    /// <summary>Null: the default lead days and time.</summary>
    [Id(1)] public DueOptions? Reminders { get; set; }

    [Id(2)] public bool LeadsInWorkingDays { get; set; }

    [Id(3)] public int Version { get; set; }

    [Id(4)] public Instant? UpdatedAt { get; set; }

    [Id(5)] public string? UpdatedBy { get; set; }

    // Ids 6 and 7 held the announcements and the undelivered queue, now in the announcement store (migration 0160).

    [Id(8)] public Instant? LastReconciledAt { get; set; }
}
