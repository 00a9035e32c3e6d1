using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Journal;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// The deadline engine's resources under <c>/api/summits/{summit}</c>: the schedule (critical path, slack, projected
/// finish), the readiness scores, the working calendar, the due-soon settings and the announcements made.
/// </summary>
public static class ScheduleApi
{
    public static RouteGroupBuilder MapScheduleApi(this RouteGroupBuilder summit)
    {
        summit.MapGet("/schedule", Schedule).WithTags("Schedule")
            .Describe("GetSchedule", "The critical path, each open task's slack and the projected finish per county, sub-forum and overall.",
                "As of the summit clock, in working days on the summit's calendar. Lists hold what the caller may read.")
            .Produces<ScheduleResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        summit.MapGet("/readiness", Readiness).WithTags("Schedule")
            .Describe("GetReadiness", "Readiness scores with their reasons: overall, per county and per sub-forum.",
                "Tasks 50 %, checklist 30 %, schedule 20 % (see the README). Counties and sub-forums are those the caller may read.")
            .Produces<ReadinessResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        summit.MapGet("/readiness/plan", PlanReadiness).WithTags("Schedule")
            .Describe("GetPlanReadiness", "Planned against earned progress: overall and per county, sub-forum and task category, worst gap first.",
                "Planned progress by the end of yesterday on the summit's working calendar, earned progress now, weighted by planned working days (see the README). Counties and sub-forums are those the caller may read.")
            .Produces<PlanReadinessResponse>().ProducesProblem(StatusCodes.Status404NotFound).RejectsUnknownQuery();
        summit.MapGet("/readiness/curve", ReadinessCurveOf).WithTags("Schedule")
            .Describe("GetReadinessCurve", "The S-curve of the summit, a county, a sub-forum or a task category: planned and earned progress per day.",
                "Planned over the whole preparation window from the tasks' planned start and duration; earned from the tasks' recorded changes up to today.")
            .Produces<ReadinessCurveResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).RejectsUnknownQuery();

        summit.MapGet("/calendar", GetCalendar).WithTags("Schedule")
            .Describe("GetCalendar", "The summit's working calendar.").ReadsOne<CalendarResource>();
        summit.MapPut("/calendar", PutCalendar).WithTags("Schedule")
            .Describe("SetCalendar", "Replaces the summit's working calendar (secretariat).",
                "Holidays and make-up working days (Saturdays or Sundays only); a date may not be both.").Updates<CalendarResource>();
        summit.MapDelete("/calendar", ResetCalendar).WithTags("Schedule")
            .Describe("ResetCalendar", "Restores the default working calendar, China's official 2020 arrangement (secretariat).")
            .Updates<CalendarResource>();

        summit.MapGet("/reminders", GetReminders).WithTags("Schedule")
            .Describe("GetReminders", "When due-soon is announced: lead days and local time.").ReadsOne<RemindersResource>();
        summit.MapPut("/reminders", PutReminders).WithTags("Schedule")
            .Describe("SetReminders", "Sets when due-soon is announced (secretariat).").Updates<RemindersResource>();

        summit.MapGet("/announcements", Announcements).WithTags("Schedule")
            .Describe("ListAnnouncements", "Due-soon, due-today and overdue announcements made, oldest first, for tasks the caller may read.")
            .ReadsList<AnnouncementResource>();
        return summit;
    }

    private static async Task<IResult> Schedule(string summit, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var schedule = await (await SettledEngineAsync(grains, summit)).GetSchedule();

        bool MayRead(OwningUnit owner) => AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: owner));
        var readable = schedule.Tasks.Where(t => MayRead(t.Owner)).ToArray();
        var readableIds = readable.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var everything = readable.Length == schedule.Tasks.Count && SeesEverything(actor);
        var forums = await ReadableSubForumsAsync(grains, summit, actor, schedule.SubForums.Select(f => f.Key!));

        return TypedResults.Ok(new ScheduleResponse(
            schedule.AsOf,
            schedule.Today,
            schedule.OpeningDate,
            [.. schedule.CriticalPath.Where(readableIds.Contains)],
            schedule.OpeningAtRisk,
            schedule.Overall.ProjectedFinish,
            schedule.PreparationFinish,
            schedule.Overall.OpenTasks,
            schedule.NegativeSlackTasks,
            [.. schedule.Counties.Where(c => AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: c.Key))).Select(ForecastResource.From)],
            [.. schedule.SubForums.Where(f => forums.Contains(f.Key!)).Select(ForecastResource.From)],
            [.. readable.Select(TaskSlackResource.From)],
            everything ? schedule.UnknownPrerequisites : []));
    }

    private static async Task<IResult> Readiness(string summit, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var report = await (await SettledEngineAsync(grains, summit)).GetReadiness();
        var forums = await ReadableSubForumsAsync(grains, summit, actor, report.SubForums.Select(f => f.Key!));
        return TypedResults.Ok(new ReadinessResponse(
            report.AsOf,
            report.Overall,
            [.. report.Counties.Where(c => AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: c.Key)))],
            [.. report.SubForums.Where(f => forums.Contains(f.Key!))]));
    }

    private static async Task<IResult> PlanReadiness(string summit, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await PlanReadinessOfAsync(summit, http.User.ToActor(), grains));

    /// <summary>Readiness against the plan as <paramref name="actor"/> may read it (the page and its export).</summary>
    internal static async Task<PlanReadinessResponse> PlanReadinessOfAsync(string summit, Actor actor, IGrainFactory grains)
    {
        await Guard.ReadSummitAsync(grains, summit, actor);
        var report = await (await SettledEngineAsync(grains, summit)).GetPlanReadiness();
        var forums = await ReadableSubForumsAsync(grains, summit, actor, report.SubForums.Select(f => f.Key!));
        return new PlanReadinessResponse(
            report.AsOf,
            report.Overall,
            [.. report.Counties.Where(c => AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: c.Key)))],
            [.. report.SubForums.Where(f => forums.Contains(f.Key!))],
            report.Categories);
    }

    public const string CurveScopes = "overall, county, subForum, category";

    public sealed record CurveQuery(
        [property: FromQuery(Name = "scope"), Description("overall (default), county, subForum or category.")] string? Scope,
        [property: FromQuery(Name = "key"), Description("The county code, sub-forum id or category (camelCase); not with overall.")] string? Key);

    private static async Task<IResult> ReadinessCurveOf(string summit, [AsParameters] CurveQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var scope = query.Scope?.Trim() switch
        {
            null or "" or "overall" => "overall",
            "county" => "county",
            "subForum" => "subForum",
            "category" => "category",
            _ => null,
        };
        if (scope is null) errors.Add("scope", $"'{QueryValues.Printable(query.Scope!)}' is not one of: {CurveScopes}.");
        var key = string.IsNullOrWhiteSpace(query.Key) ? null : query.Key.Trim();
        if (scope == "overall" && key is not null) errors.Add("key", "is not taken with the overall scope.");
        if (scope is "county" or "subForum" or "category" && key is null) errors.Add("key", "is required.");
        if (scope is "county" or "subForum" && key is not null) errors.Code("key", key);
        if (scope == "category" && key is not null)
        {
            var category = QueryValues.Enum<TaskCategory>(errors, "key", key);
            if (category is { } c) key = PlanProgress.CategoryKey(c);
        }
        errors.ThrowIfAny();

        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        // A county's or sub-forum's curve is read by whoever may read the county or sub-forum; another unit's answers 404.
        if (scope == "county" && (!AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: key))
                                  || await grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, key!)).Get() is null))
            throw new EntityNotFoundException(EntityKind.County, key!);
        if (scope == "subForum" && !(await ReadableSubForumsAsync(grains, summit, actor, [key!])).Contains(key!))
            throw new EntityNotFoundException(EntityKind.SubForum, key!);

        var curve = await (await SettledEngineAsync(grains, summit)).GetReadinessCurve(scope!, key);
        return TypedResults.Ok(ReadinessCurveResponse.Of(curve));
    }

    private static async Task<IResult> GetCalendar(string summit, HttpContext http, IGrainFactory grains)
    {
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        var settings = await Engine(grains, summit).GetSettings();
        return Responses.Read(http, CalendarResource.From(settings), settings.Version);
    }

    private static async Task<IResult> PutCalendar(string summit, CalendarRequest body, HttpContext http, IGrainFactory grains)
    {
        var (actor, ifMatch) = await WriterAsync(summit, http, grains);
        var errors = new FieldErrors();
        var calendar = body.ToDefinition(errors);
        errors.ThrowIfAny();
        var settings = await Engine(grains, summit).SetCalendar(calendar, actor, ifMatch);
        return Responses.Entity(http, CalendarResource.From(settings), settings.Version);
    }

    private static async Task<IResult> ResetCalendar(string summit, HttpContext http, IGrainFactory grains)
    {
        var (actor, ifMatch) = await WriterAsync(summit, http, grains);
        var settings = await Engine(grains, summit).SetCalendar(null, actor, ifMatch);
        return Responses.Entity(http, CalendarResource.From(settings), settings.Version);
    }

    private static async Task<IResult> GetReminders(string summit, HttpContext http, IGrainFactory grains)
    {
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        var settings = await Engine(grains, summit).GetSettings();
        return Responses.Read(http, RemindersResource.From(settings), settings.Version);
    }

    private static async Task<IResult> PutReminders(string summit, RemindersRequest body, HttpContext http, IGrainFactory grains)
    {
        var (actor, ifMatch) = await WriterAsync(summit, http, grains);
        var errors = new FieldErrors();
        var options = body.ToOptions(errors);
        errors.ThrowIfAny();
        var settings = await Engine(grains, summit).SetReminders(options, body.LeadsInWorkingDays ?? false, actor, ifMatch);
        return Responses.Entity(http, RemindersResource.From(settings), settings.Version);
    }

    public sealed record AnnouncementQuery(
        [property: FromQuery(Name = "task"), Description("Only this task's announcements.")] string? Task,
        [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
        [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

    private static async Task<IResult> Announcements(string summit, [AsParameters] AnnouncementQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (query.Task is not null) errors.Code("task", query.Task);
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        // Units see announcements of their own tasks only: the owners whose tasks they may read (the access rules' call, as
        // for the task list) are a condition of the query, which joins each announcement's task.
        IReadOnlyList<OwningUnit>? owners = null;
        if (!SeesEverything(actor))
        {
            var all = await http.RequestServices.GetRequiredService<IEntityQueries>().ListTaskOwnersAsync(summit, http.RequestAborted);
            owners = AccessRules.ReadableTaskOwners(actor, all) ?? all;
        }
        var page = await http.RequestServices.GetRequiredService<IAnnouncementStore>().QueryAsync(new AnnouncementListQuery(summit)
        {
            TaskId = query.Task,
            Owners = owners,
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        }, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<AnnouncementResource>([.. page.Items.Select(AnnouncementResource.From)], page.Total));
    }

    private static IDeadlinesGrain Engine(IGrainFactory grains, string summit) => grains.GetGrain<IDeadlinesGrain>(summit);

    /// <summary>
    /// The engine once the summit's change stream has delivered every change committed so far, so a schedule read right
    /// after a write shows it (read-your-writes; the stream is otherwise a moment behind).
    /// </summary>
    private static async Task<IDeadlinesGrain> SettledEngineAsync(IGrainFactory grains, string summit)
    {
        await grains.GetGrain<IChangeStreamGrain>(summit).Drain();
        return Engine(grains, summit);
    }

    /// <summary>Settings are the summit's: the secretariat changes them (403 for others who may read the summit).</summary>
    private static async Task<(Actor Actor, int? IfMatch)> WriterAsync(string summit, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Write(actor, ResourceScope.Summit, EntityKind.Summit, summit);
        var expected = await Preconditions.ExpectedVersionAsync(ifMatch, async () => (await Engine(grains, summit).GetSettings()).Version,
            () => new EntityNotFoundException(EntityKind.Summit, summit));
        return (actor, expected);
    }

    /// <summary>Whether the actor reads every entity of a summit (no per-unit filtering needed).</summary>
    private static bool SeesEverything(Actor actor) =>
        AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: OwningUnit.Department("-")))
        && AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: "-"));

    private static async Task<HashSet<string>> ReadableSubForumsAsync(IGrainFactory grains, string summit, Actor actor, IEnumerable<string> ids)
    {
        var wanted = ids.Distinct(StringComparer.Ordinal).ToArray();
        if (SeesEverything(actor)) return wanted.ToHashSet(StringComparer.Ordinal);
        var forums = await Task.WhenAll(wanted.Select(id => grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, id)).Get()));
        return forums.OfType<SubForum>()
            .Where(f => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(f)))
            .Select(f => f.Id)
            .ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>The <c>?due=</c> filter of the task list, evaluated with the summit's own reminder settings.</summary>
public static class DueQuery
{
    public const string Description =
        "overdue: open tasks past their due moment; soon: open tasks within a reminder lead time of their due date (due soon " +
        "or due today), not yet overdue; today: due today, not yet overdue. As of the summit clock, in the summit's time zone.";

    /// <summary>How far ahead <see cref="Window"/> looks at most: beyond the longest lead (60 working days) and its holidays.</summary>
    private const int MaxWindowDays = 400;

    /// <summary>The summit's due states, with its reminder settings (lead days, announcement time, lead calendar).</summary>
    public static async Task<DueStates> StatesAsync(IGrainFactory grains, SummitEdition summit) =>
        (await grains.GetGrain<IDeadlinesGrain>(summit.Code).GetSettings()).DueStates(summit.Zone);

    public static bool Matches(DueStates due, DueFilter filter, PreparationTask task, Instant now) =>
        DueLists.Matches(filter, DueLists.Classify(due, task, now));

    /// <summary>
    /// The <c>?due=</c> list as conditions of the task list query, so the database pages it: the tasks
    /// <see cref="Matches"/> accepts, said with the due moment as a local date-time in the summit's zone (exact where the
    /// zone has no daylight saving change, like every other due comparison of the list).
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>overdue: open and due at or before now.</item>
    /// <item>today: open, due today and not yet overdue, and the due-today state begun: it begins at the announcement
    /// time, or at the start of the day for a deadline at or before that time.</item>
    /// <item>soon: with lead days, open, not yet overdue and due no later than the last date whose first due-soon moment
    /// has passed (<see cref="Window"/>); every deadline of a date has the same due-soon moments, all before its
    /// due-today and overdue moments, so a begun state is due soon or due today. Without lead days it is today.</item>
    /// </list>
    /// </remarks>
    public static TaskListQuery Apply(TaskListQuery query, DueStates due, DueFilter filter, Instant now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(due);
        var local = now.InZone(due.Zone).LocalDateTime;
        var open = query with { OpenOnly = true };
        if (filter == DueFilter.Overdue) return open with { DueAtOrBefore = Earlier(query.DueAtOrBefore, local) };
        if (filter == DueFilter.Today || due.Options.LeadDays.Count == 0)
        {
            return open with
            {
                DueFrom = Later(query.DueFrom, local.Date),
                DueTo = Earlier(query.DueTo, local.Date),
                DueAfter = Later(query.DueAfter, local),
                // Before the announcement time only deadlines at or before it have begun their due-today state.
                DueAtOrBefore = local.TimeOfDay >= due.Options.AnnouncementTime
                    ? query.DueAtOrBefore
                    : Earlier(query.DueAtOrBefore, local.Date.At(due.Options.AnnouncementTime)),
            };
        }
        return open with
        {
            DueTo = Earlier(query.DueTo, Window(due, now).To),
            DueAfter = Later(query.DueAfter, local),
        };
    }

    private static T? Later<T>(T? current, T value) where T : struct, IComparable<T> =>
        current is { } c && c.CompareTo(value) > 0 ? c : value;

    private static T? Earlier<T>(T? current, T value) where T : struct, IComparable<T> =>
        current is { } c && c.CompareTo(value) < 0 ? c : value;

    /// <summary>
    /// The due dates a task in the <see cref="DueFilter.Soon"/> or <see cref="DueFilter.Today"/> list can have at
    /// <paramref name="now"/>, so only those tasks need classifying: not yet overdue, so due no earlier than yesterday;
    /// and some state begun, so due no later than the last date whose earliest moment has passed.
    /// </summary>
    /// <remarks>Every deadline on a date D has the same due-soon moments and none of its other moments is before the start
    /// of D, so D's earliest moment is that of a deadline at 00:00 on D; it does not decrease as D grows.</remarks>
    public static (LocalDate From, LocalDate To) Window(DueStates due, Instant now)
    {
        ArgumentNullException.ThrowIfNull(due);
        var today = now.InZone(due.Zone).Date;
        var last = today;
        for (var day = today; day <= today.PlusDays(MaxWindowDays); day = day.PlusDays(1))
        {
            if (due.Moments(new Deadline(day, LocalTime.Midnight))[0].At > now) break;
            last = day;
        }
        return (today.PlusDays(-1), last);
    }
}
