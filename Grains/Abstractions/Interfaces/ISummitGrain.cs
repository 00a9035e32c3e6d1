using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

// Conventions for every entity grain:
// - Get answers null when the entity was never created; commands on it throw EntityNotFoundException.
// - Commands validate everything first and throw DomainValidationException naming the fields; nothing changes then.
// - expectedVersion, when given, must equal the stored version, else VersionConflictException.
// - A command returns only after the new state is persisted; its result carries the new version.
// - Reads interleave: they answer the last persisted state, never a change still being written.

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

/// <summary>A county's sub-venue and its sub-events. Key: <see cref="GrainKeys.Of"/>(summit, countyCode).</summary>
[Alias("summit.ICountyVenueGrain")]
public interface ICountyVenueGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<CountyVenue?> Get();
    [Alias("create")] Task<CountyVenue> Create(CountyDraft draft, Actor actor);
    [Alias("change")] Task<CountyVenue> Change(CountyChange change, Actor actor, int? expectedVersion = null);
    [Alias("patch")] Task<CountyVenue> Patch(PatchCommand<CountyChange> command);
    /// <summary>Adds a sub-event; <paramref name="subEventId"/> is a code unique within the county.</summary>
    [Alias("add-subevent")] Task<SubEvent> AddSubEvent(string subEventId, SubEventDraft draft, Actor actor);
    /// <param name="expectedVersion">The sub-event's own version, not the county's.</param>
    [Alias("change-subevent")] Task<SubEvent> ChangeSubEvent(string subEventId, SubEventChange change, Actor actor, int? expectedVersion = null);
    /// <summary>A PATCH of one sub-event in one call; If-Match names the sub-event's version.</summary>
    [Alias("patch-subevent")] Task<SubEvent> PatchSubEvent(string subEventId, PatchCommand<SubEventChange> command);
    [Alias("history"), AlwaysInterleave] Task<IReadOnlyList<HistoryEntry>> GetHistory();
}

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

/// <summary>
/// The ids of one kind of entity in one summit, read from the store of record. Key: the summit's code
/// (<see cref="GrainKeys.AllSummits"/> lists the summits). Stateless: nothing about a summit's entities is kept in a grain.
/// </summary>
[Alias("summit.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    [Alias("list-kind")] Task<IReadOnlyList<string>> List(EntityKind kind);
}
