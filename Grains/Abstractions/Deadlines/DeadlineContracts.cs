using NodaTime;
using Summit.Domain;
using Summit.Rules;
using Summit.Scheduling;

namespace Summit.Deadlines;

/// <summary>
/// A summit's deadline settings: its working calendar and when due-soon is announced. Stored by the summit's
/// <see cref="IDeadlinesGrain"/>; <see cref="Version"/> 1 means nothing was ever set (the defaults), each change adds one.
/// </summary>
/// <param name="Calendar">Holidays and make-up working days; by default the official 2020 arrangement
/// (<see cref="WorkingCalendar.China2020Definition"/>).</param>
/// <param name="DefaultCalendar">True while <see cref="Calendar"/> is the default, not one the secretariat set.</param>
/// <param name="Reminders">Lead days (default 3 and 1) and the local announcement time (default 09:00).</param>
/// <param name="LeadsInWorkingDays">Count lead days on <see cref="Calendar"/> rather than as calendar days (default false).</param>
[GenerateSerializer, Immutable, Alias("summit.deadline-settings")]
public sealed record DeadlineSettings(
    WorkingCalendarDefinition Calendar,
    bool DefaultCalendar,
    DueOptions Reminders,
    bool LeadsInWorkingDays,
    int Version,
    Instant? UpdatedAt = null,
    string? UpdatedBy = null)
{
    public static DeadlineSettings Default { get; } =
        new(WorkingCalendar.China2020Definition, true, DueOptions.Default, false, 1);

    /// <summary>The working calendar; the default one is shared, others are built (cheaply) on each call.</summary>
    public WorkingCalendar BuildCalendar() =>
        DefaultCalendar ? Scheduling.WorkingCalendar.China2020 : new WorkingCalendar(Calendar);

    /// <summary>Due states in <paramref name="zone"/> with these settings.</summary>
    public DueStates DueStates(DateTimeZone zone) =>
        new(zone, Reminders, LeadsInWorkingDays ? BuildCalendar() : null);
}

/// <summary>
/// One announcement the deadline engine made: the task, which state (due soon with its lead, due today, overdue) for
/// which deadline, when that state began and when it was announced. At most one per task, deadline, kind and lead.
/// </summary>
/// <param name="StateSince">When the announced state began (for overdue: the due instant).</param>
/// <param name="AnnouncedAt">The clock's instant when the engine announced it (later than <paramref name="StateSince"/>
/// when a tick came late or the silo was down).</param>
[GenerateSerializer, Immutable, Alias("summit.due-announcement-record")]
public sealed record DueAnnouncementRecord(
    string TaskId,
    DueKind Kind,
    int? LeadDays,
    Deadline Deadline,
    Instant StateSince,
    Instant AnnouncedAt)
{
    public DueAnnouncement ToAnnouncement() => new(Kind, LeadDays, Deadline, StateSince);
}

/// <summary>What one reconciliation did.</summary>
/// <param name="Announced">Announcements made by this pass (usually none: ticks are idempotent).</param>
/// <param name="NextChange">The next instant at which some open task changes due state; the engine's timer is set for it.</param>
/// <param name="Undelivered">Announcements recorded but not yet accepted by the escalation grain (retried on the next pass).</param>
[GenerateSerializer, Immutable, Alias("summit.deadline-reconcile")]
public sealed record ReconcileResult(Instant At, IReadOnlyList<DueAnnouncementRecord> Announced, Instant? NextChange, int Undelivered);

/// <summary>An open task's place in the schedule (dates are working days on the summit's calendar).</summary>
/// <param name="Slack">Working days it can slip; negative: projected to miss its due date or hold up a successor.</param>
[GenerateSerializer, Immutable, Alias("summit.scheduled-task")]
public sealed record ScheduledTask(
    string Id,
    OwningUnit Owner,
    string? SubForum,
    Deadline Due,
    int RemainingDays,
    LocalDate EarliestStart,
    LocalDate ProjectedFinish,
    LocalDate LatestStart,
    LocalDate LatestFinish,
    int Slack,
    bool Critical);

/// <summary>Projected finish of a group of tasks (a county, a sub-forum, the whole summit).</summary>
/// <param name="Key">County code or sub-forum id; null for the whole summit.</param>
/// <param name="ProjectedFinish">Latest projected finish of the group's open tasks; null when none is open.</param>
/// <param name="MinSlack">Least slack among them; null when none is open.</param>
/// <param name="HostUniversity">A sub-forum's host, set in dashboard views so the Gateway can check access; null elsewhere.</param>
[GenerateSerializer, Immutable, Alias("summit.schedule-rollup")]
public sealed record ScheduleRollup(string? Key, int OpenTasks, LocalDate? ProjectedFinish, int? MinSlack, string? HostUniversity = null)
{
    public bool AtRisk => MinSlack < 0;
}

/// <summary>
/// A summit's schedule as of the summit clock: see <see cref="CriticalPath"/> for the model. Tasks that are done,
/// cancelled or set aside by the contingency plan are not in it.
/// </summary>
/// <param name="CriticalPath">Task ids, first to last.</param>
/// <param name="PreparationFinish">Projected finish of the open tasks due before the opening day.</param>
/// <param name="OpeningAtRisk">That finish is after the day before the opening.</param>
/// <param name="UnknownPrerequisites">Ids that tasks depend on but the schedule does not know.</param>
[GenerateSerializer, Immutable, Alias("summit.summit-schedule")]
public sealed record SummitSchedule(
    Instant AsOf,
    LocalDate Today,
    LocalDate OpeningDate,
    IReadOnlyList<string> CriticalPath,
    IReadOnlyList<ScheduledTask> Tasks,
    ScheduleRollup Overall,
    LocalDate? PreparationFinish,
    bool OpeningAtRisk,
    int NegativeSlackTasks,
    IReadOnlyList<ScheduleRollup> Counties,
    IReadOnlyList<ScheduleRollup> SubForums,
    IReadOnlyList<string> UnknownPrerequisites);

/// <summary>A task on the critical path, named for people.</summary>
[GenerateSerializer, Immutable, Alias("summit.critical-task")]
public sealed record CriticalTask(string Id, string Title, OwningUnit Owner, Deadline Due, LocalDate ProjectedFinish, int Slack);

/// <summary>
/// The schedule in brief (<see cref="IDeadlinesGrain.GetScheduleSummary"/>): what the dashboard and readiness need, without
/// the per-task list, so it stays small whatever the number of tasks. Built by the same rules as <see cref="SummitSchedule"/>.
/// </summary>
/// <param name="Revision">Changes whenever anything but <see cref="AsOf"/> does (compared for equality only).</param>
/// <param name="AsOf">When the engine computed it; the content changes only with the tasks, the calendar and the day.</param>
/// <param name="PreparationFinish">As <see cref="SummitSchedule.PreparationFinish"/>.</param>
/// <param name="ProjectedFinish">Latest projected finish of all open tasks, on-site and post-summit work included.</param>
/// <param name="OpeningAtRisk">As <see cref="SummitSchedule.OpeningAtRisk"/>: preparation runs past the day before the opening.</param>
/// <param name="CriticalTasks">The first <see cref="MaxCriticalTasks"/> tasks of the critical path, first to last.</param>
/// <param name="Counties">Per county (tasks it owns), by code.</param>
/// <param name="SubForums">Per sub-forum (tasks linked to it), by id.</param>
/// <param name="NegativeSlack">Ids of the open tasks with negative slack, sorted: what <see cref="Readiness"/> needs.
/// Left out (null) of dashboard snapshots and patches.</param>
[GenerateSerializer, Immutable, Alias("summit.schedule-summary")]
public sealed record ScheduleSummary(
    long Revision,
    Instant AsOf,
    LocalDate Today,
    LocalDate OpeningDate,
    LocalDate? PreparationFinish,
    LocalDate? ProjectedFinish,
    bool OpeningAtRisk,
    int OpenTasks,
    int NegativeSlackTasks,
    int CriticalPathLength,
    IReadOnlyList<CriticalTask> CriticalTasks,
    IReadOnlyList<ScheduleRollup> Counties,
    IReadOnlyList<ScheduleRollup> SubForums,
    IReadOnlyList<string>? NegativeSlack = null)
{
    public const int MaxCriticalTasks = 5;

    /// <summary>The working calendar the schedule was computed on, so readiness elsewhere counts planned progress alike.
    /// Not part of the dashboard's JSON.</summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore] public WorkingCalendarDefinition? Calendar { get; init; }

    /// <summary>
    /// What the dashboard shows as "opening at risk": some open task has negative slack (which
    /// <see cref="OpeningAtRisk"/> implies), so the plan as it stands misses a date.
    /// </summary>
    public bool AtRisk => NegativeSlackTasks > 0 || OpeningAtRisk;

    /// <summary>The same content, <see cref="Revision"/> and <see cref="AsOf"/> aside.</summary>
    public bool SameContent(ScheduleSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SameHeadline(other) && Counties.SequenceEqual(other.Counties) && SubForums.SequenceEqual(other.SubForums)
            && (NegativeSlack ?? []).SequenceEqual(other.NegativeSlack ?? [], StringComparer.Ordinal);
    }

    /// <summary>The same summit-level facts (everything but the rollups and the ids).</summary>
    public bool SameHeadline(ScheduleSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Today == other.Today && OpeningDate == other.OpeningDate && PreparationFinish == other.PreparationFinish
            && ProjectedFinish == other.ProjectedFinish && OpeningAtRisk == other.OpeningAtRisk && OpenTasks == other.OpenTasks
            && NegativeSlackTasks == other.NegativeSlackTasks && CriticalPathLength == other.CriticalPathLength
            && CriticalTasks.SequenceEqual(other.CriticalTasks);
    }
}

/// <summary>How the engine of a summit stands, for operators and tests.</summary>
[GenerateSerializer, Immutable, Alias("summit.deadline-status")]
public sealed record DeadlineEngineStatus(
    int Tasks,
    int Announcements,
    int Undelivered,
    Instant? LastReconciledAt,
    Instant? TimerDueAt,
    bool ReminderRegistered);

/// <summary>The <c>?due=</c> task lists.</summary>
public enum DueFilter
{
    /// <summary>Open and past the due moment.</summary>
    Overdue,
    /// <summary>Open, within a lead time of the due date (due soon or due today), not yet overdue.</summary>
    Soon,
    /// <summary>Open and due today (the due-today state has begun), not yet overdue.</summary>
    Today,
}

/// <summary>The one place deciding which tasks the <c>?due=</c> lists show, so the API and the engine agree.</summary>
public static class DueLists
{
    /// <summary>The status the due states see: a task set aside by the contingency plan counts as closed.</summary>
    public static WorkStatus EffectiveStatus(PreparationTask task) =>
        task.SetAside || task.Archived ? WorkStatus.Cancelled : task.Status;

    public static DueState Classify(DueStates due, PreparationTask task, Instant now) =>
        due.Classify(task.Due, EffectiveStatus(task), now);

    public static bool Matches(DueFilter filter, DueState state) => filter switch
    {
        DueFilter.Overdue => state.Kind == DueKind.Overdue,
        DueFilter.Soon => state.Kind is DueKind.DueSoon or DueKind.DueToday,
        DueFilter.Today => state.Kind == DueKind.DueToday,
        _ => false,
    };

    /// <summary>Parses <c>overdue</c>, <c>soon</c> or <c>today</c> (any case); null when blank, an error on <paramref name="field"/> otherwise.</summary>
    public static DueFilter? Parse(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        foreach (var filter in Enum.GetValues<DueFilter>())
            if (string.Equals(filter.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase)) return filter;
        errors.Add(field, $"'{value}' is not one of: overdue, soon, today.");
        return null;
    }
}
