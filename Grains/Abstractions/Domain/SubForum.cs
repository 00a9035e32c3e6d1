using NodaTime;

namespace Summit.Domain;

/// <summary>The sub-forum pipeline, in order. See <see cref="Rules.Transitions"/> for which moves are allowed.</summary>
[GenerateSerializer]
public enum SubForumStatus
{
    Planned,
    ProgrammeSet,
    SpeakersConfirmed,
    VenueReady,
    Rehearsed,
    Live,
    Concluded,
}

[GenerateSerializer]
public enum EventFormat
{
    Offline,
    Online,
    Hybrid,
}

[GenerateSerializer, Immutable, Alias("summit.speaker")]
public sealed record Speaker(string Name, string? Affiliation = null, bool Confirmed = false);

[GenerateSerializer, Immutable, Alias("summit.subforum-draft")]
public sealed record SubForumDraft(
    string Theme,
    LocalDate Day,
    LocalTime Start,
    LocalTime End,
    string Venue,
    EventFormat Format,
    string? HostUniversity = null,
    IReadOnlyList<Speaker>? Speakers = null);

[GenerateSerializer, Immutable, Alias("summit.subforum-change")]
public sealed record SubForumChange(
    string? Theme = null,
    LocalDate? Day = null,
    LocalTime? Start = null,
    LocalTime? End = null,
    string? Venue = null,
    EventFormat? Format = null,
    string? HostUniversity = null,
    IReadOnlyList<Speaker>? Speakers = null,
    SubForumStatus? Status = null,
    string? Note = null);

[GenerateSerializer, Immutable, Alias("summit.subforum")]
public sealed record SubForum(
    string Summit,
    string Id,
    string Theme,
    string? HostUniversity,
    LocalDate Day,
    LocalTime Start,
    LocalTime End,
    string Venue,
    EventFormat Format,
    IReadOnlyList<Speaker> Speakers,
    SubForumStatus Status,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy)
{
    public int PlannedSpeakers => Speakers.Count;
    public int ConfirmedSpeakers => Speakers.Count(s => s.Confirmed);
}
