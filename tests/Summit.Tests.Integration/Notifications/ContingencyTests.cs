using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Journal;
using Summit.Notifications;
using Summit.Scheduling;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>Switching the contingency plan and back through the grains: flags move, statuses and histories stay.</summary>
[Collection("cluster")]
public sealed class ContingencyTests(ClusterFixture fixture) : IDisposable
{
    private static readonly Actor Secretariat = ClusterFixture.Secretariat;
    private const string ToOnline = "疫情防控要求升级，主论坛改为线上举办";
    private const string BackOffline = "疫情形势好转，恢复线下预案";

    public void Dispose() => fixture.ResetClock();

    private IPreparationTaskGrain TaskGrain(SummitEdition summit, string id) => fixture.Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit.Code, id));

    private static TaskDraft Draft(string title, SummitMode? plan) =>
        new TaskDraft(title, TaskCategory.Venue, OwningUnit.Department("logistics"), new Deadline(new LocalDate(2020, 9, 30))) { Plan = plan };

    [Fact]
    public async Task Switch_and_back_restores_every_task_with_its_history()
    {
        var summit = await fixture.CreateSummitAsync(ClusterFixture.Draft() with { Mode = SummitMode.Offline });
        var venue = await TaskGrain(summit, "venue-hall").Create(Draft("主会场布置 main hall", SummitMode.Offline), Secretariat);
        venue = await TaskGrain(summit, "venue-hall").Change(new TaskChange(Status: WorkStatus.Blocked, PercentComplete: 40, Note: "等待审批"), Secretariat);
        var stream = await TaskGrain(summit, "live-stream").Create(Draft("线上直播平台 streaming platform", SummitMode.Online), Secretariat);
        var common = await TaskGrain(summit, "budget").Create(Draft("预算编制 budget", null), Secretariat);
        var forumGrain = fixture.Grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit.Code, "health-onsite"));
        var forum = await forumGrain.Create(new SubForumDraft(
            "生命健康子论坛（现场）", new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0), "温州医科大学茶山校区", EventFormat.Offline)
            { Plan = SummitMode.Offline }, Secretariat);
        Assert.False(forum.SetAside);
        Assert.Equal((false, true, false), (venue.SetAside, stream.SetAside, common.SetAside));
        Assert.False(stream.IsOpen);

        fixture.Clock.Advance(Duration.FromHours(1));
        var contingency = fixture.Grains.GetGrain<IContingencyGrain>(summit.Code);
        var online = await contingency.SwitchMode(SummitMode.Online, ToOnline, Secretariat);
        Assert.Equal((SummitMode.Online, SummitMode.Offline), (online.Mode, online.PreviousMode));
        Assert.Equal(["venue-hall"], online.SetAside);
        Assert.Equal(["live-stream"], online.Activated);
        Assert.Equal(["health-onsite"], online.SetAsideSubForums);
        Assert.True((await forumGrain.Get())!.SetAside);
        Assert.Empty(online.Failed);

        var asideVenue = (await TaskGrain(summit, "venue-hall").Get())!;
        Assert.True(asideVenue.SetAside);
        Assert.Equal((WorkStatus.Blocked, 40), (asideVenue.Status, asideVenue.PercentComplete));
        Assert.False(asideVenue.IsOpen);
        Assert.False((await TaskGrain(summit, "live-stream").Get())!.SetAside);
        Assert.Equal(common.Version, (await TaskGrain(summit, "budget").Get())!.Version);
        Assert.Equal(SummitMode.Online, (await fixture.Grains.GetGrain<ISummitGrain>(summit.Code).Get())!.Mode);

        fixture.Clock.Advance(Duration.FromHours(1));
        var back = await contingency.SwitchMode(SummitMode.Offline, BackOffline, Secretariat);
        Assert.Equal(["venue-hall"], back.Activated);
        Assert.Equal(["live-stream"], back.SetAside);
        Assert.Equal(["health-onsite"], back.ActivatedSubForums);
        var forumBack = (await forumGrain.Get())!;
        Assert.Equal((false, SubForumStatus.Planned, EventFormat.Offline, forum.Venue), (forumBack.SetAside, forumBack.Status, forumBack.Format, forumBack.Venue));
        Assert.Equal([null, ToOnline, BackOffline], (await forumGrain.GetHistory()).Select(h => h.Note));

        var restored = (await TaskGrain(summit, "venue-hall").Get())!;
        Assert.Equal(
            (venue.Title, venue.Status, venue.PercentComplete, venue.Due, venue.Owner, venue.Plan, venue.SetAside, true),
            (restored.Title, restored.Status, restored.PercentComplete, restored.Due, restored.Owner, restored.Plan, restored.SetAside, restored.IsOpen));
        Assert.Equal(venue.Version + 2, restored.Version);
        var history = await TaskGrain(summit, "venue-hall").GetHistory();
        Assert.Equal(["等待审批", ToOnline, BackOffline], history.Skip(1).Select(h => h.Note));
        Assert.Equal(new FieldChange("setAside", "false", "true"), Assert.Single(history[2].Changes));
        Assert.Equal(new FieldChange("setAside", "true", "false"), Assert.Single(history[3].Changes));

        // The audit trail has the summit's switch, with its reason, and each task's step.
        var (summitRows, _) = await fixture.Journal.QueryAsync(new AuditQuery(summit.Code, EntityKind.Summit));
        Assert.Contains(summitRows, r => r.Note == ToOnline && r.Changes.Contains(new FieldChange("mode", "Offline", "Online")));
        Assert.Contains(summitRows, r => r.Note == BackOffline && r.Changes.Contains(new FieldChange("mode", "Online", "Offline")));
        var (taskRows, _) = await fixture.Journal.QueryAsync(new AuditQuery(summit.Code, EntityKind.Task, "venue-hall"));
        Assert.Equal(2, taskRows.Count(r => r.Note is ToOnline or BackOffline));

        // The secretariat is told of each switch.
        var told = (await fixture.Grains.GetGrain<INotificationInboxGrain>(NotificationKeys.Inbox(NotificationTarget.Secretariat)).List())
            .Where(n => n.Summit == summit.Code && n.Kind == NotificationKind.ModeSwitched).ToArray();
        Assert.Equal(2, told.Length);
        Assert.Contains(told, n => n.Text.Zh.Contains(ToOnline, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switching_to_the_current_mode_changes_nothing_and_a_reason_is_required()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "hall").Create(Draft("会场 hall", SummitMode.Offline), Secretariat);
        var contingency = fixture.Grains.GetGrain<IContingencyGrain>(summit.Code);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => contingency.SwitchMode(SummitMode.Online, "  ", Secretariat));
        Assert.Contains("reason", error.Errors.Keys);
        Assert.Equal(SummitMode.Hybrid, (await fixture.Grains.GetGrain<ISummitGrain>(summit.Code).Get())!.Mode);

        var same = await contingency.SwitchMode(SummitMode.Hybrid, "确认混合模式", Secretariat);
        Assert.Equal((summit.Version, 0, 0), (same.Version, same.Activated.Count, same.SetAside.Count));
        Assert.Single(await fixture.Grains.GetGrain<ISummitGrain>(summit.Code).GetHistory());
    }

    [Fact]
    public async Task A_task_set_aside_leaves_the_escalation_ladder()
    {
        var summit = await fixture.CreateSummitAsync(ClusterFixture.Draft() with { Mode = SummitMode.Offline });
        var task = await TaskGrain(summit, "onsite").Create(
            new TaskDraft("现场防疫 on-site checks", TaskCategory.EpidemicPrevention, OwningUnit.Department("office"),
                new Deadline(new LocalDate(2020, 6, 12))) { Plan = SummitMode.Offline }, Secretariat);
        var dueAt = task.Due.DueInstant(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);
        var escalation = fixture.Grains.GetGrain<IEscalationGrain>(summit.Code);

        fixture.Clock.Reset(dueAt + Duration.FromDays(6));
        await escalation.OnAnnouncement(task, new DueAnnouncement(DueKind.Overdue, null, task.Due, dueAt));
        Assert.Single(await escalation.GetRedList());

        await fixture.Grains.GetGrain<IContingencyGrain>(summit.Code).SwitchMode(SummitMode.Online, ToOnline, Secretariat);
        await escalation.Reconcile();
        Assert.Empty(await escalation.GetRedList());
    }
}
