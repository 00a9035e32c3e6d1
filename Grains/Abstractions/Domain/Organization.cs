using NodaTime;

namespace Summit.Domain;

/// <summary>What kind of organisation a registered unit is, as campaigns address them (学会, 企业, 学校, 机关).</summary>
[GenerateSerializer]
public enum OrganizationCategory
{
    /// <summary>A learned society or science association (学会、科协).</summary>
    Society,
    /// <summary>A company (企业).</summary>
    Company,
    /// <summary>A school, college or research institute (学校、科研院所).</summary>
    School,
    /// <summary>A government office, township or street office (机关、乡镇街道).</summary>
    Agency,
    Other,
}

[GenerateSerializer, Immutable, Alias("summit.organization-draft")]
public sealed record OrganizationDraft(
    string Name,
    OrganizationCategory Category,
    OwningUnit? ParentUnit = null,
    string? Contact = null,
    string? Note = null);

/// <summary>A partial update: every null member is left as it is. The parent unit is fixed once registered.</summary>
[GenerateSerializer, Immutable, Alias("summit.organization-change")]
public sealed record OrganizationChange(
    string? Name = null,
    OrganizationCategory? Category = null,
    string? Contact = null,
    bool? Archived = null,
    string? Note = null);

/// <summary>
/// A registered organisation of the summit (the unit register beyond counties, universities and secretariat
/// departments): a society, company, school or office, under a county or a university (<see cref="ParentUnit"/>: that unit
/// registers it and forwards campaigns to it) or at the city level (no parent: the secretariat's). Its accounts read the
/// campaigns addressed to it and hand in its submissions.
/// </summary>
/// <param name="Code">Its code, unique in the summit (e.g. <c>pingyang-kx</c>); its unit is <c>organization:{code}</c>.</param>
/// <param name="Contact">A contact person and telephone, as written.</param>
/// <param name="Archived">No longer addressed by new campaigns; kept with its history and submissions.</param>
[GenerateSerializer, Immutable, Alias("summit.organization")]
public sealed record Organization(
    string Summit,
    string Code,
    string Name,
    OrganizationCategory Category,
    OwningUnit? ParentUnit,
    string? Contact,
    bool Archived,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy)
{
    public OwningUnit Unit => OwningUnit.Organization(Code);
}
