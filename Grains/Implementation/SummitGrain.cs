using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

[GrainType("summit.summit")]
public sealed class SummitGrain(
    IEntityStore store,
    IClock clock)
    : EntityGrain<SummitEdition>(store, clock), ISummitGrain
{
    protected override EntityKind Kind => EntityKind.Summit;

    protected override string EntityId => this.GetPrimaryKeyString();

    protected override int VersionOf(SummitEdition entity) => entity.Version;

    public Task<SummitEdition?> Get() => Task.FromResult(Current);


    public async Task<SummitEdition> Create(SummitDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Summit, ResourceScope.Summit, "summits");
        EnsureNew();
        var now = Clock.GetCurrentInstant();
        var result = SummitRules.Create(EntityId, draft, actor, now);
        return await Commit(result, actor, now, note: null);
    }

    public async Task<SummitEdition> Update(SummitDraft draft, Actor actor, int? expectedVersion = null)
    {
        var current = Existing(expectedVersion);
        AccessRules.EnsureWrite(actor, ResourceScope.Summit, Kind, EntityId);
        var now = Clock.GetCurrentInstant();
        return await Commit(SummitRules.Update(current, draft, actor, now), actor, now, note: null);
    }

    public async Task<SummitEdition> SwitchMode(SummitMode mode, string reason, Actor actor)
    {
        AccessRules.EnsureSwitchMode(actor, EntityId);
        var current = Existing();
        var now = Clock.GetCurrentInstant();
        return await Commit(SummitRules.SwitchMode(current, mode, reason, actor, now), actor, now, reason);
    }
}
