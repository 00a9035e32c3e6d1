using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <remarks>Sub-events live inside the county's state, so a county and its sub-events always change together.</remarks>
[GrainType("summit.county")]
public sealed class CountyVenueGrain(
    IEntityStore store,
    IClock clock)
    : SummitScopedGrain<CountyVenue>(store, clock), ICountyVenueGrain
{
    protected override EntityKind Kind => EntityKind.County;

    protected override int VersionOf(CountyVenue entity) => entity.Version;

    public Task<CountyVenue?> Get() => Task.FromResult(Current);


    public async Task<CountyVenue> Create(CountyDraft draft, Actor actor)
    {
        EnsureNew();
        await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var result = CountyRules.Create(SummitCode, EntityId, draft, actor, now);
        return await Commit(result, actor, now, note: null);
    }

    public async Task<CountyVenue> Change(CountyChange change, Actor actor, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = Existing(expectedVersion);
        var summit = await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        return await Commit(CountyRules.Apply(current, change, summit, actor, now), actor, now, change.Note);
    }

    public async Task<SubEvent> AddSubEvent(string subEventId, SubEventDraft draft, Actor actor)
    {
        var current = Existing();
        var summit = await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var county = await Commit(CountyRules.AddSubEvent(current, subEventId, draft, summit, actor, now), actor, now, note: null);
        return county.SubEvents[^1];
    }

    public async Task<SubEvent> ChangeSubEvent(string subEventId, SubEventChange change, Actor actor, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = Existing();
        var index = CountyRules.FindSubEvent(current, subEventId);
        var version = current.SubEvents[index].Version;
        if (expectedVersion is { } expected && expected != version)
            throw new VersionConflictException(EntityKind.County, $"{EntityId}/{subEventId}", expected, version);
        var summit = await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var county = await Commit(CountyRules.ApplySubEvent(current, subEventId, change, summit, actor, now), actor, now, change.Note);
        return county.SubEvents[index];
    }
}
