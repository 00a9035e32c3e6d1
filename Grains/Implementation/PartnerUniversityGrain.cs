using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

[GrainType("summit.university")]
public sealed class PartnerUniversityGrain(
    IEntityStore store,
    IClock clock)
    : SummitScopedGrain<PartnerUniversity>(store, clock), IPartnerUniversityGrain
{
    protected override EntityKind Kind => EntityKind.University;

    protected override int VersionOf(PartnerUniversity entity) => entity.Version;

    public Task<PartnerUniversity?> Get() => Task.FromResult(Current);


    public async Task<PartnerUniversity> Create(UniversityDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.University, ResourceScope.Summit, "partner universities");
        EnsureNew();
        await GetSummitAsync();
        var now = Clock.GetCurrentInstant();
        var result = UniversityRules.Create(SummitCode, EntityId, draft, actor, now);
        return await Commit(result, actor, now, note: null);
    }

    public Task<PartnerUniversity> Change(UniversityChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<PartnerUniversity> Patch(PatchCommand<UniversityChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureWrite(command.Actor, ResourceScope.Of(current), Kind, EntityId), ChangeAsync);

    private async Task<PartnerUniversity> ChangeAsync(UniversityChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var now = Clock.GetCurrentInstant();
        return await Commit(UniversityRules.Apply(current, change, actor, now), actor, now, change.Note);
    }

    /// <remarks>Persists the link but leaves version and history alone: the owning sub-forum or project records it.</remarks>
    public async Task Link(EntityKind kind, string id, bool linked)
    {
        var current = Existing();
        var next = UniversityRules.Link(current, kind, id, linked);
        if (!ReferenceEquals(next, current)) await Persist(next);
    }
}
