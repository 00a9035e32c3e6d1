using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Rules;
using Summit.Scheduling;

namespace Summit.Gateway.Api.Contracts;

/// <summary>
/// <c>GET /api/summits/{summit}/schedule</c>. Dates are working days on the summit's calendar. Tasks, counties,
/// sub-forums and critical-path ids are those the caller may read; the summit-wide figures are shown to everyone who
/// may read the summit.
/// </summary>
public sealed record ScheduleResponse(
    [property: Description("The summit clock's instant the schedule is computed for.")] Instant AsOf,
    [property: Description("The summit-local date work is planned from.")] LocalDate Today,
    LocalDate OpeningDate,
    [property: Description("Task ids on the critical path, first to last.")] IReadOnlyList<string> CriticalPath,
    [property: Description("The open tasks due before the opening day are projected to finish after the day before it.")] bool OpeningAtRisk,
    [property: Description("Projected finish of all open tasks; absent when none is open.")] LocalDate? ProjectedFinish,
    [property: Description("Projected finish of the open tasks due before the opening day.")] LocalDate? PreparationFinish,
    int OpenTasks,
    [property: Description("Open tasks with negative slack, summit-wide.")] int NegativeSlackTasks,
    [property: Description("Projected finish per county (tasks owned by the county).")] IReadOnlyList<ForecastResource> Counties,
    [property: Description("Projected finish per sub-forum (tasks linked to it).")] IReadOnlyList<ForecastResource> SubForums,
    [property: Description("Every open task the caller may read, least slack first.")] IReadOnlyList<TaskSlackResource> Tasks,
    [property: Description("Ids tasks depend on that the schedule does not know.")] IReadOnlyList<string> UnknownPrerequisites);

/// <summary>Projected finish of a county's or sub-forum's open tasks.</summary>
public sealed record ForecastResource(
    [property: Description("The county code or sub-forum id.")] string Key,
    int OpenTasks,
    [property: Description("Latest projected finish of its open tasks; absent when none is open.")] LocalDate? ProjectedFinish,
    [property: Description("Least slack of its open tasks, in working days.")] int? MinSlack,
    [property: Description("Some open task has negative slack.")] bool AtRisk)
{
    public static ForecastResource From(ScheduleRollup rollup) =>
        new(rollup.Key ?? "", rollup.OpenTasks, rollup.ProjectedFinish, rollup.MinSlack, rollup.AtRisk);
}

/// <summary>One open task's place in the schedule.</summary>
public sealed record TaskSlackResource(
    string Id,
    OwningUnit Owner,
    string? SubForum,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline DueDate,
    [property: Description("Working days of work left as scheduled.")] int RemainingDays,
    LocalDate EarliestStart,
    [property: Description("Earliest finish: the last working day of its work.")] LocalDate ProjectedFinish,
    LocalDate LatestStart,
    LocalDate LatestFinish,
    [property: Description("Working days it can slip; negative: projected late.")] int Slack,
    bool Critical)
{
    public static TaskSlackResource From(ScheduledTask task) => new(
        task.Id, task.Owner, task.SubForum, task.Due, task.RemainingDays, task.EarliestStart, task.ProjectedFinish,
        task.LatestStart, task.LatestFinish, task.Slack, task.Critical);
}

/// <summary><c>GET /api/summits/{summit}/readiness</c>: see the README's "Readiness score" for how it is computed.</summary>
public sealed record ReadinessResponse(
    Instant AsOf,
    [property: Description("The whole summit.")] ReadinessScore Overall,
    [property: Description("Counties the caller may read.")] IReadOnlyList<ReadinessScore> Counties,
    [property: Description("Sub-forums the caller may read.")] IReadOnlyList<ReadinessScore> SubForums);

/// <summary>Planned against earned progress; each list worst gap first.</summary>
public sealed record PlanReadinessResponse(
    [property: Description("Planned progress counts up to the end of the day before this date (the summit clock's today).")] LocalDate AsOf,
    [property: Description("The whole summit.")] PlanStanding Overall,
    [property: Description("Counties the caller may read (tasks they own).")] IReadOnlyList<PlanStanding> Counties,
    [property: Description("Sub-forums the caller may read (tasks linked to them).")] IReadOnlyList<PlanStanding> SubForums,
    [property: Description("Task categories that have tasks.")] IReadOnlyList<PlanStanding> Categories);

/// <summary>An S-curve: cumulative planned and earned progress (0-100) at the end of each day.</summary>
public sealed record ReadinessCurveResponse(
    string Scope,
    string? Key,
    [property: Description("The summit clock's today: earned points stop here.")] LocalDate Today,
    LocalDate OpeningDate,
    [property: Description("First day (the preparation start).")] LocalDate From,
    [property: Description("Last day (the closing day).")] LocalDate To,
    [property: Description("Tasks counted.")] int Tasks,
    [property: Description("One per day from `from` to `to`; `earned` is null before the first recorded change and after today.")] IReadOnlyList<CurvePoint> Points)
{
    public static ReadinessCurveResponse Of(ReadinessCurve curve) =>
        new(curve.Scope, curve.Key, curve.Today, curve.OpeningDate, curve.From, curve.To, curve.Tasks, curve.Points);
}

/// <summary>A summit's working calendar: Saturdays and Sundays off, plus holidays, minus make-up working days.</summary>
public sealed record CalendarResource(
    [property: Description("Public holidays (dates off).")] IReadOnlyList<LocalDate> Holidays,
    [property: Description("Saturdays or Sundays that are working days (调休).")] IReadOnlyList<LocalDate> MakeUpWorkingDays,
    string? Source,
    [property: Description("True while the summit uses the default (China's official 2020 arrangement).")] bool IsDefault,
    [property: Description("Version of the summit's deadline settings (also the ETag); 1 is the defaults.")] int Version,
    Instant? UpdatedAt,
    string? UpdatedBy)
{
    public static CalendarResource From(DeadlineSettings settings) => new(
        settings.Calendar.Holidays, settings.Calendar.MakeUpWorkingDays, settings.Calendar.Source, settings.DefaultCalendar,
        settings.Version, settings.UpdatedAt, settings.UpdatedBy);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CalendarRequest(
    [property: Description("Public holidays, e.g. 2020-06-25.")] IReadOnlyList<LocalDate>? Holidays,
    [property: Description("Saturdays or Sundays that are working days, e.g. 2020-06-28.")] IReadOnlyList<LocalDate>? MakeUpWorkingDays,
    [property: Description("Where the dates come from (at most 300 characters).")] string? Source)
{
    public WorkingCalendarDefinition ToDefinition(FieldErrors errors)
    {
        if (Holidays is null) errors.Add("holidays", "is required (an empty list for none).");
        if (MakeUpWorkingDays is null) errors.Add("makeUpWorkingDays", "is required (an empty list for none).");
        return new WorkingCalendarDefinition(Holidays ?? [], MakeUpWorkingDays ?? [], Source);
    }
}

/// <summary>When due-soon is announced.</summary>
public sealed record RemindersResource(
    [property: Description("Days before the due date at which due-soon is announced, e.g. [3, 1].")] IReadOnlyList<int> LeadDays,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter)), Description("Local time of the announcements, e.g. 09:00:00.")] LocalTime AnnounceAt,
    [property: Description("Count the lead days as working days on the summit's calendar.")] bool LeadsInWorkingDays,
    int Version,
    Instant? UpdatedAt,
    string? UpdatedBy)
{
    public static RemindersResource From(DeadlineSettings settings) => new(
        settings.Reminders.LeadDays, settings.Reminders.AnnouncementTime, settings.LeadsInWorkingDays, settings.Version,
        settings.UpdatedAt, settings.UpdatedBy);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RemindersRequest(
    [property: Description("1 to 5 distinct values, each 1-60; an empty list turns due-soon off.")] IReadOnlyList<int>? LeadDays,
    [property: JsonConverter(typeof(TimeOfDayJsonConverter)), Description("Local time, e.g. 09:00 (default 09:00).")] LocalTime? AnnounceAt,
    [property: Description("Default false: calendar days.")] bool? LeadsInWorkingDays)
{
    public DueOptions ToOptions(FieldErrors errors)
    {
        if (LeadDays is null) errors.Add("leadDays", "is required (an empty list turns due-soon off).");
        return new DueOptions(LeadDays ?? [], AnnounceAt ?? DueOptions.Default.AnnouncementTime);
    }
}

/// <summary>One announcement of the deadline engine (what the notifications side was told).</summary>
public sealed record AnnouncementResource(
    string TaskId,
    [property: Description("dueSoon, dueToday or overdue.")] DueKind Kind,
    [property: Description("For dueSoon: the lead in days.")] int? LeadDays,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline DueDate,
    [property: Description("When the announced state began (for overdue: the due moment).")] Instant StateSince,
    [property: Description("When it was announced.")] Instant AnnouncedAt)
{
    public static AnnouncementResource From(DueAnnouncementRecord record) =>
        new(record.TaskId, record.Kind, record.LeadDays, record.Deadline, record.StateSince, record.AnnouncedAt);
}
