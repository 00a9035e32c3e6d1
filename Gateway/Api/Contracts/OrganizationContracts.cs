using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateOrganizationRequest(
    [property: Description("A code (a-z, 0-9, '-'), unique in the summit; generated when left out.")] string? Code,
    [property: Description("Its name, e.g. 平阳县科学技术协会 (at most 100 characters).")] string? Name,
    [property: Description("society, company, school, agency or other.")] OrganizationCategory? Category,
    [property: Description("The county or university it is registered under (county:pingyang); left out: the city level (secretariat only). A county or university registers under itself.")] string? ParentUnit,
    [property: Description("A contact person and telephone (at most 200 characters).")] string? Contact,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public OrganizationDraft ToDraft(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(Name!, Required.Value(errors, "category", Category), QueryValues.Unit(errors, "parentUnit", ParentUnit), Contact, Note);
    }
}

/// <summary>A partial update; members left out stay as they are. The parent unit is fixed.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OrganizationPatch(
    string? Name,
    OrganizationCategory? Category,
    string? Contact,
    [property: Description("true: no new campaign or forward addresses it; false: active again.")] bool? Archived,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public OrganizationChange ToChange(FieldErrors errors) => new(Name, Category, Contact, Archived, Note);
}

/// <summary>The organisation list's filters and paging.</summary>
public readonly record struct OrganizationListQuery(
    [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription + " An organisation is found by its name.")] string? Q,
    [property: FromQuery(Name = "parentUnit"), Description("Only those registered under this unit (county:pingyang), or 'city' for the city level.")] string? ParentUnit,
    [property: FromQuery(Name = "archived"), Description("true: only archived ones; false: only active ones; left out: both.")] bool? Archived,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);
