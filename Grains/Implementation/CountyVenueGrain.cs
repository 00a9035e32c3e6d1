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
        AccessRules.EnsureCreate(actor, EntityKind.County, ResourceScope.Summit, "county venues");
        EnsureNew();
        await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var result = CountyRules.Create(SummitCode, EntityId, draft, actor, now);
        return await Commit(result, actor, now, note: null);
    }

    public Task<CountyVenue> Change(CountyChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<CountyVenue> Patch(PatchCommand<CountyChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureWrite(command.Actor, ResourceScope.Of(current), Kind, EntityId), ChangeAsync);

    private async Task<CountyVenue> ChangeAsync(CountyChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var now = Clock.GetCurrentInstant();
        return await Commit(CountyRules.Apply(current, change, summit, actor, now), actor, now, change.Note);
    }

    public async Task<SubEvent> AddSubEvent(string subEventId, SubEventDraft draft, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var current = Existing();
        AccessRules.EnsureCreate(actor, EntityKind.County, ResourceScope.Of(current), "sub-events of this county");
        if (draft.Plan is not null) AccessRules.EnsurePlan(actor, EntityKind.County, $"{EntityId}/{subEventId}");
        var summit = await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var county = await Commit(CountyRules.AddSubEvent(current, subEventId, draft, summit, actor, now), actor, now, note: null);
        return county.SubEvents[^1];
    }

    public Task<SubEvent> ChangeSubEvent(string subEventId, SubEventChange change, Actor actor, int? expectedVersion = null) =>
        PatchSubEvent(subEventId, AsPatch(change, actor, expectedVersion));

    public Task<SubEvent> PatchSubEvent(string subEventId, PatchCommand<SubEventChange> command) =>
        PatchAsync(command,
            current => (AccessRules.EnsureChange(command.Actor, current, subEventId, command.Change).Version, $"{EntityId}/{subEventId}"),
            async (summit, _) =>
            {
                // The sub-event's version was judged in this turn; the venue's own version is not the client's concern.
                var current = Existing();
                var index = CountyRules.FindSubEvent(current, subEventId);
                var now = Clock.GetCurrentInstant();
                var county = await Commit(CountyRules.ApplySubEvent(current, subEventId, command.Change, summit, command.Actor, now),
                    command.Actor, now, command.Change.Note);
                return county.SubEvents[index];
            });
}
