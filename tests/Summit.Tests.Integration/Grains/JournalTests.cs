using Summit.Domain;
using Summit.Grains;
using Summit.Journal;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Grains;

/// <summary>Every accepted change reaches the audit journal once, with who, for which unit, what and why.</summary>
[Collection("cluster")]
public sealed class JournalTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Accepted_changes_are_journaled_and_refused_ones_are_not()
    {
        var summit = await fixture.CreateSummitAsync();
        var county = fixture.Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, "pingyang"));
        await county.Create(new CountyDraft("平阳县", "平阳县科技馆"), ClusterFixture.Secretariat);
        await county.AddSubEvent("youth-forum", new SubEventDraft("青年科学家平阳行"), ClusterFixture.Secretariat);
        var countyActor = new Actor("county-pingyang", Role.County, "pingyang");
        await county.ChangeSubEvent("youth-forum", new SubEventChange(Status: SubEventStatus.Preparing, Note: "场地已落实"), countyActor);
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            county.ChangeSubEvent("youth-forum", new SubEventChange(Status: SubEventStatus.Held), countyActor));

        var (items, total) = await fixture.Journal.QueryAsync(new AuditQuery(summit.Code, EntityKind.County, "pingyang"));
        Assert.Equal(3, total);
        var last = items.MaxBy(r => r.Version)!;
        Assert.Equal(3, last.Version);
        Assert.Equal("county-pingyang", last.Account);
        Assert.Equal(Role.County, last.Role);
        Assert.Equal("pingyang", last.Unit);
        Assert.Equal("场地已落实", last.Note);
        Assert.Contains(last.Changes, c => c.Field == "subEvents.youth-forum.status" && c.To == "Preparing");

        var (summitRecords, _) = await fixture.Journal.QueryAsync(new AuditQuery(summit.Code, EntityKind.Summit));
        Assert.Single(summitRecords);
    }
}
