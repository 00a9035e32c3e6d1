using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class SummitGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    // A second secretariat account, so the history tells the two writers apart.
    private static readonly Actor Office = new("secretariat-zhang", Role.Secretariat);

    [Fact]
    public async Task Create_get_update_with_versions_and_history()
    {
        var created = await fixture.CreateSummitAsync();
        var grain = fixture.Grains.GetGrain<ISummitGrain>(created.Code);
        var createdAt = fixture.Clock.GetCurrentInstant();
        Assert.Equal(1, created.Version);
        Assert.Equal(created.Version, (await grain.Get())!.Version);

        fixture.Clock.Advance(Duration.FromHours(1));
        var updated = await grain.Update(ClusterFixture.Draft() with { Name = "Summit 2021" }, Office, expectedVersion: 1);
        fixture.Clock.Advance(Duration.FromHours(1));
        var again = await grain.Update(ClusterFixture.Draft() with { Name = "Summit 2021", City = "Wenzhou" }, Secretariat, expectedVersion: 2);

        Assert.Equal((2, 3), (updated.Version, again.Version));
        Assert.Equal(3, (await grain.Get())!.Version);
        var history = await grain.GetHistory();
        Assert.Equal([1, 2, 3], history.Select(h => h.Version));
        Assert.Equal((createdAt, "secretariat", Role.Secretariat), (history[0].At, history[0].Account, history[0].Role));
        Assert.Equal((createdAt + Duration.FromHours(1), "secretariat-zhang", Role.Secretariat), (history[1].At, history[1].Account, history[1].Role));
        Assert.Equal([new FieldChange("name", "2020世界青年科学家峰会", "Summit 2021")], history[1].Changes);
        Assert.Equal([new FieldChange("city", "温州", "Wenzhou")], history[2].Changes);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_changes_nothing()
    {
        var created = await fixture.CreateSummitAsync();
        var grain = fixture.Grains.GetGrain<ISummitGrain>(created.Code);

        await Invalid(() => grain.Update(ClusterFixture.Draft() with { TimeZone = "Asia/Wenzhou" }, Secretariat), "timeZone");
        await Invalid(() => grain.Update(ClusterFixture.Draft() with { ClosingDate = new LocalDate(2020, 11, 1) }, Secretariat), "closingDate");

        Unchanged(created, await grain.Get());
        Assert.Single(await grain.GetHistory());
    }

    [Fact]
    public async Task Same_definition_is_not_a_new_version()
    {
        var created = await fixture.CreateSummitAsync();
        var grain = fixture.Grains.GetGrain<ISummitGrain>(created.Code);

        var result = await grain.Update(ClusterFixture.Draft(), Office);

        Assert.Equal(1, result.Version);
        Assert.Single(await grain.GetHistory());
    }

    [Fact]
    public async Task Wrong_expected_version_conflicts()
    {
        var created = await fixture.CreateSummitAsync();
        var grain = fixture.Grains.GetGrain<ISummitGrain>(created.Code);

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => grain.Update(ClusterFixture.Draft() with { City = "x" }, Secretariat, expectedVersion: 7));

        Assert.Equal((EntityKind.Summit, created.Code, 7, 1), (conflict.Kind, conflict.Id, conflict.Expected, conflict.Current));
        Unchanged(created, await grain.Get());
    }

    [Fact]
    public async Task Missing_and_existing()
    {
        var missing = fixture.Grains.GetGrain<ISummitGrain>($"missing-{Guid.NewGuid():N}"[..30]);
        Assert.Null(await missing.Get());
        Assert.Empty(await missing.GetHistory());
        await Assert.ThrowsAsync<EntityNotFoundException>(() => missing.Update(ClusterFixture.Draft(), Secretariat));

        var created = await fixture.CreateSummitAsync();
        var exists = await Assert.ThrowsAsync<EntityExistsException>(() =>
            fixture.Grains.GetGrain<ISummitGrain>(created.Code).Create(ClusterFixture.Draft(), Secretariat));
        Assert.Equal((EntityKind.Summit, created.Code), (exists.Kind, exists.Id));
    }

    [Fact]
    public async Task Summits_are_listed_in_the_catalog_and_survive_reactivation()
    {
        var created = await fixture.CreateSummitAsync();
        Assert.Contains(created.Code, await Catalog.ListSummitsAsync(fixture.Grains));

        var grain = fixture.Grains.GetGrain<ISummitGrain>(created.Code);
        await Reactivate(fixture.Grains);
        Unchanged(created, await grain.Get());
        Assert.Single(await grain.GetHistory());
    }
}
