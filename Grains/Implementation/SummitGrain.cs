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
        EnsureNew();
        var now = Clock.GetCurrentInstant();
        var result = SummitRules.Create(EntityId, draft, actor, now);
        return await Commit(result, actor, now, note: null);
    }

    public async Task<SummitEdition> Update(SummitDraft draft, Actor actor, int? expectedVersion = null)
    {
        var current = Existing(expectedVersion);
        var now = Clock.GetCurrentInstant();
        return await Commit(SummitRules.Update(current, draft, actor, now), actor, now, note: null);
    }

    public async Task<SummitEdition> SwitchMode(SummitMode mode, string reason, Actor actor)
    {
        var current = Existing();
        var now = Clock.GetCurrentInstant();
        return await Commit(SummitRules.SwitchMode(current, mode, reason, actor, now), actor, now, reason);
    }
}
