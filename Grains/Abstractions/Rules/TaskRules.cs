using NodaTime;
using Summit.Domain;
using Summit.Scheduling;

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
/// <item><c>remainingDays</c> (working days of work left) is 0..1000; <c>subForum</c> is a code (blank clears it; the grain
/// checks that the sub-forum exists).</item>
/// <item>On create, <c>dueInWorkingDays</c> (1..500) may stand in for <c>dueDate</c> (never both): the due date is then
/// the N-th working day after the summit clock's today on the summit's working calendar, and must fall in the window.</item>
/// <item><c>start</c> (planned start day) falls inside the preparation window and on or before the due date;
/// <c>durationDays</c> (planned working days) is 0..1000. Both are optional. <c>archived</c> is the secretariat's (see
/// <see cref="AccessRules"/>); an archived task is not open.</item>
/// <item>A task cannot move to Done while a prerequisite is open. The grain looks the prerequisites up and passes the
/// open ones in; the refusal is on <c>status</c> and names them. The secretariat may override it by sending
/// <c>overrideOpenPrerequisites: true</c> with a non-blank <c>note</c> (kept in the history); any other role sending the
/// flag is refused on that field. The platform itself (<see cref="Role.System"/>: seeding, imports) replays states that
/// were already agreed, so it is not held to the order in which prerequisites are closed.</item>
/// </list>
/// Dates are checked against the window only when they change, so an older task stays editable after the window moves.
/// </summary>
public static class TaskRules
{
    public const int MaxTitle = 200;
    public const int MaxAssignee = 100;
    public const int MaxDependencies = 50;
    public const int MaxRemainingDays = ScheduleTask.MaxRemainingDays;
    public const int MaxDueInWorkingDays = 500;
    public const int MaxDurationDays = 1000;

    /// <summary>Checks a draft as the client sent it; a date from <c>dueInWorkingDays</c> is checked by <see cref="Create"/>, which computes it.</summary>
    public static void Validate(string id, TaskDraft draft, SummitEdition summit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        errors.Code("id", id);
        errors.Require("title", draft.Title, MaxTitle);
        errors.Defined("category", draft.Category);
        Owner(errors, draft.Owner);
        if (draft.Due is null)
        {
            if (draft.DueInWorkingDays is null) errors.Add("dueDate", "is required.");
        }
        else
        {
            if (draft.DueInWorkingDays is not null) errors.Add("dueInWorkingDays", "give either dueDate or dueInWorkingDays, not both.");
            Check.InWindow(errors, "dueDate", draft.Due.Date, summit.PreparationWindow, "the summit's preparation window");
        }
        if (draft.DueInWorkingDays is { } days) errors.Range("dueInWorkingDays", days, 1, MaxDueInWorkingDays);
        if (draft.RemainingDays is { } remaining) errors.Range("remainingDays", remaining, 0, MaxRemainingDays);
        Planning(errors, draft.Start, draft.DurationDays, draft.Due, summit, startChanged: true);
        SubForum(errors, draft.SubForum);
        errors.MaxLength("assignee", draft.Assignee, MaxAssignee);
        Dependencies(errors, id, draft.DependsOn);
        Check.Note(errors, draft.Note);
        Check.Defined(errors, "plan", draft.Plan);
    }

    /// <summary>"Due in <paramref name="workingDays"/> working days" from the summit-local date of <paramref name="now"/>.</summary>
    public static Deadline DueInWorkingDays(int workingDays, WorkingCalendar calendar, SummitEdition summit, Instant now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(summit);
        return new Deadline(calendar.AddWorkingDays(now.InZone(summit.Zone).Date, workingDays));
    }

    /// <param name="errors">Problems the caller already found (e.g. missing dependencies); reported together with these rules'.</param>
    /// <param name="calendar">The summit's working calendar, for <see cref="TaskDraft.DueInWorkingDays"/>; default
    /// <see cref="WorkingCalendar.China2020"/>.</param>
    public static ChangeResult<PreparationTask> Create(
        string summitCode, string id, TaskDraft draft, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null,
        WorkingCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors);
        var due = draft.Due;
        if (due is null && draft.DueInWorkingDays is { } days and >= 1 and <= MaxDueInWorkingDays)
        {
            due = DueInWorkingDays(days, calendar ?? WorkingCalendar.China2020, summit, now);
            Check.InWindow(errors, "dueInWorkingDays", due.Date, summit.PreparationWindow,
                $"{days} working days from today is {Render.Date(due.Date)}; the summit's preparation window");
        }
        if (due is not null && draft.Start is { } start && start > due.Date && draft.Due is null)
            errors.Add("start", $"must be on or before the due date {Render.Date(due.Date)}.");
        errors.ThrowIfAny();
        var task = new PreparationTask(
            summitCode,
            id,
            draft.Title.Trim(),
            draft.Category,
            draft.Owner,
            Check.Optional(draft.Assignee),
            // Validate refused a draft with neither a due date nor a valid dueInWorkingDays.
            due!,
            WorkStatus.NotStarted,
            PercentComplete: 0,
            draft.Milestone,
            draft.DependsOn?.ToArray() ?? [],
            Version: 1,
            CreatedAt: now,
            UpdatedAt: now,
            UpdatedBy: actor.Account)
        {
            RemainingDays = draft.RemainingDays,
            SubForum = Check.Optional(draft.SubForum),
            Start = draft.Start,
            DurationDays = draft.DurationDays,
        };
        task = WithPlan(task, draft.Plan, summit);
        return new(task, Compare(null, task), true);
    }

    /// <param name="errors">Problems the caller already found (e.g. a dependency cycle); reported together with these rules'.</param>
    /// <param name="openPrerequisites">Ids of the task's prerequisites (after this change) that are neither done nor
    /// cancelled, as the grain found them; null when not looked up (the Done rule then has nothing to check).</param>
    public static ChangeResult<PreparationTask> Apply(
        PreparationTask current, TaskChange change, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null,
        IReadOnlyCollection<string>? openPrerequisites = null)
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
        if (change.RemainingDays is { } remaining) errors.Range("remainingDays", remaining, 0, MaxRemainingDays);
        Planning(errors, change.Start ?? current.Start, change.DurationDays, change.Due ?? current.Due, summit,
            startChanged: change.Start is { } newStart && newStart != current.Start, dueChanged: change.Due is not null && change.Due != current.Due);
        SubForum(errors, change.SubForum);
        Check.Note(errors, change.Note);
        OpenPrerequisites(errors, current, change, actor, openPrerequisites);
        Check.Defined(errors, "plan", change.Plan?.Mode);

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
            RemainingDays = change.RemainingDays ?? current.RemainingDays,
            SubForum = change.SubForum is null ? current.SubForum : Check.Optional(change.SubForum),
            Start = change.Start ?? current.Start,
            DurationDays = change.DurationDays ?? current.DurationDays,
            Archived = change.Archived ?? current.Archived,
        };
        candidate = WithPlan(candidate, change.Plan is { } plan ? plan.Mode : current.Plan, summit);
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
        .Add("remainingDays", before?.RemainingDays is { } was ? Render.Number(was) : null, after.RemainingDays is { } now ? Render.Number(now) : null)
        .Add("subForum", before?.SubForum, after.SubForum)
        .Add("plan", before?.Plan?.ToString(), after.Plan?.ToString())
        .Add("start", Render.Date(before?.Start), Render.Date(after.Start))
        .Add("durationDays", before?.DurationDays is { } days ? Render.Number(days) : null, after.DurationDays is { } length ? Render.Number(length) : null)
        .Add("archived", before is null ? null : Render.Flag(before.Archived), before is null && !after.Archived ? null : Render.Flag(after.Archived))
        // A new task that is not set aside says nothing about it.
        .Add("setAside", before is null ? null : Render.Flag(before.SetAside), before is null && !after.SetAside ? null : Render.Flag(after.SetAside))
        .Changes;

    /// <summary>
    /// Contingency plan: whether the task is set aside follows from its plan and the summit's current mode, so any
    /// change (including the mode switch's own) leaves the two consistent; the status is never touched.
    /// </summary>
    private static PreparationTask WithPlan(PreparationTask task, SummitMode? plan, SummitEdition summit) =>
        task with { Plan = plan, SetAside = ContingencyPlan.IsSetAside(plan, summit.Mode) };

    /// <summary>The Done rule: see the class remarks.</summary>
    private static void OpenPrerequisites(
        FieldErrors errors, PreparationTask current, TaskChange change, Actor actor, IReadOnlyCollection<string>? open)
    {
        var overriding = change.OverrideOpenPrerequisites == true;
        if (overriding && actor.Role != Role.Secretariat)
            errors.Add("overrideOpenPrerequisites", "only the secretariat may mark a task done while its prerequisites are open.");
        var toDone = change.Status == WorkStatus.Done && current.Status != WorkStatus.Done;
        if (!toDone || open is not { Count: > 0 } || actor.Role == Role.System) return;

        var names = string.Join(", ", open.Order(StringComparer.Ordinal));
        if (!overriding)
            errors.Add("status", $"cannot be Done while prerequisites are open: {names}. " +
                "The secretariat may override this with overrideOpenPrerequisites: true and a note saying why.");
        else if (actor.Role == Role.Secretariat && Check.Optional(change.Note) is null)
            errors.Add("note", $"is required to mark the task done while prerequisites are open ({names}).");
    }

    /// <summary>
    /// The planned start and length: the start in the preparation window (checked when it changes) and not after the due
    /// date (checked whenever either moves), the length 0..<see cref="MaxDurationDays"/> working days.
    /// </summary>
    private static void Planning(FieldErrors errors, LocalDate? start, int? durationDays, Deadline? due, SummitEdition summit,
        bool startChanged, bool dueChanged = false)
    {
        if (durationDays is { } days) errors.Range("durationDays", days, 0, MaxDurationDays);
        if (start is not { } day) return;
        if (startChanged) Check.InWindow(errors, "start", day, summit.PreparationWindow, "the summit's preparation window");
        if (due is null || day <= due.Date) return;
        if (startChanged) errors.Add("start", $"must be on or before the due date {Render.Date(due.Date)}.");
        else if (dueChanged) errors.Add("dueDate", $"must be on or after the planned start {Render.Date(day)}.");
    }

    private static void SubForum(FieldErrors errors, string? subForum)
    {
        if (!string.IsNullOrWhiteSpace(subForum)) errors.Code("subForum", subForum);
    }

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
