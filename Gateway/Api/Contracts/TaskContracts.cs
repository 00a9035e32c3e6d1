using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

/// <summary>A preparation task as the API shows it. <c>dueDate</c> has the same form as in a create or PATCH.</summary>
public sealed record TaskResource(
    string Summit,
    string Id,
    string Title,
    TaskCategory Category,
    OwningUnit Owner,
    string? Assignee,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline DueDate,
    [property: Description("The moment the task becomes overdue: the given time, or the end of the due date, in the summit's time zone.")] Instant DueAt,
    [property: Description("Open (neither done nor cancelled) and past dueAt by the summit's clock.")] bool Overdue,
    WorkStatus Status,
    int PercentComplete,
    bool Milestone,
    IReadOnlyList<string> DependsOn,
    [property: Description("The statuses the task may move to next.")] IReadOnlyList<WorkStatus> NextStatuses,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy)
{
    public static TaskResource From(PreparationTask task, DateTimeZone zone, Instant now)
    {
        var dueAt = task.Due.DueInstant(zone);
        return new TaskResource(
            task.Summit, task.Id, task.Title, task.Category, task.Owner, task.Assignee, task.Due, dueAt,
            IsOverdue(task, zone, now), task.Status, task.PercentComplete, task.Milestone, task.DependsOn,
            Transitions.Next(task.Status), task.Version, task.CreatedAt, task.UpdatedAt, task.UpdatedBy)
        {
            RemainingDays = task.RemainingDays,
            SubForum = task.SubForum,
            Plan = task.Plan,
            SetAside = task.SetAside,
            Start = task.Start,
            DurationDays = task.DurationDays,
            Archived = task.Archived,
        };
    }

    // Planning: start, duration and archiving.

    [Description("The day work is planned to start (on or before dueDate); absent when not planned.")]
    public LocalDate? Start { get; init; }

    [Description("The planned length of the work in working days; absent when not planned.")]
    public int? DurationDays { get; init; }

    [Description("Archived by the secretariat: left out of the default list, the dashboard and the schedule; listed with archived=true.")]
    public bool Archived { get; init; }

    // Contingency plans (issue 5).

    [Description("The summit mode whose plan the task belongs to (offline, online, hybrid); absent for every mode.")]
    public SummitMode? Plan { get; init; }

    [Description("True while the summit runs in another mode than plan: the task is set aside, its status kept as it was.")]
    public bool SetAside { get; init; }

    // Deadline engine (issue 5): optional members, kept apart from the positional ones.

    [Description("The owner's estimate of the working days of work left; absent when never given (the schedule then assumes 1, or 0 at 100 %).")]
    public int? RemainingDays { get; init; }

    [Description("The sub-forum the task prepares, if any.")]
    public string? SubForum { get; init; }

    public static bool IsOverdue(PreparationTask task, DateTimeZone zone, Instant now) => task.IsOpen && task.Due.DueInstant(zone) < now;
}

/// <summary>A task's owning unit: <c>{"kind": "county", "code": "pingyang"}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UnitInput(UnitKind? Kind, string? Code)
{
    public OwningUnit ToDomain(FieldErrors errors, string field) => new(Required.Value(errors, $"{field}.kind", Kind), Code!);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateTaskRequest(
    [property: Description("A code (a-z, 0-9, '-'); generated when left out. Give one, or an Idempotency-Key, to make a create safe to retry.")] string? Id,
    string? Title,
    TaskCategory? Category,
    UnitInput? Owner,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? DueDate,
    string? Assignee,
    bool? Milestone,
    IReadOnlyList<string>? DependsOn,
    [property: Description("Why the task was created; kept in its history.")] string? Note)
{
    // Deadline engine (issue 5).

    [Description("Estimated working days of work left (0-1000).")]
    public int? RemainingDays { get; init; }

    [Description("Instead of dueDate: due at the end of the N-th working day (1-500) after today on the summit's working calendar.")]
    public int? DueInWorkingDays { get; init; }

    [Description("The id of the sub-forum the task prepares.")]
    public string? SubForum { get; init; }

    [Description("Contingency plan: the summit mode (offline, online, hybrid) the task belongs to; left out for every mode.")]
    public SummitMode? Plan { get; init; }

    [Description("The day work is planned to start: inside the preparation window, on or before the due date.")]
    public LocalDate? Start { get; init; }

    [Description("The planned length of the work in working days (0-1000).")]
    public int? DurationDays { get; init; }

    public TaskDraft ToDraft(FieldErrors errors) => new(
        Title!,
        Required.Value(errors, "category", Category),
        Owner?.ToDomain(errors, "owner")!,
        DueDate!,
        Assignee,
        Milestone ?? false,
        DependsOn,
        Note)
    {
        RemainingDays = RemainingDays,
        DueInWorkingDays = DueInWorkingDays,
        SubForum = SubForum,
        Plan = Plan,
        Start = Start,
        DurationDays = DurationDays,
    };
}

/// <summary>
/// A partial update: members left out (or null) stay as they are. County and university accounts may send only
/// <c>status</c>, <c>percentComplete</c>, <c>note</c> and <c>assignee</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TaskPatch(
    string? Title,
    WorkStatus? Status,
    [property: Description("0-100. Moving to done without it sets 100.")] int? PercentComplete,
    [property: Description("Why; kept in the task's history (at most 2000 characters).")] string? Note,
    [property: Description("An empty string clears it.")] string? Assignee,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? DueDate,
    [property: Description("The whole new list of task ids this task waits for.")] IReadOnlyList<string>? DependsOn,
    TaskCategory? Category,
    UnitInput? Owner,
    bool? Milestone)
{
    // Deadline engine (issue 5).

    [Description("A new estimate of the working days of work left (0-1000).")]
    public int? RemainingDays { get; init; }

    [Description("The id of the sub-forum the task prepares; an empty string clears it.")]
    public string? SubForum { get; init; }

    [Description("Secretariat only, with status done and a note: mark the task done although prerequisites are still open.")]
    public bool? OverrideOpenPrerequisites { get; init; }

    [Description("Contingency plan: offline, online, hybrid, or all (every mode).")]
    public TaskPlan? Plan { get; init; }

    [Description("A new planned start day: inside the preparation window, on or before the due date.")]
    public LocalDate? Start { get; init; }

    [Description("A new planned length in working days (0-1000).")]
    public int? DurationDays { get; init; }

    [Description("Secretariat only: true archives the task, false restores it. The history keeps both, with the note.")]
    public bool? Archived { get; init; }

    /// <summary>The camelCase names of the members this PATCH carries, as <see cref="Security.AccessRules.MayChangeTaskField"/> knows them.</summary>
    public IEnumerable<string> Fields()
    {
        if (Title is not null) yield return "title";
        if (Status is not null) yield return "status";
        if (PercentComplete is not null) yield return "percentComplete";
        if (Note is not null) yield return "note";
        if (Assignee is not null) yield return "assignee";
        if (DueDate is not null) yield return "dueDate";
        if (DependsOn is not null) yield return "dependsOn";
        if (Category is not null) yield return "category";
        if (Owner is not null) yield return "owner";
        if (Milestone is not null) yield return "milestone";
        if (RemainingDays is not null) yield return "remainingDays";
        if (SubForum is not null) yield return "subForum";
        if (OverrideOpenPrerequisites is not null) yield return "overrideOpenPrerequisites";
        if (Plan is not null) yield return "plan";
        if (Start is not null) yield return "start";
        if (DurationDays is not null) yield return "durationDays";
        if (Archived is not null) yield return "archived";
    }

    public TaskChange ToChange(FieldErrors errors) => new(
        Title, Status, PercentComplete, Assignee, DueDate, DependsOn, Category, Owner?.ToDomain(errors, "owner"), Milestone, Note)
    {
        RemainingDays = RemainingDays,
        SubForum = SubForum,
        OverrideOpenPrerequisites = OverrideOpenPrerequisites,
        Plan = Plan?.ToChoice(),
        Start = Start,
        DurationDays = DurationDays,
        Archived = Archived,
    };
}
