using System.Text.Json;
using Summit.Domain;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>
/// One unit's submission to a campaign (key <c>{summit}/{campaign}:{unit}</c>). Each command reads the campaign as stored
/// (its status, addressees, template and deadline; a small row) and is judged in the API's order: the summit, access
/// (<see cref="AccessRules.EnsureSubmission"/>: 404 or 403), the body's errors (400), If-Match (412), the rules (400).
/// A submit commits the new state, its history row and the numbered version (<see cref="SubmissionVersion"/>, in
/// <c>summit_entity_snapshot</c>) in one transaction. The state is the current submission only; versions are rows.
/// </summary>
[GrainType("summit.submission")]
public sealed class SubmissionGrain(
    IEntityStore store,
    NodaTime.IClock clock)
    : SummitScopedGrain<Submission>(store, clock), ISubmissionGrain
{
    protected override EntityKind Kind => EntityKind.Submission;

    protected override int VersionOf(Submission entity) => entity.Version;

    public Task<Submission?> Get() => Task.FromResult(Current);

    public async Task<Submission?> Read(Actor actor)
    {
        var (campaign, unit) = await CampaignAsync();
        AccessRules.EnsureSubmission(actor, campaign, unit, action: null);
        return Current;
    }

    public Task<Submission> Act(SubmissionChange change, Actor actor, IReadOnlyDictionary<string, string[]>? inputErrors = null, WriteCondition? ifMatch = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return JudgedAsync(async summit =>
        {
            var (campaign, unit) = await CampaignAsync();
            AccessRules.EnsureSubmission(actor, campaign, unit, change.Action);
            if (inputErrors is { Count: > 0 }) throw new DomainValidationException(inputErrors);
            var version = Current?.Version ?? 0;
            if (!Replaying && ifMatch is { } condition && (Current is null || !condition.Matches(version)))
                throw new VersionConflictException(Kind, EntityId, condition.Named, version);
            if (Current is null && change.Action is SubmissionAction.Return or SubmissionAction.Accept && !Replaying)
                throw new EntityNotFoundException(Kind, EntityId);
            var now = Clock.GetCurrentInstant();
            var outcome = SubmissionRules.Apply(Current, SummitCode, EntityId, campaign, unit, change, summit.Zone, actor, now);
            var snapshot = outcome.Version is { } kept
                ? new EntitySnapshot(kept.Number, JsonSerializer.Serialize(kept, SummitJson.Options))
                : null;
            return await Commit(outcome.Result, actor, now, change.Note, snapshot);
        });
    }

    private async Task<(Campaign Campaign, OwningUnit Unit)> CampaignAsync()
    {
        var (campaignId, unit) = Submission.Parse(EntityId) ?? throw new EntityNotFoundException(Kind, EntityId);
        var stored = await LoadOtherAsync(new EntityKey(SummitCode, EntityKind.Campaign, campaignId));
        var campaign = stored is null ? null : JsonSerializer.Deserialize<Campaign>(stored.Json, SummitJson.Options);
        return (campaign ?? throw new EntityNotFoundException(EntityKind.Campaign, campaignId), unit);
    }
}
