using NodaTime;
using Summit.Storage;

namespace Summit.Domain;

/// <summary>
/// Where a campaign stands. Draft (being written; only the secretariat sees it), Published (sent to its units, which
/// may hand in their submissions), Closed (no more submissions; the secretariat still reviews), Archived (a draft set
/// aside, kept with its history). Published ⇄ Closed reopens; Archived ⇄ Draft restores.
/// </summary>
[GenerateSerializer]
public enum CampaignStatus
{
    Draft,
    Published,
    Closed,
    Archived,
}

/// <summary>
/// Who a campaign is addressed to: every unit of the kinds in <see cref="AllOf"/> (all counties, all universities) and
/// the units chosen one by one in <see cref="Units"/> (counties, universities, secretariat departments). Publishing
/// resolves it to the explicit list <see cref="Campaign.Addressees"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.campaign-audience")]
public sealed record CampaignAudience(
    [property: Id(0)] IReadOnlyList<UnitKind> AllOf,
    [property: Id(1)] IReadOnlyList<OwningUnit> Units)
{
    public static CampaignAudience None { get; } = new([], []);

    public bool IsEmpty => AllOf.Count == 0 && Units.Count == 0;
}

/// <summary>
/// What each submission must hold: a text for every section in <see cref="Sections"/> (by title, e.g. 活动总结, 主要成效),
/// at least <see cref="MinImages"/> images, and files only of the kinds in <see cref="FileKinds"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.submission-template")]
public sealed record SubmissionTemplate(
    [property: Id(0)] IReadOnlyList<string> Sections,
    [property: Id(1)] int MinImages,
    [property: Id(2)] IReadOnlyList<FileKind> FileKinds)
{
    public static SubmissionTemplate Empty { get; } = new([], 0, [FileKind.Image, FileKind.Document]);
}

/// <summary>The secretariat department (<see cref="SecretariatDepartments"/>) that receives and reviews the submissions of one kind of unit.</summary>
[GenerateSerializer, Immutable, Alias("summit.campaign-receiver")]
public sealed record ReceivingOffice([property: Id(0)] UnitKind UnitKind, [property: Id(1)] string Department);

[GenerateSerializer, Immutable, Alias("summit.campaign-draft")]
public sealed record CampaignDraft(
    string Title,
    string? Body = null,
    LocalDate? PeriodStart = null,
    LocalDate? PeriodEnd = null,
    CampaignAudience? Audience = null,
    Deadline? Deadline = null,
    SubmissionTemplate? Template = null,
    IReadOnlyList<ReceivingOffice>? Receivers = null,
    string? Note = null);

/// <summary>A partial update: every null member is left as it is. <see cref="Status"/> publishes, closes, reopens or archives.</summary>
[GenerateSerializer, Immutable, Alias("summit.campaign-change")]
public sealed record CampaignChange(
    string? Title = null,
    string? Body = null,
    LocalDate? PeriodStart = null,
    LocalDate? PeriodEnd = null,
    CampaignAudience? Audience = null,
    Deadline? Deadline = null,
    SubmissionTemplate? Template = null,
    IReadOnlyList<ReceivingOffice>? Receivers = null,
    CampaignStatus? Status = null,
    string? Note = null);

/// <summary>
/// A campaign (征集/报送通知): a notice the secretariat sends to units (counties, universities, secretariat departments),
/// each of which hands in a <see cref="Submission"/> (text sections and files) by <see cref="Deadline"/> to the office
/// responsible for its kind of unit. E.g. the Workers Day notice of 30 April 2020: each unit submits a summary with text
/// and photos by 15 June.
/// </summary>
/// <param name="Body">The notice itself as sanitised HTML (only safe tags and attributes; see <c>Rules.RichText</c>).</param>
/// <param name="Audience">Who it is addressed to, as the secretariat chose it (by kind and one by one).</param>
/// <param name="Addressees">The units it is addressed to, resolved from <see cref="Audience"/> when published (empty
/// while a draft); in the order counties, universities, departments, each by code. Only these units read it.</param>
/// <param name="Deadline">When submissions are due: a date (by the end of that day) or a local date-time, in the
/// summit's zone; always a working day of the summit's calendar.</param>
/// <param name="Receivers">The department that receives each kind of unit's submissions.</param>
/// <param name="PublishedAt">When it was first published.</param>
[GenerateSerializer, Immutable, Alias("summit.campaign")]
public sealed record Campaign(
    string Summit,
    string Id,
    string Title,
    string Body,
    LocalDate? PeriodStart,
    LocalDate? PeriodEnd,
    CampaignAudience Audience,
    IReadOnlyList<OwningUnit> Addressees,
    Deadline? Deadline,
    SubmissionTemplate Template,
    IReadOnlyList<ReceivingOffice> Receivers,
    CampaignStatus Status,
    Instant? PublishedAt,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy)
{
    /// <summary>Whether units may see it: published or closed (a draft or an archived campaign is the secretariat's alone).</summary>
    public bool IsOut => Status is CampaignStatus.Published or CampaignStatus.Closed;

    public bool Addresses(OwningUnit unit) => Addressees.Contains(unit);

    /// <summary>The department that receives <paramref name="unit"/>'s submission, if one is named for its kind.</summary>
    public string? ReceiverOf(OwningUnit unit) => Receivers.FirstOrDefault(r => r.UnitKind == unit.Kind)?.Department;

    /// <summary>
    /// For a forwarded campaign, the campaign it was forwarded from (its submissions roll up to it: the forwarding unit
    /// hands in its own summary there); null for one the secretariat sent.
    /// </summary>
    [Id(100)] public string? Parent { get; init; }

    /// <summary>
    /// For a forwarded campaign, the county or university that forwarded it to its organisations: it changes the campaign
    /// and reviews their submissions; null for the secretariat's.
    /// </summary>
    [Id(101)] public OwningUnit? Owner { get; init; }
}

/// <summary>
/// A unit forwarding a campaign addressed to it down to its own organisations (<see cref="Organization"/>): the
/// requirements it adds (<see cref="Body"/>, rich text), an internal deadline no later than the campaign's, and the
/// organisations chosen (or every active one registered under it). Its organisations' submissions roll up to it.
/// </summary>
/// <param name="Unit">The forwarding unit; null: the caller's own (the secretariat names the unit it acts for).</param>
[GenerateSerializer, Immutable, Alias("summit.campaign-forward")]
public sealed record CampaignForward(
    string Parent,
    string? Title,
    string? Body,
    Deadline? Deadline,
    IReadOnlyList<string>? Organizations,
    bool AllOrganizations = false,
    OwningUnit? Unit = null,
    string? Note = null);

/// <summary>
/// Where a unit's submission stands. A unit that has not started has none (the board says <c>notStarted</c>). Draft
/// (saved, not handed in), Submitted (handed in, awaiting review; the unit may no longer change it), Returned (the
/// reviewer sent it back with a comment; the unit revises and submits again), Accepted (final).
/// </summary>
[GenerateSerializer]
public enum SubmissionStatus
{
    Draft,
    Submitted,
    Returned,
    Accepted,
}

/// <summary>The text a unit wrote for one of the template's sections (sanitised HTML).</summary>
[GenerateSerializer, Immutable, Alias("summit.submission-section")]
public sealed record SubmissionSection([property: Id(0)] string Title, [property: Id(1)] string Text);

/// <summary>What a submission command does besides saving the content it carries.</summary>
[GenerateSerializer]
public enum SubmissionAction
{
    /// <summary>Save the sections and files as a draft (or keep them returned while revising).</summary>
    Save,
    /// <summary>Hand it in: every section written, enough images; a new numbered version is kept.</summary>
    Submit,
    /// <summary>The reviewer sends it back with a comment.</summary>
    Return,
    /// <summary>The reviewer accepts it.</summary>
    Accept,
}

/// <summary>One command on a submission. <see cref="Sections"/> and <see cref="Files"/> replace the whole lists when given.</summary>
/// <param name="Comment">The reviewer's comment: required to return, optional to accept.</param>
[GenerateSerializer, Immutable, Alias("summit.submission-change")]
public sealed record SubmissionChange(
    SubmissionAction Action,
    IReadOnlyList<SubmissionSection>? Sections = null,
    IReadOnlyList<string>? Files = null,
    string? Comment = null,
    string? Note = null);

/// <summary>
/// One addressed unit's submission to a campaign: its sections, the ids of its attached files (the file store's), and
/// where its review stands. Every submitted version is kept as an immutable snapshot (numbered 1, 2, …).
/// </summary>
/// <param name="Id"><c>{campaign}:{unit}</c>, e.g. <c>workers-day:county:pingyang</c>.</param>
/// <param name="Receiver">The department that receives it (the campaign's receiving office for the unit's kind).</param>
/// <param name="Late">The unit first handed it in after the deadline; kept as it was when later versions follow.</param>
/// <param name="SubmittedVersions">How many versions were handed in; the last one is <see cref="SubmittedVersions"/>.</param>
/// <param name="SubmittedAt">When the last version was handed in.</param>
/// <param name="ReviewComment">The reviewer's last comment (why it was returned, or a word on acceptance).</param>
[GenerateSerializer, Immutable, Alias("summit.submission")]
public sealed record Submission(
    string Summit,
    string Id,
    string Campaign,
    OwningUnit Unit,
    string? Receiver,
    SubmissionStatus Status,
    IReadOnlyList<SubmissionSection> Sections,
    IReadOnlyList<string> Files,
    bool Late,
    int SubmittedVersions,
    Instant? SubmittedAt,
    string? SubmittedBy,
    string? ReviewComment,
    Instant? ReviewedAt,
    string? ReviewedBy,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy)
{
    /// <summary>
    /// The unit that reviews it: for a forwarded campaign its owner (the county or university that forwarded it), which
    /// also follows it live; null when the secretariat reviews it.
    /// </summary>
    [Id(100)] public OwningUnit? Reviewer { get; init; }

    /// <summary>The entity id of <paramref name="unit"/>'s submission to <paramref name="campaign"/>.</summary>
    public static string IdOf(string campaign, OwningUnit unit) => $"{campaign}:{unit}";

    /// <summary>The campaign and unit of a submission id; null when it is not one.</summary>
    public static (string Campaign, OwningUnit Unit)? Parse(string id)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0) return null;
        UnitKind? kind = parts[1] switch
        {
            "county" => UnitKind.County,
            "university" => UnitKind.University,
            "secretariat" => UnitKind.Secretariat,
            "organization" => UnitKind.Organization,
            _ => null,
        };
        return kind is { } k ? (parts[0], new OwningUnit(k, parts[2])) : null;
    }
}

/// <summary>One handed-in version of a submission, as it was when handed in (immutable).</summary>
/// <param name="Number">1 for the first version handed in, 2 for the second, ….</param>
/// <param name="Version">The submission's entity version that handed it in.</param>
/// <param name="Late">Handed in after the campaign's deadline.</param>
/// <param name="Submission">The submission as it stood when handed in.</param>
[GenerateSerializer, Immutable, Alias("summit.submission-version")]
public sealed record SubmissionVersion(
    [property: Id(0)] int Number,
    [property: Id(1)] int Version,
    [property: Id(2)] Instant SubmittedAt,
    [property: Id(3)] string SubmittedBy,
    [property: Id(4)] bool Late,
    [property: Id(5)] Submission Submission);
