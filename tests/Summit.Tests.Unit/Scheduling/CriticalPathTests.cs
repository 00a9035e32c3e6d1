using NodaTime;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Tests.Scheduling;

public sealed class CriticalPathTests
{
    private static LocalDate D(int month, int day) => new(2020, month, day);

    private static ScheduleTask T(string id, int days, LocalDate due, string? group = null, params string[] dependsOn) =>
        new(id, days, due, dependsOn, Group: group);

    // Monday 7 September 2020, weekends only. Working days: Mon 7, Tue 8, Wed 9, Thu 10, Fri 11, Mon 14, Tue 15,
    // Wed 16, Thu 17, Fri 18, Mon 21.
    //
    //   A (3d, due Fri 11) ─┬─> B (2d, due Wed 16) ─┬─> D (1d, due Fri 18)
    //                       └─> C (4d, due Fri 18) ─┘
    private static readonly LocalDate Today = D(9, 7);
    private static readonly LocalDate Opening = D(9, 21);

    private static ScheduleTask[] Diamond(int cDays = 4) =>
    [
        T("a", 3, D(9, 11), "county:ouhai"),
        T("b", 2, D(9, 16), "county:ouhai", "a"),
        T("c", cDays, D(9, 18), "county:ruian", "a"),
        T("d", 1, D(9, 18), "county:ruian", "b", "c"),
    ];

    [Fact]
    public void Forward_and_backward_passes_on_a_small_graph()
    {
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, Today, Diamond());

        // A: Mon 7–Wed 9. Latest finish = min(own due Fri 11, B's latest start Tue 15 − 1, C's latest start Mon 14 − 1) = Fri 11.
        Assert.Equal(new TaskSchedule("a", "county:ouhai", 3, D(9, 7), D(9, 9), D(9, 9), D(9, 11), 2, true), forecast.Tasks["a"]);
        // B: Thu 10–Fri 11. Latest finish = min(own due Wed 16, D's latest start Fri 18 − 1) = Wed 16: slack 3.
        Assert.Equal(new TaskSchedule("b", "county:ouhai", 2, D(9, 10), D(9, 11), D(9, 15), D(9, 16), 3, false), forecast.Tasks["b"]);
        // C: Thu 10–Tue 15. Latest finish = min(Fri 18, Fri 18 − 1) = Thu 17: slack 2.
        Assert.Equal(new TaskSchedule("c", "county:ruian", 4, D(9, 10), D(9, 15), D(9, 14), D(9, 17), 2, true), forecast.Tasks["c"]);
        // D: Wed 16 (after C). Latest finish = its due date Fri 18: slack 2.
        Assert.Equal(new TaskSchedule("d", "county:ruian", 1, D(9, 16), D(9, 16), D(9, 18), D(9, 18), 2, true), forecast.Tasks["d"]);

        Assert.Equal(["a", "c", "d"], forecast.CriticalPath);
        Assert.Equal(D(9, 16), forecast.ProjectedFinish);
        Assert.Equal(D(9, 16), forecast.PreparationFinish);
        Assert.False(forecast.OpeningAtRisk);
        Assert.Equal(0, forecast.NegativeSlackTasks);
        Assert.Equal(new GroupForecast("county:ouhai", 2, D(9, 11), 2), forecast.Groups["county:ouhai"]);
        Assert.Equal(new GroupForecast("county:ruian", 2, D(9, 16), 2), forecast.Groups["county:ruian"]);
    }

    [Fact]
    public void A_long_task_gives_negative_slack_along_its_chain_and_puts_the_opening_at_risk()
    {
        // C takes 7 days: Thu 10–Fri 18; D then Mon 21, after its due date (Fri 18), on the opening day.
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, Today, Diamond(cDays: 7));

        Assert.Equal(D(9, 18), forecast.Tasks["c"].EarliestFinish);
        Assert.Equal(D(9, 21), forecast.Tasks["d"].EarliestFinish);
        Assert.Equal(-1, forecast.Tasks["d"].Slack);
        // C must finish by Thu 17 (D starts Fri 18 at the latest), so with 7 days it must start by Wed 9: slack −1.
        Assert.Equal(D(9, 17), forecast.Tasks["c"].LatestFinish);
        Assert.Equal(D(9, 9), forecast.Tasks["c"].LatestStart);
        Assert.Equal(-1, forecast.Tasks["c"].Slack);
        // A must finish before C's latest start (Wed 9): by Tue 8, but it finishes Wed 9.
        Assert.Equal(D(9, 8), forecast.Tasks["a"].LatestFinish);
        Assert.Equal(-1, forecast.Tasks["a"].Slack);
        Assert.Equal(3, forecast.Tasks["b"].Slack);

        Assert.Equal(["a", "c", "d"], forecast.CriticalPath);
        Assert.Equal(3, forecast.NegativeSlackTasks);
        Assert.True(forecast.OpeningAtRisk);
        Assert.True(forecast.Groups["county:ruian"].AtRisk);
        Assert.True(forecast.Groups["county:ouhai"].AtRisk);
    }

    [Fact]
    public void Finished_tasks_constrain_nothing_and_leave_their_group_finished()
    {
        var tasks = Diamond();
        tasks[0] = tasks[0] with { Finished = true };
        tasks[1] = tasks[1] with { Finished = true };
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, Today, tasks);

        Assert.Equal(["c", "d"], forecast.Tasks.Keys.Order());
        Assert.Equal(D(9, 7), forecast.Tasks["c"].EarliestStart);  // A is done: C starts today
        Assert.Equal(D(9, 10), forecast.Tasks["c"].EarliestFinish);
        Assert.Equal(D(9, 11), forecast.Tasks["d"].EarliestFinish);
        Assert.Equal(new GroupForecast("county:ouhai", 0, null, null), forecast.Groups["county:ouhai"]);
        Assert.Equal(["c", "d"], forecast.CriticalPath);
    }

    [Fact]
    public void Work_is_scheduled_on_the_2020_working_calendar()
    {
        // From Wednesday 30 September: X (2 working days) takes 30 Sep and Fri 9 Oct, over the National Day holidays.
        // Y (2 days, after X) takes the make-up Saturday 10 Oct and Mon 12 Oct.
        var forecast = CriticalPath.Compute(WorkingCalendar.China2020, D(10, 18), D(9, 30),
        [
            T("x", 2, D(10, 9)),
            T("y", 2, D(10, 16), null, "x"),
        ]);

        Assert.Equal(new TaskSchedule("x", null, 2, D(9, 30), D(10, 9), D(9, 30), D(10, 9), 0, true), forecast.Tasks["x"]);
        // Y must finish by Fri 16 Oct, so start by Thu 15: four working days of slack (13, 14, 15, 16 Oct).
        Assert.Equal(new TaskSchedule("y", null, 2, D(10, 10), D(10, 12), D(10, 15), D(10, 16), 4, false), forecast.Tasks["y"]);
        Assert.Equal(["x"], forecast.CriticalPath);
        Assert.False(forecast.OpeningAtRisk);
    }

    [Fact]
    public void Tasks_already_past_their_due_date_have_negative_slack()
    {
        // Due Friday 4 September with 2 days left on Monday 7: finishes Tue 8, two working days late.
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, Today, [T("late", 2, D(9, 4))]);
        Assert.Equal(D(9, 8), forecast.Tasks["late"].EarliestFinish);
        Assert.Equal(D(9, 4), forecast.Tasks["late"].LatestFinish);
        Assert.Equal(D(9, 3), forecast.Tasks["late"].LatestStart);
        Assert.Equal(-2, forecast.Tasks["late"].Slack);
        Assert.False(forecast.OpeningAtRisk);
    }

    [Fact]
    public void Tasks_due_on_or_after_the_opening_do_not_put_the_opening_at_risk()
    {
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, Today,
        [
            T("prep", 2, D(9, 18)),
            T("report", 15, D(10, 30), null, "prep"),
        ]);
        Assert.Equal(D(9, 29), forecast.Tasks["report"].EarliestFinish);
        Assert.Equal(D(9, 29), forecast.ProjectedFinish);
        Assert.Equal(D(9, 8), forecast.PreparationFinish);
        Assert.False(forecast.OpeningAtRisk);
    }

    [Fact]
    public void A_task_with_nothing_left_finishes_when_its_prerequisites_do()
    {
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, Opening, D(9, 12), // a Saturday
        [
            T("sign-off", 0, D(9, 18)),
            T("work", 2, D(9, 18)),
            T("milestone", 0, D(9, 18), null, "work"),
        ]);
        Assert.Equal(D(9, 12), forecast.Tasks["sign-off"].EarliestFinish);
        Assert.Equal(D(9, 15), forecast.Tasks["work"].EarliestFinish);  // Mon 14 and Tue 15
        Assert.Equal(D(9, 15), forecast.Tasks["milestone"].EarliestFinish);
        Assert.Equal(D(9, 15), forecast.Tasks["milestone"].EarliestStart);
        Assert.Equal(3, forecast.Tasks["milestone"].Slack);
        Assert.Equal(["work", "milestone"], forecast.CriticalPath);
    }

    [Fact]
    public void A_cycle_is_refused_and_named()
    {
        var schedule = new CriticalPath(WorkingCalendar.WeekendsOnly, Opening,
        [
            T("a", 1, D(9, 18), null, "c"),
            T("b", 1, D(9, 18), null, "a"),
            T("c", 1, D(9, 18)),
        ]);

        var error = Assert.Throws<DependencyCycleException>(() => schedule.Upsert(T("c", 1, D(9, 18), null, "b")));
        Assert.Equal(["a", "c", "b"], error.Cycle);
        Assert.Contains("a → c → b → a", error.Message);

        // Nothing changed.
        Assert.Empty(schedule["c"]!.DependsOn);
        Assert.Equal(["c", "a", "b"], schedule.Compute(Today).CriticalPath);
    }

    [Fact]
    public void A_task_depending_on_itself_is_a_cycle()
    {
        var error = Assert.Throws<DependencyCycleException>(() => CriticalPath.Compute(
            WorkingCalendar.WeekendsOnly, Opening, Today, [T("solo", 1, D(9, 18), null, "solo")]));
        Assert.Equal(["solo"], error.Cycle);
    }

    [Fact]
    public void A_batch_with_a_cycle_is_refused_whole()
    {
        var schedule = new CriticalPath(WorkingCalendar.WeekendsOnly, Opening, [T("x", 1, D(9, 18))]);
        var error = Assert.Throws<DependencyCycleException>(() => schedule.UpsertRange(
        [
            T("p", 1, D(9, 18), null, "q", "x"),
            T("q", 1, D(9, 18), null, "r"),
            T("r", 1, D(9, 18), null, "p"),
        ]));
        Assert.Equal(["p", "q", "r"], error.Cycle);
        Assert.Equal(1, schedule.Count);
        Assert.False(schedule.Contains("p"));
    }

    [Fact]
    public void Cycles_are_found_among_preparation_tasks()
    {
        PreparationTask Task(string id, params string[] dependsOn) => new(
            "wyss-2020", id, id, TaskCategory.Plan, OwningUnit.Department("office"), null, new Deadline(D(7, 1)),
            WorkStatus.NotStarted, 0, false, dependsOn, 1, Instant.FromUtc(2020, 4, 1, 0, 0), Instant.FromUtc(2020, 4, 1, 0, 0), "secretariat");

        Assert.Null(DependencyGraph.FindCycle([Task("plan"), Task("budget", "plan"), Task("venue", "plan", "budget")]));
        Assert.Equal(["budget", "venue", "plan"],
            DependencyGraph.FindCycle([Task("plan", "budget"), Task("budget", "venue"), Task("venue", "plan")]));

        var errors = new Summit.Rules.FieldErrors();
        new DependencyCycleException(["budget", "venue", "plan"]).AddTo(errors);
        var refused = Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
        Assert.Equal("would create a dependency cycle: budget → venue → plan → budget.", refused.Errors["dependsOn"].Single());
    }

    [Fact]
    public void Unknown_prerequisites_are_reported_and_impose_nothing()
    {
        var schedule = new CriticalPath(WorkingCalendar.WeekendsOnly, Opening, [T("a", 2, D(9, 18), null, "ghost")]);
        var forecast = schedule.Compute(Today);
        Assert.Equal(["ghost"], forecast.UnknownPrerequisites);
        Assert.Equal(D(9, 7), forecast.Tasks["a"].EarliestStart);

        // Once it exists it counts.
        schedule.Upsert(T("ghost", 3, D(9, 18)));
        forecast = schedule.Compute(Today);
        Assert.Empty(forecast.UnknownPrerequisites);
        Assert.Equal(D(9, 10), forecast.Tasks["a"].EarliestStart);

        // Removed again: back to unknown.
        Assert.True(schedule.Remove("ghost"));
        forecast = schedule.Compute(Today);
        Assert.Equal(["ghost"], forecast.UnknownPrerequisites);
        Assert.Equal(D(9, 7), forecast.Tasks["a"].EarliestStart);
    }

    [Fact]
    public void Malformed_tasks_are_refused()
    {
        var schedule = new CriticalPath(WorkingCalendar.WeekendsOnly, Opening);
        var error = Assert.Throws<DomainValidationException>(() => schedule.Upsert(new ScheduleTask("", -1, D(9, 18), [""])));
        Assert.Equal(["tasks[0].dependsOn", "tasks[0].id", "tasks[0].remainingDays"], error.Errors.Keys.Order());
        Assert.Equal(0, schedule.Count);
    }

    [Fact]
    public void A_change_recomputes_only_what_it_reaches()
    {
        // Two independent chains of 500 tasks each.
        var tasks = new List<ScheduleTask>();
        for (var i = 0; i < 500; i++)
        {
            tasks.Add(T($"l{i}", 1, D(12, 31), "left", i == 0 ? [] : [$"l{i - 1}"]));
            tasks.Add(T($"r{i}", 1, D(12, 31), "right", i == 0 ? [] : [$"r{i - 1}"]));
        }
        var schedule = new CriticalPath(WorkingCalendar.WeekendsOnly, D(12, 31), tasks);
        schedule.Compute(Today);
        Assert.True(schedule.LastRecompute.Full);

        // A longer task near the end of the left chain: its 10 descendants forward, its 490 ancestors backward.
        schedule.Upsert(T("l489", 4, D(12, 31), "left", "l488"));
        var forecast = schedule.Compute(Today);
        Assert.Equal(new RecomputeStats(false, false, 11, 490), schedule.LastRecompute);
        AssertSame(Equivalent(tasks.Select(t => t.Id == "l489" ? t with { RemainingDays = 4 } : t), Today), forecast);

        // The same again changes nothing downstream.
        schedule.Upsert(T("l489", 4, D(12, 31), "left", "l488"));
        schedule.Compute(Today);
        Assert.Equal(new RecomputeStats(false, false, 1, 1), schedule.LastRecompute);

        // A dependency that respects the cached order keeps it; one against it rebuilds it.
        schedule.Upsert(T("r10", 1, D(12, 31), "right", "r9", "l5"));
        schedule.Compute(Today);
        Assert.False(schedule.LastRecompute.OrderRebuilt);
        schedule.Upsert(T("l0", 1, D(12, 31), "left", "r5"));
        schedule.Compute(Today);
        Assert.True(schedule.LastRecompute.OrderRebuilt);

        // A new day recomputes everything.
        schedule.Compute(Today.PlusDays(1));
        Assert.True(schedule.LastRecompute.Full);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Incremental_results_match_a_fresh_computation_after_every_change(int seed)
    {
        var random = new Random(seed);
        var calendar = WorkingCalendar.China2020;
        var opening = D(10, 18);
        var today = D(9, 1);
        var tasks = new Dictionary<string, ScheduleTask>();
        ScheduleTask Random(string id, int index)
        {
            // Dependencies only on lower numbers keep the initial graph acyclic.
            var deps = Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(Math.Max(1, index))).Where(d => d < index)
                .Select(d => $"t{d}").Append(random.Next(20) == 0 ? "missing" : null).OfType<string>().ToArray();
            return new ScheduleTask(id, random.Next(0, 8), D(9, 1).PlusDays(random.Next(0, 60)), deps,
                random.Next(6) == 0, $"g{random.Next(5)}");
        }
        for (var i = 0; i < 200; i++) tasks[$"t{i}"] = Random($"t{i}", i);
        var schedule = new CriticalPath(calendar, opening, tasks.Values);
        schedule.Compute(today);

        void TryUpsert(ScheduleTask candidate)
        {
            try
            {
                schedule.Upsert(candidate);
                tasks[candidate.Id] = candidate;
            }
            catch (DependencyCycleException error)
            {
                Assert.Contains(candidate.Id, error.Cycle);
            }
        }

        for (var step = 0; step < 150; step++)
        {
            var id = $"t{random.Next(230)}";
            switch (random.Next(6))
            {
                case 0 when tasks.ContainsKey(id):
                    schedule.Remove(id);
                    tasks.Remove(id);
                    break;
                case 1:
                    // Any dependencies at all: cycles must be refused and leave everything as it was.
                    var deps = Enumerable.Range(0, random.Next(3)).Select(_ => $"t{random.Next(230)}").ToArray();
                    TryUpsert(Random(id, 230) with { DependsOn = deps });
                    break;
                case 2:
                    today = today.PlusDays(1);
                    break;
                default:
                    TryUpsert(tasks.TryGetValue(id, out var existing)
                        ? existing with { RemainingDays = random.Next(0, 8), Finished = random.Next(5) == 0, Due = existing.Due.PlusDays(random.Next(-3, 4)) }
                        : Random(id, int.Parse(id[1..])));
                    break;
            }
            // Sometimes several changes pile up before the next compute.
            if (random.Next(3) == 0) continue;
            var incremental = schedule.Compute(today);
            var fresh = CriticalPath.Compute(calendar, opening, today, tasks.Values);
            AssertSame(fresh, incremental);
        }
    }

    private static ScheduleForecast Equivalent(IEnumerable<ScheduleTask> tasks, LocalDate today) =>
        CriticalPath.Compute(WorkingCalendar.WeekendsOnly, D(12, 31), today, tasks);

    private static void AssertSame(ScheduleForecast expected, ScheduleForecast actual)
    {
        Assert.Equal(expected.Tasks.OrderBy(t => t.Key), actual.Tasks.OrderBy(t => t.Key));
        Assert.Equal(expected.Groups.OrderBy(g => g.Key), actual.Groups.OrderBy(g => g.Key));
        Assert.Equal(expected.CriticalPath, actual.CriticalPath);
        Assert.Equal(expected.ProjectedFinish, actual.ProjectedFinish);
        Assert.Equal(expected.PreparationFinish, actual.PreparationFinish);
        Assert.Equal(expected.OpeningAtRisk, actual.OpeningAtRisk);
        Assert.Equal(expected.NegativeSlackTasks, actual.NegativeSlackTasks);
        Assert.Equal(expected.UnknownPrerequisites, actual.UnknownPrerequisites);
    }
}
