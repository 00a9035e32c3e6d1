using CsCheck;
using NodaTime;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Tests.Scheduling;

public sealed class PlanProgressTests
{
    private static readonly Instant Created = Instant.FromUtc(2020, 4, 1, 0, 0);
    private static readonly WorkingCalendar China = WorkingCalendar.China2020;

    private static LocalDate D(int month, int day) => new(2020, month, day);

    private static PreparationTask Task(string id, LocalDate due, LocalDate? start = null, int? days = null,
        WorkStatus status = WorkStatus.NotStarted, int percent = 0, OwningUnit? owner = null, TaskCategory category = TaskCategory.Plan) =>
        new PreparationTask("s", id, id, category, owner ?? OwningUnit.County("ouhai"), null, new Deadline(due), status, percent, false, [], 1,
            Created, Created, "secretariat") { Start = start, DurationDays = days };

    [Fact]
    public void Planned_progress_is_linear_over_the_working_days_from_the_start()
    {
        // Monday 8 June 2020, 4 working days: Mon 8 – Thu 11.
        Assert.Equal(0, PlanProgress.Planned(D(6, 8), 4, D(6, 20), D(6, 7), China));
        Assert.Equal(0.25, PlanProgress.Planned(D(6, 8), 4, D(6, 20), D(6, 8), China));
        Assert.Equal(0.75, PlanProgress.Planned(D(6, 8), 4, D(6, 20), D(6, 10), China));
        Assert.Equal(1, PlanProgress.Planned(D(6, 8), 4, D(6, 20), D(6, 11), China));
        Assert.Equal(1, PlanProgress.Planned(D(6, 8), 4, D(6, 20), D(7, 30), China));
    }

    [Fact]
    public void Planned_progress_skips_weekends_holidays_and_counts_make_up_days()
    {
        // From Wednesday 24 June 2020 for 3 working days: Wed 24, then 25–27 June off (Dragon Boat), Sun 28 a make-up
        // working day, Mon 29.
        Assert.Equal(1 / 3.0, PlanProgress.Planned(D(6, 24), 3, D(6, 30), D(6, 27), China), 10);
        Assert.Equal(2 / 3.0, PlanProgress.Planned(D(6, 24), 3, D(6, 30), D(6, 28), China), 10);
        Assert.Equal(1, PlanProgress.Planned(D(6, 24), 3, D(6, 30), D(6, 29), China));
        // A start on a Saturday begins on the Monday after.
        Assert.Equal(0, PlanProgress.Planned(D(6, 13), 2, D(6, 30), D(6, 14), China));
        Assert.Equal(0.5, PlanProgress.Planned(D(6, 13), 2, D(6, 30), D(6, 15), China));
    }

    [Fact]
    public void Without_a_plan_a_task_is_planned_as_done_on_its_due_date()
    {
        Assert.Equal(0, PlanProgress.Planned(null, null, D(6, 12), D(6, 11), China));
        Assert.Equal(1, PlanProgress.Planned(null, null, D(6, 12), D(6, 12), China));
        // A duration alone: the last working days up to the due date (Thu 11, Fri 12).
        Assert.Equal(0, PlanProgress.Planned(null, 2, D(6, 12), D(6, 10), China));
        Assert.Equal(0.5, PlanProgress.Planned(null, 2, D(6, 12), D(6, 11), China));
        // A start alone: linear to the due date (Mon 8 – Fri 12, five working days).
        Assert.Equal(0.4, PlanProgress.Planned(D(6, 8), null, D(6, 12), D(6, 9), China));
        // Duration 0: done on its start day.
        Assert.Equal(0, PlanProgress.Planned(D(6, 10), 0, D(6, 12), D(6, 9), China));
        Assert.Equal(1, PlanProgress.Planned(D(6, 10), 0, D(6, 12), D(6, 10), China));
    }

    [Fact]
    public void Work_not_yet_due_never_counts_as_late()
    {
        // Today is Wednesday 10 June: planned counts to the end of Tuesday 9.
        var today = D(6, 10);
        var early = PlanProgress.Standing("county", "ouhai",
            [Task("a", D(6, 30), D(6, 22), 5), Task("b", D(9, 30)), Task("c", D(6, 10))], today, China);
        Assert.Equal((0.0, 0.0, 0.0, "onTrack", 0), (early.PlannedPercent, early.EarnedPercent, early.Gap, early.Status, early.BehindTasks));

        // 5 % done and nothing planned yet is on track; planned 50 % with 5 % done is far behind.
        var ahead = PlanProgress.Standing("county", "x", [Task("a", D(6, 30), D(6, 22), 5, WorkStatus.InProgress, 5)], today, China);
        Assert.Equal(("onTrack", 5.0), (ahead.Status, ahead.Gap));
        // Started Mon 8, 4 days: 2 of 4 done by Tuesday evening.
        var behind = PlanProgress.Standing("county", "x", [Task("a", D(6, 30), D(6, 8), 4, WorkStatus.InProgress, 5)], today, China);
        Assert.Equal((50.0, 5.0, -45.0, "farBehind", 1), (behind.PlannedPercent, behind.EarnedPercent, behind.Gap, behind.Status, behind.BehindTasks));
    }

    [Fact]
    public void Tasks_weigh_their_planned_days_and_cancelled_ones_are_left_out()
    {
        var today = D(6, 10);
        PreparationTask[] tasks =
        [
            // 8 days from Mon 1 June, 7 planned by Tue 9, done: weight 8.
            Task("long", D(6, 12), D(6, 1), 8, WorkStatus.Done, 100),
            // 2 days, due Fri 5, 50 %: weight 2, planned 1.
            Task("short", D(6, 5), null, 2, WorkStatus.InProgress, 50),
            Task("dropped", D(6, 1), status: WorkStatus.Cancelled),
        ];
        var standing = PlanProgress.Standing("overall", null, tasks, today, China);
        // Planned (8 × 7/8 + 2 × 1) / 10 = 90 %; earned (8 + 1) / 10 = 90 %.
        Assert.Equal((2, 90.0, 90.0, 0.0, "onTrack"), (standing.Tasks, standing.PlannedPercent, standing.EarnedPercent, standing.Gap, standing.Status));
        Assert.Equal("behind", PlanProgress.StatusOf(-5.1));
        Assert.Equal("onTrack", PlanProgress.StatusOf(-5));
        Assert.Equal("farBehind", PlanProgress.StatusOf(-15.1));
    }

    [Fact]
    public void The_report_ranks_units_worst_gap_first()
    {
        var today = D(6, 10);
        PreparationTask[] tasks =
        [
            Task("a", D(6, 5), owner: OwningUnit.County("ruian"), status: WorkStatus.Done, category: TaskCategory.Venue),
            Task("b", D(6, 5), owner: OwningUnit.County("ouhai"), status: WorkStatus.InProgress, percent: 20, category: TaskCategory.Budget),
            Task("c", D(6, 5), owner: OwningUnit.County("wencheng"), status: WorkStatus.InProgress, percent: 90) with { SubForum = "health" },
        ];
        var report = PlanProgress.Report(tasks, ["ruian", "ouhai", "wencheng", "longgang"], ["health", "quiet"], today, China);
        Assert.Equal(["ouhai", "wencheng", "ruian", "longgang"], report.Counties.Select(c => c.Key));
        Assert.Equal("noTasks", report.Counties[^1].Status);
        Assert.Equal(["health", "quiet"], report.SubForums.Select(f => f.Key));
        Assert.Equal(["budget", "plan", "venue"], report.Categories.Select(c => c.Key));
        Assert.Equal(-30.0, report.Overall.Gap, 1);
    }

    [Fact]
    public void The_planned_curve_rises_over_the_working_days_to_one_hundred()
    {
        // Two equal tasks: Mon 8 – Tue 9 June, and one done on Fri 12 June (its due date, no plan).
        PreparationTask[] tasks = [Task("a", D(6, 30), D(6, 8), 2), Task("b", D(6, 12)), Task("x", D(6, 9), status: WorkStatus.Cancelled)];
        var curve = PlanProgress.PlannedCurve(tasks, D(6, 6), D(6, 13), China);
        // Sat 6, Sun 7, Mon 8, Tue 9, Wed 10, Thu 11, Fri 12, Sat 13 (a weighs 2, b 1).
        Assert.Equal([0, 0, 33.3, 66.7, 66.7, 66.7, 100, 100], curve);
        // Matches the task-by-task definition on every day.
        for (var i = 0; i < curve.Length; i++)
        {
            var date = D(6, 6).PlusDays(i);
            var expected = (2 * PlanProgress.Planned(tasks[0], date, China) + PlanProgress.Planned(tasks[1], date, China)) / 3 * 100;
            Assert.Equal(Math.Round(expected, 1, MidpointRounding.AwayFromZero), curve[i]);
        }
    }

    [Fact]
    public void The_planned_curve_equals_the_task_by_task_sum_for_random_plans()
    {
        var from = D(4, 1);
        var to = D(7, 31);
        var gen = Gen.Select(Gen.Int[0, 100], Gen.Int[-1, 30], Gen.Int[0, 60], Gen.Bool)
            .Select(x => Task("t", from.PlusDays(x.Item1 + x.Item3), x.Item4 ? from.PlusDays(x.Item1) : null, x.Item2 < 0 ? null : x.Item2))
            .Array[1, 12];
        gen.Sample(tasks =>
        {
            var curve = PlanProgress.PlannedCurve(tasks, from, to, China);
            var total = tasks.Sum(PlanProgress.Weight);
            for (var i = 0; i < curve.Length; i += 7)
            {
                var date = from.PlusDays(i);
                var expected = tasks.Sum(t => PlanProgress.Weight(t) * PlanProgress.Planned(t, date, China)) / total * 100;
                if (Math.Abs(curve[i] - expected) > 0.051) return false;
            }
            return true;
        }, iter: 300);
    }

    [Fact]
    public void The_earned_curve_follows_the_recorded_changes()
    {
        PreparationTask[] tasks = [Task("a", D(6, 30), D(6, 8), 3, WorkStatus.Done, 100), Task("b", D(6, 30))];
        var history = new Dictionary<string, IReadOnlyList<ProgressChange>>
        {
            ["a"] = [new(D(6, 2), WorkStatus.NotStarted, 0), new(D(6, 4), WorkStatus.InProgress, 50), new(D(6, 6), WorkStatus.Done, null)],
            ["b"] = [new(D(6, 3), WorkStatus.NotStarted, 0)],
        };
        var curve = PlanProgress.EarnedCurve(tasks, history, D(6, 1), D(6, 7), D(6, 2));
        // a weighs 3, b 1: half of a is 37.5 %, all of a 75 %.
        Assert.Equal([null, 0, 0, 37.5, 37.5, 75, 75], curve);
    }

    [Fact]
    public void Remaining_work_comes_from_the_estimate_else_the_planned_length_else_one_day()
    {
        Assert.Equal(3, (Task("a", D(6, 30), null, 10, WorkStatus.InProgress, 50) with { RemainingDays = 3 }).EstimatedRemainingDays());
        Assert.Equal(5, Task("a", D(6, 30), null, 10, WorkStatus.InProgress, 50).EstimatedRemainingDays());
        Assert.Equal(3, Task("a", D(6, 30), null, 7, WorkStatus.InProgress, 60).EstimatedRemainingDays()); // 2.8 rounds up
        Assert.Equal(1, Task("a", D(6, 30), status: WorkStatus.InProgress, percent: 60).EstimatedRemainingDays());
        Assert.Equal(0, Task("a", D(6, 30), null, 7, WorkStatus.Done, 100).EstimatedRemainingDays());
    }

    [Fact]
    public void An_open_task_does_not_start_before_its_planned_start()
    {
        // Today Monday 8 June; a is planned from Mon 15 June for 3 days, b waits for a and takes 1 day.
        var a = Task("a", D(6, 30), D(6, 15), 3);
        var b = Task("b", D(6, 17), D(6, 8), 1) with { DependsOn = ["a"] };
        var forecast = CriticalPath.Compute(China, D(10, 18), D(6, 8), [ScheduleTask.From(a), ScheduleTask.From(b)]);
        Assert.Equal((D(6, 15), D(6, 17)), (forecast.Tasks["a"].EarliestStart, forecast.Tasks["a"].EarliestFinish));
        // b can start only on Thu 18, after its own due date of Wed 17: a schedule conflict with negative slack.
        Assert.Equal(D(6, 18), forecast.Tasks["b"].EarliestFinish);
        Assert.Equal(-1, forecast.Tasks["b"].Slack);
        Assert.True(forecast.Tasks["a"].Slack < 0);
        // A planned start in the past does not hold the task back: it starts today.
        var late = Task("c", D(6, 30), D(6, 1), 2);
        Assert.Equal(D(6, 8), CriticalPath.Compute(China, D(10, 18), D(6, 8), [ScheduleTask.From(late)]).Tasks["c"].EarliestStart);
    }

    [Fact]
    public void The_opening_is_at_risk_exactly_when_preparation_finishes_after_the_day_before()
    {
        var opening = D(7, 20);
        var today = D(6, 1);
        var gen = Gen.Select(Gen.Int[0, 45], Gen.Int[0, 30], Gen.Int[-1, 40], Gen.Int[0, 3])
            .Array[1, 25];
        gen.Sample(specs =>
        {
            var tasks = specs.Select((s, i) => new ScheduleTask(
                $"t{i}", s.Item2, today.PlusDays(s.Item1), i > 0 && s.Item4 > 0 ? [$"t{(i * 7 + s.Item4) % i}"] : [],
                Start: s.Item3 < 0 ? null : today.PlusDays(s.Item3))).ToList();
            var forecast = CriticalPath.Compute(China, opening, today, tasks);
            var expected = forecast.PreparationFinish is { } finish && finish > opening.PlusDays(-1);
            return forecast.OpeningAtRisk == expected
                && forecast.OpeningAtRisk == ScheduleForecast.IsOpeningAtRisk(forecast.PreparationFinish, opening)
                && (forecast.PreparationFinish is null || forecast.PreparationFinish >= today);
        }, iter: 300);

        Assert.True(ScheduleForecast.IsOpeningAtRisk(D(7, 20), opening));
        Assert.True(ScheduleForecast.IsOpeningAtRisk(D(7, 22), opening));
        Assert.False(ScheduleForecast.IsOpeningAtRisk(D(7, 19), opening));
        Assert.False(ScheduleForecast.IsOpeningAtRisk(null, opening));
    }
}
