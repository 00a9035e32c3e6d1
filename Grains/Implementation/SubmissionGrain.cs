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
    IFileCatalog fileCatalog,
    AttachmentLimits limits,
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
            var writing = change.Action is SubmissionAction.Save or SubmissionAction.Submit;
            var files = writing ? await AttachedFilesAsync(change.Files ?? Current?.Files ?? []) : null;
            var outcome = SubmissionRules.Apply(Current, SummitCode, EntityId, campaign, unit, change, summit.Zone, actor, now, files);
            // Marked attached before the commit, so pruning can never take a file a stored submission names; a commit
            // that then fails leaves the mark on a file nothing names, which costs space, not data.
            if (writing && change.Files is { Count: > 0 } listed && outcome.Result.IsNewVersion)
            {
                var attached = await fileCatalog.AttachAsync(SummitCode, listed, SubmissionFiles.AttachedTo(EntityId));
                var lost = listed.Where(id => !attached.Contains(id, StringComparer.Ordinal)).ToArray();
                if (lost.Length > 0)
                {
                    var errors = new FieldErrors();
                    foreach (var id in lost) errors.Add($"files[{listed.ToList().IndexOf(id)}]", $"'{id}' is attached to something else.");
                    errors.ThrowIfAny();
                }
            }
            var snapshot = outcome.Version is { } kept
                ? new EntitySnapshot(kept.Number, JsonSerializer.Serialize(kept, SummitJson.Options))
                : null;
            return await Commit(outcome.Result, actor, now, change.Note, snapshot);
        });
    }

    private async Task<AttachedFiles> AttachedFilesAsync(IReadOnlyList<string> ids)
    {
        var found = ids.Count == 0 ? [] : await fileCatalog.GetAsync(SummitCode, ids.Distinct(StringComparer.Ordinal).ToArray());
        return new AttachedFiles(found.ToDictionary(f => f.Id, StringComparer.Ordinal), limits.MaxBytes);
    }

    private async Task<(Campaign Campaign, OwningUnit Unit)> CampaignAsync()
    {
        var (campaignId, unit) = Submission.Parse(EntityId) ?? throw new EntityNotFoundException(Kind, EntityId);
        var stored = await LoadOtherAsync(new EntityKey(SummitCode, EntityKind.Campaign, campaignId));
        var campaign = stored is null ? null : JsonSerializer.Deserialize<Campaign>(stored.Json, SummitJson.Options);
        return (campaign ?? throw new EntityNotFoundException(EntityKind.Campaign, campaignId), unit);
    }
}
