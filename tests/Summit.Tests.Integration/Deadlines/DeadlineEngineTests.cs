using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Scheduling;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Deadlines;

/// <summary>
/// The deadline engine through the grains: tasks reach it through the change listener, time comes from the cluster's
/// <see cref="NodaTime.Testing.FakeClock"/>, and reconciliation is fired by hand where a reminder tick would come.
/// </summary>
[Collection("cluster")]
public sealed class DeadlineEngineTests(ClusterFixture fixture) : IDisposable
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    public void Dispose() => fixture.ResetClock();

    private static Instant Local(int month, int day, int hour, int minute = 0, int second = 0) =>
        new LocalDateTime(2020, month, day, hour, minute, second).InZoneStrictly(Shanghai).ToInstant();

    private static TaskDraft Draft(Deadline due, string title = "task", OwningUnit? owner = null, params string[] dependsOn) =>
        new(title, TaskCategory.Logistics, owner ?? OwningUnit.County("pingyang"), due, DependsOn: dependsOn);

    private static Deadline Due(int month, int day, int? hour = null) =>
        new(new LocalDate(2020, month, day), hour is { } h ? new LocalTime(h, 0) : null);

    private IPreparationTaskGrain TaskGrain(SummitEdition summit, string id) =>
        fixture.Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit.Code, id));

    private IDeadlinesGrain Engine(SummitEdition summit) => fixture.Grains.GetGrain<IDeadlinesGrain>(summit.Code);

    private static IReadOnlyList<(string Task, DueKind Kind, int? Lead)> Keys(IEnumerable<DueAnnouncementRecord> records) =>
        [.. records.Select(r => (r.TaskId, r.Kind, r.LeadDays)).OrderBy(k => k.TaskId, StringComparer.Ordinal).ThenBy(k => k.Kind).ThenBy(k => k.LeadDays)];

    [Fact]
    public async Task A_due_date_ends_at_midnight_in_the_summit_zone_and_a_timed_deadline_at_its_time()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-date").Create(Draft(Due(6, 12)), Secretariat);
        await TaskGrain(summit, "t-timed").Create(Draft(Due(6, 12, 17)), Secretariat);
        var engine = Engine(summit);

        // 23:59:59 on the due date in Wenzhou is 15:59:59 UTC: still due today, not late.
        fixture.Clock.Reset(Local(6, 12, 23, 59, 59));
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        Assert.Equal(DueKind.DueToday, (await engine.GetAnnouncements("t-date"))[^1].Kind);
        await fixture.SettleAsync(summit.Code);
        var timed = await engine.GetAnnouncements("t-timed");
        Assert.Equal((DueKind.Overdue, Local(6, 12, 17)), (timed[^1].Kind, timed[^1].StateSince));

        fixture.Clock.Advance(Duration.FromSeconds(1));
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        var overdue = (await engine.GetAnnouncements("t-date"))[^1];
        Assert.Equal(("t-date", DueKind.Overdue), (overdue.TaskId, overdue.Kind));
        Assert.Equal(Instant.FromUtc(2020, 6, 12, 16, 0), overdue.StateSince);
        Assert.Equal(fixture.Clock.GetCurrentInstant(), overdue.AnnouncedAt);
    }

    [Fact]
    public async Task Due_soon_is_announced_at_nine_local_three_days_and_one_day_ahead()
    {
        var summit = await fixture.CreateSummitAsync();
        fixture.Clock.Reset(Local(6, 12, 8, 59));
        await TaskGrain(summit, "t-1").Create(Draft(Due(6, 15)), Secretariat);
        var engine = Engine(summit);

        Assert.Empty((await engine.Reconcile()).Announced);
        Assert.Equal(Local(6, 12, 9), (await engine.Reconcile()).NextChange);

        fixture.Clock.Reset(Local(6, 12, 9));
        Assert.Equal((DueKind.DueSoon, 3, Local(6, 12, 9)), await LatestAsync());
        fixture.Clock.Reset(Local(6, 14, 9));
        Assert.Equal((DueKind.DueSoon, 1, Local(6, 14, 9)), await LatestAsync());
        fixture.Clock.Reset(Local(6, 15, 9));
        Assert.Equal((DueKind.DueToday, null, Local(6, 15, 9)), await LatestAsync());
        Assert.Equal(Local(6, 16, 0), (await engine.Reconcile()).NextChange);
        await fixture.SettleAsync(summit.Code);
        Assert.Equal(3, (await engine.GetAnnouncements()).Count);

        async Task<(DueKind, int?, Instant)> LatestAsync()
        {
            await fixture.SettleAsync(summit.Code);
            await engine.Reconcile();
            await fixture.SettleAsync(summit.Code);
            var record = (await engine.GetAnnouncements("t-1"))[^1];
            return (record.Kind, record.LeadDays, record.StateSince);
        }
    }

    [Fact]
    public async Task A_silo_down_for_two_days_announces_what_became_due_meanwhile_exactly_once()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-a").Create(Draft(Due(6, 11)), Secretariat);
        await TaskGrain(summit, "t-b").Create(Draft(Due(6, 12)), Secretariat);
        await TaskGrain(summit, "t-c").Create(Draft(Due(6, 20)), Secretariat);
        await TaskGrain(summit, "t-done").Create(Draft(Due(6, 11)), Secretariat);
        await TaskGrain(summit, "t-done").Change(new TaskChange(Status: WorkStatus.Done), Secretariat);
        var engine = Engine(summit);

        // 10 June, 09:00: t-a is due in one day, t-b in two (inside the three-day lead).
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        Assert.Equal([("t-a", DueKind.DueSoon, 1), ("t-b", DueKind.DueSoon, 3)], Keys(await engine.GetAnnouncements()));

        // The silo is down until 12 June, 09:00; the engine is reactivated from storage, as after a restart.
        fixture.Clock.Advance(Duration.FromDays(2));
        await Reactivate(fixture.Grains);
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        // Ticks replayed or doubled after the restart change nothing.
        Assert.Empty((await engine.Reconcile()).Announced);
        await Reactivate(fixture.Grains);
        Assert.Empty((await engine.Reconcile()).Announced);

        await fixture.SettleAsync(summit.Code);
        var all = await engine.GetAnnouncements();
        // Whatever the background timer did in between, each state was announced once: t-a's due-today (11 June)
        // was missed while down and is collapsed into overdue; t-b's one-day lead likewise into due today.
        Assert.Equal(
            [("t-a", DueKind.DueSoon, 1), ("t-a", DueKind.Overdue, null), ("t-b", DueKind.DueSoon, 3), ("t-b", DueKind.DueToday, null)],
            Keys(all));
        var late = all.Where(r => r.AnnouncedAt == fixture.Clock.GetCurrentInstant()).ToArray();
        Assert.Equal([("t-a", DueKind.Overdue, null), ("t-b", DueKind.DueToday, null)], Keys(late));
        Assert.Equal(Local(6, 12, 0), all.Single(r => r is { TaskId: "t-a", Kind: DueKind.Overdue }).StateSince);
    }

    [Fact]
    public async Task A_moved_deadline_starts_over_and_a_closed_task_announces_nothing()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-1").Create(Draft(Due(6, 9)), Secretariat);
        var engine = Engine(summit);
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        Assert.Equal([("t-1", DueKind.Overdue, null)], Keys(await engine.GetAnnouncements()));

        await TaskGrain(summit, "t-1").Change(new TaskChange(Due: Due(6, 11)), Secretariat);
        await fixture.SettleAsync(summit.Code);
        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        var records = await engine.GetAnnouncements("t-1");
        Assert.Equal((DueKind.DueSoon, 1, Due(6, 11)), (records[^1].Kind, records[^1].LeadDays, records[^1].Deadline));

        await TaskGrain(summit, "t-1").Change(new TaskChange(Status: WorkStatus.Done), Secretariat);
        fixture.Clock.Advance(Duration.FromDays(5));
        Assert.Empty((await engine.Reconcile()).Announced);
        await fixture.SettleAsync(summit.Code);
        Assert.Equal(2, (await engine.GetAnnouncements("t-1")).Count);
    }

    [Fact]
    public async Task One_reminder_per_summit_and_a_timer_for_the_next_moment()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-1").Create(Draft(Due(6, 20)), Secretariat);
        await TaskGrain(summit, "t-2").Create(Draft(Due(6, 30)), Secretariat);
        var engine = Engine(summit);

        var result = await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        var status = await engine.GetStatus();

        Assert.True(status.ReminderRegistered);
        Assert.Equal(2, status.Tasks);
        // t-1's three-day lead: 17 June 09:00 local.
        Assert.Equal(Local(6, 17, 9), result.NextChange);
        Assert.NotNull(status.TimerDueAt);
    }

    [Fact]
    public async Task Done_with_an_open_prerequisite_is_refused_unless_the_secretariat_overrides_with_a_note()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-plan").Create(Draft(Due(6, 20)), Secretariat);
        await TaskGrain(summit, "t-venue").Create(Draft(Due(6, 20), "venue", null, "t-plan"), Secretariat);
        var venue = TaskGrain(summit, "t-venue");

        var refused = await Invalid(() => venue.Change(new TaskChange(Status: WorkStatus.Done), Pingyang), "status");
        Assert.Contains("t-plan", refused.Errors["status"][0]);
        // Overriding is the secretariat's: the grain refuses the field itself, as the API does.
        var notYours = await Assert.ThrowsAsync<AccessRefusedException>(() =>
            venue.Change(new TaskChange(Status: WorkStatus.Done) { OverrideOpenPrerequisites = true }, Pingyang));
        Assert.True(notYours.Fields?.ContainsKey("overrideOpenPrerequisites"));
        await Invalid(() => venue.Change(new TaskChange(Status: WorkStatus.Done) { OverrideOpenPrerequisites = true }, Secretariat), "note");
        Assert.Equal(WorkStatus.NotStarted, (await venue.Get())!.Status);

        var done = await venue.Change(
            new TaskChange(Status: WorkStatus.Done, Note: "Venue booked by the city; the plan follows.") { OverrideOpenPrerequisites = true },
            Secretariat);
        Assert.Equal(WorkStatus.Done, done.Status);
        Assert.Equal("Venue booked by the city; the plan follows.", (await venue.GetHistory())[^1].Note);

        // With the prerequisite closed, no override is needed.
        await TaskGrain(summit, "t-speakers").Create(Draft(Due(6, 20), "speakers", null, "t-plan"), Secretariat);
        await TaskGrain(summit, "t-plan").Change(new TaskChange(Status: WorkStatus.Cancelled), Secretariat);
        await TaskGrain(summit, "t-speakers").Change(new TaskChange(Status: WorkStatus.Done), Pingyang);
    }

    [Fact]
    public async Task Due_in_working_days_counts_on_the_summits_calendar()
    {
        var summit = await fixture.CreateSummitAsync();
        // Wednesday 24 June; 25-27 June is the Dragon Boat Festival and Sunday 28 June a make-up working day.
        fixture.Clock.Reset(Local(6, 24, 10));
        var oneDay = await TaskGrain(summit, "t-1").Create(Draft(null!) with { DueInWorkingDays = 1 }, Secretariat);
        var threeDays = await TaskGrain(summit, "t-3").Create(Draft(null!) with { DueInWorkingDays = 3 }, Secretariat);
        Assert.Equal(Due(6, 28), oneDay.Due);
        Assert.Equal(Due(6, 30), threeDays.Due);

        var settings = await Engine(summit).SetCalendar(new WorkingCalendarDefinition([], [], "weekends only"), Secretariat);
        Assert.False(settings.DefaultCalendar);
        var plain = await TaskGrain(summit, "t-plain").Create(Draft(null!) with { DueInWorkingDays = 1 }, Secretariat);
        Assert.Equal(Due(6, 25), plain.Due);

        await Invalid(() => TaskGrain(summit, "t-both").Create(Draft(Due(6, 30)) with { DueInWorkingDays = 1 }, Secretariat), "dueInWorkingDays");
        await Invalid(() => TaskGrain(summit, "t-far").Create(Draft(null!) with { DueInWorkingDays = 400 }, Secretariat), "dueInWorkingDays");
        await Invalid(() => TaskGrain(summit, "t-none").Create(Draft(null!), Secretariat), "dueDate");
    }

    [Fact]
    public async Task The_calendar_is_validated_versioned_and_can_be_reset()
    {
        var summit = await fixture.CreateSummitAsync();
        var engine = Engine(summit);
        await fixture.SettleAsync(summit.Code);
        var initial = await engine.GetSettings();
        Assert.Equal((1, true), (initial.Version, initial.DefaultCalendar));
        Assert.Contains(new LocalDate(2020, 10, 1), initial.Calendar.Holidays);

        await Invalid(() => engine.SetCalendar(new WorkingCalendarDefinition([], [new LocalDate(2020, 6, 29)]), Secretariat), "makeUpWorkingDays[0]");
        var set = await engine.SetCalendar(new WorkingCalendarDefinition([new LocalDate(2020, 6, 30), new LocalDate(2020, 6, 29)], []), Secretariat, expectedVersion: 1);
        Assert.Equal((2, false, "secretariat"), (set.Version, set.DefaultCalendar, set.UpdatedBy));
        Assert.Equal([new LocalDate(2020, 6, 29), new LocalDate(2020, 6, 30)], set.Calendar.Holidays);
        await Assert.ThrowsAsync<VersionConflictException>(() => engine.SetCalendar(null, Secretariat, expectedVersion: 1));

        await Reactivate(fixture.Grains);
        Unchanged(set, await engine.GetSettings());
        var reset = await engine.SetCalendar(null, Secretariat, expectedVersion: 2);
        Assert.Equal((3, true), (reset.Version, reset.DefaultCalendar));
    }

    [Fact]
    public async Task Lead_days_are_configurable_per_summit()
    {
        var summit = await fixture.CreateSummitAsync();
        var engine = Engine(summit);
        await Invalid(() => engine.SetReminders(new DueOptions([0], new LocalTime(9, 0)), false, Secretariat), "leadDays[0]");
        await engine.SetReminders(new DueOptions([2], new LocalTime(8, 30)), false, Secretariat);
        fixture.Clock.Reset(Local(6, 13, 8, 30));
        await TaskGrain(summit, "t-1").Create(Draft(Due(6, 15)), Secretariat);
        await fixture.SettleAsync(summit.Code);

        await engine.Reconcile();
        await fixture.SettleAsync(summit.Code);
        var made = Assert.Single(await engine.GetAnnouncements());
        Assert.Equal((DueKind.DueSoon, 2, Local(6, 13, 8, 30)), (made.Kind, made.LeadDays, made.StateSince));
    }

    [Fact]
    public async Task The_schedule_of_a_small_graph_matches_the_hand_computation()
    {
        var summit = await fixture.CreateSummitAsync();
        // Today is Wednesday 10 June. a (3 days) → b (2 days) → d (3 days, due Thursday 18 June); c stands alone.
        await TaskGrain(summit, "a").Create(Draft(Due(6, 12)) with { RemainingDays = 3 }, Secretariat);
        await TaskGrain(summit, "b").Create(Draft(Due(6, 16), "b", null, "a") with { RemainingDays = 2 }, Secretariat);
        await TaskGrain(summit, "c").Create(Draft(Due(6, 19), "c", OwningUnit.County("ruian")), Secretariat);
        await TaskGrain(summit, "d").Create(Draft(Due(6, 18), "d", OwningUnit.Department("office"), "b") with { RemainingDays = 3 }, Secretariat);

        await fixture.SettleAsync(summit.Code);
        var schedule = await Engine(summit).GetSchedule();

        // a: 10-12 June; b: 15-16; d: 17-19, one day after its due date, so the chain has slack −1.
        Assert.Equal(["a", "b", "d"], schedule.CriticalPath);
        var tasks = schedule.Tasks.ToDictionary(t => t.Id);
        Assert.Equal((new LocalDate(2020, 6, 10), new LocalDate(2020, 6, 12), -1), (tasks["a"].EarliestStart, tasks["a"].ProjectedFinish, tasks["a"].Slack));
        Assert.Equal((new LocalDate(2020, 6, 15), new LocalDate(2020, 6, 16), -1), (tasks["b"].EarliestStart, tasks["b"].ProjectedFinish, tasks["b"].Slack));
        Assert.Equal((new LocalDate(2020, 6, 19), new LocalDate(2020, 6, 18), -1), (tasks["d"].ProjectedFinish, tasks["d"].LatestFinish, tasks["d"].Slack));
        // c: one default day today; slack is the working days 11 June to 19 June.
        Assert.Equal((1, new LocalDate(2020, 6, 10), 7), (tasks["c"].RemainingDays, tasks["c"].ProjectedFinish, tasks["c"].Slack));
        Assert.Equal(["a", "b", "d"], schedule.Tasks.Take(3).Select(t => t.Id));
        Assert.Equal(3, schedule.NegativeSlackTasks);
        Assert.Equal((4, new LocalDate(2020, 6, 19)), (schedule.Overall.OpenTasks, schedule.Overall.ProjectedFinish));
        Assert.False(schedule.OpeningAtRisk);
        Assert.Equal(
            [new ScheduleRollup("pingyang", 2, new LocalDate(2020, 6, 16), -1), new ScheduleRollup("ruian", 1, new LocalDate(2020, 6, 10), 7)],
            schedule.Counties);

        // Finishing a takes it out; b can start today.
        await TaskGrain(summit, "a").Change(new TaskChange(Status: WorkStatus.Done), Secretariat);
        await fixture.SettleAsync(summit.Code);
        var after = await Engine(summit).GetSchedule();
        Assert.Equal(["b", "d"], after.CriticalPath);
        // b: 10-11 June; d: 12-16 June, two days before its due date.
        Assert.Equal((new LocalDate(2020, 6, 10), 2), (after.Tasks.Single(t => t.Id == "b").EarliestStart, after.Tasks.Single(t => t.Id == "d").Slack));
        Assert.DoesNotContain(after.Tasks, t => t.Id == "a");
    }

    [Fact]
    public async Task The_schedule_summary_is_the_schedule_in_brief_and_comes_again_only_when_it_changed()
    {
        var summit = await fixture.CreateSummitAsync();
        // The graph of the test above: a → b → d one day late (slack −1), c alone.
        await TaskGrain(summit, "a").Create(Draft(Due(6, 12)) with { RemainingDays = 3 }, Secretariat);
        await TaskGrain(summit, "b").Create(Draft(Due(6, 16), "b", null, "a") with { RemainingDays = 2 }, Secretariat);
        await TaskGrain(summit, "c").Create(Draft(Due(6, 19), "c", OwningUnit.County("ruian")), Secretariat);
        await TaskGrain(summit, "d").Create(Draft(Due(6, 18), "d", OwningUnit.Department("office"), "b") with { RemainingDays = 3 }, Secretariat);
        var engine = Engine(summit);

        await fixture.SettleAsync(summit.Code);
        var schedule = await engine.GetSchedule();
        await fixture.SettleAsync(summit.Code);
        var summary = (await engine.GetScheduleSummary())!;
        Assert.Equal(schedule.CriticalPath, summary.CriticalTasks.Select(t => t.Id));
        Assert.Equal(new CriticalTask("a", "task", OwningUnit.County("pingyang"), Due(6, 12), new LocalDate(2020, 6, 12), -1), summary.CriticalTasks[0]);
        Assert.Equal(schedule.Counties, summary.Counties);
        Assert.Equal(schedule.SubForums, summary.SubForums);
        Assert.Equal(
            (schedule.PreparationFinish, schedule.Overall.ProjectedFinish, schedule.OpeningAtRisk, schedule.NegativeSlackTasks, schedule.Overall.OpenTasks),
            (summary.PreparationFinish, summary.ProjectedFinish, summary.OpeningAtRisk, summary.NegativeSlackTasks, summary.OpenTasks));
        Assert.Equal(["a", "b", "d"], summary.NegativeSlack!);
        Assert.True(summary.AtRisk);

        await fixture.SettleAsync(summit.Code);
        Assert.Null(await engine.GetScheduleSummary(summary.Revision));
        // A change the schedule does not see keeps the revision.
        await TaskGrain(summit, "c").Change(new TaskChange(Assignee: "王老师"), Secretariat);
        await fixture.SettleAsync(summit.Code);
        Assert.Null(await engine.GetScheduleSummary(summary.Revision));

        // A day later the work starts a day later: a new revision.
        fixture.Clock.Advance(Duration.FromDays(1));
        await fixture.SettleAsync(summit.Code);
        var tomorrow = (await engine.GetScheduleSummary(summary.Revision))!;
        Assert.Equal(new LocalDate(2020, 6, 11), tomorrow.Today);
        Assert.NotEqual(summary.Revision, tomorrow.Revision);
        Assert.Equal(new LocalDate(2020, 6, 22), tomorrow.PreparationFinish);
    }

    [Fact]
    public async Task The_opening_is_at_risk_when_preparation_runs_past_the_day_before()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "big").Create(Draft(Due(11, 13)) with { RemainingDays = 120 }, Secretariat);

        await fixture.SettleAsync(summit.Code);
        var schedule = await Engine(summit).GetSchedule();

        // 120 working days from 10 June on the 2020 calendar end on 1 December, after the 17 November opening.
        var finish = WorkingCalendar.China2020.AddWorkingDays(new LocalDate(2020, 6, 10), 119);
        Assert.Equal(new LocalDate(2020, 12, 1), finish);
        Assert.Equal(finish, schedule.PreparationFinish);
        Assert.True(schedule.OpeningAtRisk);
        Assert.True(schedule.Tasks.Single().Slack < 0);
    }

    [Fact]
    public async Task Sub_forum_links_roll_up_and_readiness_gives_reasons()
    {
        var summit = await fixture.CreateSummitAsync();
        await fixture.Grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit.Code, "health")).Create(
            new SubForumDraft("Health", new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0), "Hall A", EventFormat.Offline), Secretariat);
        await fixture.Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, "pingyang")).Create(new CountyDraft("平阳", "Pingyang hall"), Secretariat);
        await Invalid(() => TaskGrain(summit, "t-x").Create(Draft(Due(6, 20)) with { SubForum = "no-such-forum" }, Secretariat), "subForum");
        await TaskGrain(summit, "t-late").Create(Draft(Due(6, 9)) with { SubForum = "health" }, Secretariat);
        await TaskGrain(summit, "t-ok").Create(Draft(Due(6, 30)) with { SubForum = "health", RemainingDays = 2 }, Secretariat);

        await fixture.SettleAsync(summit.Code);
        var schedule = await Engine(summit).GetSchedule();
        var forum = Assert.Single(schedule.SubForums);
        Assert.Equal(("health", 2, new LocalDate(2020, 6, 11)), (forum.Key, forum.OpenTasks, forum.ProjectedFinish));
        Assert.True(forum.AtRisk);

        await fixture.SettleAsync(summit.Code);
        var readiness = await Engine(summit).GetReadiness();
        var county = Assert.Single(readiness.Counties);
        Assert.Equal("pingyang", county.Key);
        Assert.Contains(county.Reasons, r => r is { Code: "overdueTasks", Count: 1, En: "1 overdue task" });
        var health = Assert.Single(readiness.SubForums);
        Assert.Contains(health.Reasons, r => r.Code == "stageBehind");
        Assert.Contains(health.Reasons, r => r is { Code: "overdueTasks", Count: 1 });
        Assert.InRange(readiness.Overall.Score, 1, 99);
    }
}
