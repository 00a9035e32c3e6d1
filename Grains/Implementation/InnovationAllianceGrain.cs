using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>An innovation alliance: its changes go through the shared commit path of <see cref="EntityGrain{TEntity}"/>.</summary>
[GrainType("summit.alliance")]
public sealed class InnovationAllianceGrain(
    IEntityStore store,
    NodaTime.IClock clock)
    : SummitScopedGrain<InnovationAlliance>(store, clock), IInnovationAllianceGrain
{
    protected override EntityKind Kind => EntityKind.Alliance;

    protected override int VersionOf(InnovationAlliance entity) => entity.Version;

    public Task<InnovationAlliance?> Get() => Task.FromResult(Current);

    public async Task<InnovationAlliance> Create(AllianceDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Alliance, ResourceScope.Summit, "innovation alliances");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        var summit = await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        return await Commit(AllianceRules.Create(SummitCode, EntityId, draft, summit, actor, now), actor, now, note: null);
    }

    public Task<InnovationAlliance> Change(AllianceChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<InnovationAlliance> Patch(PatchCommand<AllianceChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<InnovationAlliance> ChangeAsync(AllianceChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var now = Clock.GetCurrentInstant();
        return await Commit(AllianceRules.Apply(current, change, summit, actor, now), actor, now, change.Note);
    }
}
