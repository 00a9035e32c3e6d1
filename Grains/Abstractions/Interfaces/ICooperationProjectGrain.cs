using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A cooperation project. Key: <see cref="GrainKeys.Of"/>(summit, projectId).</summary>
[Alias("summit.ICooperationProjectGrain")]
public interface ICooperationProjectGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<CooperationProject?> Get();
    [Alias("create")] Task<CooperationProject> Create(ProjectDraft draft, Actor actor);
    [Alias("change")] Task<CooperationProject> Change(ProjectChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<CooperationProject> Patch(PatchCommand<ProjectChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
