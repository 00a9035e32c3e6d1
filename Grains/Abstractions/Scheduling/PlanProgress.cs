using NodaTime;
using Summit.Domain;

namespace Summit.Scheduling;

/// <summary>
/// Planned against earned progress of one unit (the summit, a county, a sub-forum or a task category).
/// </summary>
/// <param name="Scope"><c>overall</c>, <c>county</c>, <c>subForum</c> or <c>category</c>.</param>
/// <param name="Key">County code, sub-forum id or category (camelCase); null for overall.</param>
/// <param name="Tasks">Tasks counted (not cancelled, set aside or archived).</param>
/// <param name="PlannedPercent">Share of the unit's planned work that should be done by the end of yesterday, 0-100, one decimal.</param>
/// <param name="EarnedPercent">Share of the unit's work that is done, 0-100, one decimal.</param>
/// <param name="Gap">Earned minus planned, in percentage points (one decimal); negative means behind the plan.</param>
/// <param name="Status"><c>onTrack</c>, <c>behind</c>, <c>farBehind</c> or <c>noTasks</c>; see <see cref="PlanProgress"/>.</param>
/// <param name="BehindTasks">Tasks whose own earned progress is below their own planned progress.</param>
[GenerateSerializer, Immutable, Alias("summit.plan-standing")]
public sealed record PlanStanding(
    string Scope, string? Key, int Tasks, double PlannedPercent, double EarnedPercent, double Gap, string Status, int BehindTasks);

/// <summary>The plan view of a summit: overall and per county, sub-forum and category, each list worst gap first.</summary>
/// <param name="AsOf">Planned progress is counted up to the end of the day before this date.</param>
[GenerateSerializer, Immutable, Alias("summit.plan-report")]
public sealed record PlanReport(
    LocalDate AsOf,
    PlanStanding Overall,
    IReadOnlyList<PlanStanding> Counties,
    IReadOnlyList<PlanStanding> SubForums,
    IReadOnlyList<PlanStanding> Categories);

/// <summary>One day of an S-curve: cumulative planned and earned progress at the end of <see cref="Date"/> (0-100).</summary>
/// <param name="Earned">Null before the first recorded change of the scope's tasks and after today.</param>
[GenerateSerializer, Immutable, Alias("summit.curve-point")]
public sealed record CurvePoint(LocalDate Date, double Planned, double? Earned);

/// <summary>
/// Progress measured against the plan: the one definition of planned progress, earned progress and the gap between them.
/// </summary>
/// <remarks>
/// <para><b>Planned progress</b> of a task at the end of a date D is the share of its planned working days (on the summit's
/// working calendar) that fall on or before D:</para>
/// <list type="bullet">
/// <item>start and <c>durationDays</c> &gt; 0: the work fills <c>durationDays</c> working days from the first working day on
/// or after the start, linearly (a 4-day task starting Monday is planned ¼ done by Monday evening).</item>
/// <item>start and <c>durationDays</c> 0: done on its start day.</item>
/// <item>a start only: linear over the working days from the start to the due date.</item>
/// <item><c>durationDays</c> only: the last <c>durationDays</c> working days up to its due date.</item>
/// <item>neither: planned as done on its due date (0 before it, 1 from that day on).</item>
/// </list>
/// <para><b>Earned progress</b>: a done task 1, any other its percent complete. Each task weighs its <c>durationDays</c>
/// (at least 1; 1 when not planned). Cancelled, archived and set-aside tasks are left out.</para>
/// <para>A unit's planned and earned progress are the weighted averages; the <b>gap</b> is earned minus planned, in
/// percentage points. Readiness "now" compares what is earned now with what was planned by the end of yesterday, so work
/// due today is not yet behind. Status: <c>onTrack</c> when the gap is at least −<see cref="OnTrackTolerance"/> points
/// (earned ≥ planned is always on track, however little is planned), <c>behind</c> down to −<see cref="FarBehindAt"/>,
/// <c>farBehind</c> below, <c>noTasks</c> without tasks. Work that is not yet due never counts as late.</para>
/// </remarks>
public static class PlanProgress
{
    /// <summary>Points a unit may trail its plan and still be on track.</summary>
    public const double OnTrackTolerance = 5;

    /// <summary>Points behind the plan from which a unit is far behind.</summary>
    public const double FarBehindAt = 15;

    /// <summary>Whether a task counts in plan progress (and readiness): not cancelled, set aside or archived.</summary>
    public static bool Counts(PreparationTask task) =>
        task.Status != WorkStatus.Cancelled && !task.SetAside && !task.Archived;

    /// <summary>A task's weight: its planned working days, at least 1.</summary>
    public static double Weight(PreparationTask task) => Math.Max(1, task.DurationDays ?? 1);

    /// <summary>Earned progress 0..1: done 1, else percent complete.</summary>
    public static double Earned(PreparationTask task) =>
        task.Status == WorkStatus.Done ? 1 : Math.Clamp(task.PercentComplete, 0, 100) / 100.0;

    public static double Planned(PreparationTask task, LocalDate date, WorkingCalendar calendar) =>
        Planned(task.Start, task.DurationDays, task.Due.Date, date, calendar);

    /// <summary>Planned progress 0..1 at the end of <paramref name="date"/>; see the class remarks.</summary>
    public static double Planned(LocalDate? start, int? durationDays, LocalDate due, LocalDate date, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var span = Span(start, durationDays, due, calendar);
        if (span.Days == 0) return date >= span.First ? 1 : 0;
        var elapsed = calendar.WorkingDaysBetween(span.First.PlusDays(-1), date);
        return Math.Clamp((double)elapsed / span.Days, 0, 1);
    }

    /// <summary>
    /// The planned work as working days: <see cref="Days"/> working days from <see cref="First"/> (a working day), or,
    /// when Days is 0, a step on <see cref="First"/> (done that day).
    /// </summary>
    public readonly record struct PlannedSpan(LocalDate First, int Days);

    public static PlannedSpan Span(LocalDate? start, int? durationDays, LocalDate due, WorkingCalendar calendar)
    {
        if (start is { } s)
        {
            if (durationDays is 0) return new(s, 0);
            var first = calendar.NextWorkingDay(s);
            if (durationDays is { } n) return new(first, n);
            return new(first, Math.Max(1, calendar.WorkingDaysBetween(s.PlusDays(-1), due)));
        }
        if (durationDays is { } days and > 0)
        {
            var last = calendar.PreviousWorkingDay(due);
            return new(calendar.AddWorkingDays(last, -(days - 1)), days);
        }
        return new(due, 0);
    }

    /// <summary>Planned against earned for <paramref name="tasks"/>, planned up to the end of the day before <paramref name="today"/>.</summary>
    public static PlanStanding Standing(string scope, string? key, IEnumerable<PreparationTask> tasks, LocalDate today, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var yesterday = today.PlusDays(-1);
        double weight = 0, planned = 0, earned = 0;
        int count = 0, behind = 0;
        foreach (var task in tasks)
        {
            if (!Counts(task)) continue;
            var w = Weight(task);
            var p = Planned(task, yesterday, calendar);
            var e = Earned(task);
            count++;
            weight += w;
            planned += w * p;
            earned += w * e;
            if (e < p) behind++;
        }
        if (count == 0) return new PlanStanding(scope, key, 0, 0, 0, 0, "noTasks", 0);
        var plannedPercent = Round(planned / weight * 100);
        var earnedPercent = Round(earned / weight * 100);
        var gap = Round(earnedPercent - plannedPercent);
        return new PlanStanding(scope, key, count, plannedPercent, earnedPercent, gap, StatusOf(gap), behind);
    }

    public static string StatusOf(double gap) => gap >= -OnTrackTolerance ? "onTrack" : gap >= -FarBehindAt ? "behind" : "farBehind";

    /// <summary>Worst gap first; units without tasks last; ties by key.</summary>
    public static IReadOnlyList<PlanStanding> Ranked(IEnumerable<PlanStanding> standings) =>
        [.. standings.OrderBy(s => s.Tasks == 0 ? 1 : 0).ThenBy(s => s.Gap).ThenBy(s => s.Key, StringComparer.Ordinal)];

    /// <summary>
    /// The plan view: overall, per county (tasks it owns; every county in <paramref name="counties"/> appears), per
    /// sub-forum (tasks <paramref name="subForumOf"/> links to it; every one in <paramref name="subForums"/>) and per category
    /// (those with tasks).
    /// </summary>
    public static PlanReport Report(
        IEnumerable<PreparationTask> tasks, IEnumerable<string> counties, IEnumerable<string> subForums, LocalDate today,
        WorkingCalendar calendar, Func<PreparationTask, string?>? subForumOf = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var all = tasks.Where(Counts).ToList();
        var byCounty = all.Where(t => t.Owner.Kind == UnitKind.County).ToLookup(t => t.Owner.Code, StringComparer.Ordinal);
        subForumOf ??= t => t.SubForum;
        var byForum = all.Select(t => (Task: t, Forum: subForumOf(t))).Where(x => x.Forum is not null)
            .ToLookup(x => x.Forum!, x => x.Task, StringComparer.Ordinal);
        return new PlanReport(
            today,
            Standing("overall", null, all, today, calendar),
            Ranked(counties.Distinct(StringComparer.Ordinal).Select(c => Standing("county", c, byCounty[c], today, calendar))),
            Ranked(subForums.Distinct(StringComparer.Ordinal).Select(f => Standing("subForum", f, byForum[f], today, calendar))),
            Ranked(all.GroupBy(t => t.Category).Select(g => Standing("category", CategoryKey(g.Key), g, today, calendar))));
    }

    public static string CategoryKey(TaskCategory category) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(category.ToString());

    /// <summary>
    /// The planned S-curve of <paramref name="tasks"/>: cumulative planned progress (0-100) at the end of each day from
    /// <paramref name="from"/> to <paramref name="to"/>. O(tasks + days): each task adds a ramp over its working days.
    /// </summary>
    public static double[] PlannedCurve(IEnumerable<PreparationTask> tasks, LocalDate from, LocalDate to, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var days = Period.DaysBetween(from, to) + 1;
        if (days <= 0) return [];
        var rate = new double[days + 1];  // difference array of the per-working-day increment
        var step = new double[days + 1];  // one-off additions at the end of a day
        double baseline = 0, total = 0;
        foreach (var task in tasks)
        {
            if (!Counts(task)) continue;
            var w = Weight(task);
            total += w;
            var span = Span(task.Start, task.DurationDays, task.Due.Date, calendar);
            if (span.Days == 0)
            {
                if (span.First < from) baseline += w;
                else if (span.First <= to) step[Period.DaysBetween(from, span.First)] += w;
                continue;
            }
            var last = calendar.AddWorkingDays(span.First, span.Days - 1);
            if (last < from) { baseline += w; continue; }
            var perDay = w / span.Days;
            var begin = span.First;
            if (begin < from)
            {
                baseline += perDay * calendar.WorkingDaysBetween(begin.PlusDays(-1), from.PlusDays(-1));
                begin = from;
            }
            if (begin > to) continue;
            rate[Period.DaysBetween(from, begin)] += perDay;
            if (last < to) rate[Period.DaysBetween(from, last) + 1] -= perDay;
        }
        var curve = new double[days];
        if (total == 0) return curve;
        double current = 0, cumulative = baseline;
        for (var i = 0; i < days; i++)
        {
            current += rate[i];
            if (calendar.IsWorkingDay(from.PlusDays(i))) cumulative += current;
            cumulative += step[i];
            curve[i] = Round(Math.Min(100, cumulative / total * 100));
        }
        return curve;
    }

    /// <summary>
    /// The earned S-curve: for each day from <paramref name="from"/> to <paramref name="to"/>, the weighted earned progress
    /// (0-100) at its end, from each task's recorded changes. <paramref name="history"/> holds, per task id, its changes of
    /// status and percent complete in order (date, status or null, percent or null); a task without any counts 0 until its
    /// current state (which <paramref name="tasks"/> gives) is known. Days before <paramref name="firstRecorded"/> are null.
    /// </summary>
    public static double?[] EarnedCurve(
        IEnumerable<PreparationTask> tasks, IReadOnlyDictionary<string, IReadOnlyList<ProgressChange>> history,
        LocalDate from, LocalDate to, LocalDate? firstRecorded)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(history);
        var days = Period.DaysBetween(from, to) + 1;
        if (days <= 0) return [];
        var delta = new double[days + 1];
        double baseline = 0, total = 0;
        foreach (var task in tasks)
        {
            if (!Counts(task)) continue;
            var w = Weight(task);
            total += w;
            if (!history.TryGetValue(task.Id, out var changes) || changes.Count == 0) continue;
            WorkStatus status = WorkStatus.NotStarted;
            var percent = 0;
            double previous = 0;
            foreach (var change in changes)
            {
                if (change.Status is { } s) status = s;
                if (change.Percent is { } p) percent = p;
                var value = w * (status == WorkStatus.Done ? 1 : Math.Clamp(percent, 0, 100) / 100.0);
                if (value == previous) continue;
                if (change.Date < from) baseline += value - previous;
                else if (change.Date <= to) delta[Period.DaysBetween(from, change.Date)] += value - previous;
                previous = value;
            }
        }
        var curve = new double?[days];
        double cumulative = baseline;
        for (var i = 0; i < days; i++)
        {
            cumulative += delta[i];
            var date = from.PlusDays(i);
            curve[i] = firstRecorded is { } first && date >= first && total > 0 ? Round(Math.Clamp(cumulative / total * 100, 0, 100)) : null;
        }
        return curve;
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}

/// <summary>The S-curve of one scope: a point per day from <see cref="From"/> to <see cref="To"/>.</summary>
[GenerateSerializer, Immutable, Alias("summit.readiness-curve")]
public sealed record ReadinessCurve(
    string Scope, string? Key, LocalDate Today, LocalDate OpeningDate, LocalDate From, LocalDate To, int Tasks, IReadOnlyList<CurvePoint> Points);

/// <summary>One recorded change of a task's progress: on <see cref="Date"/> (the summit's local date), its new status and/or percent.</summary>
public sealed record ProgressChange(LocalDate Date, WorkStatus? Status, int? Percent);
