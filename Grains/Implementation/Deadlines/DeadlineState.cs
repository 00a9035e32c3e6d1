using NodaTime;
using Summit.Deadlines;
using Summit.Scheduling;

namespace Summit.Grains.Deadlines;

/// <summary>
/// What a summit's deadline engine keeps across restarts: its settings and every announcement it made. The schedule
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

    /// <summary>Every announcement made, oldest first: what keeps a replayed tick from announcing twice.</summary>
    [Id(6)] public List<DueAnnouncementRecord> Announced { get; set; } = [];

    /// <summary>Announcements the escalation side has not accepted yet, oldest first (a subset of <see cref="Announced"/>).</summary>
    [Id(7)] public List<DueAnnouncementRecord> Undelivered { get; set; } = [];

    [Id(8)] public Instant? LastReconciledAt { get; set; }
}
