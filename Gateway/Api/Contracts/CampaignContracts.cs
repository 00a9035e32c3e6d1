using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api.Contracts;

/// <summary>Who a campaign addresses: whole kinds of unit, and units chosen one by one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AudienceInput(
    [property: Description("Every county and/or every partner university of the summit (county, university).")] IReadOnlyList<UnitKind>? AllOf,
    [property: Description("Units chosen one by one: counties, partner universities, secretariat departments.")] IReadOnlyList<UnitInput?>? Units)
{
    public CampaignAudience ToDomain(FieldErrors errors) => new(
        AllOf ?? [],
        (Units ?? []).Select((u, i) => u?.ToDomain(errors, $"audience.units[{i}]")!).ToArray());
}

/// <summary>What every submission must hold.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TemplateInput(
    [property: Description("The titles of the text sections each unit writes, e.g. 活动总结, 主要成效 (at most 20).")] IReadOnlyList<string>? Sections,
    [property: Description("The fewest images a submission attaches (0-50); default 0.")] int? MinImages,
    [property: Description("The kinds of file it may attach: image, document, video, spreadsheet, other; default image and document.")] IReadOnlyList<FileKind>? FileKinds)
{
    public SubmissionTemplate ToDomain() => new(Sections ?? [], MinImages ?? 0, FileKinds ?? SubmissionTemplate.Empty.FileKinds);
}

/// <summary>The secretariat department that receives one kind of unit's submissions.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReceiverInput(
    [property: Description("county, university or secretariat.")] UnitKind? UnitKind,
    [property: Description("A secretariat department's code, e.g. office.")] string? Department)
{
    public ReceivingOffice ToDomain(FieldErrors errors, string field) => new(Required.Value(errors, $"{field}.unitKind", UnitKind), Department!);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateCampaignRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out.")] string? Id,
    [property: Description("The notice's title, e.g. 关于开展2020年全国科技工作者日活动的通知.")] string? Title,
    [property: Description("The notice as HTML (at most 20,000 characters); scripts, styles and unknown tags are removed before it is stored.")] string? Body,
    [property: Description("The first day of the activity period.")] LocalDate? PeriodStart,
    [property: Description("The last day of the activity period.")] LocalDate? PeriodEnd,
    AudienceInput? Audience,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description("When submissions are due: " + DueDateJsonConverter.Description + " A working day of the summit's calendar.")] Deadline? Deadline,
    TemplateInput? Template,
    [property: Description("The receiving department per kind of unit; one for each kind addressed is needed to publish.")] IReadOnlyList<ReceiverInput?>? Receivers,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public CampaignDraft ToDraft(FieldErrors errors) => new(
        Title!,
        Body,
        PeriodStart,
        PeriodEnd,
        Audience?.ToDomain(errors),
        Deadline,
        Template?.ToDomain(),
        Receivers?.Select((r, i) => r?.ToDomain(errors, $"receivers[{i}]")!).ToArray(),
        Note);
}

/// <summary>
/// A partial update; members left out stay as they are. <c>status</c> publishes (draft → published), closes
/// (published → closed), reopens (closed → published), archives (draft → archived) and restores (archived → draft).
/// Once published, <c>audience</c> and <c>template</c> are fixed.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CampaignPatch(
    string? Title,
    [property: Description("The whole new notice (HTML).")] string? Body,
    LocalDate? PeriodStart,
    LocalDate? PeriodEnd,
    [property: Description("The whole new audience; only while a draft.")] AudienceInput? Audience,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? Deadline,
    [property: Description("The whole new template; only while a draft.")] TemplateInput? Template,
    [property: Description("The whole new list of receiving departments.")] IReadOnlyList<ReceiverInput?>? Receivers,
    CampaignStatus? Status,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public CampaignChange ToChange(FieldErrors errors) => new(
        Title, Body, PeriodStart, PeriodEnd, Audience?.ToDomain(errors), Deadline, Template?.ToDomain(),
        Receivers?.Select((r, i) => r?.ToDomain(errors, $"receivers[{i}]")!).ToArray(), Status, Note);
}

/// <summary>A campaign as the API shows it: the stored campaign, its deadline as a moment and the moves its status may make.</summary>
/// <param name="Addressees">The units it is addressed to, resolved when published (empty while a draft).</param>
public sealed record CampaignResource(
    string Summit,
    string Id,
    string Title,
    [property: Description("The notice as sanitised HTML.")] string Body,
    LocalDate? PeriodStart,
    LocalDate? PeriodEnd,
    CampaignAudience Audience,
    IReadOnlyList<OwningUnit> Addressees,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? Deadline,
    [property: Description("The moment submissions become late: the deadline's time, or the end of its day, in the summit's zone.")] Instant? DeadlineAt,
    SubmissionTemplate Template,
    IReadOnlyList<ReceivingOffice> Receivers,
    CampaignStatus Status,
    [property: Description("The statuses it may move to next.")] IReadOnlyList<CampaignStatus> NextStatuses,
    Instant? PublishedAt,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy,
    [property: Description("For a forward: the campaign it was forwarded from.")] string? Parent,
    [property: Description("For a forward: the county or university that forwarded it; it changes it and reviews the submissions.")] OwningUnit? Owner,
    [property: Description("What the caller may do with it, as the access rules decide.")] CampaignActions Actions)
{
    public static CampaignResource From(Campaign c, DateTimeZone zone, Actor actor) => new(
        c.Summit, c.Id, c.Title, c.Body, c.PeriodStart, c.PeriodEnd, c.Audience, c.Addressees, c.Deadline, c.Deadline?.DueInstant(zone),
        c.Template, c.Receivers, c.Status, CampaignRules.Next(c.Status), c.PublishedAt, c.Version, c.CreatedAt, c.UpdatedAt, c.UpdatedBy,
        c.Parent, c.Owner, CampaignActions.Of(actor, c));
}

/// <summary>What the caller may do with a campaign (<see cref="AccessRules"/> decides; the screens show only these).</summary>
/// <param name="Change">Edit, publish, close or archive it.</param>
/// <param name="Review">Return and accept its submissions, and collect them (zip, summary).</param>
/// <param name="Forward">Forward it to the caller's organisations (an addressed county or university, while published).</param>
/// <param name="Submit">Write and hand in the caller's own submission (an addressed unit).</param>
public sealed record CampaignActions(bool Change, bool Review, bool Forward, bool Submit)
{
    public static CampaignActions Of(Actor actor, Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(campaign);
        var unit = actor.OwnUnit;
        return new CampaignActions(
            AccessRules.Allows(actor, Access.Write, ResourceScope.Of(campaign)),
            AccessRules.MayReview(actor, campaign),
            campaign.Status == CampaignStatus.Published && campaign.Owner is null && unit is { Kind: UnitKind.County or UnitKind.University }
                && campaign.Addresses(unit),
            campaign.IsOut && unit is not null && campaign.Addresses(unit));
    }
}

/// <summary>
/// A unit forwards a campaign addressed to it to its own organisations, adding its requirements and an earlier deadline.
/// Their submissions come to it; it hands in its own summary to the campaign forwarded.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForwardRequest(
    [property: Description("The forward's title; default 转发： and the campaign's title.")] string? Title,
    [property: Description("The requirements the unit adds, as HTML (at most 20,000 characters); cleaned before it is stored.")] string? Body,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description("The internal deadline: " + DueDateJsonConverter.Description + " A working day, no later than the campaign's.")] Deadline? Deadline,
    [property: Description("The codes of the organisations registered under the unit that it forwards to.")] IReadOnlyList<string>? Organizations,
    [property: Description("true: every active organisation registered under the unit (leave organizations out).")] bool? AllOrganizations,
    [property: Description("The forwarding unit (county:pingyang); only the secretariat, acting for it, names it.")] string? Unit,
    [property: Description("Why; kept in the history.")] string? Note);

/// <summary>The campaign list's <c>q</c> (title), <c>status</c>, <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct CampaignListQuery(
    [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription + " A campaign is found by its title.")] string? Q,
    [property: FromQuery(Name = "forwardedFrom"), Description("A campaign's id: lists its forwards (the secretariat's campaigns are listed without it).")] string? ForwardedFrom,
    [property: FromQuery(Name = "status"), Description("A status: draft, published, closed or archived.")] string? Status,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

/// <summary>The board's filters and paging.</summary>
public readonly record struct BoardListQuery(
    [property: FromQuery(Name = "unitKind"), Description("county, university, secretariat or organization.")] string? UnitKind,
    [property: FromQuery(Name = "status"), Description("notStarted, draft, submitted, returned or accepted.")] string? Status,
    [property: FromQuery(Name = "late"), Description("true: only units whose submission came after the deadline; false: only the others.")] bool? Late,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

/// <summary>The board's filters without its paging: what an export of the board takes.</summary>
public readonly record struct BoardFilter(
    [property: FromQuery(Name = "unitKind"), Description("county, university, secretariat or organization.")] string? UnitKind,
    [property: FromQuery(Name = "status"), Description("notStarted, draft, submitted, returned or accepted.")] string? Status,
    [property: FromQuery(Name = "late"), Description("true: only units whose submission came after the deadline; false: only the others.")] bool? Late);

/// <summary>The submission list's <c>status</c>, <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct SubmissionListParameters(
    [property: FromQuery(Name = "status"), Description("draft, submitted, returned or accepted.")] string? Status,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

/// <summary>
/// A campaign's board: each addressed unit the caller may read (a unit's account sees only itself) with where its
/// submission stands, the counts per status, and the time left to the deadline by the summit's clock.
/// </summary>
/// <param name="SecondsLeft">Seconds from now to <see cref="DeadlineAt"/>; negative once it has passed; absent without a deadline.</param>
/// <param name="Counts">Counts over the readable units and the unitKind filter (not the status or late filter).</param>
/// <param name="Total">How many rows match every filter (the rows are a page of them, in the campaign's order of addressees).</param>
public sealed record CampaignBoard(
    string Campaign,
    string Title,
    CampaignStatus Status,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? Deadline,
    Instant? DeadlineAt,
    long? SecondsLeft,
    bool Overdue,
    BoardCounts Counts,
    IReadOnlyList<BoardRow> Items,
    int Total);

/// <summary>A unit's sections and files. Both replace the whole lists when given; left out, they stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubmissionInput(
    [property: Description("The text (HTML) of each of the template's sections, by title; cleaned before it is stored.")] IReadOnlyList<SectionInput?>? Sections,
    [property: Description("The ids of the attached files (at most 50, none twice).")] IReadOnlyList<string>? Files,
    [property: Description("Why; kept in the history.")] string? Note)
{
    public SubmissionChange ToChange(SubmissionAction action, FieldErrors errors) => new(
        action,
        Sections?.Select((s, i) =>
        {
            if (s is null) errors.Add($"sections[{i}]", "is required.");
            return new SubmissionSection(s?.Title ?? "", s?.Text ?? "");
        }).ToArray(),
        Files,
        Note: Note);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SectionInput(
    [property: Description("A section title of the campaign's template.")] string? Title,
    [property: Description("Its text as HTML (at most 20,000 characters).")] string? Text);

/// <summary>A review: why it is returned (required), or a word on acceptance (optional).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReviewInput(
    [property: Description("The reviewer's comment (at most 2000 characters); required to return.")] string? Comment,
    [property: Description("Kept in the history.")] string? Note)
{
    public SubmissionChange ToChange(SubmissionAction action) => new(action, Comment: Comment, Note: Note);
}
