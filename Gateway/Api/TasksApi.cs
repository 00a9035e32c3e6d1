using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/tasks</c>: preparation tasks.</summary>
public static class TasksApi
{
    /// <summary>What tasks answer like every summit entity: one task, its history, the read check and the grain lookup.</summary>
    private static readonly SummitEntityEndpoints<IPreparationTaskGrain, PreparationTask> Entity =
        new(EntityKind.Task, grain => grain.Get(), task => task.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", List).Describe("ListTasks", "Lists the tasks the caller may read, soonest due first.",
            "Filters combine: unit, category, status, due range, overdue, due (overdue, soon, today by the summit clock) and q (text). Archived tasks are listed only with archived=true. total counts every match.").ReadsList<TaskResource>();
        group.MapGet("/{id}", Get).Describe("GetTask", "Reads one task.").ReadsOne<TaskResource>();
        group.MapPost("/", Create).Describe("CreateTask", "Creates a task (secretariat).").Creates<TaskResource>();
        group.MapPatch("/{id}", Patch).Describe("UpdateTask", "Changes a task: its status and progress with a note, or (secretariat) its plan.",
            "County and university accounts may change status, percentComplete, note and assignee of their own tasks; any other field is answered 403 naming it.")
            .Updates<TaskResource>();
        group.MapGet("/{id}/history", History).Describe("GetTaskHistory", "Lists the accepted changes of a task, oldest first.").ReadsList<HistoryEntry>();
        return group;
    }

    public sealed record TaskQuery(
        [property: FromQuery(Name = "unit"), Description("The owning unit, e.g. county:pingyang, university:wmu, secretariat:office.")] string? Unit,
        [property: FromQuery(Name = "category"), Description("A task category, e.g. publicity.")] string? Category,
        [property: FromQuery(Name = "status"), Description("A status, e.g. inProgress.")] string? Status,
        [property: FromQuery(Name = "dueFrom"), Description("Due on or after this date (2020-06-12).")] string? DueFrom,
        [property: FromQuery(Name = "dueTo"), Description("Due on or before this date (2020-06-30).")] string? DueTo,
        [property: FromQuery(Name = "overdue"), Description("true: only open tasks past their due moment by the summit's clock; false: only the others.")] bool? Overdue,
        [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
        [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit,
        [property: FromQuery(Name = "due"), Description(DueQuery.Description)] string? Due = null,
        [property: FromQuery(Name = "archived"), Description("true: only archived tasks; false or left out: only the others.")] bool? Archived = null,
        [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription + " A task is found by its id, title, assignee, owner's code and sub-forum.")] string? Q = null);

    private static async Task<IResult> List(string summit, [AsParameters] TaskQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var (list, zone, now) = await ListQueryAsync(summit, query, http, grains, clock);
        var page = await http.RequestServices.GetRequiredService<IEntityQueries>().QueryTasksAsync(list, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<TaskResource>(Read(page.Items).Select(task => TaskResource.From(task, zone, now)).ToArray(), page.Total));
    }

    /// <summary>
    /// The list query of <paramref name="query"/>'s filters for the caller, with the summit's zone and the summit clock's
    /// now: the task list and its export (<see cref="ExportsApi"/>) read the same rows.
    /// </summary>
    internal static async Task<(TaskListQuery List, DateTimeZone Zone, Instant Now)> ListQueryAsync(
        string summit, TaskQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var errors = new FieldErrors();
        var unit = QueryValues.Unit(errors, "unit", query.Unit);
        var category = QueryValues.Enum<TaskCategory>(errors, "category", query.Category);
        var status = QueryValues.Enum<WorkStatus>(errors, "status", query.Status);
        var from = QueryValues.Date(errors, "dueFrom", query.DueFrom);
        var to = QueryValues.Date(errors, "dueTo", query.DueTo);
        Paging.Check(errors, query.Offset, query.Limit);
        var due = DueLists.Parse(errors, "due", query.Due);
        var terms = QueryValues.Terms(errors, "q", query.Q);
        errors.ThrowIfAny();

        var actor = http.User.ToActor();
        var store = http.RequestServices.GetRequiredService<IEntityQueries>();
        // Which owners' tasks the caller may read is the access rules' call, asked for each owner the summit's tasks have
        // (one index probe per owner, read while the summit is), or for the one the unit filter names.
        var owners = unit is null ? store.ListTaskOwnersAsync(summit, http.RequestAborted) : Task.FromResult<IReadOnlyList<OwningUnit>>([unit]);
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        var readable = AccessRules.ReadableTaskOwners(actor, await owners);
        var zone = edition.Zone;
        var now = clock.GetCurrentInstant();
        var localNow = now.InZone(zone).LocalDateTime;
        var list = new TaskListQuery(summit)
        {
            Units = unit is null ? readable : readable ?? [unit],
            Category = category,
            Status = status,
            DueFrom = from,
            DueTo = to,
            Overdue = query.Overdue,
            Archived = query.Archived == true,
            Now = localNow,
            Terms = terms,
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        };

        // The due lists depend on the summit's reminder settings (lead days, announcement time, calendar); they become
        // conditions of the same query.
        if (due is { } wanted) list = DueQuery.Apply(list, await DueQuery.StatesAsync(grains, edition), wanted, now);
        return (list, zone, now);
    }

    private static IEnumerable<PreparationTask> Read(IEnumerable<string> stored) =>
        stored.Select(json => JsonSerializer.Deserialize<PreparationTask>(json, SummitJson.Options)).OfType<PreparationTask>();

    private static async Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var actor = http.User.ToActor();
        var (task, _, edition) = await Entity.ReadInSummitAsync(grains, summit, id, actor);
        return Responses.Read(http, TaskResource.From(task, edition.Zone, clock.GetCurrentInstant()), task.Version);
    }

    private static async Task<IResult> Create(string summit, CreateTaskRequest body, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Task, ResourceScope.Summit, "tasks");
        var id = body.Id ?? Responses.NewId(http, "task");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        // The grain validates again; checking here reports missing members and rule violations in one answer.
        TaskRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var task = await Entity.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/tasks/{id}", TaskResource.From(task, edition.Zone, clock.GetCurrentInstant()), task.Version);
    }

    /// <summary>
    /// One grain call: the task's grain judges access, fields, the body's errors, If-Match and the summit's rules itself,
    /// on the summit's facts it keeps, and answers with the summit's zone; nothing else is read before the commit.
    /// </summary>
    private static async Task<IResult> Patch(string summit, string id, TaskPatch patch, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        Guard.ReadSummitByRole(actor, summit);
        var errors = new FieldErrors();
        var change = patch.ToChange(errors);
        var fields = patch.Fields().ToArray();
        var command = new PatchCommand<TaskChange>(change, actor, fields, errors.Any ? errors.ToDictionary() : null, ifMatch?.ToCondition());
        var written = await Entity.Grain(grains, summit, id).Patch(command);
        var task = written.Task;
        var zone = DateTimeZoneProviders.Tzdb[written.TimeZone];
        return Responses.Entity(http, TaskResource.From(task, zone, clock.GetCurrentInstant()), task.Version);
    }

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Entity.History(summit, id, page, http, grains);
}
