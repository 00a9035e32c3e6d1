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
    IReadOnlyList<Speaker>? Speakers = null)
{
    /// <summary>Contingency plan: the summit mode this sub-forum (in this format) belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }
}

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
    string? Note = null)
{
    /// <summary>Contingency plan: a new plan, or <see cref="PlanChoice.AllModes"/> to clear it; null leaves it.</summary>
    [Id(100)] public PlanChoice? Plan { get; init; }
}

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

    // Contingency plans (see ContingencyPlan): kept out of the positional members so older stored JSON reads as "all modes".

    /// <summary>The summit mode whose plan this sub-forum belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }

    /// <summary>True while the summit runs in another mode than <see cref="Plan"/>. Status and history are kept untouched.</summary>
    [Id(101)] public bool SetAside { get; init; }
}
