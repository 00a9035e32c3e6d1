using System.ComponentModel;
using System.Text.Json.Serialization;
using Summit.Domain;

namespace Summit.Gateway.Api.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateUniversityRequest(
    [property: Description("The university's code, e.g. wmu; its id in URLs and in university-<code> accounts.")] string? Code,
    string? Name,
    string? ContactUnit,
    [property: Description("Default contacted.")] EngagementStatus? Engagement)
{
    public UniversityDraft ToDraft() => new(Name!, ContactUnit!, Engagement ?? EngagementStatus.Contacted);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UniversityPatch(
    string? Name,
    string? ContactUnit,
    EngagementStatus? Engagement,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public UniversityChange ToChange() => new(Name, ContactUnit, Engagement, Note);
}
