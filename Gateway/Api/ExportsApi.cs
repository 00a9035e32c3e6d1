using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Documents;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Notifications;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// Lists as spreadsheets: <c>…/tasks/export.{xlsx|csv}</c> (every task field, the task list's filters),
/// <c>…/readiness/plan/export.{xlsx|csv}</c> (readiness against the plan by unit, sub-forum and category) and
/// <c>…/campaigns/{id}/board/export.{xlsx|csv}</c> (where each unit's submission stands). Each reads the same rows, under
/// the same access rules, as the list it exports, a page at a time (<see cref="Sheets"/>).
/// </summary>
public static class ExportsApi
{
    /// <summary>
    /// Rows read per query. Each page is a count and an OFFSET page of the list's query, whose cost grows with the offset,
    /// so an export reads large pages (2,000 tasks are about 1.5 MiB of JSON) rather than the screen's.
    /// </summary>
    private const int PageSize = 2000;
    private const string FormatDescription = "format is xlsx (Excel) or csv (UTF-8 with a byte-order mark, so Excel opens Chinese text correctly).";

    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder summit)
    {
        summit.MapGet("/tasks/export.{format}", Tasks).WithTags("Tasks").Describe("ExportTasks",
                "Downloads the tasks the caller may read as a spreadsheet, with every field, soonest due first.",
                "Takes the task list's filters (unit, category, status, dueFrom, dueTo, overdue, due, archived, q). " + FormatDescription)
            .Exports();
        summit.MapGet("/readiness/plan/export.{format}", Readiness).WithTags("Schedule").Describe("ExportPlanReadiness",
                "Downloads readiness against the plan as a spreadsheet: the summit, then each county, sub-forum and category the caller may read.",
                FormatDescription)
            .Exports();
        summit.MapGet("/campaigns/{id}/board/export.{format}", Board).WithTags("Campaigns").Describe("ExportCampaignBoard",
                "Downloads a campaign's board as a spreadsheet: each addressed unit the caller may see and where its submission stands.",
                "Takes the board's filters (unitKind, status, late). " + FormatDescription)
            .Exports();
        summit.MapGet("/projects/export.{format}", Projects).WithTags("Projects").Describe("ExportProjects",
                "Downloads the cooperation projects the caller may read as a spreadsheet.",
                "Takes the project list's q. " + FormatDescription)
            .Exports();
        summit.MapGet("/sub-events/export.{format}", SubEvents).WithTags("Counties").Describe("ExportSubEvents",
                "Downloads the sub-events of every county venue the caller may read as a spreadsheet, with each checklist item.",
                FormatDescription)
            .Exports();
        return summit;
    }

    private static RouteHandlerBuilder Exports(this RouteHandlerBuilder route) => route
        .RejectsUnknownQuery()
        .Produces(StatusCodes.Status200OK, contentType: Sheets.XlsxType, additionalContentTypes: [Sheets.CsvType])
        .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>The task list's filters, without its paging: an export holds every match.</summary>
    public sealed record TaskExportQuery(
        [property: FromQuery(Name = "unit"), System.ComponentModel.Description("The owning unit, e.g. county:pingyang.")] string? Unit,
        [property: FromQuery(Name = "category"), System.ComponentModel.Description("A task category, e.g. publicity.")] string? Category,
        [property: FromQuery(Name = "status"), System.ComponentModel.Description("A status, e.g. inProgress.")] string? Status,
        [property: FromQuery(Name = "dueFrom"), System.ComponentModel.Description("Due on or after this date (2020-06-12).")] string? DueFrom,
        [property: FromQuery(Name = "dueTo"), System.ComponentModel.Description("Due on or before this date (2020-06-30).")] string? DueTo,
        [property: FromQuery(Name = "overdue"), System.ComponentModel.Description("true: only overdue tasks; false: only the others.")] bool? Overdue,
        [property: FromQuery(Name = "due"), System.ComponentModel.Description(DueQuery.Description)] string? Due,
        [property: FromQuery(Name = "archived"), System.ComponentModel.Description("true: only archived tasks.")] bool? Archived,
        [property: FromQuery(Name = "q"), System.ComponentModel.Description(QueryValues.TextDescription)] string? Q);

    /// <summary>A task as a sheet row: the resource and its owner's name.</summary>
    private sealed record TaskRow(TaskResource Task, string Owner);

    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalDateTimePattern Moment = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");

    private static async Task<IResult> Tasks(
        string summit, string format, [AsParameters] TaskExportQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        errors.ThrowIfAny();
        var (list, zone, now) = await TasksApi.ListQueryAsync(summit, new TasksApi.TaskQuery(
            query.Unit, query.Category, query.Status, query.DueFrom, query.DueTo, query.Overdue, null, null, query.Due, query.Archived, query.Q),
            http, grains, clock);
        var store = http.RequestServices.GetRequiredService<IEntityQueries>();
        var names = new UnitNames(grains, summit);

        async IAsyncEnumerable<TaskRow> Rows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var stored = Paging.ReadAllAsync(PageSize, async (offset, limit, ct) =>
                (await store.QueryTasksAsync(list with { Offset = offset, Limit = limit }, ct)).Items, cancellationToken);
            await foreach (var json in stored)
            {
                if (EntityReader.ReadOne<PreparationTask>(json) is { } task)
                    yield return new TaskRow(TaskResource.From(task, zone, now), (await names.Of(task.Owner)).Zh);
            }
        }

        string LocalMoment(Instant at) => Moment.Format(at.InZone(zone).LocalDateTime);
        SheetColumn<TaskRow>[] columns =
        [
            new("编号", r => r.Task.Id),
            new("任务", r => r.Task.Title),
            new("类别", r => ZhLabels.Of(r.Task.Category)),
            new("责任单位", r => r.Owner),
            new("责任单位代码", r => r.Task.Owner.ToString()),
            new("负责人", r => r.Task.Assignee),
            new("截止日期", r => Date.Format(r.Task.DueDate.Date)),
            new("截止时间", r => r.Task.DueDate.Time is { } t ? Time.Format(t) : null),
            new("计划开始", r => r.Task.Start is { } s ? Date.Format(s) : null),
            new("工期（工作日）", r => r.Task.DurationDays),
            new("状态", r => ZhLabels.Of(r.Task.Status)),
            new("完成百分比", r => r.Task.PercentComplete),
            new("逾期", r => ZhLabels.YesNo(r.Task.Overdue)),
            new("里程碑", r => ZhLabels.YesNo(r.Task.Milestone)),
            new("前置任务", r => r.Task.DependsOn.Count == 0 ? null : string.Join(",", r.Task.DependsOn)),
            new("分论坛", r => r.Task.SubForum),
            new("适用预案", r => r.Task.Plan is { } mode ? ZhLabels.Of(mode) : null),
            new("暂缓", r => ZhLabels.YesNo(r.Task.SetAside == true)),
            new("已归档", r => ZhLabels.YesNo(r.Task.Archived == true)),
            new("版本", r => r.Task.Version),
            new("更新时间", r => LocalMoment(r.Task.UpdatedAt)),
            new("更新人", r => r.Task.UpdatedBy),
        ];
        return await Sheets.DownloadAsync(http, $"任务清单-{summit}", sheet, columns, Rows());
    }

    /// <summary>One line of the readiness sheet: a scope's standing and the name it is shown by.</summary>
    private sealed record StandingRow(string Scope, string Name, PlanStanding Standing);

    private static async Task<IResult> Readiness(string summit, string format, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var report = await ScheduleApi.PlanReadinessOfAsync(summit, actor, grains);
        var names = new UnitNames(grains, summit);
        var rows = new List<StandingRow> { new("总体", "全部", report.Overall) };
        foreach (var county in report.Counties)
        {
            rows.Add(new("县（市、区）", (await names.Of(new OwningUnit(UnitKind.County, county.Key!))).Zh, county));
        }
        foreach (var forum in report.SubForums)
        {
            var name = (await grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, forum.Key!)).Get())?.Theme ?? forum.Key!;
            rows.Add(new("分论坛", name, forum));
        }
        foreach (var category in report.Categories)
        {
            rows.Add(new("类别", Enum.TryParse<TaskCategory>(category.Key, true, out var c) ? ZhLabels.Of(c) : category.Key!, category));
        }
        SheetColumn<StandingRow>[] columns =
        [
            new("范围", r => r.Scope),
            new("名称", r => r.Name),
            new("代码", r => r.Standing.Key),
            new("任务数", r => r.Standing.Tasks),
            new("计划进度（%）", r => Math.Round(r.Standing.PlannedPercent, 1)),
            new("实际进度（%）", r => Math.Round(r.Standing.EarnedPercent, 1)),
            new("差距（百分点）", r => Math.Round(r.Standing.Gap, 1)),
            new("状态", r => ZhLabels.OfStanding(r.Standing.Status)),
            new("落后任务数", r => r.Standing.BehindTasks),
            new("统计截至", _ => Date.Format(report.AsOf)),
        ];
        return await Sheets.DownloadAsync(http, $"计划完成情况-{summit}", sheet, columns, rows.ToAsyncEnumerable());
    }


    private static async Task<IResult> Board(
        string summit, string id, string format, [AsParameters] BoardFilter query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        var kind = QueryValues.Enum<UnitKind>(errors, "unitKind", query.UnitKind);
        var status = QueryValues.Enum<BoardStatus>(errors, "status", query.Status);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var (campaign, edition) = await CampaignsApi.ReadCampaignInSummitAsync(grains, summit, id, actor);
        var queries = http.RequestServices.GetRequiredService<ICampaignQueries>();
        var board = new CampaignBoardQuery(summit, id)
        {
            Units = AccessRules.BoardUnits(actor, campaign),
            UnitKind = kind,
            Status = status,
            Late = query.Late,
        };

        var rows = Paging.ReadAllAsync(PageSize, async (offset, limit, ct) =>
            (await queries.QueryBoardAsync(board with { Offset = offset, Limit = limit }, ct)).Items);

        string? LocalMoment(Instant? at) => at is { } i ? Moment.Format(i.InZone(edition.Zone).LocalDateTime) : null;
        SheetColumn<BoardRow>[] columns =
        [
            new("单位", r => r.Name ?? r.Unit.ToString()),
            new("单位代码", r => r.Unit.ToString()),
            new("单位类别", r => ZhLabels.Of(r.Unit.Kind)),
            new("状态", r => ZhLabels.Of(r.Status)),
            new("逾期报送", r => ZhLabels.YesNo(r.Late)),
            new("报送次数", r => r.SubmittedVersions),
            new("报送时间", r => LocalMoment(r.SubmittedAt)),
            new("最后更新", r => LocalMoment(r.UpdatedAt)),
            new("接收部门", r => r.Receiver is { } code ? SecretariatDepartments.Find(code)?.Name ?? code : null),
            new("转发：应报送", r => r.Forward?.Addressed),
            new("转发：已报送", r => r.Forward?.HandedIn),
            new("转发：已采纳", r => r.Forward?.Accepted),
        ];
        return await Sheets.DownloadAsync(http, $"报送情况-{campaign.Title}", sheet, columns, rows);
    }

    /// <summary>The project list's text filter.</summary>
    public sealed record TextQuery(
        [property: FromQuery(Name = "q"), System.ComponentModel.Description(QueryValues.TextDescription)] string? Q);

    private static async Task<IResult> Projects(string summit, string format, [AsParameters] TextQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        var terms = QueryValues.Terms(errors, "q", query.Q);
        errors.ThrowIfAny();
        var store = http.RequestServices.GetRequiredService<IEntityQueries>();
        var rows = ProjectsApi.Projects.ReadAllAsync(summit, terms, http.User.ToActor(), grains, store);
        var counties = new UnitNames(grains, summit);
        var names = new Dictionary<string, string>();

        async IAsyncEnumerable<(CooperationProject Project, string? County)> Named([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var project in rows.WithCancellation(cancellationToken))
            {
                string? county = null;
                if (project.County is { } code && !names.TryGetValue(code, out county))
                    names[code] = county = (await counties.Of(new OwningUnit(UnitKind.County, code))).Zh;
                yield return (project, county);
            }
        }

        SheetColumn<(CooperationProject Project, string? County)>[] columns =
        [
            new("编号", r => r.Project.Id),
            new("项目", r => r.Project.Title),
            new("产业", r => r.Project.Industry),
            new("合作方", r => string.Join("；", r.Project.Partners.Select(p => p.Name))),
            new("落地县（市、区）", r => r.County),
            new("高校", r => r.Project.Universities.Count == 0 ? null : string.Join(",", r.Project.Universities)),
            new("阶段", r => ZhLabels.Of(r.Project.Stage)),
            new("涉及企业数", r => r.Project.EnterprisesInvolved),
            new("签约日期", r => r.Project.SigningDate is { } d ? Date.Format(d) : null),
            new("版本", r => r.Project.Version),
            new("更新人", r => r.Project.UpdatedBy),
        ];
        return await Sheets.DownloadAsync(http, $"合作项目-{summit}", sheet, columns, Named());
    }

    private static async Task<IResult> SubEvents(string summit, string format, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var sheet = Sheets.Format(errors, format);
        errors.ThrowIfAny();
        var store = http.RequestServices.GetRequiredService<IEntityQueries>();
        var venues = CountiesApi.Venues.ReadAllAsync(summit, null, http.User.ToActor(), grains, store);

        async IAsyncEnumerable<(CountyVenue Venue, SubEvent Event)> Rows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var venue in venues.WithCancellation(cancellationToken))
                foreach (var item in venue.SubEvents) yield return (venue, item);
        }

        var columns = new List<SheetColumn<(CountyVenue Venue, SubEvent Event)>>
        {
            new("县（市、区）", r => r.Venue.Name),
            new("县代码", r => r.Venue.County),
            new("编号", r => r.Event.Id),
            new("子活动", r => r.Event.Title),
            new("日期", r => r.Event.Date is { } d ? Date.Format(d) : null),
            new("地点", r => r.Event.Venue),
            new("状态", r => ZhLabels.Of(r.Event.Status)),
            new("适用预案", r => r.Event.Plan is { } mode ? ZhLabels.Of(mode) : null),
            new("暂缓", r => ZhLabels.YesNo(r.Event.SetAside)),
        };
        foreach (var item in Enum.GetValues<ChecklistItem>())
            columns.Add(new(ZhLabels.Of(item), r => r.Event.Checklist.TryGetValue(item, out var state) ? ZhLabels.Of(state) : null));
        columns.Add(new("清单完成", r => $"{r.Event.ChecklistDone}/{r.Event.Checklist.Count}"));
        columns.Add(new("版本", r => r.Event.Version));
        columns.Add(new("更新人", r => r.Event.LastUpdate.Account));
        return await Sheets.DownloadAsync(http, $"分会场子活动-{summit}", sheet, columns, Rows());
    }
}
