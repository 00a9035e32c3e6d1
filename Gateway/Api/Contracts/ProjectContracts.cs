using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PartnerInput(string? Name, PartnerKind? Kind)
{
    public Partner ToDomain(FieldErrors errors, string field) => new(Name!, Required.Value(errors, $"{field}.kind", Kind));
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateProjectRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out.")] string? Id,
    string? Title,
    string? Industry,
    IReadOnlyList<PartnerInput?>? Partners,
    [property: Description("Code of the county the project lands in, if any.")] string? County,
    [property: Description("Codes of partner universities of this summit.")] IReadOnlyList<string>? Universities,
    [property: Description("0-1,000,000 (default 0).")] int? EnterprisesInvolved,
    [property: Description("Default identified; signed deals may be entered at their stage.")] ProjectStage? Stage,
    [property: Description("Required for signed and landed; inside the preparation window.")] LocalDate? SigningDate)
{
    public ProjectDraft ToDraft(FieldErrors errors) => new(
        Title!,
        Industry!,
        Partners.ToDomain(errors) ?? [],
        County,
        Universities,
        EnterprisesInvolved ?? 0,
        Stage ?? ProjectStage.Identified,
        SigningDate);
}

/// <summary>A partial update; members left out stay as they are. <c>stage</c> moves the project one stage on or back.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ProjectPatch(
    string? Title,
    string? Industry,
    [property: Description("The whole new list of partners.")] IReadOnlyList<PartnerInput?>? Partners,
    [property: Description("An empty string clears it.")] string? County,
    [property: Description("The whole new list of university codes.")] IReadOnlyList<string>? Universities,
    int? EnterprisesInvolved,
    ProjectStage? Stage,
    LocalDate? SigningDate,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public ProjectChange ToChange(FieldErrors errors) => new(
        Title, Industry, Partners.ToDomain(errors), County, Universities, EnterprisesInvolved, Stage, SigningDate, Note);
}

internal static class PartnerInputs
{
    public static Partner[]? ToDomain(this IReadOnlyList<PartnerInput?>? partners, FieldErrors errors) =>
        partners?.Select((p, i) => p?.ToDomain(errors, $"partners[{i}]")!).ToArray();
}
