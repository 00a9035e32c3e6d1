using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateAllianceRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out.")] string? Id,
    [property: Description("The Chinese name, e.g. 泵阀产业产学研用协同创新联盟.")] string? Name,
    [property: Description("The English name, if any.")] string? NameEn,
    [property: Description("The field or industry it serves, e.g. 泵阀.")] string? Field,
    [property: Description("The unit that leads it: a county, a partner university or a secretariat department.")] UnitInput? LeadUnit,
    [property: Description("Names of member units (societies, institutes, universities).")] IReadOnlyList<string>? MemberUnits,
    [property: Description("Names of member enterprises.")] IReadOnlyList<string>? MemberEnterprises,
    [property: Description("Default proposed; signed alliances may be entered as signed, with their signing date.")] AllianceStatus? Status,
    [property: Description("Required when signed; inside the preparation window.")] LocalDate? SigningDate)
{
    public AllianceDraft ToDraft(FieldErrors errors) => new(
        Name!,
        Field!,
        LeadUnit?.ToDomain(errors, "leadUnit")!,
        NameEn,
        MemberUnits,
        MemberEnterprises,
        Status ?? AllianceStatus.Proposed,
        SigningDate);
}

/// <summary>A partial update; members left out stay as they are. <c>status</c> moves as the alliance pipeline allows.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AlliancePatch(
    string? Name,
    [property: Description("An empty string clears it.")] string? NameEn,
    string? Field,
    UnitInput? LeadUnit,
    [property: Description("The whole new list of member units.")] IReadOnlyList<string>? MemberUnits,
    [property: Description("The whole new list of member enterprises.")] IReadOnlyList<string>? MemberEnterprises,
    [property: Description("proposed → forming → signed, or cancelled; signed may go back to forming, cancelled to proposed.")] AllianceStatus? Status,
    LocalDate? SigningDate,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public AllianceChange ToChange(FieldErrors errors) => new(
        Name, NameEn, Field, LeadUnit?.ToDomain(errors, "leadUnit"), MemberUnits, MemberEnterprises, Status, SigningDate, Note);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateFinalistRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out.")] string? Id,
    string? ProjectName,
    [property: Description("The team, e.g. its name or its leader.")] string? Team,
    [property: Description("The team's university (any university, by name).")] string? University,
    string? Country,
    [property: Description("The competition track, e.g. 生命健康.")] string? Track,
    [property: Description("Default nominated.")] FinalistStatus? Status,
    [property: Description("Code of the sub-forum it presents at, if any.")] string? SubForum)
{
    public FinalistDraft ToDraft() => new(
        ProjectName!, Team!, University!, Country!, Track!, Status ?? FinalistStatus.Nominated, SubForum);
}

/// <summary>A partial update; members left out stay as they are. <c>status</c> moves as the finalist pipeline allows.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FinalistPatch(
    string? ProjectName,
    string? Team,
    string? University,
    string? Country,
    string? Track,
    [property: Description("nominated → confirmed or withdrawn; confirmed may go back to nominated or be withdrawn, withdrawn nominated again.")] FinalistStatus? Status,
    [property: Description("An empty string clears it.")] string? SubForum,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public FinalistChange ToChange(FieldErrors errors) => new(ProjectName, Team, University, Country, Track, Status, SubForum, Note);
}

/// <summary>The alliance list's <c>q</c>, <c>status</c>, <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct AllianceListQuery(
    [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription)] string? Q,
    [property: FromQuery(Name = "status"), Description("A status: proposed, forming, signed or cancelled.")] string? Status,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

/// <summary>The finalist list's <c>q</c>, <c>status</c>, <c>track</c>, <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct FinalistListQuery(
    [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription)] string? Q,
    [property: FromQuery(Name = "status"), Description("A status: nominated, confirmed or withdrawn.")] string? Status,
    [property: FromQuery(Name = "track"), Description("A track, exactly as written (e.g. 生命健康).")] string? Track,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);
