using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/campaigns</c>: notices the secretariat sends to units, and <c>…/{id}/submissions</c>: each
/// addressed unit's submission, its review and its kept versions. Access is <see cref="AccessRules"/>' (the campaign's
/// grain and each submission's grain judge every change themselves).
/// </summary>
public static class CampaignsApi
{
    private static readonly SummitEntityEndpoints<ICampaignGrain, Campaign> Campaigns =
        new(EntityKind.Campaign, g => g.Get(), c => c.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/campaigns").WithTags("Campaigns");
        group.MapGet("/", List).Describe("ListCampaigns", "Lists the campaigns the caller may read, in id order.",
            "The secretariat and leaders read every campaign the secretariat sent, and a campaign's forwards with forwardedFrom; a county, university or organisation reads the published and closed campaigns addressed to it and the forwards it made. Filters: q (title), status, forwardedFrom.")
            .ReadsList<CampaignResource>();
        group.MapGet("/{id}", Get).Describe("GetCampaign", "Reads one campaign.").ReadsOne<CampaignResource>();
        group.MapPost("/", Create).Describe("CreateCampaign", "Creates a campaign as a draft (secretariat).",
            "The body is HTML and is cleaned before it is stored; the deadline must be a working day.").Creates<CampaignResource>();
        group.MapPatch("/{id}", Patch).Describe("UpdateCampaign", "Changes a campaign, including its status (publish, close, reopen, archive).",
            "Publishing resolves the audience into the addressees; after that the audience and template are fixed.").Updates<CampaignResource>();
        group.MapPost("/{id}/forward", Forward).Describe("ForwardCampaign",
            "Forwards a campaign addressed to the caller's county or university to organisations registered under it.",
            "The forward is a campaign of its own, published at once: the unit's added requirements, an internal deadline no later than the campaign's, the same template. Its organisations' submissions come to the unit, which reviews them and hands in its own summary to the campaign. One forward per unit and campaign (409 for a second).")
            .Creates<CampaignResource>();
        group.MapGet("/{id}/history", History).Describe("GetCampaignHistory", "Lists the accepted changes of a campaign, oldest first.").ReadsList<HistoryEntry>();
        group.MapGet("/{id}/board", Board).Describe("GetCampaignBoard", "The campaign's board: each addressed unit and where its submission stands.",
            "Counts per status (notStarted, draft, submitted, returned, accepted) and late, time left to the deadline; filters unitKind, status and late; a county or university sees only its own row; the unit that forwarded a campaign sees every row of its forward. A row whose unit forwarded the campaign carries forward: the forward's id, internal deadline and how many of its organisations have handed in and been accepted.")
            .RejectsUnknownQuery().Produces<CampaignBoard>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapCampaignExports();
        group.MapCampaignReminders();

        var submissions = group.MapGroup("/{id}/submissions").WithTags("Campaigns");
        submissions.MapGet("/", ListSubmissions).Describe("ListSubmissions", "Lists a campaign's submissions (those started), in id order.",
            "The secretariat and leaders read all of them; a county or university only its own.").ReadsList<Submission>();
        submissions.MapGet("/{unit}", GetSubmission).Describe("GetSubmission", "Reads a unit's submission (404 while not started).",
            UnitDescription).ReadsOne<Submission>();
        submissions.MapPut("/{unit}", Save).Describe("SaveSubmission", "Saves a unit's sections and files as a draft (the unit, or the secretariat for it).",
            "A returned submission stays returned while it is revised. If-Match names the version read (a submission not yet started has none).").Updates<Submission>();
        submissions.MapPost("/{unit}/submit", Submit).Describe("SubmitSubmission", "Hands in the submission; the version handed in is kept.",
            "Every section of the template must be written and enough images attached; a first submission after the deadline is marked late. The body may carry the last sections and files.").Updates<Submission>();
        submissions.MapPost("/{unit}/return", Return).Describe("ReturnSubmission", "Returns a submitted submission to its unit with a comment (secretariat).").Updates<Submission>();
        submissions.MapPost("/{unit}/accept", Accept).Describe("AcceptSubmission", "Accepts a submitted submission (secretariat).").Updates<Submission>();
        submissions.MapGet("/{unit}/history", SubmissionHistory).Describe("GetSubmissionHistory", "Lists the accepted changes of a submission, oldest first.").ReadsList<HistoryEntry>();
        submissions.MapGet("/{unit}/versions", Versions).Describe("ListSubmissionVersions", "Lists every version the unit handed in, oldest first.").ReadsList<SubmissionVersion>();
        submissions.MapGet("/{unit}/versions/{number}", Version).Describe("GetSubmissionVersion", "Reads one handed-in version, as it was handed in.")
            .Produces<SubmissionVersion>().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private const string UnitDescription = "unit is county:pingyang, university:wmu or secretariat:office; a bare code (pingyang) names the addressee with that code.";

    private static async Task<IResult> List(string summit, [AsParameters] CampaignListQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var status = QueryValues.Enum<CampaignStatus>(errors, "status", query.Status);
        var terms = QueryValues.Terms(errors, "q", query.Q);
        if (!string.IsNullOrWhiteSpace(query.ForwardedFrom)) errors.Code("forwardedFrom", query.ForwardedFrom.Trim());
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        var forwardedFrom = string.IsNullOrWhiteSpace(query.ForwardedFrom) ? null : query.ForwardedFrom.Trim();
        var result = await http.RequestServices.GetRequiredService<IEntityQueries>().QueryEntitiesAsync(new EntityListQuery(summit, EntityKind.Campaign)
        {
            Units = AccessRules.ReadableUnits(actor),
            ForwardedFrom = forwardedFrom,
            Terms = terms,
            Status = status is { } s ? JsonNamingPolicy.CamelCase.ConvertName(s.ToString()) : null,
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        }, http.RequestAborted);
        var items = EntityReader.Read<Campaign>(result.Items)
            .Where(c => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(c)))
            .Select(c => CampaignResource.From(c, edition.Zone, actor))
            .ToArray();
        return TypedResults.Ok(new ListResponse<CampaignResource>(items, result.Total));
    }

    private static async Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var (campaign, _, edition) = await Campaigns.ReadInSummitAsync(grains, summit, id, actor);
        return Responses.Read(http, CampaignResource.From(campaign, edition.Zone, actor), campaign.Version);
    }

    private static async Task<IResult> Create(string summit, CreateCampaignRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Campaign, ResourceScope.Summit, "campaigns");
        var id = body.Id ?? Responses.NewId(http, "campaign");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        // The grain judges the draft with the summit's units and calendar; a body that is already wrong is answered here,
        // with what the rules find without them, in one answer.
        if (errors.Any || !FieldErrors.IsCode(id))
        {
            CampaignRules.Validate(id, draft, edition, errors);
            errors.ThrowIfAny();
        }
        var campaign = await Campaigns.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/campaigns/{id}", CampaignResource.From(campaign, edition.Zone, actor), campaign.Version);
    }

    private static async Task<IResult> Forward(string summit, string id, ForwardRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var errors = new FieldErrors();
        var onBehalfOf = QueryValues.Unit(errors, "unit", body.Unit);
        var (parent, _, edition) = await Campaigns.ReadInSummitAsync(grains, summit, id, actor);
        var unit = AccessRules.EnsureForward(actor, parent, errors.Any ? null : onBehalfOf);
        errors.ThrowIfAny();
        var forwardId = CampaignRules.ForwardId(parent.Id, unit);
        var forward = new CampaignForward(parent.Id, body.Title, body.Body, body.Deadline, body.Organizations, body.AllOrganizations ?? false, onBehalfOf, body.Note);
        var campaign = await Campaigns.Grain(grains, summit, forwardId).Forward(forward, actor);
        return Responses.Created(http, $"/api/summits/{summit}/campaigns/{forwardId}", CampaignResource.From(campaign, edition.Zone, actor), campaign.Version);
    }

    private static async Task<IResult> Patch(string summit, string id, CampaignPatch patch, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        Guard.ReadSummitByRole(actor, summit);
        var errors = new FieldErrors();
        var change = patch.ToChange(errors);
        var campaign = await Campaigns.Grain(grains, summit, id).Patch(
            new PatchCommand<CampaignChange>(change, actor, [], errors.Any ? errors.ToDictionary() : null, ifMatch?.ToCondition()));
        var edition = await EntityReader.RequireSummitAsync(grains, summit);
        return Responses.Entity(http, CampaignResource.From(campaign, edition.Zone, actor), campaign.Version);
    }

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Campaigns.History(summit, id, page, http, grains);

    /// <summary>A campaign the caller may read, with its summit (for an export of its board).</summary>
    internal static async Task<(Campaign Campaign, SummitEdition Summit)> ReadCampaignInSummitAsync(
        IGrainFactory grains, string summit, string id, Actor actor)
    {
        var (campaign, _, edition) = await Campaigns.ReadInSummitAsync(grains, summit, id, actor);
        return (campaign, edition);
    }

    private static async Task<IResult> Board(string summit, string id, [AsParameters] BoardListQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var errors = new FieldErrors();
        var kind = QueryValues.Enum<UnitKind>(errors, "unitKind", query.UnitKind);
        var status = QueryValues.Enum<BoardStatus>(errors, "status", query.Status);
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var (campaign, _, edition) = await Campaigns.ReadInSummitAsync(grains, summit, id, actor);
        var page = await http.RequestServices.GetRequiredService<ICampaignQueries>().QueryBoardAsync(new CampaignBoardQuery(summit, id)
        {
            Units = AccessRules.BoardUnits(actor, campaign),
            UnitKind = kind,
            Status = status,
            Late = query.Late,
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        }, http.RequestAborted);
        var now = clock.GetCurrentInstant();
        var dueAt = campaign.Deadline?.DueInstant(edition.Zone);
        return TypedResults.Ok(new CampaignBoard(
            campaign.Id, campaign.Title, campaign.Status, campaign.Deadline, dueAt,
            dueAt is { } due ? (long)Math.Floor((due - now).TotalSeconds) : null, dueAt is { } at && now > at,
            page.Counts, page.Items, page.Total));
    }

    private static async Task<IResult> ListSubmissions(string summit, string id, [AsParameters] SubmissionListParameters query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var status = QueryValues.Enum<SubmissionStatus>(errors, "status", query.Status);
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var (campaign, _) = await Campaigns.ReadAsync(grains, summit, id, actor);
        var page = await http.RequestServices.GetRequiredService<ICampaignQueries>().QuerySubmissionsAsync(new SubmissionListQuery(summit, id)
        {
            Units = AccessRules.BoardUnits(actor, campaign),
            Status = status,
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        }, http.RequestAborted);
        var items = EntityReader.Read<Submission>(page.Items).Where(s => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(s, campaign))).ToArray();
        return TypedResults.Ok(new ListResponse<Submission>(items, page.Total));
    }

    private static async Task<IResult> GetSubmission(string summit, string id, string unit, HttpContext http, IGrainFactory grains)
    {
        var (grain, submissionId) = await SubmissionAsync(grains, summit, id, unit, http);
        var submission = await grain.Read(http.User.ToActor()) ?? throw new EntityNotFoundException(EntityKind.Submission, submissionId);
        return Responses.Read(http, submission, submission.Version);
    }

    private static Task<IResult> Save(string summit, string id, string unit, SubmissionInput body, HttpContext http, IGrainFactory grains) =>
        ActAsync(summit, id, unit, http, grains, errors => body.ToChange(SubmissionAction.Save, errors));

    private static Task<IResult> Submit(string summit, string id, string unit, SubmissionInput? body, HttpContext http, IGrainFactory grains) =>
        ActAsync(summit, id, unit, http, grains, errors => (body ?? new SubmissionInput(null, null, null)).ToChange(SubmissionAction.Submit, errors));

    private static Task<IResult> Return(string summit, string id, string unit, ReviewInput body, HttpContext http, IGrainFactory grains) =>
        ActAsync(summit, id, unit, http, grains, _ => body.ToChange(SubmissionAction.Return));

    private static Task<IResult> Accept(string summit, string id, string unit, ReviewInput? body, HttpContext http, IGrainFactory grains) =>
        ActAsync(summit, id, unit, http, grains, _ => (body ?? new ReviewInput(null, null)).ToChange(SubmissionAction.Accept));

    /// <summary>One grain call: the submission's grain judges the campaign, access, the body, If-Match and the rules.</summary>
    private static async Task<IResult> ActAsync(
        string summit, string id, string unit, HttpContext http, IGrainFactory grains, Func<FieldErrors, SubmissionChange> toChange)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        Guard.ReadSummitByRole(actor, summit);
        var (grain, _) = await SubmissionAsync(grains, summit, id, unit, http);
        var errors = new FieldErrors();
        var change = toChange(errors);
        var submission = await grain.Act(change, actor, errors.Any ? errors.ToDictionary() : null, ifMatch?.ToCondition());
        return Responses.Entity(http, submission, submission.Version);
    }

    private static async Task<IResult> SubmissionHistory(
        string summit, string id, string unit, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains)
    {
        var (grain, submissionId) = await SubmissionAsync(grains, summit, id, unit, http);
        var query = EntityReader.HistoryQuery(new EntityKey(summit, EntityKind.Submission, submissionId), page);
        await grain.Read(http.User.ToActor());
        return await EntityReader.HistoryAsync(http, query);
    }

    private static async Task<IResult> Versions(
        string summit, string id, string unit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var (grain, submissionId) = await SubmissionAsync(grains, summit, id, unit, http);
        await grain.Read(http.User.ToActor());
        var result = await http.RequestServices.GetRequiredService<ICampaignQueries>().QuerySnapshotsAsync(
            new EntityKey(summit, EntityKind.Submission, submissionId), page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<SubmissionVersion>(EntityReader.Read<SubmissionVersion>(result.Items).ToArray(), result.Total));
    }

    private static async Task<IResult> Version(
        string summit, string id, string unit, [Description("The version's number: 1 for the first handed in.")] string number, HttpContext http, IGrainFactory grains)
    {
        var (grain, submissionId) = await SubmissionAsync(grains, summit, id, unit, http);
        await grain.Read(http.User.ToActor());
        var json = int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? await http.RequestServices.GetRequiredService<ICampaignQueries>().LoadSnapshotAsync(new EntityKey(summit, EntityKind.Submission, submissionId), n, http.RequestAborted)
            : null;
        if (json is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.",
                detail: $"No submission version '{QueryValues.Printable(number)}'.");
        return TypedResults.Ok(JsonSerializer.Deserialize<SubmissionVersion>(json, SummitJson.Options));
    }

    /// <summary>
    /// The grain of <paramref name="unit"/>'s submission to the campaign. The unit is <c>county:pingyang</c>, or a bare
    /// code: the caller's own unit when it is a county or university with that code, else the one addressee with that
    /// code. Anything else names no submission (404).
    /// </summary>
    private static async Task<(ISubmissionGrain Grain, string Id)> SubmissionAsync(IGrainFactory grains, string summit, string id, string unit, HttpContext http)
    {
        if (!FieldErrors.IsCode(summit)) throw new EntityNotFoundException(EntityKind.Summit, summit);
        var campaignGrain = Campaigns.Grain(grains, summit, id);
        OwningUnit? resolved = null;
        if (unit.Contains(':'))
        {
            resolved = QueryValues.Unit(new FieldErrors(), "unit", unit);
        }
        else if (FieldErrors.IsCode(unit))
        {
            var actor = http.User.ToActor();
            resolved = actor switch
            {
                { OwnUnit: { } own } when own.Code == unit => own,
                _ => await campaignGrain.Get() is { } campaign && campaign.Addressees.Where(a => a.Code == unit).ToArray() is [var only] ? only : null,
            };
        }
        if (resolved is null || !FieldErrors.IsCode(resolved.Code))
            throw new EntityNotFoundException(EntityKind.Submission, $"{id}:{QueryValues.Printable(unit)}");
        var submissionId = Submission.IdOf(id, resolved);
        return (grains.GetGrain<ISubmissionGrain>(GrainKeys.Of(summit, submissionId)), submissionId);
    }
}
