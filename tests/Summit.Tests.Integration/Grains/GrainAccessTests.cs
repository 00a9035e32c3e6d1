using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

/// <summary>
/// The entity grains judge every change themselves with the access rules, so a change sent to a grain directly (a
/// Gateway bug, another caller) cannot write across units: it is refused exactly as the API refuses it, and nothing is
/// written.
/// </summary>
[Collection("cluster")]
public sealed class GrainAccessTests(ClusterFixture fixture) : IDisposable
{
    private static readonly Actor Ruian = new("county-ruian", Role.County, "ruian");
    private static readonly Actor Leader = new("leader", Role.Leader);

    public void Dispose() => fixture.ResetClock();

    private T Grain<T>(SummitEdition summit, string id) where T : IGrainWithStringKey =>
        fixture.Grains.GetGrain<T>(GrainKeys.Of(summit.Code, id));

    private static async Task<AccessRefusedException> Refused(Func<Task> act, bool visible, string? field = null)
    {
        var refused = await Assert.ThrowsAsync<AccessRefusedException>(act);
        Assert.Equal(visible, refused.Visible);
        if (field is not null) Assert.True(refused.Fields?.ContainsKey(field) == true, $"Expected a refusal naming '{field}'.");
        return refused;
    }

    [Fact]
    public async Task A_unit_cannot_change_another_units_task_nor_the_secretariats_fields_of_its_own()
    {
        var summit = await fixture.CreateSummitAsync();
        var theirs = Grain<IPreparationTaskGrain>(summit, "ruian-venue");
        var ours = Grain<IPreparationTaskGrain>(summit, "pingyang-venue");
        var draft = new TaskDraft("场地落实", TaskCategory.Venue, OwningUnit.County("ruian"), new Deadline(new LocalDate(2020, 6, 30)));
        await theirs.Create(draft, Secretariat);
        await ours.Create(draft with { Owner = OwningUnit.County("pingyang") }, Secretariat);

        // Another unit's task is answered as if it did not exist.
        await Refused(() => theirs.Change(new TaskChange(Status: WorkStatus.Done), Pingyang), visible: false);
        await Refused(() => theirs.Patch(new PatchCommand<TaskChange>(new TaskChange(PercentComplete: 50), Pingyang, ["percentComplete"])), visible: false);
        // Its own task: progress yes, the plan (title, due date, owner) no.
        await Refused(() => ours.Change(new TaskChange(Title: "改名"), Pingyang), visible: true, field: "title");
        await Refused(() => ours.Change(new TaskChange(Owner: OwningUnit.County("ruian")), Pingyang), visible: true, field: "owner");
        // A leader watches; it changes nothing.
        await Refused(() => ours.Change(new TaskChange(Note: "看过"), Leader), visible: true);

        // Nor may a unit create a task of its own.
        await Refused(() => Grain<IPreparationTaskGrain>(summit, "pingyang-extra").Create(draft with { Owner = OwningUnit.County("pingyang") }, Pingyang), visible: true);
        Assert.Null(await Grain<IPreparationTaskGrain>(summit, "pingyang-extra").Get());
        Assert.Equal(1, (await theirs.Get())!.Version);
        Assert.Equal(1, (await ours.Get())!.Version);
        Assert.Equal(2, (await ours.Change(new TaskChange(Status: WorkStatus.InProgress, PercentComplete: 20), Pingyang)).Version);
    }

    [Fact]
    public async Task Venues_projects_forums_and_universities_refuse_other_units_and_giving_things_away()
    {
        var summit = await fixture.CreateSummitAsync();
        await Grain<IPartnerUniversityGrain>(summit, "wmu").Create(new UniversityDraft("温州医科大学", "科研处"), Secretariat);
        await Grain<IPartnerUniversityGrain>(summit, "wzu").Create(new UniversityDraft("温州大学", "科研处"), Secretariat);
        var venue = Grain<ICountyVenueGrain>(summit, "ruian");
        await venue.Create(new CountyDraft("瑞安分会场", "瑞安会展中心", "林"), Secretariat);
        await venue.AddSubEvent("expo", new SubEventDraft("科技成果展"), Secretariat);
        var project = Grain<ICooperationProjectGrain>(summit, "ruian-auto");
        await project.Create(new ProjectDraft("汽车零部件协同创新", "汽车零部件", [new Partner("瑞安经济开发区", PartnerKind.Government)], County: "ruian", Universities: ["wzu"]), Secretariat);
        var forum = Grain<ISubForumGrain>(summit, "health");
        await forum.Create(new SubForumDraft("生命健康", new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0),
            "温州医科大学", EventFormat.Offline, "wmu", []), Secretariat);

        // Another county's venue, sub-event and project do not exist for Pingyang.
        await Refused(() => venue.Change(new CountyChange(Lead: "王"), Pingyang), visible: false);
        await Refused(() => venue.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Preparing), Pingyang), visible: false);
        await Refused(() => project.Change(new ProjectChange(Stage: ProjectStage.ReadyToSign), Pingyang), visible: false);
        // Ruian may change its own, but not hand the project to another county nor set a contingency plan.
        await Refused(() => project.Change(new ProjectChange(County: "pingyang"), Ruian), visible: true, field: "county");
        await Refused(() => venue.ChangeSubEvent("expo", new SubEventChange { Plan = PlanChoice.AllModes }, Ruian), visible: true, field: "plan");
        // A university changes its own sub-forum and university, not another's, and keeps its forum.
        await Refused(() => Grain<IPartnerUniversityGrain>(summit, "wzu").Change(new UniversityChange(ContactUnit: "外事处"), Wmu), visible: false);
        await Refused(() => forum.Change(new SubForumChange(HostUniversity: "wzu"), Wmu), visible: true, field: "hostUniversity");

        // Creating is judged by the grains too: a sub-event in another county's venue, a summit by a county.
        await Refused(() => venue.AddSubEvent("pingyang-day", new SubEventDraft("平阳日"), Pingyang), visible: true);
        await Refused(() => fixture.Grains.GetGrain<ISummitGrain>($"s-{Guid.NewGuid():N}"[..12]).Create(ClusterFixture.Draft(), Ruian), visible: true);
        await Refused(() => fixture.Grains.GetGrain<ISummitGrain>(summit.Code).SwitchMode(SummitMode.Online, "演练", Leader), visible: true);
        Assert.Equal((1, 1, 1), ((await project.Get())!.Version, (await forum.Get())!.Version, (await Grain<IPartnerUniversityGrain>(summit, "wzu").Get())!.Version));
        Assert.Equal(1, (await venue.Get())!.SubEvents.Single().Version);
        Assert.Equal(2, (await venue.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Preparing), Ruian)).Version);
        Assert.Equal(2, (await forum.Change(new SubForumChange(Venue: "温州医科大学 报告厅"), Wmu)).Version);
    }
}
