using NodaTime;

namespace Summit.Domain;

[GenerateSerializer]
public enum SubEventStatus
{
    Planned,
    Preparing,
    Ready,
    Held,
    Cancelled,
}

/// <summary>The readiness checklist every county sub-event goes through.</summary>
[GenerateSerializer]
public enum ChecklistItem
{
    Venue,
    Programme,
    Guests,
    EpidemicPrevention,
    Publicity,
    Logistics,
}

[GenerateSerializer]
public enum ChecklistState
{
    Open,
    InProgress,
    Done,
}

[GenerateSerializer, Immutable, Alias("summit.last-update")]
public sealed record LastUpdate(string Account, Instant At, string? Note);

[GenerateSerializer, Immutable, Alias("summit.county-draft")]
public sealed record CountyDraft(string Name, string Venue, string? Lead = null);

[GenerateSerializer, Immutable, Alias("summit.county-change")]
public sealed record CountyChange(string? Name = null, string? Venue = null, string? Lead = null, string? Note = null);

[GenerateSerializer, Immutable, Alias("summit.subevent-draft")]
public sealed record SubEventDraft(string Title, LocalDate? Date = null, string? Venue = null)
{
    /// <summary>Contingency plan: the one summit mode this sub-event belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }
}

/// <summary>A partial update of a sub-event; <see cref="Checklist"/> holds only the items being changed.</summary>
[GenerateSerializer, Immutable, Alias("summit.subevent-change")]
public sealed record SubEventChange(
    string? Title = null,
    LocalDate? Date = null,
    string? Venue = null,
    SubEventStatus? Status = null,
    IReadOnlyDictionary<ChecklistItem, ChecklistState>? Checklist = null,
    string? Note = null)
{
    /// <summary>Contingency plan: a new plan, or <see cref="PlanChoice.AllModes"/> to clear it; null leaves it.</summary>
    [Id(100)] public PlanChoice? Plan { get; init; }
}

[GenerateSerializer, Immutable, Alias("summit.subevent")]
public sealed record SubEvent(
    string Id,
    string Title,
    LocalDate? Date,
    string? Venue,
    SubEventStatus Status,
    IReadOnlyDictionary<ChecklistItem, ChecklistState> Checklist,
    int Version,
    LastUpdate LastUpdate)
{
    public int ChecklistDone => Checklist.Count(c => c.Value == ChecklistState.Done);

    // Contingency plans (see ContingencyPlan): kept out of the positional members so older stored JSON reads as "all modes".

    /// <summary>The summit mode whose plan this sub-event belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }

    /// <summary>True while the summit runs in another mode than <see cref="Plan"/>. Status, checklist and history are kept.</summary>
    [Id(101)] public bool SetAside { get; init; }

    /// <summary>Still to be prepared or held: not cancelled and not set aside by the contingency plan.</summary>
    public bool IsActive => Status != SubEventStatus.Cancelled && !SetAside;
}

/// <summary>A county's (or district's) sub-venue and the sub-events it runs.</summary>
[GenerateSerializer, Immutable, Alias("summit.county")]
public sealed record CountyVenue(
    string Summit,
    string County,
    string Name,
    string Venue,
    string? Lead,
    IReadOnlyList<SubEvent> SubEvents,
    int Version,
    LastUpdate LastUpdate);
