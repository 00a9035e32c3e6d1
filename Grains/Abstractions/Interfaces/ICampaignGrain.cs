using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A campaign. Key: <see cref="GrainKeys.Of"/>(summit, campaignId).</summary>
[Alias("summit.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<Campaign?> Get();
    [Alias("create")] Task<Campaign> Create(CampaignDraft draft, Actor actor);
    [Alias("change")] Task<Campaign> Change(CampaignChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<Campaign> Patch(PatchCommand<CampaignChange> command);
    /// <summary>Creates this campaign as a unit's forward of another (<see cref="CampaignForward.Parent"/>); the key is <see cref="Rules.CampaignRules.ForwardId"/>.</summary>
    [Alias("forward")] Task<Campaign> Forward(CampaignForward forward, Actor actor);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
