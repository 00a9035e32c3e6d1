using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>An innovation alliance. Key: <see cref="GrainKeys.Of"/>(summit, allianceId).</summary>
[Alias("summit.IInnovationAllianceGrain")]
public interface IInnovationAllianceGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<InnovationAlliance?> Get();
    [Alias("create")] Task<InnovationAlliance> Create(AllianceDraft draft, Actor actor);
    [Alias("change")] Task<InnovationAlliance> Change(AllianceChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<InnovationAlliance> Patch(PatchCommand<AllianceChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
