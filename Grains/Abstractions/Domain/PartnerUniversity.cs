using NodaTime;

namespace Summit.Domain;

[GenerateSerializer]
public enum EngagementStatus
{
    Contacted,
    Engaged,
    Committed,
    Withdrawn,
}

[GenerateSerializer, Immutable, Alias("summit.university-draft")]
public sealed record UniversityDraft(string Name, string ContactUnit, EngagementStatus Engagement = EngagementStatus.Contacted);

[GenerateSerializer, Immutable, Alias("summit.university-change")]
public sealed record UniversityChange(string? Name = null, string? ContactUnit = null, EngagementStatus? Engagement = null, string? Note = null);

/// <summary>
/// A partner university. <see cref="HostedSubForums"/> and <see cref="LinkedProjects"/> are kept by the
/// sub-forum and project grains, which own those relationships.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.university")]
public sealed record PartnerUniversity(
    string Summit,
    string Code,
    string Name,
    string ContactUnit,
    EngagementStatus Engagement,
    IReadOnlyList<string> HostedSubForums,
    IReadOnlyList<string> LinkedProjects,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy);
