using Summit.Deadlines;
using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>
/// A campaign: its changes go through the shared commit path of <see cref="EntityGrain{TEntity}"/>. Before each command it
/// reads the facts its rules need (<see cref="CampaignFacts"/>: the summit's counties and partner universities, from the
/// store's index, and the summit's working calendar, from its deadline engine); publishing resolves the audience with them.
/// </summary>
[GrainType("summit.campaign")]
public sealed class CampaignGrain(
    IEntityStore store,
    IEntityQueries queries,
    NodaTime.IClock clock)
    : SummitScopedGrain<Campaign>(store, clock), ICampaignGrain
{
    protected override EntityKind Kind => EntityKind.Campaign;

    protected override int VersionOf(Campaign entity) => entity.Version;

    public Task<Campaign?> Get() => Task.FromResult(Current);

    public async Task<Campaign> Create(CampaignDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Campaign, ResourceScope.Summit, "campaigns");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        var summit = await GetSummitAsync();
        var facts = await FactsAsync(owner: null, parent: null);
        var now = Clock.GetCurrentInstant();
        return await Commit(CampaignRules.Create(SummitCode, EntityId, draft, summit, facts, actor, now), actor, now, draft.Note);
    }

    public async Task<Campaign> Forward(CampaignForward forward, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(actor);
        var parent = FieldErrors.IsCode(forward.Parent)
            ? await GrainFactory.GetGrain<ICampaignGrain>(GrainKeys.Of(SummitCode, forward.Parent)).Get()
            : null;
        if (parent is null) throw new EntityNotFoundException(EntityKind.Campaign, forward.Parent);
        var unit = AccessRules.EnsureForward(actor, parent, forward.Unit);
        if (EntityId != CampaignRules.ForwardId(parent.Id, unit))
            throw new ArgumentException($"A forward of {parent.Id} by {unit} is kept as {CampaignRules.ForwardId(parent.Id, unit)}.", nameof(forward));
        EnsureNew();
        var summit = await GetSummitAsync();
        var facts = await FactsAsync(unit, parent);
        var now = Clock.GetCurrentInstant();
        return await Commit(CampaignRules.Forward(SummitCode, EntityId, forward, unit, summit, facts, actor, now), actor, now, forward.Note);
    }

    public Task<Campaign> Change(CampaignChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<Campaign> Patch(PatchCommand<CampaignChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<Campaign> ChangeAsync(CampaignChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var parent = current.Parent is { } id ? await GrainFactory.GetGrain<ICampaignGrain>(GrainKeys.Of(SummitCode, id)).Get() : null;
        var facts = await FactsAsync(current.Owner, parent);
        var now = Clock.GetCurrentInstant();
        return await Commit(CampaignRules.Apply(current, change, summit, facts, actor, now), actor, now, change.Note);
    }

    // The organisations a campaign may address: those registered under the forwarding unit, or at the city level for the
    // secretariat's campaigns; active ones only.
    private async Task<CampaignFacts> FactsAsync(OwningUnit? owner, Campaign? parent)
    {
        var counties = queries.ListIdsAsync(SummitCode, EntityKind.County);
        var universities = queries.ListIdsAsync(SummitCode, EntityKind.University);
        var organizations = queries.QueryEntitiesAsync(new EntityListQuery(SummitCode, EntityKind.Organization)
        {
            Parent = owner,
            CityLevel = owner is null,
            Archived = false,
        });
        var settings = await GrainFactory.GetGrain<IDeadlinesGrain>(SummitCode).GetSettings();
        var active = (await organizations).Items
            .Select(json => System.Text.Json.JsonSerializer.Deserialize<Organization>(json, Serialization.SummitJson.Options)!.Code).ToArray();
        return new CampaignFacts(await counties, await universities, settings.BuildCalendar()) { Organizations = active, Parent = parent };
    }
}
