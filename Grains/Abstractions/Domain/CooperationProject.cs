using NodaTime;

namespace Summit.Domain;

[GenerateSerializer]
public enum ProjectStage
{
    Identified,
    Matched,
    Negotiating,
    ReadyToSign,
    Signed,
    Landed,
}

[GenerateSerializer]
public enum PartnerKind
{
    NationalSociety,
    Institute,
    Enterprise,
    University,
    Government,
    Association,
}

[GenerateSerializer, Immutable, Alias("summit.partner")]
public sealed record Partner(string Name, PartnerKind Kind);

[GenerateSerializer, Immutable, Alias("summit.project-draft")]
public sealed record ProjectDraft(
    string Title,
    string Industry,
    IReadOnlyList<Partner> Partners,
    string? County = null,
    IReadOnlyList<string>? Universities = null,
    int EnterprisesInvolved = 0,
    ProjectStage Stage = ProjectStage.Identified,
    LocalDate? SigningDate = null);

[GenerateSerializer, Immutable, Alias("summit.project-change")]
public sealed record ProjectChange(
    string? Title = null,
    string? Industry = null,
    IReadOnlyList<Partner>? Partners = null,
    string? County = null,
    IReadOnlyList<string>? Universities = null,
    int? EnterprisesInvolved = null,
    ProjectStage? Stage = null,
    LocalDate? SigningDate = null,
    string? Note = null);

[GenerateSerializer, Immutable, Alias("summit.project")]
public sealed record CooperationProject(
    string Summit,
    string Id,
    string Title,
    string Industry,
    IReadOnlyList<Partner> Partners,
    string? County,
    IReadOnlyList<string> Universities,
    ProjectStage Stage,
    int EnterprisesInvolved,
    LocalDate? SigningDate,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy);
