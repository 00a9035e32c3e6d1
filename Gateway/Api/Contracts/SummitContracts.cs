using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TargetsInput(int? InnovationAlliances, int? CooperationProjects, int? Enterprises, int? StartupFinalists)
{
    public SummitTargets ToDomain(FieldErrors errors) => new(
        Required.Value(errors, "targets.innovationAlliances", InnovationAlliances),
        Required.Value(errors, "targets.cooperationProjects", CooperationProjects),
        Required.Value(errors, "targets.enterprises", Enterprises),
        Required.Value(errors, "targets.startupFinalists", StartupFinalists));
}

/// <summary>A summit's whole definition: a PUT replaces it (the code never changes).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public record SummitDefinition(
    string? Name,
    string? City,
    LocalDate? OpeningDate,
    LocalDate? ClosingDate,
    [property: Description("A TZDB id, e.g. Asia/Shanghai.")] string? TimeZone,
    SummitMode? Mode,
    TargetsInput? Targets,
    [property: Description("First day of preparation; every dated thing of the summit falls between it and the closing date.")] LocalDate? PreparationStart)
{
    public SummitDraft ToDraft(FieldErrors errors) => new(
        Name!,
        City!,
        Required.Value(errors, "openingDate", OpeningDate),
        Required.Value(errors, "closingDate", ClosingDate),
        TimeZone!,
        Required.Value(errors, "mode", Mode),
        Targets?.ToDomain(errors)!,
        Required.Value(errors, "preparationStart", PreparationStart));
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSummitRequest(
    [property: Description("The summit's code, e.g. wyss-2020.")] string? Code,
    string? Name,
    string? City,
    LocalDate? OpeningDate,
    LocalDate? ClosingDate,
    string? TimeZone,
    SummitMode? Mode,
    TargetsInput? Targets,
    LocalDate? PreparationStart)
    : SummitDefinition(Name, City, OpeningDate, ClosingDate, TimeZone, Mode, Targets, PreparationStart);
