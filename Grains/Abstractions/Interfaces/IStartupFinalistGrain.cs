using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A University Startup World Cup finalist. Key: <see cref="GrainKeys.Of"/>(summit, finalistId).</summary>
[Alias("summit.IStartupFinalistGrain")]
public interface IStartupFinalistGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<StartupFinalist?> Get();
    [Alias("create")] Task<StartupFinalist> Create(FinalistDraft draft, Actor actor);
    [Alias("change")] Task<StartupFinalist> Change(FinalistChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<StartupFinalist> Patch(PatchCommand<FinalistChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
