using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A preparation task. Key: <see cref="GrainKeys.Of"/>(summit, taskId).</summary>
[Alias("summit.IPreparationTaskGrain")]
public interface IPreparationTaskGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<PreparationTask?> Get();
    [Alias("create")] Task<PreparationTask> Create(TaskDraft draft, Actor actor);
    /// <summary>A change judged by the grain as a PATCH is (<see cref="PatchCommand{TChange}"/>), the actor's access included.</summary>
    [Alias("change")] Task<PreparationTask> Change(TaskChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<TaskWritten> Patch(PatchCommand<TaskChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
