using NodaTime;

namespace Summit.Domain;

/// <summary>
/// Where an innovation alliance stands. Proposed (an idea with a lead unit), Forming (members being gathered and the
/// charter drafted), Signed (the alliance agreement signed; counts toward the summit's alliance target), Cancelled.
/// </summary>
[GenerateSerializer]
public enum AllianceStatus
{
    Proposed,
    Forming,
    Signed,
    Cancelled,
}

[GenerateSerializer, Immutable, Alias("summit.alliance-draft")]
public sealed record AllianceDraft(
    string Name,
    string Field,
    OwningUnit LeadUnit,
    string? NameEn = null,
    IReadOnlyList<string>? MemberUnits = null,
    IReadOnlyList<string>? MemberEnterprises = null,
    AllianceStatus Status = AllianceStatus.Proposed,
    LocalDate? SigningDate = null);

[GenerateSerializer, Immutable, Alias("summit.alliance-change")]
public sealed record AllianceChange(
    string? Name = null,
    string? NameEn = null,
    string? Field = null,
    OwningUnit? LeadUnit = null,
    IReadOnlyList<string>? MemberUnits = null,
    IReadOnlyList<string>? MemberEnterprises = null,
    AllianceStatus? Status = null,
    LocalDate? SigningDate = null,
    string? Note = null);

/// <summary>
/// An industry-academia-research-application collaborative innovation alliance (产学研用协同创新联盟) set up around the
/// summit: its name, the field or industry it serves, the unit that leads it (a county, a partner university or a
/// secretariat department), the member units (societies, institutes, universities) and member enterprises by name.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.alliance")]
public sealed record InnovationAlliance(
    string Summit,
    string Id,
    string Name,
    string? NameEn,
    string Field,
    OwningUnit LeadUnit,
    IReadOnlyList<string> MemberUnits,
    IReadOnlyList<string> MemberEnterprises,
    AllianceStatus Status,
    LocalDate? SigningDate,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy);
