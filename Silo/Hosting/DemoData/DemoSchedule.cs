using Bogus;
using NodaTime;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Hosting.DemoData;

/// <summary>
/// Lays the demo tasks out on the calendar: a planned start and a length in working days that end on the due date
/// (sensible per category, never before the preparation start), progress that fits the plan as of the demo's today (most
/// units about on plan, two counties well behind), a few deliberate schedule conflicts, and a few tasks that belong to one
/// contingency plan. Uses its own random stream, so the rest of the plan stays as it was.
/// </summary>
public static class DemoSchedule
{
    /// <summary>Planned working days per category: (shortest, longest).</summary>
    private static readonly IReadOnlyDictionary<TaskCategory, (int Min, int Max)> Lengths = new Dictionary<TaskCategory, (int, int)>
    {
        [TaskCategory.Approval] = (5, 10),
        [TaskCategory.Plan] = (5, 15),
        [TaskCategory.Organisation] = (3, 8),
        [TaskCategory.Budget] = (5, 12),
        [TaskCategory.Logistics] = (5, 15),
        [TaskCategory.Office] = (2, 5),
        [TaskCategory.Venue] = (5, 20),
        [TaskCategory.Publicity] = (3, 10),
        [TaskCategory.EpidemicPrevention] = (5, 12),
        [TaskCategory.Contingency] = (3, 8),
        [TaskCategory.Partnership] = (5, 15),
        [TaskCategory.Awards] = (5, 10),
        [TaskCategory.Policy] = (5, 15),
    };

    /// <summary>Counties whose preparation lags well behind their plan in the demo.</summary>
    public static readonly IReadOnlySet<string> BehindCounties = new HashSet<string>(StringComparer.Ordinal) { "taishun", "dongtou" };

    /// <summary>How many prerequisites are planned to finish after a dependent's deadline.</summary>
    public const int Conflicts = 3;

    // Title fragments of tasks that belong to one contingency plan, and how many of each at most.
    private static readonly (string Fragment, SummitMode Plan, int Max)[] PlanTasks =
    [
        ("线上备份方案", SummitMode.Online, 2),
        ("境外嘉宾无法来华替代方案", SummitMode.Online, 1),
        ("分会场视频连线测试", SummitMode.Hybrid, 2),
        ("境内境外互动环节方案", SummitMode.Hybrid, 1),
        ("会场网络与直播条件测试", SummitMode.Hybrid, 1),
        ("线上会议平台方案", SummitMode.Hybrid, 1),
        ("境外嘉宾入境防疫对接", SummitMode.Offline, 1),
    ];

    internal static TaskPlan[] Lay(IReadOnlyList<TaskPlan> tasks, LocalDate asOf, LocalDate preparationStart, int seed)
    {
        var random = new Randomizer(unchecked(seed * 31 + 7));
        var calendar = WorkingCalendar.China2020;
        var yesterday = asOf.PlusDays(-1);
        var paces = new Dictionary<OwningUnit, double>();
        var planned = new Dictionary<SummitMode, int>();
        var result = new TaskPlan[tasks.Count];
        // Tasks a finished task waited for must stay finished.
        var heldDone = tasks.Where(t => t.Status == WorkStatus.Done).SelectMany(t => t.Draft.DependsOn ?? []).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var draft = task.Draft;
            var due = draft.Due.Date;
            var (min, max) = draft.Milestone ? (1, 3) : Lengths[draft.Category];
            var days = random.Number(min, max);
            // The work ends on the due date (its last working day on or before it), some of it with a little slack.
            var last = calendar.AddWorkingDays(calendar.PreviousWorkingDay(due), -random.Number(0, days / 3));
            var start = calendar.AddWorkingDays(last, -(days - 1));
            if (start < preparationStart)
            {
                start = calendar.NextWorkingDay(preparationStart);
                days = Math.Max(1, calendar.WorkingDaysBetween(start.PlusDays(-1), calendar.PreviousWorkingDay(due)));
            }
            if (start > due) start = due;
            draft = draft with { Start = start, DurationDays = days };

            var plan = PlanTasks.FirstOrDefault(p => draft.Title.Contains(p.Fragment, StringComparison.Ordinal));
            if (plan.Fragment is not null && planned.GetValueOrDefault(plan.Plan) < PlanTasks.Where(p => p.Plan == plan.Plan).Sum(p => p.Max))
            {
                planned[plan.Plan] = planned.GetValueOrDefault(plan.Plan) + 1;
                draft = draft with { Plan = plan.Plan };
            }

            // Progress as the plan would have it by yesterday, at the unit's pace.
            if (!paces.TryGetValue(draft.Owner, out var pace))
                paces[draft.Owner] = pace = draft.Owner.Kind == UnitKind.County && BehindCounties.Contains(draft.Owner.Code)
                    ? 0.2 + random.Double() * 0.15
                    : 0.9 + random.Double() * 0.25;
            var share = PlanProgress.Planned(start, days, due, yesterday, calendar);
            var status = task.Status;
            var percent = task.PercentComplete;
            if (status == WorkStatus.NotStarted && share >= 0.2 && pace >= 0.8)
                status = WorkStatus.InProgress;
            // A lagging county has not finished its recent work.
            if (status == WorkStatus.Done && pace < 0.8 && due >= asOf.PlusDays(-45) && !heldDone.Contains(task.Id))
                status = WorkStatus.InProgress;
            if (status == WorkStatus.InProgress)
                percent = Math.Clamp((int)Math.Round((share * pace + (random.Double() - 0.5) * 0.2) * 10) * 10, 10, 90);
            result[i] = task with { Draft = draft, Status = status, PercentComplete = percent };
        }
        AddConflicts(result, asOf, calendar);
        return result;
    }

    /// <summary>
    /// Makes a few open prerequisites, planned to start after today, long enough to finish three working days after their
    /// dependent's deadline: accepted, and shown as schedule conflicts (negative slack).
    /// </summary>
    private static void AddConflicts(TaskPlan[] tasks, LocalDate asOf, WorkingCalendar calendar)
    {
        var index = new Dictionary<string, int>(tasks.Length, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Length; i++) index[tasks[i].Id] = i;
        var used = new HashSet<int>();
        var made = 0;
        for (var j = 0; j < tasks.Length && made < Conflicts; j++)
        {
            var dependent = tasks[j];
            var due = dependent.Draft.Due.Date;
            if (due < asOf.PlusDays(10) || due > asOf.PlusDays(60) || dependent.Status is WorkStatus.Done or WorkStatus.Cancelled) continue;
            foreach (var id in dependent.Draft.DependsOn ?? [])
            {
                var i = index[id];
                var prerequisite = tasks[i];
                if (used.Contains(i) || prerequisite.Status != WorkStatus.NotStarted || prerequisite.Draft.Plan is not null
                    || prerequisite.Draft.Start is not { } start || start <= asOf) continue;
                var finish = calendar.AddWorkingDays(calendar.PreviousWorkingDay(due), 3);
                tasks[i] = prerequisite with
                {
                    Draft = prerequisite.Draft with { DurationDays = calendar.WorkingDaysBetween(start.PlusDays(-1), finish) },
                };
                used.Add(i);
                used.Add(j);
                made++;
                break;
            }
        }
    }
}
