using NodaTime;
using NodaTime.Text;
using Summit.Domain;
using Summit.Gateway.Api;
using Summit.Gateway.Documents;
using Summit.Grains;
using Summit.Data.Audit;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Security;

public static class AuditApi
{
    /// <summary>
    /// <c>GET /api/summits/{summit}/audit</c>, secretariat only: accepted changes, newest first, filtered by
    /// <c>kind</c>, <c>entityId</c>, <c>account</c>, <c>from</c> (inclusive) and <c>to</c> (exclusive) as ISO
    /// instants, paged by <c>offset</c> and <c>limit</c> or by <c>after</c> (the <c>next</c> of the previous page, which
    /// keeps its place while changes are added); answers <c>{"items","total","next"}</c>.
    /// </summary>
    public static RouteHandlerBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/summits/{summit}/audit/export.{format}", ExportAsync)
            .RequireAuthorization(SummitPolicies.AuditReader)
            .WithTags("Audit trail")
            .WithName("ExportAudit")
            .RejectsUnknownQuery()
            .WithSummary("Downloads the audit trail as a spreadsheet (xlsx or csv), newest first, with the trail's filters.")
            .Produces(StatusCodes.Status200OK, contentType: Sheets.XlsxType, additionalContentTypes: [Sheets.CsvType])
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app.MapGet("/api/summits/{summit}/audit", QueryAsync)
            .RequireAuthorization(SummitPolicies.AuditReader)
            .WithTags("Audit trail")
            .WithName("Audit")
            .RejectsUnknownQuery()
            .WithSummary("The summit's audit trail: who changed what, when, newest first.")
            .Produces<ListResponse<ChangeRecord>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> QueryAsync(
        string summit, string? kind, string? entityId, string? account, string? from, string? to, int? offset, int? limit, string? after,
        IGrainFactory grains, IAuditReader audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (query, _) = await QueryOfAsync(errors, summit, kind, entityId, account, from, to, offset, limit, after, grains);
        var page = await audit.QueryAsync(query, cancellationToken);
        return TypedResults.Ok(new ListResponse<ChangeRecord>(page.Items, page.Total)
        {
            Next = page.Next is { } next ? ListCursor.OfAudit(next) : null,
        });
    }

    /// <summary>The trail's filters (kind, entityId, account, from, to) without its paging: an export holds every match.</summary>
    private static async Task<IResult> ExportAsync(
        string summit, string format, string? kind, string? entityId, string? account, string? from, string? to,
        IGrainFactory grains, IAuditReader audit, HttpContext http)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        var (query, edition) = await QueryOfAsync(errors, summit, kind, entityId, account, from, to, null, null, null, grains);
        var zone = edition.Zone;

        async IAsyncEnumerable<ChangeRecord> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var page = query with { Limit = 500 };
            while (true)
            {
                var found = await audit.QueryAsync(page, cancellationToken);
                foreach (var record in found.Items) yield return record;
                if (found.Next is not { } next || found.Items.Count == 0) yield break;
                page = page with { After = next, Offset = 0 };
            }
        }

        var moment = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss");
        SheetColumn<ChangeRecord>[] columns =
        [
            new("时间", r => moment.Format(r.At.InZone(zone).LocalDateTime)),
            new("账号", r => r.Account),
            new("角色", r => ProblemLanguage.RoleName(r.Role)),
            new("单位", r => r.Unit),
            new("对象", r => ProblemLanguage.KindName(r.Kind, r.EntityId)),
            new("编号", r => r.EntityId),
            new("版本", r => r.Version),
            new("变更", r => string.Join("；", (r.Changes ?? []).Select(c => $"{ProblemLanguage.Label(c.Field)}：{c.From ?? "（空）"} → {c.To ?? "（空）"}"))),
            new("备注", r => r.Note),
        ];
        return await Sheets.DownloadAsync(http, $"审计记录-{summit}", sheet, columns, Rows());
    }

    /// <summary>The trail's query for the filters and paging given, and the summit, which must exist.</summary>
    private static async Task<(AuditQuery Query, SummitEdition Summit)> QueryOfAsync(
        FieldErrors errors, string summit, string? kind, string? entityId, string? account, string? from, string? to, int? offset, int? limit,
        string? after, IGrainFactory grains)
    {
        EntityKind? parsedKind = null;
        if (kind is not null)
        {
            if (AuditNames.TryParseKind(kind, out var k)) parsedKind = k;
            else errors.Add("kind", "must be one of summit, task, subForum, county, project, university.");
        }
        var fromInstant = ParseInstant(errors, "from", from);
        var toInstant = ParseInstant(errors, "to", to);
        if (fromInstant is not null && toInstant is not null && toInstant < fromInstant) errors.Add("to", "must not be before from.");
        errors.MaxLength("entityId", entityId, 200).MaxLength("account", account, 100);
        Paging.Check(errors, offset, limit);
        var position = Paging.After<AuditPosition>(errors, after, ListCursor.TryAudit);
        errors.ThrowIfAny();

        // A summit is named by a code; anything else (blank, control characters) names no summit and reaches no grain.
        var edition = (FieldErrors.IsCode(summit) ? await grains.GetGrain<ISummitGrain>(summit).Get() : null)
            ?? throw new EntityNotFoundException(EntityKind.Summit, summit);
        return (new AuditQuery(
            summit, parsedKind, NullIfEmpty(entityId), NullIfEmpty(account), fromInstant, toInstant,
            offset ?? 0, limit ?? Paging.DefaultLimit, position), edition);
    }

    private static Instant? ParseInstant(FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parsed = InstantPattern.ExtendedIso.Parse(text);
        if (parsed.Success) return parsed.Value;
        var withOffset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (withOffset.Success) return withOffset.Value.ToInstant();
        errors.Add(field, "must be an ISO instant such as 2020-06-10T01:00:00Z or 2020-06-10T09:00:00+08:00.");
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
