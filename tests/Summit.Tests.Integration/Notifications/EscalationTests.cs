using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Notifications;
using Summit.Scheduling;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>The escalation ladder against the cluster's shared FakeClock: each rung once per task and deadline, however the ticks come.</summary>
[Collection("cluster")]
public sealed class EscalationTests(ClusterFixture fixture) : IDisposable
{
    private static readonly Actor Secretariat = ClusterFixture.Secretariat;
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    // 12 June 2020 ends at 16:00 UTC; the cluster clock starts on 10 June.
    private static readonly Deadline Due = new(new LocalDate(2020, 6, 12));
    private static readonly Instant DueAt = Due.DueInstant(Shanghai);

    public void Dispose() => fixture.ResetClock();

    private async Task<(SummitEdition Summit, PreparationTask Task, string County)> ArrangeAsync(string? lead = "lead-ouhai", string? assignee = "wang-ouhai")
    {
        var summit = await fixture.CreateSummitAsync();
        // Inboxes are per unit across summits, so each test uses a county code of its own.
        var county = $"c{Guid.NewGuid():N}"[..12];
        await fixture.Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, county)).Create(new CountyDraft("瓯海区", "瓯海区院士之家", lead), Secretariat);
        var task = await TaskGrain(summit, "t-publicity").Create(new TaskDraft(
            "宣传方案 publicity plan", TaskCategory.Publicity, OwningUnit.County(county), Due, Assignee: assignee), Secretariat);
        return (summit, task, county);
    }

    private IPreparationTaskGrain TaskGrain(SummitEdition summit, string id) => fixture.Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit.Code, id));

    private IEscalationGrain Escalation(SummitEdition summit) => fixture.Grains.GetGrain<IEscalationGrain>(summit.Code);

    /// <summary>The ladder's notifications in an inbox (the deadline engine of the cluster may add its own due-soon ones).</summary>
    private async Task<IReadOnlyList<Notification>> InboxAsync(NotificationTarget target, SummitEdition summit) =>
        (await AllAsync(target, summit)).Where(n => n.Kind is NotificationKind.Overdue or NotificationKind.Escalated).ToArray();

    private async Task<IReadOnlyList<Notification>> AllAsync(NotificationTarget target, SummitEdition summit) =>
        (await fixture.Grains.GetGrain<INotificationInboxGrain>(NotificationKeys.Inbox(target)).List()).Where(n => n.Summit == summit.Code).ToArray();

    private static DueAnnouncement Overdue() => new(DueKind.Overdue, null, Due, DueAt);

    [Fact]
    public async Task Each_rung_is_climbed_once_at_its_time()
    {
        var (summit, task, county) = await ArrangeAsync();
        var unit = NotificationTarget.ForUnit(OwningUnit.County(county));
        var escalation = Escalation(summit);

        fixture.Clock.Reset(DueAt + Duration.FromHours(1));
        await escalation.OnAnnouncement(task, Overdue());
        await escalation.OnAnnouncement(task, Overdue());
        await escalation.Reconcile();

        var owner = Assert.Single(await InboxAsync(unit, summit));
        Assert.Equal((NotificationKind.Overdue, EscalationLevel.Owner, task.Id), (owner.Kind, owner.Level, owner.TaskId));
        Assert.Contains("宣传方案", owner.Text.Zh);
        Assert.Contains("overdue", owner.Text.En);
        // The owning county by its registered name, never its code.
        Assert.Contains("责任单位：瓯海区", owner.Text.Zh);
        Assert.Contains("owner 瓯海区", owner.Text.En);
        Assert.DoesNotContain(county, owner.Text.Zh + owner.Text.En);
        Assert.Equal(owner.Id, Assert.Single(await InboxAsync(NotificationTarget.ForAccount("wang-ouhai"), summit)).Id);
        Assert.Empty(await InboxAsync(NotificationTarget.Secretariat, summit));
        Assert.Empty(await escalation.GetRedList());

        // Not yet two days: nothing more.
        fixture.Clock.Reset(DueAt + Duration.FromDays(2) - Duration.FromMinutes(1));
        await escalation.Reconcile();
        Assert.Single(await InboxAsync(unit, summit));

        fixture.Clock.Reset(DueAt + Duration.FromDays(2) + Duration.FromMinutes(1));
        await escalation.Reconcile();
        await escalation.Reconcile();
        var lead = (await InboxAsync(unit, summit)).Single(n => n.Level == EscalationLevel.Lead);
        Assert.Equal(NotificationKind.Escalated, lead.Kind);
        Assert.Contains("lead-ouhai", lead.Text.Zh);
        Assert.StartsWith("督办：瓯海区的任务", lead.Text.Zh);
        Assert.Equal(lead.Id, Assert.Single(await InboxAsync(NotificationTarget.ForAccount("lead-ouhai"), summit)).Id);
        Assert.Equal(2, (await InboxAsync(unit, summit)).Count);

        fixture.Clock.Reset(DueAt + Duration.FromDays(5) + Duration.FromMinutes(1));
        await escalation.Reconcile();
        await escalation.OnAnnouncement(task, Overdue());
        var red = Assert.Single(await InboxAsync(NotificationTarget.Secretariat, summit));
        Assert.Equal((NotificationKind.Escalated, EscalationLevel.Secretariat), (red.Kind, red.Level));
        Assert.StartsWith("红色预警：瓯海区的任务", red.Text.Zh);
        var listed = Assert.Single(await escalation.GetRedList());
        Assert.Equal((task.Id, DueAt, OwningUnit.County(county)), (listed.TaskId, listed.OverdueSince, listed.Owner));

        // Days later, ticks keep coming: nothing is said twice.
        fixture.Clock.Reset(DueAt + Duration.FromDays(9));
        await escalation.Reconcile();
        Assert.Equal(2, (await InboxAsync(unit, summit)).Count);
        Assert.Single(await InboxAsync(NotificationTarget.Secretariat, summit));

        // Done: off the ladder and the red list.
        await TaskGrain(summit, task.Id).Change(new TaskChange(Status: WorkStatus.Done, Note: "已发布"), Secretariat);
        await escalation.Reconcile();
        Assert.Empty(await escalation.GetRedList());
    }

    [Fact]
    public async Task A_late_first_tick_climbs_every_missed_rung_once()
    {
        var (summit, task, county) = await ArrangeAsync(lead: "欧阳主任", assignee: null);
        var unit = NotificationTarget.ForUnit(OwningUnit.County(county));
        var escalation = Escalation(summit);

        // The silo was down for a week: the first tick after it comes back.
        fixture.Clock.Reset(DueAt + Duration.FromDays(7));
        await escalation.OnAnnouncement(task, Overdue());
        for (var i = 0; i < 3; i++) await escalation.Reconcile();

        var toUnit = await InboxAsync(unit, summit);
        Assert.Equal([EscalationLevel.Owner, EscalationLevel.Lead], toUnit.Select(n => n.Level!.Value).Order());
        // A lead named by person, not account, is written into the text; the unit's accounts hear it.
        Assert.Contains("欧阳主任", toUnit.Single(n => n.Level == EscalationLevel.Lead).Text.Zh);
        Assert.Single(await InboxAsync(NotificationTarget.Secretariat, summit));
        Assert.Single(await escalation.GetRedList());
    }

    [Fact]
    public async Task A_moved_deadline_leaves_the_ladder_and_starts_over()
    {
        var (summit, task, county) = await ArrangeAsync();
        var unit = NotificationTarget.ForUnit(OwningUnit.County(county));
        var escalation = Escalation(summit);

        fixture.Clock.Reset(DueAt + Duration.FromDays(3));
        await escalation.OnAnnouncement(task, Overdue());
        Assert.Equal(2, (await InboxAsync(unit, summit)).Count);

        var newDue = new Deadline(new LocalDate(2020, 6, 20));
        var moved = await TaskGrain(summit, task.Id).Change(new TaskChange(Due: newDue, Note: "延期"), Secretariat);
        fixture.Clock.Reset(DueAt + Duration.FromDays(6));
        await escalation.Reconcile();
        // A late announcement for the old deadline is ignored too.
        await escalation.OnAnnouncement(moved, Overdue());
        Assert.Equal(2, (await InboxAsync(unit, summit)).Count);
        Assert.Empty(await InboxAsync(NotificationTarget.Secretariat, summit));
        Assert.Empty(await escalation.GetRedList());

        // Overdue again for the new deadline: the ladder starts from its first rung.
        var newDueAt = newDue.DueInstant(Shanghai);
        fixture.Clock.Reset(newDueAt + Duration.FromHours(2));
        await escalation.OnAnnouncement(moved, new DueAnnouncement(DueKind.Overdue, null, newDue, newDueAt));
        var owners = (await InboxAsync(unit, summit)).Where(n => n.Level == EscalationLevel.Owner).ToArray();
        Assert.Equal(2, owners.Length);
        Assert.Contains(owners, n => n.Text.En.Contains("2020-06-20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Due_soon_and_due_today_are_told_once_to_the_owner()
    {
        var (summit, task, county) = await ArrangeAsync();
        var unit = NotificationTarget.ForUnit(OwningUnit.County(county));
        var escalation = Escalation(summit);

        await escalation.OnAnnouncement(task, new DueAnnouncement(DueKind.DueSoon, 1, Due, DueAt - Duration.FromDays(1)));
        await escalation.OnAnnouncement(task, new DueAnnouncement(DueKind.DueSoon, 1, Due, DueAt - Duration.FromDays(1)));
        await escalation.OnAnnouncement(task, new DueAnnouncement(DueKind.DueToday, null, Due, DueAt - Duration.FromHours(7)));
        await escalation.OnAnnouncement(task, new DueAnnouncement(DueKind.DueToday, null, Due, DueAt - Duration.FromHours(7)));

        var told = await AllAsync(unit, summit);
        Assert.Single(told, n => n.Kind == NotificationKind.DueToday);
        Assert.Single(told, n => n.Kind == NotificationKind.DueSoon && n.Text.Zh.Contains("还有1天", StringComparison.Ordinal));
        Assert.Empty(await InboxAsync(unit, summit));
        Assert.Empty(await escalation.GetRedList());

        // Overtaken by the clock: the task is overdue now, so "due today" is not said again for it.
        fixture.Clock.Reset(DueAt + Duration.FromHours(1));
        var late = await TaskGrain(summit, "t-late").Create(new TaskDraft("迟到任务", TaskCategory.Publicity, OwningUnit.County(county), Due), Secretariat);
        await escalation.OnAnnouncement(late, new DueAnnouncement(DueKind.DueToday, null, Due, DueAt - Duration.FromHours(7)));
        Assert.DoesNotContain(await AllAsync(unit, summit), n => n.TaskId == "t-late" && n.Kind == NotificationKind.DueToday);
    }

    [Fact]
    public async Task The_ladder_is_configurable_per_summit()
    {
        var (summit, task, county) = await ArrangeAsync();
        var escalation = Escalation(summit);
        await Assert.ThrowsAsync<DomainValidationException>(() => escalation.SetLadder(new EscalationLadder(4, 3), Secretariat));
        await escalation.SetLadder(new EscalationLadder(1, 3), Secretariat);
        Assert.Equal(new EscalationLadder(1, 3), await escalation.GetLadder());

        fixture.Clock.Reset(DueAt + Duration.FromDays(3) + Duration.FromMinutes(5));
        await escalation.OnAnnouncement(task, Overdue());
        var told = await InboxAsync(NotificationTarget.ForUnit(OwningUnit.County(county)), summit);
        Assert.True(told.Count == 2, "Expected the owner and lead rungs, got:\n" + string.Join("\n", told));
        Assert.Single(await escalation.GetRedList());
    }
}
