using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A partner university. Key: <see cref="GrainKeys.Of"/>(summit, universityCode).</summary>
[Alias("summit.IPartnerUniversityGrain")]
public interface IPartnerUniversityGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<PartnerUniversity?> Get();
    [Alias("create")] Task<PartnerUniversity> Create(UniversityDraft draft, Actor actor);
    [Alias("change")] Task<PartnerUniversity> Change(UniversityChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<PartnerUniversity> Patch(PatchCommand<UniversityChange> command);
    /// <summary>Called by sub-forum and project grains, which own those links. Idempotent.</summary>
    [Alias("link")] Task Link(EntityKind kind, string id, bool linked);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}
