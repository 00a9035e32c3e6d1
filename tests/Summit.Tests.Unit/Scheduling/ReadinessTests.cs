using System.Text.Json;
using NodaTime;
using NodaTime.Testing;
using Summit.Domain;
using Summit.Scheduling;
using Summit.Serialization;

namespace Summit.Tests.Scheduling;

public sealed class ReadinessTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    // 10:00 on Monday 15 June 2020 in Wenzhou.
    private static readonly FakeClock Clock = new(Instant.FromUtc(2020, 6, 15, 2, 0));
    private static readonly Instant Created = Instant.FromUtc(2020, 4, 1, 0, 0);

    private static LocalDate D(int month, int day) => new(2020, month, day);

    private static PreparationTask Task(string id, OwningUnit owner, WorkStatus status, int percent, LocalDate due) => new(
        "wyss-2020", id, id, TaskCategory.Plan, owner, null, new Deadline(due), status, percent, false, [], 1, Created, Created, "secretariat");

    private static readonly OwningUnit Ouhai = OwningUnit.County("ouhai");

    // Ouhai: one done task, one half done and overdue (due 12 June), one not started (due 30 June), one cancelled and
    // overdue (left out). Plus a secretariat task, done, that only the overall score sees.
    private static readonly PreparationTask[] Tasks =
    [
        Task("t1", Ouhai, WorkStatus.Done, 100, D(6, 10)),
        Task("t2", Ouhai, WorkStatus.InProgress, 50, D(6, 12)),
        Task("t3", Ouhai, WorkStatus.NotStarted, 0, D(6, 30)),
        Task("t4", Ouhai, WorkStatus.Cancelled, 0, D(6, 1)),
        Task("t5", OwningUnit.Department("office"), WorkStatus.Done, 100, D(6, 1)),
    ];

    private static SubEvent SubEvent(string id, SubEventStatus status, params (ChecklistItem Item, ChecklistState State)[] checklist) => new(
        id, id, D(10, 17), null, status, checklist.ToDictionary(c => c.Item, c => c.State), 1, new LastUpdate("ouhai", Created, null));

    private static CountyVenue County(string code, params SubEvent[] subEvents) =>
        new("wyss-2020", code, code, "venue", null, subEvents, 1, new LastUpdate(code, Created, null));

    // Four of six items done: epidemic prevention open, publicity in progress.
    private static readonly CountyVenue OuhaiVenue = County("ouhai", SubEvent("ouhai-forum", SubEventStatus.Preparing,
        (ChecklistItem.Venue, ChecklistState.Done),
        (ChecklistItem.Programme, ChecklistState.Done),
        (ChecklistItem.Guests, ChecklistState.Done),
        (ChecklistItem.EpidemicPrevention, ChecklistState.Open),
        (ChecklistItem.Publicity, ChecklistState.InProgress),
        (ChecklistItem.Logistics, ChecklistState.Done)));

    private static SubForum Forum(string id, SubForumStatus status) => new(
        "wyss-2020", id, id, "wmu", D(10, 18), new LocalTime(9, 0), new LocalTime(12, 0), "venue", EventFormat.Hybrid, [], status, 1, Created, "wmu");

    private static ScheduleSignals Signals(ScheduleForecast? forecast = null) =>
        new(new DueStates(Shanghai), Clock.GetCurrentInstant(), forecast);

    [Fact]
    public void The_weights_add_up_to_one()
    {
        Assert.Equal(1.0, Readiness.TaskWeight + Readiness.ChecklistWeight + Readiness.ScheduleWeight, 10);
    }

    [Fact]
    public void A_county_blends_tasks_checklist_and_schedule()
    {
        var score = Readiness.ForCounty(OuhaiVenue, Tasks.Where(t => t.Owner == Ouhai), Signals());

        // Against the plan by the end of Sunday 14 June (unplanned tasks are planned as done on their due date): t1 and t2
        // planned done, t3 (due 30 June) not yet: planned 2/3 = 66.7 %, earned (100 + 50 + 0) / 3 = 50 %, 16.7 points
        // behind: tasks 1 − 0.167 = 83.3 %, 41.65 points. Checklist 4/6: 20 points. Schedule 1 − 0.2 (one overdue): 16 points.
        Assert.Equal(78, score.Score);
        Assert.Equal((83, 67, 80), (score.TaskPercent, score.ChecklistPercent, score.SchedulePercent));
        Assert.Equal((66.7, 50.0, -16.7, "farBehind"), (score.PlannedPercent, score.EarnedPercent, score.Gap, score.PlanStatus));
        Assert.Equal(
            [
                new ReadinessReason("overdueTasks", "1 项任务逾期", "1 overdue task", 1, null, 4.0),
                new ReadinessReason("checklistOpen", "疫情防控方案未完成", "epidemic-prevention plan not done", 1, "epidemicPrevention", 5.0),
                new ReadinessReason("checklistOpen", "宣传未完成", "publicity not done", 1, "publicity", 5.0),
                new ReadinessReason("behindPlan", "任务进度落后计划 16.7 个百分点（1 项任务落后）", "tasks 16.7 points behind plan (1 task behind)", 1, null, 8.4),
            ],
            score.Reasons);
    }

    [Fact]
    public void Work_that_is_not_yet_due_does_not_cost_points()
    {
        // Planned from Monday 22 June for 5 working days, 5 % done on 15 June: ahead of the plan.
        var early = Task("t9", Ouhai, WorkStatus.InProgress, 5, D(6, 30)) with { Start = D(6, 22), DurationDays = 5 };
        var score = Readiness.ForCounty(OuhaiVenue, [early], Signals());
        Assert.Equal((100, 0.0, 5.0, "onTrack"), (score.TaskPercent, score.PlannedPercent, score.EarnedPercent, score.PlanStatus));
        Assert.DoesNotContain(score.Reasons, r => r.Code == "behindPlan");
        // Started on Monday 8 June for 10 days: 5 of 10 planned by Friday 12 June, and only 5 % done.
        var late = early with { Start = D(6, 8), DurationDays = 10 };
        var behind = Readiness.ForCounty(OuhaiVenue, [late], Signals());
        Assert.Equal((55, 50.0, -45.0, "farBehind"), (behind.TaskPercent, behind.PlannedPercent, behind.Gap, behind.PlanStatus));
        Assert.Equal("behindPlan", behind.Reasons[^1].Code);
    }

    [Fact]
    public void Negative_slack_from_the_schedule_costs_points_too()
    {
        // t3 needs 20 working days but only 12 remain before 30 June; t2 is already counted as overdue.
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, D(10, 18), D(6, 15),
            [ScheduleTask.From(Tasks[1], 2), ScheduleTask.From(Tasks[2], 20)]);
        Assert.Equal(-8, forecast.Tasks["t3"].Slack);

        var score = Readiness.ForCounty(OuhaiVenue, Tasks.Where(t => t.Owner == Ouhai), Signals(forecast));
        Assert.Equal(76, score.Score); // 41.65 + 20 + (1 − 0.2 − 0.1) × 20
        Assert.Equal(70, score.SchedulePercent);
        Assert.Equal(new ReadinessReason("negativeSlack", "1 项任务预计无法按期完成", "1 task projected to miss its due date", 1, null, 2.0), score.Reasons[1]);
    }

    [Fact]
    public void The_ids_of_tasks_with_negative_slack_score_as_the_forecast_does()
    {
        var forecast = CriticalPath.Compute(WorkingCalendar.WeekendsOnly, D(10, 18), D(6, 15),
            [ScheduleTask.From(Tasks[1], 2), ScheduleTask.From(Tasks[2], 20)]);
        // t2 is behind too (but counted as overdue); what travels between grains is the ids.
        Assert.Equal(["t2", "t3"], ScheduleSignals.NegativeSlackOf(forecast));
        var ids = new ScheduleSignals(new DueStates(Shanghai), Clock.GetCurrentInstant(), ScheduleSignals.NegativeSlackOf(forecast));

        var fromForecast = Readiness.ForCounty(OuhaiVenue, Tasks.Where(t => t.Owner == Ouhai), Signals(forecast));
        var fromIds = Readiness.ForCounty(OuhaiVenue, Tasks.Where(t => t.Owner == Ouhai), ids);
        Assert.Equal(76, fromIds.Score);
        Assert.Equal(fromForecast.Reasons, fromIds.Reasons);
        // A task closed since the schedule was computed is not behind any more.
        var done = Tasks.Select(t => t.Id == "t3" ? t with { Status = WorkStatus.Done, PercentComplete = 100 } : t).Where(t => t.Owner == Ouhai);
        Assert.DoesNotContain(Readiness.ForCounty(OuhaiVenue, done, ids).Reasons, r => r.Code == "negativeSlack");
    }

    [Fact]
    public void Tasks_and_sub_forums_set_aside_by_the_contingency_plan_are_left_out()
    {
        var forums = new[] { Forum("health-vision", SubForumStatus.SpeakersConfirmed), Forum("remote", SubForumStatus.Planned) with { SetAside = true } };
        // Overdue and not started: it would cost points if it counted.
        var setAside = Task("t6", Ouhai, WorkStatus.NotStarted, 0, D(6, 1)) with { SetAside = true };

        var with = Readiness.Report([.. Tasks, setAside], [OuhaiVenue], forums, Signals(), t => t.Id == "t6" ? "health-vision" : null);
        var without = Readiness.Report(Tasks, [OuhaiVenue], forums.Take(1), Signals());

        Assert.Equal(without.Overall.Score, with.Overall.Score);
        Assert.Equal(without.Overall.Reasons, with.Overall.Reasons);
        Assert.Equal(without.Counties[0].Score, with.Counties[0].Score);
        Assert.Equal(without.Counties[0].Reasons, with.Counties[0].Reasons);
        var forum = Assert.Single(with.SubForums);
        Assert.Equal(("health-vision", 50, (int?)null), (forum.Key, forum.Score, forum.TaskPercent));
    }

    [Fact]
    public void A_sub_forum_without_tasks_is_scored_on_its_stage()
    {
        var behind = Readiness.ForSubForum(Forum("health-vision", SubForumStatus.SpeakersConfirmed), [], Signals());
        Assert.Equal(
            ("subForum", "health-vision", 50, (int?)null, (int?)50, (int?)null),
            (behind.Scope, behind.Key, behind.Score, behind.TaskPercent, behind.ChecklistPercent, behind.SchedulePercent));
        Assert.Equal(
            [new ReadinessReason("stageBehind", "子论坛尚未彩排（当前：嘉宾已确认）", "not rehearsed yet (stage: speakers confirmed)", null, "speakersConfirmed", 50.0)],
            behind.Reasons);

        var rehearsed = Readiness.ForSubForum(Forum("health-regenerative", SubForumStatus.Rehearsed), [], Signals());
        Assert.Equal(100, rehearsed.Score);
        Assert.Empty(rehearsed.Reasons);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1, 1, 1], Enum.GetValues<SubForumStatus>().Select(Readiness.StageFraction));
    }

    [Fact]
    public void The_overall_score_covers_every_task_and_averages_the_checklists()
    {
        var forums = new[] { Forum("health-vision", SubForumStatus.SpeakersConfirmed), Forum("un-poverty", SubForumStatus.Rehearsed) };
        var overall = Readiness.Overall(Tasks, [OuhaiVenue], forums, Signals());

        // Tasks: planned 3/4 = 75 % (t3 is not due yet), earned (100 + 50 + 0 + 100) / 4 = 62.5 %, 12.5 points behind:
        // 87.5 %, 43.75 points. Checklist (4/6 + 1/2 + 1) / 3 = 72.2%: 21.67. Schedule 16. Total 81.4.
        Assert.Equal(81, overall.Score);
        Assert.Equal(
            [
                new ReadinessReason("overdueTasks", "1 项任务逾期", "1 overdue task", 1, null, 4.0),
                new ReadinessReason("subForumsNotReady", "1 个子论坛尚未彩排", "1 sub-forum not rehearsed yet", 1, null, 5.0),
                new ReadinessReason("checklistOpen", "疫情防控方案未完成", "epidemic-prevention plan not done", 1, "epidemicPrevention", 1.7),
                new ReadinessReason("checklistOpen", "宣传未完成", "publicity not done", 1, "publicity", 1.7),
                new ReadinessReason("behindPlan", "任务进度落后计划 12.5 个百分点（1 项任务落后）", "tasks 12.5 points behind plan (1 task behind)", 1, null, 6.3),
            ],
            overall.Reasons);
    }

    [Fact]
    public void The_report_groups_tasks_by_county_and_by_the_callers_sub_forum_mapping()
    {
        var forums = new[] { Forum("un-poverty", SubForumStatus.Rehearsed), Forum("health-vision", SubForumStatus.SpeakersConfirmed) };
        var report = Readiness.Report(Tasks, [OuhaiVenue, County("longgang")], forums, Signals(),
            task => task.Id == "t3" ? "health-vision" : null);

        Assert.Equal(Clock.GetCurrentInstant(), report.AsOf);
        Assert.Equal(81, report.Overall.Score);
        Assert.Equal(["longgang", "ouhai"], report.Counties.Select(c => c.Key));
        Assert.Equal(78, report.Counties[1].Score);
        // Longgang has nothing yet.
        Assert.Equal(0, report.Counties[0].Score);
        Assert.Equal("nothingPlanned", Assert.Single(report.Counties[0].Reasons).Code);
        // health-vision has t3 (0 %, not due yet, so on plan) and is half way to rehearsal: 1 × 50 + 0.5 × 30 + 1 × 20.
        Assert.Equal(["health-vision", "un-poverty"], report.SubForums.Select(f => f.Key));
        Assert.Equal(85, report.SubForums[0].Score);
        Assert.Equal((0.0, 0.0, "onTrack"), (report.SubForums[0].PlannedPercent, report.SubForums[0].EarnedPercent, report.SubForums[0].PlanStatus));
        Assert.Equal(100, report.SubForums[1].Score);
    }

    [Fact]
    public void Held_sub_events_count_as_done_and_cancelled_ones_are_left_out()
    {
        var county = County("wencheng",
            SubEvent("held", SubEventStatus.Held),
            SubEvent("dropped", SubEventStatus.Cancelled));
        var score = Readiness.ForCounty(county, [], Signals());
        Assert.Equal(100, score.Score);
        Assert.Empty(score.Reasons);
    }

    [Fact]
    public void The_same_open_item_in_several_sub_events_is_one_reason()
    {
        var county = County("ruian",
            SubEvent("a", SubEventStatus.Preparing, (ChecklistItem.Venue, ChecklistState.Done)),
            SubEvent("b", SubEventStatus.Preparing, (ChecklistItem.Venue, ChecklistState.Done)));
        var score = Readiness.ForCounty(county, [], Signals());

        // 2 of 12 items done; every other item is open in both sub-events.
        Assert.Equal(17, score.Score);
        Assert.Equal(5, score.Reasons.Count);
        Assert.Contains(new ReadinessReason("checklistOpen", "2 个子活动的疫情防控方案未完成", "epidemic-prevention plan not done for 2 sub-events", 2, "epidemicPrevention", 16.7), score.Reasons);
    }

    [Fact]
    public void Reasons_keep_their_order_whatever_order_the_counties_come_in()
    {
        // Publicity and logistics cost exactly 7/36 of the checklist each; summed in different orders the two doubles
        // differ in their last bits. Equal points go to the item open in more sub-events, here publicity (4 against 3).
        static SubEvent Open(string id, params ChecklistItem[] open) => SubEvent(id, SubEventStatus.Preparing,
            [.. Enum.GetValues<ChecklistItem>().Select(i => (i, open.Contains(i) ? ChecklistState.Open : ChecklistState.Done))]);
        var a = County("a", Open("a1", ChecklistItem.Publicity, ChecklistItem.Logistics), Open("a2"));
        var b = County("b", Open("b1", ChecklistItem.Publicity, ChecklistItem.Logistics), Open("b2", ChecklistItem.Logistics), Open("b3"));
        var c = County("c", Open("c1", ChecklistItem.Publicity), Open("c2", ChecklistItem.Publicity), Open("c3"), Open("c4"), Open("c5"), Open("c6"));

        CountyVenue[][] orders = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]];
        var reasons = orders.Select(o => Readiness.Overall([], o, [], Signals()).Reasons).ToList();

        Assert.Equal(["publicity", "logistics"], reasons[0].Select(r => r.Item));
        Assert.Equal(reasons[0].Select(r => r.Points).Distinct(), [6.5]);
        Assert.All(reasons, r => Assert.Equal(reasons[0], r));
    }

    [Fact]
    public void Reasons_serialize_in_the_api_shape()
    {
        var score = Readiness.ForCounty(OuhaiVenue, Tasks.Where(t => t.Owner == Ouhai), Signals());
        var json = JsonSerializer.Serialize(score, SummitJson.Options);
        Assert.Contains("{\"code\":\"overdueTasks\",\"zh\":\"1 项任务逾期\",\"en\":\"1 overdue task\",\"count\":1,\"points\":4}", json);
        Assert.Contains("\"item\":\"epidemicPrevention\"", json);
    }
}
