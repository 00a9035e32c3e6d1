using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A summit edition. Key: the summit code, e.g. <c>wyss-2020</c>.</summary>
[Alias("summit.ISummitGrain")]
public interface ISummitGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<SummitEdition?> Get();
    [Alias("create")] Task<SummitEdition> Create(SummitDraft draft, Actor actor);
    [Alias("update")] Task<SummitEdition> Update(SummitDraft draft, Actor actor, int? expectedVersion = null);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();

    /// <summary>Switches the contingency plan; <paramref name="reason"/> (required) becomes the history note. Same mode: no change.</summary>
    [Alias("switch-mode")] Task<SummitEdition> SwitchMode(SummitMode mode, string reason, Actor actor);
}
