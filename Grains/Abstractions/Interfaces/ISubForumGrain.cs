using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A sub-forum. Key: <see cref="GrainKeys.Of"/>(summit, subForumId).</summary>
[Alias("summit.ISubForumGrain")]
public interface ISubForumGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<SubForum?> Get();
    [Alias("create")] Task<SubForum> Create(SubForumDraft draft, Actor actor);
    [Alias("change")] Task<SubForum> Change(SubForumChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<SubForum> Patch(PatchCommand<SubForumChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
