using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class CountyVenueGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    private static readonly CountyDraft Draft = new("平阳 Pingyang", "Pingyang sub-venue", "Lin");

    private static readonly IReadOnlyDictionary<ChecklistItem, ChecklistState> AllDone =
        Enum.GetValues<ChecklistItem>().ToDictionary(i => i, _ => ChecklistState.Done);

    private ICountyVenueGrain County(SummitEdition summit, string code) =>
        fixture.Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, code));

    [Fact]
    public async Task County_and_sub_event_changes_bump_the_county_and_fill_its_history()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = County(summit, "pingyang");
        var t0 = fixture.Clock.GetCurrentInstant();

        var created = await grain.Create(Draft, Secretariat);
        var added = await grain.AddSubEvent("youth-day", new SubEventDraft("Youth science day", new LocalDate(2020, 6, 20), "Pingyang hall"), Pingyang);
        fixture.Clock.Advance(Duration.FromHours(2));
        var preparing = await grain.ChangeSubEvent("youth-day", new SubEventChange(
            Status: SubEventStatus.Preparing,
            Checklist: new Dictionary<ChecklistItem, ChecklistState> { [ChecklistItem.EpidemicPrevention] = ChecklistState.InProgress },
            Note: "防疫方案 drafted"), Pingyang, expectedVersion: 1);
        var renamed = await grain.Change(new CountyChange(Lead: "Zhou"), Secretariat, expectedVersion: 3);

        Assert.Equal(1, created.Version);
        Assert.Equal((1, SubEventStatus.Planned), (added.Version, added.Status));
        Assert.All(added.Checklist.Values, s => Assert.Equal(ChecklistState.Open, s));
        Assert.Equal((2, new LastUpdate("county-pingyang", t0 + Duration.FromHours(2), "防疫方案 drafted")), (preparing.Version, preparing.LastUpdate));
        Assert.Equal(4, renamed.Version);
        Unchanged(renamed, await grain.Get());

        var history = await grain.GetHistory();
        Assert.Equal([1, 2, 3, 4], history.Select(h => h.Version));
        Assert.Contains(new FieldChange("subEvents.youth-day.title", null, "Youth science day"), history[1].Changes);
        Assert.Equal(
            [
                new FieldChange("subEvents.youth-day.status", "Planned", "Preparing"),
                new FieldChange("subEvents.youth-day.checklist.epidemicPrevention", "Open", "InProgress"),
            ],
            history[2].Changes);
        Assert.Equal(("county-pingyang", Role.County, "防疫方案 drafted"), (history[2].Account, history[2].Role, history[2].Note));
        Assert.Equal([new FieldChange("lead", "Lin", "Zhou")], history[3].Changes);
    }

    [Fact]
    public async Task Ready_needs_the_whole_checklist_and_a_refusal_changes_nothing()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = County(summit, "wencheng");
        await grain.Create(Draft with { Name = "文成 Wencheng" }, Secretariat);
        await grain.AddSubEvent("expo", new SubEventDraft("Science expo"), Secretariat);
        await grain.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Preparing), Secretariat);
        var before = await grain.Get();

        var error = await Invalid(() => grain.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Ready), Secretariat), "status");
        Assert.Contains("venue", error.Errors["status"][0]);
        await Invalid(() => grain.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Held), Secretariat), "status");
        await Invalid(() => grain.ChangeSubEvent("expo", new SubEventChange(Date: new LocalDate(2021, 1, 5)), Secretariat), "date");
        await Invalid(() => grain.ChangeSubEvent("expo", new SubEventChange(Checklist: new Dictionary<ChecklistItem, ChecklistState>
            { [ChecklistItem.Publicity] = (ChecklistState)8 }), Secretariat), "checklist.publicity");
        Unchanged(before, await grain.Get());
        Assert.Equal(3, (await grain.GetHistory()).Count);

        var ready = await grain.ChangeSubEvent("expo", new SubEventChange(Status: SubEventStatus.Ready, Checklist: AllDone), Secretariat);
        Assert.Equal((SubEventStatus.Ready, 6, 3), (ready.Status, ready.ChecklistDone, ready.Version));
        Assert.Equal(4, (await grain.Get())!.Version);
    }

    [Fact]
    public async Task Versions_missing_and_existing()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = County(summit, "ouhai");
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.AddSubEvent("a", new SubEventDraft("a"), Secretariat));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.Change(new CountyChange(Name: "x"), Secretariat));

        await grain.Create(Draft with { Name = "瓯海 Ouhai" }, Secretariat);
        await Assert.ThrowsAsync<EntityExistsException>(() => grain.Create(Draft, Secretariat));
        await grain.AddSubEvent("tour", new SubEventDraft("Lab tour"), Secretariat);
        await Assert.ThrowsAsync<EntityExistsException>(() => grain.AddSubEvent("tour", new SubEventDraft("Lab tour again"), Secretariat));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.ChangeSubEvent("nope", new SubEventChange(Title: "x"), Secretariat));

        // The sub-event's version, not the county's (which is now 2), is the one expected.
        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() =>
            grain.ChangeSubEvent("tour", new SubEventChange(Title: "Lab open day"), Secretariat, expectedVersion: 2));
        Assert.Equal((1, 2), (conflict.Current, conflict.Expected));
        var countyConflict = await Assert.ThrowsAsync<VersionConflictException>(() => grain.Change(new CountyChange(Name: "x"), Secretariat, expectedVersion: 1));
        Assert.Equal((EntityKind.County, "ouhai", 2), (countyConflict.Kind, countyConflict.Id, countyConflict.Current));

        var renamed = await grain.ChangeSubEvent("tour", new SubEventChange(Title: "Lab open day"), Secretariat, expectedVersion: 1);
        Assert.Equal(2, renamed.Version);
        Assert.Equal(3, (await grain.Get())!.Version);
    }

    [Fact]
    public async Task Counties_are_catalogued_and_survive_reactivation()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = County(summit, "yueqing");
        await grain.Create(Draft with { Name = "乐清 Yueqing" }, Secretariat);
        await County(summit, "lucheng").Create(Draft with { Name = "鹿城 Lucheng" }, Secretariat);
        await grain.AddSubEvent("forum", new SubEventDraft("Industry forum", new LocalDate(2020, 9, 1)), Secretariat);
        await grain.ChangeSubEvent("forum", new SubEventChange(Checklist: AllDone, Status: SubEventStatus.Preparing), Secretariat);
        var before = await grain.Get();

        await Reactivate(fixture.Grains);

        Unchanged(before, await grain.Get());
        Assert.Equal(3, (await grain.GetHistory()).Count);
        Assert.Equal(["lucheng", "yueqing"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.County));
    }
}
