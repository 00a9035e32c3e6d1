using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a preparation task:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>title</c> required, at most 200 characters; <c>assignee</c> at most 100 (blank clears it); <c>note</c> at most 2000.</item>
/// <item><c>category</c>, <c>status</c>, <c>owner.kind</c> are known values; <c>owner.code</c> is a code.</item>
/// <item><c>dueDate</c> (the <see cref="Deadline"/>) falls inside the summit's preparation window.</item>
/// <item><c>percentComplete</c> is 0..100. Done means 100: moving to Done without a percentage sets 100, an explicit lower
/// percentage with Done is refused, and so is lowering the percentage of a task that stays Done.</item>
/// <item>Status moves follow <see cref="Transitions"/>.</item>
/// <item><c>dependsOn</c>: at most 50 codes, no repeats, not the task itself. Existence and cycles need the other tasks,
/// so the grain checks them and passes its findings in through <c>errors</c>.</item>
/// </list>
/// Dates are checked against the window only when they change, so an older task stays editable after the window moves.
/// </summary>
public static class TaskRules
{
    public const int MaxTitle = 200;
    public const int MaxAssignee = 100;
    public const int MaxDependencies = 50;

    public static void Validate(string id, TaskDraft draft, SummitEdition summit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        errors.Code("id", id);
        errors.Require("title", draft.Title, MaxTitle);
        errors.Defined("category", draft.Category);
        Owner(errors, draft.Owner);
        if (draft.Due is null) errors.Add("dueDate", "is required.");
        else Check.InWindow(errors, "dueDate", draft.Due.Date, summit.PreparationWindow, "the summit's preparation window");
        errors.MaxLength("assignee", draft.Assignee, MaxAssignee);
        Dependencies(errors, id, draft.DependsOn);
        Check.Note(errors, draft.Note);
    }

    /// <param name="errors">Problems the caller already found (e.g. missing dependencies); reported together with these rules'.</param>
    public static ChangeResult<PreparationTask> Create(
        string summitCode, string id, TaskDraft draft, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors);
        errors.ThrowIfAny();
        var task = new PreparationTask(
            summitCode,
            id,
            draft.Title.Trim(),
            draft.Category,
            draft.Owner,
            Check.Optional(draft.Assignee),
            draft.Due,
            WorkStatus.NotStarted,
            PercentComplete: 0,
            draft.Milestone,
            draft.DependsOn?.ToArray() ?? [],
            Version: 1,
            CreatedAt: now,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(task, Compare(null, task), true);
    }

    /// <param name="errors">Problems the caller already found (e.g. a dependency cycle); reported together with these rules'.</param>
    public static ChangeResult<PreparationTask> Apply(
        PreparationTask current, TaskChange change, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.Title is not null) errors.Require("title", change.Title, MaxTitle);
        errors.MaxLength("assignee", change.Assignee, MaxAssignee);
        Check.Defined(errors, "category", change.Category);
        if (change.Owner is not null) Owner(errors, change.Owner);
        if (change.Due is { } due && due != current.Due)
            Check.InWindow(errors, "dueDate", due.Date, summit.PreparationWindow, "the summit's preparation window");
        if (change.DependsOn is not null) Dependencies(errors, current.Id, change.DependsOn);
        if (change.Status is { } status) Transitions.Check(current.Status, status, errors);
        if (change.PercentComplete is { } percent) errors.Range("percentComplete", percent, 0, 100);
        Check.Note(errors, change.Note);

        var nextStatus = change.Status ?? current.Status;
        var nextPercent = change.PercentComplete
            ?? (change.Status == WorkStatus.Done ? 100 : current.PercentComplete);
        if (nextStatus == WorkStatus.Done && nextPercent != 100 && change.PercentComplete is >= 0 and <= 100)
            errors.Add("percentComplete", change.Status == WorkStatus.Done
                ? "must be 100 when status is Done (leave it out to set 100)."
                : "must stay 100 while the task is Done; reopen it first.");
        errors.ThrowIfAny();

        var candidate = current with
        {
            Title = Check.Trim(change.Title) ?? current.Title,
            Status = nextStatus,
            PercentComplete = nextPercent,
            Assignee = change.Assignee is null ? current.Assignee : Check.Optional(change.Assignee),
            Due = change.Due ?? current.Due,
            DependsOn = change.DependsOn?.ToArray() ?? current.DependsOn,
            Category = change.Category ?? current.Category,
            Owner = change.Owner ?? current.Owner,
            Milestone = change.Milestone ?? current.Milestone,
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<PreparationTask>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(PreparationTask? before, PreparationTask after) => new ChangeSet()
        .Add("title", before?.Title, after.Title)
        .Add("category", before?.Category.ToString(), after.Category.ToString())
        .Add("owner", before?.Owner.ToString(), after.Owner.ToString())
        .Add("assignee", before?.Assignee, after.Assignee)
        .Add("dueDate", Render.Deadline(before?.Due), Render.Deadline(after.Due))
        .Add("status", before?.Status.ToString(), after.Status.ToString())
        .Add("percentComplete", before is null ? null : Render.Number(before.PercentComplete), Render.Number(after.PercentComplete))
        .Add("milestone", before is null ? null : Render.Flag(before.Milestone), Render.Flag(after.Milestone))
        .Codes("dependsOn", before?.DependsOn, after.DependsOn)
        .Changes;

    private static void Owner(FieldErrors errors, OwningUnit? owner)
    {
        if (owner is null)
        {
            errors.Add("owner", "is required.");
            return;
        }
        errors.Defined("owner.kind", owner.Kind);
        errors.Code("owner.code", owner.Code);
    }

    private static void Dependencies(FieldErrors errors, string id, IReadOnlyList<string>? dependsOn)
    {
        Check.Codes(errors, "dependsOn", dependsOn, MaxDependencies);
        if (dependsOn is null) return;
        for (var i = 0; i < dependsOn.Count; i++)
            if (string.Equals(dependsOn[i], id, StringComparison.Ordinal)) errors.Add($"dependsOn[{i}]", "a task cannot depend on itself.");
    }
}
