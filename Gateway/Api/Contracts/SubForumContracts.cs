using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SpeakerInput(string? Name, string? Affiliation, bool? Confirmed)
{
    public Speaker ToDomain() => new(Name!, Affiliation, Confirmed ?? false);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSubForumRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out.")] string? Id,
    string? Theme,
    [property: Description("One of the summit's days.")] LocalDate? Day,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter)), Description("Local time in the summit's time zone, e.g. 14:00.")] LocalTime? Start,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter)), Description("Local time in the summit's time zone, after start.")] LocalTime? End,
    string? Venue,
    EventFormat? Format,
    [property: Description("Code of a partner university of this summit.")] string? HostUniversity,
    IReadOnlyList<SpeakerInput?>? Speakers)
{
    [Description("Contingency plan: the summit mode (offline, online, hybrid) this sub-forum belongs to; left out for every mode.")]
    public SummitMode? Plan { get; init; }

    public SubForumDraft ToDraft(FieldErrors errors) => new(
        Theme!,
        Required.Value(errors, "day", Day),
        Required.Value(errors, "start", Start),
        Required.Value(errors, "end", End),
        Venue!,
        Required.Value(errors, "format", Format),
        HostUniversity,
        Speakers?.Select(s => s?.ToDomain()!).ToArray())
    {
        Plan = Plan,
    };
}

/// <summary>A partial update; members left out stay as they are. <c>status</c> moves the sub-forum along its pipeline.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubForumPatch(
    string? Theme,
    LocalDate? Day,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter))] LocalTime? Start,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter))] LocalTime? End,
    string? Venue,
    EventFormat? Format,
    [property: Description("An empty string clears it.")] string? HostUniversity,
    [property: Description("The whole new list of speakers.")] IReadOnlyList<SpeakerInput?>? Speakers,
    SubForumStatus? Status,
    [property: Description("Why; kept in the history.")] string? Note)
{
    [Description("Contingency plan (secretariat): offline, online, hybrid, or all (every mode).")]
    public TaskPlan? Plan { get; init; }

    public SubForumChange ToChange() => new(
        Theme, Day, Start, End, Venue, Format, HostUniversity, Speakers?.Select(s => s?.ToDomain()!).ToArray(), Status, Note)
    {
        Plan = Plan?.ToChoice(),
    };
}
