using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

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
