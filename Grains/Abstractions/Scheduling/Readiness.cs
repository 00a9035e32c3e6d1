using System.Text.Json;
using NodaTime;
using Summit.Domain;

namespace Summit.Scheduling;

/// <summary>
/// One reason a readiness score is below 100, for people: a stable <see cref="Code"/>, the numbers behind it, and the
/// text in Chinese and English.
/// </summary>
/// <param name="Code"><c>overdueTasks</c>, <c>negativeSlack</c>, <c>checklistOpen</c>, <c>stageBehind</c>, <c>subForumsNotReady</c>, <c>behindPlan</c> or <c>nothingPlanned</c>.</param>
/// <param name="Item">For <c>checklistOpen</c> the checklist item, for <c>stageBehind</c> the current stage (camelCase, as in the API).</param>
/// <param name="Points">About how many of the 100 points this reason costs (one decimal).</param>
[GenerateSerializer, Immutable, Alias("summit.readiness-reason")]
public sealed record ReadinessReason(string Code, string Zh, string En, int? Count = null, string? Item = null, double Points = 0);

/// <summary>A readiness score with its inputs as percentages (null when the input does not apply) and its reasons.</summary>
/// <param name="Scope"><c>overall</c>, <c>county</c> or <c>subForum</c>.</param>
/// <param name="Key">The county code or sub-forum id; null for overall.</param>
[GenerateSerializer, Immutable, Alias("summit.readiness-score")]
public sealed record ReadinessScore(
    string Scope,
    string? Key,
    int Score,
    int? TaskPercent,
    int? ChecklistPercent,
    int? SchedulePercent,
    IReadOnlyList<ReadinessReason> Reasons)
{
    /// <summary>Planned progress of the unit's tasks by the end of yesterday (0-100, one decimal); null without tasks. See <see cref="PlanProgress"/>.</summary>
    [Id(7)] public double? PlannedPercent { get; init; }

    /// <summary>Earned progress of the unit's tasks (0-100, one decimal); null without tasks.</summary>
    [Id(8)] public double? EarnedPercent { get; init; }

    /// <summary>Earned minus planned in percentage points; null without tasks.</summary>
    [Id(9)] public double? Gap { get; init; }

    /// <summary><c>onTrack</c>, <c>behind</c>, <c>farBehind</c> (see <see cref="PlanProgress"/>); null without tasks.</summary>
    [Id(10)] public string? PlanStatus { get; init; }
}

[GenerateSerializer, Immutable, Alias("summit.readiness-report")]
public sealed record ReadinessReport(
    Instant AsOf,
    ReadinessScore Overall,
    IReadOnlyList<ReadinessScore> Counties,
    IReadOnlyList<ReadinessScore> SubForums);

/// <summary>What readiness needs to know about timing: the due states at <see cref="Now"/> and, optionally, slack from a schedule.</summary>
/// <param name="NegativeSlack">Ids of the open tasks with negative slack (<see cref="NegativeSlackOf"/>); null when no
/// schedule is known. A set of ids rather than the whole forecast, so it can travel between grains.</param>
public sealed record ScheduleSignals(DueStates Due, Instant Now, IReadOnlySet<string>? NegativeSlack = null)
{
    /// <summary>The summit's working calendar, on which planned progress is counted.</summary>
    public WorkingCalendar Calendar { get; init; } = WorkingCalendar.China2020;

    /// <summary>The summit's local date at <see cref="Now"/>.</summary>
    public LocalDate Today => Now.InZone(Due.Zone).Date;

    public ScheduleSignals(DueStates due, Instant now, ScheduleForecast? forecast)
        : this(due, now, forecast is null ? null : NegativeSlackOf(forecast).ToHashSet(StringComparer.Ordinal))
    {
    }

    public ScheduleSignals(DueStates due, Instant now, IEnumerable<string>? negativeSlack)
        : this(due, now, negativeSlack?.ToHashSet(StringComparer.Ordinal))
    {
    }

    /// <summary>The open tasks with negative slack, sorted by id: the one rule for "behind schedule".</summary>
    public static IReadOnlyList<string> NegativeSlackOf(ScheduleForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return [.. forecast.Tasks.Values.Where(t => t.Slack < 0).Select(t => t.Id).Order(StringComparer.Ordinal)];
    }

    public bool IsOverdue(PreparationTask task) => Due.Classify(task, Now).Kind == DueKind.Overdue;

    public bool HasNegativeSlack(PreparationTask task) => task.IsOpen && NegativeSlack?.Contains(task.Id) == true;
}

/// <summary>
/// The readiness score (0–100) of a county, a sub-forum and the summit as a whole: the one definition the dashboard
/// shows and the README documents.
/// </summary>
/// <remarks>
/// <para><b>Readiness score.</b> Each county, each sub-forum and the summit as a whole get a readiness score from 0 to
/// 100, with the reasons it is not 100. It blends three inputs, each measured from 0 to 1:</para>
/// <list type="table">
/// <item><term>Tasks, 50%</term><description>progress against the plan (<see cref="PlanProgress"/>): 1 minus how far the
/// earned progress of the unit's tasks is behind their planned progress by the end of yesterday (each task weighs its
/// planned working days; a done task counts 100%; cancelled and archived tasks are left out). A unit whose earned progress
/// is at least its planned progress gets the whole input, however little is done: work that is not yet due never counts
/// against it. A county's tasks are the tasks its county owns; a sub-forum's are those the caller links to it.</description></item>
/// <item><term>Checklist, 30%</term><description>for a county, the share of checklist items (venue, programme, guests,
/// epidemic prevention, publicity, logistics) marked Done over all its sub-events (a held sub-event counts as fully done,
/// a cancelled one or one set aside by the contingency plan is left out); for a sub-forum, how far it is through its pipeline up to "rehearsed"
/// (planned 0, programme set ¼, speakers confirmed ½, venue ready ¾, rehearsed, live or concluded 1); overall, the
/// average over the counties that have sub-events and all sub-forums, each counting once.</description></item>
/// <item><term>Schedule, 20%</term><description>starts at 1; each overdue task takes 0.2 and each other open task
/// with negative slack (projected to miss its due date) takes 0.1; it does not go below 0. So with all three inputs one
/// overdue task costs 4 points and one task behind schedule 2 points, and five overdue tasks use up the schedule's 20
/// points.</description></item>
/// </list>
/// <para>Tasks and sub-forums set aside by the contingency plan are left out everywhere, as if they did not exist.</para>
/// <para>An input that does not apply (no tasks, no sub-events) is left out and the others are scaled up to 100%; the
/// schedule input applies only where there are tasks. A unit with neither tasks nor a checklist scores 0
/// ("nothingPlanned"). The score is rounded to a whole number.</para>
/// <para>Reasons come schedule first (overdue, behind schedule), then checklist and stage, then tasks behind the plan, and
/// by points within each (equal points: the larger count first); each has a code, the count or item, the points it costs, and text in Chinese and English,
/// e.g. <c>{code: "overdueTasks", count: 3, zh: "3 项任务逾期", en: "3 overdue tasks"}</c> or
/// <c>{code: "checklistOpen", item: "epidemicPrevention", zh: "疫情防控方案未完成", en: "epidemic-prevention plan not done"}</c>.</para>
/// </remarks>
public static class Readiness
{
    public const double TaskWeight = 0.5;
    public const double ChecklistWeight = 0.3;
    public const double ScheduleWeight = 0.2;

    /// <summary>Share of the schedule input one overdue task takes.</summary>
    public const double OverduePenalty = 0.2;

    /// <summary>Share of the schedule input one open task with negative slack (and not yet overdue) takes.</summary>
    public const double NegativeSlackPenalty = 0.1;

    /// <summary>The stage at which a sub-forum counts as ready.</summary>
    public const SubForumStatus ReadyStage = SubForumStatus.Rehearsed;

    public static ReadinessScore ForCounty(CountyVenue county, IEnumerable<PreparationTask> tasks, ScheduleSignals signals)
    {
        ArgumentNullException.ThrowIfNull(county);
        var checklist = CountyChecklist(county);
        return Score("county", county.County, TaskInput(tasks, signals), checklist?.Fraction, checklist?.Reasons(1.0) ?? []);
    }

    public static ReadinessScore ForSubForum(SubForum forum, IEnumerable<PreparationTask> tasks, ScheduleSignals signals)
    {
        ArgumentNullException.ThrowIfNull(forum);
        var stage = StageFraction(forum.Status);
        var reasons = new List<Gap>();
        if (stage < 1) reasons.Add(new Gap("stageBehind", null, Camel(forum.Status), 1 - stage));
        return Score("subForum", forum.Id, TaskInput(tasks, signals), stage, reasons);
    }

    /// <summary>The whole summit: every task; the checklist input averages the counties' and sub-forums' checklist inputs.</summary>
    public static ReadinessScore Overall(
        IEnumerable<PreparationTask> tasks, IEnumerable<CountyVenue> counties, IEnumerable<SubForum> subForums, ScheduleSignals signals)
    {
        ArgumentNullException.ThrowIfNull(counties);
        ArgumentNullException.ThrowIfNull(subForums);
        // Summed in county order so the same summit gives the same doubles whatever order the caller lists counties in.
        var checklists = counties.OrderBy(c => c.County, StringComparer.Ordinal).Select(CountyChecklist).OfType<Checklist>().ToList();
        var stages = subForums.Where(f => !f.SetAside).OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => StageFraction(f.Status)).ToList();
        var units = checklists.Count + stages.Count;
        double? fraction = units == 0 ? null : (checklists.Sum(c => c.Fraction) + stages.Sum()) / units;

        var gaps = new List<Gap>();
        if (units > 0)
        {
            // Each unit weighs 1/units; sum the same item's gaps across counties.
            foreach (var item in Enum.GetValues<ChecklistItem>())
            {
                var open = checklists.Sum(c => c.OpenCount(item));
                if (open == 0) continue;
                var share = checklists.Sum(c => (double)c.OpenCount(item) / c.Total) / units;
                gaps.Add(new Gap("checklistOpen", open, Camel(item), share));
            }
            var notReady = stages.Count(s => s < 1);
            if (notReady > 0) gaps.Add(new Gap("subForumsNotReady", notReady, null, stages.Sum(s => 1 - s) / units));
        }
        return Score("overall", null, TaskInput(tasks, signals), fraction, gaps);
    }

    /// <summary>
    /// Scores for the summit, every county (its tasks are those owned by the county) and every sub-forum (its tasks are
    /// those <paramref name="subForumOf"/> maps to it; without it, sub-forums are scored on their stage alone).
    /// </summary>
    public static ReadinessReport Report(
        IEnumerable<PreparationTask> tasks,
        IEnumerable<CountyVenue> counties,
        IEnumerable<SubForum> subForums,
        ScheduleSignals signals,
        Func<PreparationTask, string?>? subForumOf = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(signals);
        var all = tasks.ToList();
        var countyList = counties.ToList();
        var forumList = subForums.Where(f => !f.SetAside).ToList();
        var byCounty = all.Where(t => t.Owner.Kind == UnitKind.County).ToLookup(t => t.Owner.Code, StringComparer.Ordinal);
        var byForum = subForumOf is null
            ? Enumerable.Empty<PreparationTask>().ToLookup(_ => "", StringComparer.Ordinal)
            : all.Select(t => (Task: t, Forum: subForumOf(t))).Where(x => x.Forum is not null).ToLookup(x => x.Forum!, x => x.Task, StringComparer.Ordinal);
        return new ReadinessReport(
            signals.Now,
            Overall(all, countyList, forumList, signals),
            [.. countyList.OrderBy(c => c.County, StringComparer.Ordinal).Select(c => ForCounty(c, byCounty[c.County], signals))],
            [.. forumList.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => ForSubForum(f, byForum[f.Id], signals))]);
    }

    /// <summary>Progress through the sub-forum pipeline up to <see cref="ReadyStage"/>, 0..1.</summary>
    public static double StageFraction(SubForumStatus status) =>
        Math.Clamp((double)status / (double)ReadyStage, 0, 1);

    private sealed record TaskFacts(double Fraction, PlanStanding Plan, int Overdue, int Behind);

    private static TaskFacts? TaskInput(IEnumerable<PreparationTask> tasks, ScheduleSignals signals)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(signals);
        var counted = tasks.Where(PlanProgress.Counts).ToList();
        if (counted.Count == 0) return null;
        int overdue = 0, behind = 0;
        foreach (var task in counted)
        {
            if (task.Status == WorkStatus.Done) continue;
            if (signals.IsOverdue(task)) overdue++;
            else if (signals.HasNegativeSlack(task)) behind++;
        }
        var plan = PlanProgress.Standing("", null, counted, signals.Today, signals.Calendar);
        return new TaskFacts(1 - Math.Max(0, -plan.Gap) / 100, plan, overdue, behind);
    }

    /// <summary>A shortfall of one input: <see cref="Share"/> of that input (0..1) is missing because of it.</summary>
    private sealed record Gap(string Code, int? Count, string? Item, double Share);

    private sealed class Checklist
    {
        private readonly Dictionary<ChecklistItem, int> _open = [];

        public int Total { get; private set; }
        public int Done { get; private set; }
        public double Fraction => (double)Done / Total;

        public int OpenCount(ChecklistItem item) => _open.GetValueOrDefault(item);

        public void Add(SubEvent subEvent)
        {
            foreach (var item in Enum.GetValues<ChecklistItem>())
            {
                Total++;
                var done = subEvent.Status == SubEventStatus.Held
                    || (subEvent.Checklist.TryGetValue(item, out var state) && state == ChecklistState.Done);
                if (done) Done++;
                else _open[item] = OpenCount(item) + 1;
            }
        }

        public List<Gap> Reasons(double unitShare) =>
            [.. _open.Select(o => new Gap("checklistOpen", o.Value, Camel(o.Key), unitShare * o.Value / Total))];
    }

    private static Checklist? CountyChecklist(CountyVenue county)
    {
        var checklist = new Checklist();
        foreach (var subEvent in county.SubEvents)
            if (subEvent.IsActive) checklist.Add(subEvent);
        return checklist.Total == 0 ? null : checklist;
    }

    private static ReadinessScore Score(string scope, string? key, TaskFacts? tasks, double? checklist, IReadOnlyList<Gap> checklistGaps)
    {
        double? schedule = null;
        var overdueShare = 0.0;
        var behindShare = 0.0;
        if (tasks is not null)
        {
            overdueShare = Math.Min(1, OverduePenalty * tasks.Overdue);
            behindShare = Math.Min(1 - overdueShare, NegativeSlackPenalty * tasks.Behind);
            schedule = 1 - overdueShare - behindShare;
        }

        var weights = (tasks is null ? 0 : TaskWeight) + (checklist is null ? 0 : ChecklistWeight) + (schedule is null ? 0 : ScheduleWeight);
        if (weights == 0)
            return new ReadinessScore(scope, key, 0, null, null, null,
                [new ReadinessReason("nothingPlanned", "尚无任务和子活动", "no tasks or sub-events yet", Points: 100)]);

        // Points per unit of each input, after scaling the inputs that apply up to 100.
        var taskPoints = TaskWeight / weights * 100;
        var checklistPoints = ChecklistWeight / weights * 100;
        var schedulePoints = ScheduleWeight / weights * 100;
        var total = (tasks?.Fraction * taskPoints ?? 0) + (checklist * checklistPoints ?? 0) + (schedule * schedulePoints ?? 0);

        var reasons = new List<ReadinessReason>();
        if (tasks is { Overdue: > 0 })
            reasons.Add(Reason("overdueTasks", tasks.Overdue, null, overdueShare * schedulePoints));
        if (tasks is { Behind: > 0 })
            reasons.Add(Reason("negativeSlack", tasks.Behind, null, behindShare * schedulePoints));
        if (checklist is not null)
            // Ordered by the points people see, so shares that differ only by floating-point noise never swap places.
            reasons.AddRange(checklistGaps.Select(g => Reason(g.Code, g.Count, g.Item, g.Share * checklistPoints))
                .OrderByDescending(r => r.Points).ThenByDescending(r => r.Count).ThenBy(r => r.Item, StringComparer.Ordinal));
        if (tasks is not null && tasks.Fraction < 1)
            reasons.Add(Reason("behindPlan", tasks.Plan.BehindTasks, null, (1 - tasks.Fraction) * taskPoints, -tasks.Plan.Gap));

        return new ReadinessScore(
            scope,
            key,
            (int)Math.Round(Math.Clamp(total, 0, 100), MidpointRounding.AwayFromZero),
            Percent(tasks?.Fraction),
            Percent(checklist),
            Percent(schedule),
            reasons)
        {
            PlannedPercent = tasks?.Plan.PlannedPercent,
            EarnedPercent = tasks?.Plan.EarnedPercent,
            Gap = tasks?.Plan.Gap,
            PlanStatus = tasks?.Plan.Status,
        };
    }

    private static int? Percent(double? fraction) =>
        fraction is { } f ? (int)Math.Round(f * 100, MidpointRounding.AwayFromZero) : null;

    private static ReadinessReason Reason(string code, int? count, string? item, double points, double gap = 0)
    {
        var (zh, en) = Text(code, count ?? 0, item, gap);
        return new ReadinessReason(code, zh, en, count, item, Math.Round(points, 1, MidpointRounding.AwayFromZero));
    }

    private static (string Zh, string En) Text(string code, int n, string? item, double gap) => code switch
    {
        "overdueTasks" => ($"{n} 项任务逾期", $"{n} overdue {Plural(n, "task")}"),
        "negativeSlack" => ($"{n} 项任务预计无法按期完成", $"{n} {Plural(n, "task")} projected to miss {(n == 1 ? "its" : "their")} due date"),
        "checklistOpen" => ChecklistText(item!, n),
        "stageBehind" => ($"子论坛尚未彩排（当前：{StageZh(item!)}）", $"not rehearsed yet (stage: {StageEn(item!)})"),
        "subForumsNotReady" => ($"{n} 个子论坛尚未彩排", $"{n} {Plural(n, "sub-forum")} not rehearsed yet"),
        "behindPlan" => ($"任务进度落后计划 {Points1(gap)} 个百分点（{n} 项任务落后）",
            $"tasks {Points1(gap)} points behind plan ({n} {Plural(n, "task")} behind)"),
        _ => (code, code),
    };

    private static (string Zh, string En) ChecklistText(string item, int subEvents)
    {
        var (zh, en) = item switch
        {
            "venue" => ("场地", "venue"),
            "programme" => ("议程", "programme"),
            "guests" => ("嘉宾邀请", "guest invitations"),
            "epidemicPrevention" => ("疫情防控方案", "epidemic-prevention plan"),
            "publicity" => ("宣传", "publicity"),
            "logistics" => ("会务保障", "logistics"),
            _ => (item, item),
        };
        return subEvents <= 1
            ? ($"{zh}未完成", $"{en} not done")
            : ($"{subEvents} 个子活动的{zh}未完成", $"{en} not done for {subEvents} sub-events");
    }

    private static string StageZh(string stage) => stage switch
    {
        "planned" => "筹划中",
        "programmeSet" => "议程已定",
        "speakersConfirmed" => "嘉宾已确认",
        "venueReady" => "会场就绪",
        _ => stage,
    };

    private static string StageEn(string stage) => stage switch
    {
        "planned" => "planned",
        "programmeSet" => "programme set",
        "speakersConfirmed" => "speakers confirmed",
        "venueReady" => "venue ready",
        _ => stage,
    };

    private static string Points1(double value) => value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string Plural(int n, string word) => n == 1 ? word : word + "s";

    private static string Camel<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
