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
            Transitions.Next(task.Status), task.Version, task.CreatedAt, task.UpdatedAt, task.UpdatedBy);
    }

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
    public TaskDraft ToDraft(FieldErrors errors) => new(
        Title!,
        Required.Value(errors, "category", Category),
        Owner?.ToDomain(errors, "owner")!,
        DueDate!,
        Assignee,
        Milestone ?? false,
        DependsOn,
        Note);
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
    /// <summary>The camelCase names of the members this PATCH carries, as <see cref="Security.SummitAccess.MayChangeTaskField"/> knows them.</summary>
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
    }

    public TaskChange ToChange(FieldErrors errors) => new(
        Title, Status, PercentComplete, Assignee, DueDate, DependsOn, Category, Owner?.ToDomain(errors, "owner"), Milestone, Note);
}
