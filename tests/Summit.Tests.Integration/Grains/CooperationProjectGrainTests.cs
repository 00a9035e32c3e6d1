using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class CooperationProjectGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    private static ProjectDraft Draft(params string[] universities) => new(
        "瑞安汽车零部件 Ruian auto-parts collaborative innovation body",
        "auto parts",
        [
            new Partner("Society of Automotive Engineers of China", PartnerKind.NationalSociety),
            new Partner("Ruian economic development zone", PartnerKind.Government),
        ],
        County: "ruian",
        Universities: universities,
        EnterprisesInvolved: 20,
        Stage: ProjectStage.Negotiating);

    private static readonly Actor Ruian = new("county-ruian", Role.County, "ruian");

    private ICooperationProjectGrain Project(SummitEdition summit, string id) =>
        fixture.Grains.GetGrain<ICooperationProjectGrain>(GrainKeys.Of(summit.Code, id));

    private IPartnerUniversityGrain University(SummitEdition summit, string code) =>
        fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, code));

    private async Task<SummitEdition> SummitWithUniversitiesAsync()
    {
        var summit = await fixture.CreateSummitAsync();
        await University(summit, "wzu").Create(new UniversityDraft("温州大学 Wenzhou University", "Science office"), Secretariat);
        await University(summit, "wmu").Create(new UniversityDraft("温州医科大学 Wenzhou Medical University", "Science office"), Secretariat);
        return summit;
    }

    [Fact]
    public async Task Create_get_change_with_versions_and_history()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Project(summit, "ruian-auto");
        var t0 = fixture.Clock.GetCurrentInstant();

        var created = await grain.Create(Draft("wzu"), Secretariat);
        fixture.Clock.Advance(Duration.FromHours(5));
        var ready = await grain.Change(new ProjectChange(Stage: ProjectStage.ReadyToSign), Secretariat, expectedVersion: 1);
        var signed = await grain.Change(new ProjectChange(Stage: ProjectStage.Signed, SigningDate: new LocalDate(2020, 6, 17), Note: "Signed online"), Ruian, expectedVersion: 2);

        Assert.Equal((1, 2, 3), (created.Version, ready.Version, signed.Version));
        Unchanged(signed, await grain.Get());
        var history = await grain.GetHistory();
        Assert.Equal([1, 2, 3], history.Select(h => h.Version));
        Assert.Equal((t0, "secretariat"), (history[0].At, history[0].Account));
        Assert.Equal(("county-ruian", t0 + Duration.FromHours(5), "Signed online"), (history[2].Account, history[2].At, history[2].Note));
        Assert.Equal(
            [new FieldChange("stage", "ReadyToSign", "Signed"), new FieldChange("signingDate", null, "2020-06-17")],
            history[2].Changes);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_leaves_the_project_unchanged()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Project(summit, "ruian-auto");
        var created = await grain.Create(Draft("wzu"), Secretariat);

        await Invalid(() => grain.Change(new ProjectChange(Universities: ["wzu", "pku"]), Secretariat), "universities[1]");
        await Invalid(() => grain.Change(new ProjectChange(Stage: ProjectStage.Signed), Secretariat), "stage");
        await grain.Change(new ProjectChange(Stage: ProjectStage.ReadyToSign), Secretariat);
        await Invalid(() => grain.Change(new ProjectChange(Stage: ProjectStage.Signed), Secretariat), "signingDate");
        await Invalid(() => grain.Change(new ProjectChange(Partners: [new Partner("", PartnerKind.Enterprise)]), Secretariat), "partners[0].name");

        var stored = (await grain.Get())!;
        Assert.Equal((2, ProjectStage.ReadyToSign, null), (stored.Version, stored.Stage, stored.SigningDate));
        Assert.Equal(created.Universities, stored.Universities);
        Assert.Equal(created.Partners, stored.Partners);
        Assert.Equal(2, (await grain.GetHistory()).Count);
    }

    [Fact]
    public async Task University_links_follow_the_project()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Project(summit, "ruian-auto");

        await grain.Create(Draft("wzu"), Secretariat);
        Assert.Equal(["ruian-auto"], (await University(summit, "wzu").Get())!.LinkedProjects);

        await grain.Change(new ProjectChange(Universities: ["wmu"]), Secretariat);
        Assert.Empty((await University(summit, "wzu").Get())!.LinkedProjects);
        Assert.Equal(["ruian-auto"], (await University(summit, "wmu").Get())!.LinkedProjects);
    }

    [Fact]
    public async Task Wrong_version_missing_existing_and_catalog()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Project(summit, "ruian-auto");
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.Change(new ProjectChange(Title: "x"), Secretariat));

        var created = await grain.Create(Draft(), Secretariat);
        await Assert.ThrowsAsync<EntityExistsException>(() => grain.Create(Draft(), Secretariat));
        await Assert.ThrowsAsync<VersionConflictException>(() => grain.Change(new ProjectChange(Title: "x"), Secretariat, expectedVersion: 5));
        Unchanged(created, await grain.Get());

        await Project(summit, "pump-valve").Create(Draft() with { Title = "泵阀产业 pump and valve" }, Secretariat);
        Assert.Equal(["pump-valve", "ruian-auto"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.Project));
    }
}
