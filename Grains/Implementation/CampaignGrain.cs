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
        var facts = await FactsAsync();
        var now = Clock.GetCurrentInstant();
        return await Commit(CampaignRules.Create(SummitCode, EntityId, draft, summit, facts, actor, now), actor, now, draft.Note);
    }

    public Task<Campaign> Change(CampaignChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<Campaign> Patch(PatchCommand<CampaignChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<Campaign> ChangeAsync(CampaignChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var facts = await FactsAsync();
        var now = Clock.GetCurrentInstant();
        return await Commit(CampaignRules.Apply(current, change, summit, facts, actor, now), actor, now, change.Note);
    }

    private async Task<CampaignFacts> FactsAsync()
    {
        var counties = queries.ListIdsAsync(SummitCode, EntityKind.County);
        var universities = queries.ListIdsAsync(SummitCode, EntityKind.University);
        var settings = await GrainFactory.GetGrain<IDeadlinesGrain>(SummitCode).GetSettings();
        return new CampaignFacts(await counties, await universities, settings.BuildCalendar());
    }
}
