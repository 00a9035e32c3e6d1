using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class PartnerUniversityGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    private static readonly UniversityDraft Draft = new("温州职业技术学院 Wenzhou Polytechnic", "Science office");

    private IPartnerUniversityGrain University(SummitEdition summit, string code) =>
        fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, code));

    [Fact]
    public async Task Create_get_change_with_versions_and_history()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = University(summit, "wmu");
        var t0 = fixture.Clock.GetCurrentInstant();

        var created = await grain.Create(Draft, Secretariat);
        fixture.Clock.Advance(Duration.FromDays(3));
        var engaged = await grain.Change(new UniversityChange(Engagement: EngagementStatus.Engaged), Wmu, expectedVersion: 1);
        var committed = await grain.Change(new UniversityChange(Engagement: EngagementStatus.Committed, Note: "Startup World Cup support agreed"), Secretariat, expectedVersion: 2);

        Assert.Equal((1, 2, 3), (created.Version, engaged.Version, committed.Version));
        Unchanged(committed, await grain.Get());
        var history = await grain.GetHistory();
        Assert.Equal((t0, "secretariat"), (history[0].At, history[0].Account));
        Assert.Equal((t0 + Duration.FromDays(3), "wmu-office"), (history[1].At, history[1].Account));
        Assert.Equal([new FieldChange("engagement", "Contacted", "Engaged")], history[1].Changes);
        Assert.Equal("Startup World Cup support agreed", history[2].Note);
        Assert.Equal(["wmu"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.University));
    }

    [Fact]
    public async Task Bad_input_wrong_version_missing_and_existing()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = University(summit, "wzpt");
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.Change(new UniversityChange(Name: "x"), Secretariat));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.Link(EntityKind.SubForum, "f-1", true));
        await Invalid(() => University(summit, "Bad Code").Create(Draft, Secretariat), "code");

        var created = await grain.Create(Draft, Secretariat);
        await Invalid(() => grain.Change(new UniversityChange(ContactUnit: "", Engagement: (EngagementStatus)9), Secretariat), "contactUnit");
        await Assert.ThrowsAsync<VersionConflictException>(() => grain.Change(new UniversityChange(Name: "x"), Secretariat, expectedVersion: 3));
        await Assert.ThrowsAsync<EntityExistsException>(() => grain.Create(Draft, Secretariat));

        Unchanged(created, await grain.Get());
        Assert.Single(await grain.GetHistory());
    }

    [Fact]
    public async Task Links_persist_without_a_new_version()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = University(summit, "wzpt");
        await grain.Create(Draft, Secretariat);

        await grain.Link(EntityKind.Project, "p-2", true);
        await grain.Link(EntityKind.Project, "p-1", true);
        await grain.Link(EntityKind.Project, "p-1", true);
        await Reactivate(fixture.Grains);

        var university = (await grain.Get())!;
        Assert.Equal(["p-1", "p-2"], university.LinkedProjects);
        Assert.Equal(1, university.Version);
        Assert.Single(await grain.GetHistory());
    }
}
