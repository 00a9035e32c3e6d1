using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>
/// A registered organisation: its changes go through the shared commit path of <see cref="EntityGrain{TEntity}"/>. Creating
/// one checks that its parent county or university is a unit of the summit.
/// </summary>
[GrainType("summit.organization")]
public sealed class OrganizationGrain(
    IEntityStore store,
    NodaTime.IClock clock)
    : SummitScopedGrain<Organization>(store, clock), IOrganizationGrain
{
    protected override EntityKind Kind => EntityKind.Organization;

    protected override int VersionOf(Organization entity) => entity.Version;

    public Task<Organization?> Get() => Task.FromResult(Current);

    public async Task<Organization> Create(OrganizationDraft draft, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(draft);
        AccessRules.EnsureRegister(actor, draft.ParentUnit, EntityId);
        EnsureNew();
        await GetSummitAsync();
        var errors = new FieldErrors();
        if (draft.ParentUnit is { Kind: UnitKind.County, Code: var county } && FieldErrors.IsCode(county)
            && await GrainFactory.GetGrain<ICountyVenueGrain>(GrainKeys.Of(SummitCode, county)).Get() is null)
            errors.Add("parentUnit", $"county '{county}' is not a county of summit '{SummitCode}'.");
        if (draft.ParentUnit is { Kind: UnitKind.University, Code: var university })
            await CheckUniversitiesAsync(errors, [("parentUnit", university)]);
        var now = Clock.GetCurrentInstant();
        return await Commit(OrganizationRules.Create(SummitCode, EntityId, draft, actor, now, errors), actor, now, draft.Note);
    }

    public Task<Organization> Patch(PatchCommand<OrganizationChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureWrite(command.Actor, ResourceScope.Of(current), EntityKind.Organization, current.Code),
            ChangeAsync);

    private async Task<Organization> ChangeAsync(OrganizationChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var now = Clock.GetCurrentInstant();
        return await Commit(OrganizationRules.Apply(current, change, actor, now), actor, now, change.Note);
    }
}
