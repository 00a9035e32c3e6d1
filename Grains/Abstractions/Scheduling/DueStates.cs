using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Scheduling;

/// <summary>When "due soon" is announced: <see cref="LeadDays"/> days before the due date, at <see cref="AnnouncementTime"/> local time.</summary>
[GenerateSerializer, Immutable, Alias("summit.due-options")]
public sealed record DueOptions(IReadOnlyList<int> LeadDays, LocalTime AnnouncementTime)
{
    public const int MaxLeadDays = 60;
    public const int MaxLeads = 5;

    public static DueOptions Default { get; } = new([3, 1], new LocalTime(9, 0));

    /// <summary>Lead days: at most <see cref="MaxLeads"/> of them, each 1..<see cref="MaxLeadDays"/>, no repeats. None at all is allowed (no due-soon announcements).</summary>
    public static void Validate(DueOptions options, FieldErrors errors, string field = "reminders")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var prefix = string.IsNullOrEmpty(field) ? "" : field + ".";
        if (options.LeadDays is null)
        {
            errors.Add(prefix + "leadDays", "is required.");
            return;
        }
        if (options.LeadDays.Count > MaxLeads) errors.Add(prefix + "leadDays", $"must have at most {MaxLeads} entries.");
        for (var i = 0; i < options.LeadDays.Count; i++)
        {
            errors.Range($"{prefix}leadDays[{i}]", options.LeadDays[i], 1, MaxLeadDays);
            if (options.LeadDays.Take(i).Contains(options.LeadDays[i])) errors.Add($"{prefix}leadDays[{i}]", "is listed twice.");
        }
    }
}

/// <summary>A task's due state, in order of urgency. Also the kind of an announcement (never <see cref="None"/> there).</summary>
[GenerateSerializer]
public enum DueKind
{
    None,
    DueSoon,
    DueToday,
    Overdue,
}

/// <summary>Where a task stands against its deadline.</summary>
/// <param name="LeadDays">For <see cref="DueKind.DueSoon"/>: the lead time whose announcement moment has passed most recently (3, then 1).</param>
/// <param name="Since">When this state began; for <see cref="DueKind.Overdue"/> the due instant.</param>
[GenerateSerializer, Immutable, Alias("summit.due-state")]
public sealed record DueState(DueKind Kind, int? LeadDays = null, Instant? Since = null)
{
    public static DueState None { get; } = new(DueKind.None);
}

/// <summary>An instant at which a due state begins.</summary>
[GenerateSerializer, Immutable, Alias("summit.due-moment")]
public sealed record DueMoment(DueKind Kind, int? LeadDays, Instant At);

/// <summary>An announcement made (or to be made) for a task: which state, for which deadline, and when that state began.</summary>
[GenerateSerializer, Immutable, Alias("summit.due-announcement")]
public sealed record DueAnnouncement(DueKind Kind, int? LeadDays, Deadline Deadline, Instant At)
{
    /// <summary>Same kind, lead and deadline: the same announcement, whenever it was made.</summary>
    public bool Matches(DueKind kind, int? leadDays, Deadline deadline) =>
        Kind == kind && LeadDays == leadDays && Deadline == deadline;
}

/// <summary>
/// Due states of tasks in one summit's time zone. All methods take the current instant from the caller (an injected
/// <see cref="IClock"/>) and are pure, so a reminder tick that is late, repeated or replayed gives the same answer.
/// </summary>
/// <remarks>
/// <para>The moments, for a deadline on date D (a date alone means the end of D; see <see cref="Deadline.DueInstant"/>):</para>
/// <list type="bullet">
/// <item>due soon (L): at <see cref="DueOptions.AnnouncementTime"/> (09:00) local on D − L days, for each lead L (3, 1).
/// With a lead calendar, D − L working days instead.</item>
/// <item>due today: at 09:00 local on D; if the deadline has a time at or before 09:00, at the start of D instead, so
/// the owner still hears "due today" before it is late. (A deadline at 00:00 is already overdue at the start of D and
/// has no due-today state.)</item>
/// <item>overdue: at the due instant.</item>
/// </list>
/// <para>The state at an instant is the latest moment at or before it. Done and cancelled tasks are always
/// <see cref="DueKind.None"/> and announce nothing.</para>
/// <para>Reconciliation (<see cref="Reconcile(Deadline, WorkStatus, IEnumerable{DueAnnouncement}, Instant)"/>) announces
/// only the current state, once per deadline: earlier states that were never announced (the silo was down, the task was
/// created late) are stale and collapsed into the current one, because telling someone "due in 3 days" about a task that
/// is already overdue is wrong, not late. Announcements made for an older deadline do not count, so changing the deadline
/// starts over.</para>
/// </remarks>
public sealed class DueStates
{
    /// <exception cref="DomainValidationException"><paramref name="options"/> is invalid.</exception>
    /// <param name="leadCalendar">When given, due-soon leads count working days on it; otherwise calendar days.</param>
    public DueStates(DateTimeZone zone, DueOptions? options = null, WorkingCalendar? leadCalendar = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        options ??= DueOptions.Default;
        var errors = new FieldErrors();
        DueOptions.Validate(options, errors);
        errors.ThrowIfAny();
        Zone = zone;
        Options = options;
        LeadCalendar = leadCalendar;
        _leadsEarliestFirst = [.. options.LeadDays.OrderDescending()];
    }

    private readonly int[] _leadsEarliestFirst;

    public DateTimeZone Zone { get; }
    public DueOptions Options { get; }
    public WorkingCalendar? LeadCalendar { get; }

    public static DueStates For(SummitEdition summit, DueOptions? options = null, WorkingCalendar? leadCalendar = null) =>
        new(summit.Zone, options, leadCalendar);

    public Instant DueInstant(Deadline deadline) => deadline.DueInstant(Zone);

    /// <summary>The moments at which each state begins for <paramref name="deadline"/>, earliest first; the last is always overdue.</summary>
    public IReadOnlyList<DueMoment> Moments(Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        var due = DueInstant(deadline);
        var moments = new List<DueMoment>(_leadsEarliestFirst.Length + 2);
        foreach (var lead in _leadsEarliestFirst)
        {
            var day = LeadCalendar?.AddWorkingDays(deadline.Date, -lead) ?? deadline.Date.PlusDays(-lead);
            var at = Local(day, Options.AnnouncementTime);
            if (at < due) moments.Add(new DueMoment(DueKind.DueSoon, lead, at));
        }
        var today = deadline.Time is { } time && time <= Options.AnnouncementTime
            ? deadline.Date.AtStartOfDayInZone(Zone).ToInstant()
            : Local(deadline.Date, Options.AnnouncementTime);
        if (today < due) moments.Add(new DueMoment(DueKind.DueToday, null, today));
        moments.Add(new DueMoment(DueKind.Overdue, null, due));
        // Leads with a working-day calendar can land on the same day as "due today"; keep the order strict.
        moments.RemoveAll(m => m.Kind == DueKind.DueSoon && m.At >= today);
        return moments;
    }

    public DueState Classify(PreparationTask task, Instant now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Classify(task.Due, task.Status, now);
    }

    public DueState Classify(Deadline deadline, WorkStatus status, Instant now)
    {
        if (IsClosed(status)) return DueState.None;
        var current = Current(Moments(deadline), now, out _);
        return current is null ? DueState.None : new DueState(current.Kind, current.LeadDays, current.At);
    }

    public IReadOnlyList<DueAnnouncement> Reconcile(PreparationTask task, IEnumerable<DueAnnouncement> made, Instant now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Reconcile(task.Due, task.Status, made, now);
    }

    /// <summary>
    /// The announcements to make now for a task, given those already made: the current state's, unless it (or a later
    /// state's) was already made for this deadline. Returns at most one; see the class remarks for the collapsing rule.
    /// Record what is returned in <paramref name="made"/> before the next call.
    /// </summary>
    public IReadOnlyList<DueAnnouncement> Reconcile(Deadline deadline, WorkStatus status, IEnumerable<DueAnnouncement> made, Instant now)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        ArgumentNullException.ThrowIfNull(made);
        if (IsClosed(status)) return [];
        var moments = Moments(deadline);
        var current = Current(moments, now, out var currentIndex);
        if (current is null) return [];

        // A state made earlier at or past the current one (e.g. the clock was set back) keeps us quiet too.
        foreach (var announcement in made)
        {
            if (announcement.Deadline != deadline) continue;
            var index = IndexOf(moments, announcement.Kind, announcement.LeadDays);
            if (index >= currentIndex) return [];
        }
        return [new DueAnnouncement(current.Kind, current.LeadDays, deadline, current.At)];
    }

    /// <summary>The next instant after <paramref name="now"/> at which the state changes (when to wake up next), or null if none will.</summary>
    public Instant? NextChange(Deadline deadline, WorkStatus status, Instant now)
    {
        if (IsClosed(status)) return null;
        foreach (var moment in Moments(deadline))
            if (moment.At > now) return moment.At;
        return null;
    }

    private static bool IsClosed(WorkStatus status) => status is WorkStatus.Done or WorkStatus.Cancelled;

    private Instant Local(LocalDate date, LocalTime time) => (date + time).InZoneLeniently(Zone).ToInstant();

    private static DueMoment? Current(IReadOnlyList<DueMoment> moments, Instant now, out int index)
    {
        index = -1;
        for (var i = 0; i < moments.Count && moments[i].At <= now; i++) index = i;
        return index < 0 ? null : moments[index];
    }

    private static int IndexOf(IReadOnlyList<DueMoment> moments, DueKind kind, int? leadDays)
    {
        for (var i = 0; i < moments.Count; i++)
            if (moments[i].Kind == kind && moments[i].LeadDays == leadDays) return i;
        return -1;
    }
}
