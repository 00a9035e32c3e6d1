using Orleans.Concurrency;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Deadlines;

/// <summary>
/// The deadline engine of one summit. Key: the summit code.
/// </summary>
/// <remarks>
/// <para>It keeps every task of the summit (read from the catalog on activation, then fed each accepted change by a
/// change listener), the incremental <see cref="CriticalPath"/> on the summit's working calendar, and the due states in
/// the summit's zone. Time always comes from the injected clock.</para>
/// <para>Announcements: one durable reminder per summit (not per task) and a grain timer set for the next instant at which
/// any task changes due state both run <see cref="Reconcile"/>. Reconciling announces each open task's current state once
/// per deadline (<see cref="DueStates.Reconcile(Deadline, WorkStatus, IEnumerable{DueAnnouncement}, NodaTime.Instant)"/>):
/// ticks that are late, repeated or missed (a silo down for a day) announce exactly what the clock says is due now, and
/// never twice, because every announcement is stored before it is passed on. Announcements are passed to
/// <c>Notifications.IEscalationGrain.OnAnnouncement</c> of the summit, in order, at least once (its handling is idempotent);
/// one it does not accept is retried on the next pass.</para>
/// </remarks>
[Alias("summit.IDeadlinesGrain")]
public interface IDeadlinesGrain : IGrainWithStringKey
{
    [Alias("get-settings"), AlwaysInterleave] Task<DeadlineSettings> GetSettings();

    /// <summary>Sets the summit's working calendar; null restores the default (<see cref="WorkingCalendar.China2020"/>).</summary>
    /// <exception cref="DomainValidationException">The calendar is invalid (fields <c>holidays[i]</c>, <c>makeUpWorkingDays[i]</c>).</exception>
    /// <exception cref="VersionConflictException">Kind Summit: <paramref name="expectedVersion"/> is not the settings' version.</exception>
    [Alias("set-calendar")] Task<DeadlineSettings> SetCalendar(WorkingCalendarDefinition? calendar, Actor actor, int? expectedVersion = null);

    /// <summary>Sets when due-soon is announced: lead days, the local time, and whether leads count working days.</summary>
    /// <exception cref="DomainValidationException">Fields <c>leadDays</c>, <c>leadDays[i]</c>.</exception>
    [Alias("set-reminders")] Task<DeadlineSettings> SetReminders(DueOptions reminders, bool leadsInWorkingDays, Actor actor, int? expectedVersion = null);

    /// <summary>A task as stored after an accepted change. Older versions than the one known are ignored.</summary>
    [Alias("task-changed")] Task TaskChanged(PreparationTask task);

    /// <summary>The summit as stored after a change (opening date and zone shape the schedule and due states).</summary>
    [Alias("summit-changed")] Task SummitChanged(SummitEdition summit);

    /// <summary>The schedule as of the summit clock's today.</summary>
    [Alias("schedule")] Task<SummitSchedule> GetSchedule();

    /// <summary>
    /// The schedule in brief as of the summit clock's today; null when <paramref name="knownRevision"/> is still current.
    /// Cached until a task, the calendar or the day changes, so polling it is cheap.
    /// </summary>
    /// <remarks>Interleaves: every change to the schedule happens within one synchronous step of a turn, and loading is shared.</remarks>
    [Alias("schedule-summary"), AlwaysInterleave] Task<ScheduleSummary?> GetScheduleSummary(long knownRevision = 0);

    /// <summary>
    /// Readiness scores (<see cref="Readiness.Report"/>) as of the summit clock, with the negative slack of
    /// <see cref="GetScheduleSummary"/>.
    /// </summary>
    [Alias("readiness")] Task<ReadinessReport> GetReadiness();

    /// <summary>Planned against earned progress (<see cref="PlanProgress.Report"/>) as of the summit clock's today.</summary>
    [Alias("readiness-plan")] Task<PlanReport> GetPlanReadiness();

    /// <summary>
    /// The S-curve of one scope (<c>overall</c>, <c>county</c>, <c>subForum</c> or <c>category</c> with its key): planned
    /// progress over the preparation window, earned progress from the tasks' recorded changes up to today.
    /// </summary>
    [Alias("readiness-curve")] Task<ReadinessCurve> GetReadinessCurve(string scope, string? key);

    /// <summary>Announcements made, oldest first; for one task when <paramref name="taskId"/> is given.</summary>
    [Alias("announcements"), AlwaysInterleave] Task<IReadOnlyList<DueAnnouncementRecord>> GetAnnouncements(string? taskId = null);

    /// <summary>Announces what is due now and sets the timer; what the reminder and timer run. Idempotent.</summary>
    [Alias("reconcile")] Task<ReconcileResult> Reconcile();

    [Alias("status"), AlwaysInterleave] Task<DeadlineEngineStatus> GetStatus();
}
