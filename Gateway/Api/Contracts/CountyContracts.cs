using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateCountyRequest(
    [property: Description("The county's code, e.g. pingyang; it is the venue's id in URLs.")] string? County,
    string? Name,
    string? Venue,
    string? Lead)
{
    public CountyDraft ToDraft() => new(Name!, Venue!, Lead);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CountyPatch(
    string? Name,
    string? Venue,
    [property: Description("An empty string clears it.")] string? Lead,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public CountyChange ToChange() => new(Name, Venue, Lead, Note);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSubEventRequest(
    [property: Description("A code unique within the county; generated when left out.")] string? Id,
    string? Title,
    [property: Description("Inside the summit's preparation window.")] LocalDate? Date,
    string? Venue)
{
    [Description("Contingency plan (secretariat): the summit mode (offline, online, hybrid) this sub-event belongs to; left out for every mode.")]
    public SummitMode? Plan { get; init; }

    public SubEventDraft ToDraft() => new(Title!, Date, Venue) { Plan = Plan };
}

/// <summary>
/// A partial update of a sub-event. <c>checklist</c> holds only the items being changed, e.g.
/// <c>{"venue": "done", "guests": "inProgress"}</c>; <c>ready</c> needs every item done.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubEventPatch(
    string? Title,
    LocalDate? Date,
    string? Venue,
    SubEventStatus? Status,
    [property: Description("Checklist items to change and their new states.")] IReadOnlyDictionary<ChecklistItem, ChecklistState>? Checklist,
    [property: Description("Why; kept in the county's history (at most 2000 characters).")] string? Note)
{
    [Description("Contingency plan (secretariat): offline, online, hybrid, or all (every mode).")]
    public TaskPlan? Plan { get; init; }

    public SubEventChange ToChange() => new(Title, Date, Venue, Status, Checklist, Note) { Plan = Plan?.ToChoice() };
}
