using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;
using Summit.Domain;
using Summit.Gateway.Documents;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// A campaign's result collected in one download: <c>…/export/submissions.zip</c> (a folder per unit with its text as a
/// Word document and its files) and <c>…/export/summary.docx</c> (the activity summary: one section per unit with its
/// text and first images). Both are written straight to the response, files copied a chunk at a time from the store.
/// </summary>
public static class CampaignExportApi
{
    public const int PageSize = 100;

    public static RouteGroupBuilder MapCampaignExports(this RouteGroupBuilder campaigns)
    {
        campaigns.MapGet("/{id}/export/submissions.zip", Zip).Describe("ExportCampaignSubmissions",
                "Downloads the campaign's submissions as one zip: a folder per unit, its text as a .docx and its files (secretariat, leaders).",
                "status: which submissions (default accepted; submitted, returned, draft or all). Units appear in the campaign's order.")
            .RejectsUnknownQuery()
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapGet("/{id}/export/summary.docx", Summary).Describe("ExportCampaignSummary",
                "Downloads the compiled activity summary as a Word document: one section per unit, its text and first images (secretariat, leaders).",
                "status: which submissions (default accepted; submitted, returned, draft or all).")
            .RejectsUnknownQuery()
            .Produces(StatusCodes.Status200OK, contentType: DocxType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return campaigns;
    }

    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The export's <c>status</c>: which submissions it collects.</summary>
    public readonly record struct ExportQuery(
        [property: FromQuery(Name = "status"), Description("accepted (default), submitted, returned, draft or all.")] string? Status);

    private static async Task<IResult> Zip(string summit, string id, [AsParameters] ExportQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var (report, title) = await ReportAsync(summit, id, query, http, grains);
        var at = clock.GetCurrentInstant().ToDateTimeOffset();
        return Download(http, $"{title}.zip", "application/zip",
            stream => ReportZip.WriteAsync(report, stream, at, cancellationToken: http.RequestAborted));
    }

    private static async Task<IResult> Summary(string summit, string id, [AsParameters] ExportQuery query, HttpContext http, IGrainFactory grains)
    {
        var (report, title) = await ReportAsync(summit, id, query, http, grains);
        return Download(http, $"{title}.docx", DocxType,
            stream => ReportDocx.WriteAsync(report, stream, cancellationToken: http.RequestAborted));
    }

    private static IResult Download(HttpContext http, string fileName, string contentType, Func<Stream, Task> write)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(write, contentType, FileNames.Sanitize(fileName));
    }

    /// <summary>The campaign's chosen submissions as a report, units in the campaign's order; access decided first.</summary>
    private static async Task<(CompiledReport Report, string Title)> ReportAsync(
        string summit, string id, ExportQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var all = string.Equals(query.Status, "all", StringComparison.Ordinal);
        SubmissionStatus? status = all ? null : QueryValues.Enum<SubmissionStatus>(errors, "status", query.Status) ?? SubmissionStatus.Accepted;
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        var campaign = await grains.GetGrain<ICampaignGrain>(GrainKeys.Of(summit, id)).Get()
            ?? throw new EntityNotFoundException(EntityKind.Campaign, id);
        AccessRules.EnsureCollect(actor, campaign);

        var queries = http.RequestServices.GetRequiredService<ICampaignQueries>();
        var files = http.RequestServices.GetRequiredService<IFileCatalog>();
        var names = new Dictionary<OwningUnit, string>();
        for (var offset = 0; ; offset += PageSize)
        {
            var board = await queries.QueryBoardAsync(new CampaignBoardQuery(summit, id) { Offset = offset, Limit = PageSize }, http.RequestAborted);
            foreach (var row in board.Items) names[row.Unit] = row.Name ?? row.Unit.ToString();
            if (board.Items.Count < PageSize) break;
        }
        var submissions = new List<Submission>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await queries.QuerySubmissionsAsync(new SubmissionListQuery(summit, id) { Status = status, Offset = offset, Limit = PageSize }, http.RequestAborted);
            submissions.AddRange(EntityReader.Read<Submission>(page.Items));
            if (page.Items.Count < PageSize) break;
        }
        var order = campaign.Addressees.Select((unit, i) => (unit, i)).ToDictionary(p => p.unit, p => p.i);
        var units = new List<ReportUnit>();
        foreach (var submission in submissions.OrderBy(s => order.GetValueOrDefault(s.Unit, int.MaxValue)))
        {
            var stored = submission.Files.Count == 0 ? [] : await files.GetAsync(summit, submission.Files, http.RequestAborted);
            units.Add(new ReportUnit(
                names.GetValueOrDefault(submission.Unit) ?? submission.Unit.ToString(),
                ZhLabels.Of(submission.Unit.Kind),
                ZhLabels.Of(submission.Status),
                submission.SubmittedAt is { } at ? $"{LocalTime.Format(at.InZone(edition.Zone).LocalDateTime)}报送" : null,
                submission.Late,
                [.. submission.Sections.Select(s => new ReportSection(s.Title, s.Text))],
                [.. stored.Select(f => new ReportFile(f.Name, f.ContentType, f.Kind == FileKind.Image, f.Length,
                    async ct => await files.OpenReadAsync(summit, f.Id, ct) ?? Stream.Null))]));
        }
        var chosen = all ? "全部" : ZhLabels.Of(status!.Value);
        var intro = $"应报送单位 {campaign.Addressees.Count} 个，本文件收录{chosen}的报送材料 {units.Count} 份。"
            + (campaign.Deadline is { } d ? $"报送截止：{Render.Deadline(d)}。" : "");
        var report = new CompiledReport(campaign.Title, $"{edition.Name} · 报送材料汇编", intro, units);
        return (report, campaign.Title);
    }

    private static readonly LocalDateTimePattern LocalTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");
}
