using NodaTime;

namespace Summit.Domain;

[GenerateSerializer]
public enum TaskCategory
{
    Approval,
    Plan,
    Organisation,
    Budget,
    Logistics,
    Office,
    Venue,
    Publicity,
    EpidemicPrevention,
    Contingency,
    Partnership,
    Awards,
    Policy,
}

/// <remarks>Named <c>WorkStatus</c> rather than TaskStatus to stay clear of System.Threading.Tasks.</remarks>
[GenerateSerializer]
public enum WorkStatus
{
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

[GenerateSerializer]
public enum UnitKind
{
    /// <summary>A department of the summit secretariat or the city science association.</summary>
    Secretariat,
    County,
    University,
    /// <summary>
    /// A registered organisation (<see cref="Organization"/>): a society, company, school or office, under a county or a
    /// university or at the city level; it receives campaigns and hands in submissions, and owns no tasks.
    /// </summary>
    Organization,
}

/// <summary>The unit answerable for a task (a secretariat department, a county or a university), or an organisation addressed by a campaign.</summary>
[GenerateSerializer, Immutable, Alias("summit.unit")]
public sealed record OwningUnit(UnitKind Kind, string Code)
{
    public static OwningUnit County(string code) => new(UnitKind.County, code);
    public static OwningUnit University(string code) => new(UnitKind.University, code);
    public static OwningUnit Department(string code) => new(UnitKind.Secretariat, code);
    public static OwningUnit Organization(string code) => new(UnitKind.Organization, code);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Code}";
}

/// <summary>A due date, or a due date and time, in the summit's time zone.</summary>
[GenerateSerializer, Immutable, Alias("summit.deadline")]
public sealed record Deadline(LocalDate Date, LocalTime? Time = null)
{
    /// <summary>The moment the task becomes overdue: the given time, or else the end of the day (the next day's start) in <paramref name="zone"/>.</summary>
    public Instant DueInstant(DateTimeZone zone) => Time is { } time
        ? Date.At(time).InZoneLeniently(zone).ToInstant()
        : Date.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();

    public override string ToString() => Time is { } time ? $"{Date:uuuu-MM-dd} {time:HH:mm}" : Date.ToString("uuuu-MM-dd", null);
}

/// <summary>One field's change in an entity's history: the rendered old and new values.</summary>
[GenerateSerializer, Immutable, Alias("summit.field-change")]
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>One accepted change of an entity: who (and for which unit), when, what, why. History is append-only.</summary>
[GenerateSerializer, Immutable, Alias("summit.history-entry")]
public sealed record HistoryEntry(int Version, Instant At, string Account, Role Role, IReadOnlyList<FieldChange> Changes, string? Note, string? Unit = null);

[GenerateSerializer, Immutable, Alias("summit.task-draft")]
public sealed record TaskDraft(
    string Title,
    TaskCategory Category,
    OwningUnit Owner,
    Deadline Due,
    string? Assignee = null,
    bool Milestone = false,
    IReadOnlyList<string>? DependsOn = null,
    string? Note = null)
{
    /// <summary>Contingency plan: the summit mode this task belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }

    // Deadline engine (see Rules.TaskRules): optional members, out of the positional list like Plan.

    /// <summary>Estimated working days of work left; see <see cref="PreparationTask.EstimatedRemainingDays"/> when left out.</summary>
    [Id(200)] public int? RemainingDays { get; init; }

    /// <summary>"Due in N working days": leave <see cref="Due"/> null and the due date becomes the N-th working day after
    /// the summit clock's today on the summit's working calendar (end of that day).</summary>
    [Id(201)] public int? DueInWorkingDays { get; init; }

    /// <summary>The sub-forum the task prepares, if any: its schedule and readiness roll up there.</summary>
    [Id(202)] public string? SubForum { get; init; }

    // Planning (start and duration): optional, out of the positional list like Plan.

    /// <summary>The day work is planned to start; on or before the due date.</summary>
    [Id(300)] public LocalDate? Start { get; init; }

    /// <summary>The planned length of the work in working days (0 for a task done in a moment, e.g. a decision).</summary>
    [Id(301)] public int? DurationDays { get; init; }
}

/// <summary>A partial update: every null member is left as it is. An empty <see cref="Assignee"/> clears it.</summary>
[GenerateSerializer, Immutable, Alias("summit.task-change")]
public sealed record TaskChange(
    string? Title = null,
    WorkStatus? Status = null,
    int? PercentComplete = null,
    string? Assignee = null,
    Deadline? Due = null,
    IReadOnlyList<string>? DependsOn = null,
    TaskCategory? Category = null,
    OwningUnit? Owner = null,
    bool? Milestone = null,
    string? Note = null)
{
    /// <summary>Contingency plan: a new plan, or <see cref="PlanChoice.AllModes"/> to clear it; null leaves it.</summary>
    [Id(100)] public PlanChoice? Plan { get; init; }

    /// <summary>A new estimate of the working days of work left.</summary>
    [Id(200)] public int? RemainingDays { get; init; }

    /// <summary>The sub-forum the task prepares; an empty string clears it.</summary>
    [Id(201)] public string? SubForum { get; init; }

    /// <summary>With <see cref="Status"/> Done: the secretariat marks the task done although prerequisites are still
    /// open; it needs a <see cref="Note"/> saying why (see <see cref="Rules.TaskRules"/>).</summary>
    [Id(202)] public bool? OverrideOpenPrerequisites { get; init; }

    /// <summary>A new planned start day.</summary>
    [Id(300)] public LocalDate? Start { get; init; }

    /// <summary>A new planned length in working days.</summary>
    [Id(301)] public int? DurationDays { get; init; }

    /// <summary>True archives the task (the secretariat's), false restores it.</summary>
    [Id(302)] public bool? Archived { get; init; }
}

[GenerateSerializer, Immutable, Alias("summit.task")]
public sealed record PreparationTask(
    string Summit,
    string Id,
    string Title,
    TaskCategory Category,
    OwningUnit Owner,
    string? Assignee,
    Deadline Due,
    WorkStatus Status,
    int PercentComplete,
    bool Milestone,
    IReadOnlyList<string> DependsOn,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    string UpdatedBy)
{
    /// <summary>Open: neither done nor cancelled, not set aside by the summit's current contingency plan, and not archived.</summary>
    public bool IsOpen => Status is not (WorkStatus.Done or WorkStatus.Cancelled) && !SetAside && !Archived;

    // Contingency plans (see ContingencyPlan): kept out of the positional members so older stored JSON reads as "all modes".

    /// <summary>The summit mode whose plan this task belongs to; null for every mode.</summary>
    [Id(100)] public SummitMode? Plan { get; init; }

    /// <summary>True while the summit runs in another mode than <see cref="Plan"/>. Status and history are kept untouched.</summary>
    [Id(101)] public bool SetAside { get; init; }

    /// <summary>Working days assumed left when nobody has estimated them.</summary>
    public const int DefaultRemainingDays = 1;

    /// <summary>The owner's estimate of the working days of work left; null when never given.</summary>
    [Id(200)] public int? RemainingDays { get; init; }

    /// <summary>The sub-forum the task prepares, if any.</summary>
    [Id(201)] public string? SubForum { get; init; }

    // Planning: kept out of the positional members so older stored JSON reads as "no start, no duration, not archived".

    /// <summary>The day work is planned to start; null when not planned.</summary>
    [Id(300)] public LocalDate? Start { get; init; }

    /// <summary>The planned length of the work in working days; null when not planned.</summary>
    [Id(301)] public int? DurationDays { get; init; }

    /// <summary>
    /// Set aside by the secretariat for good: out of the default task list, the dashboard's figures, the schedule and the
    /// deadline ladder, still readable (and restorable) with its history.
    /// </summary>
    [Id(302)] public bool Archived { get; init; }

    /// <summary>
    /// Working days of work left, as the schedule uses them: 0 when the task is not open; else the owner's estimate
    /// (<see cref="RemainingDays"/>); else the planned length less the share done, rounded up
    /// (<see cref="DurationDays"/> × (1 − percent/100)); else 0 at 100 % and <see cref="DefaultRemainingDays"/> below.
    /// </summary>
    public int EstimatedRemainingDays() =>
        !IsOpen ? 0
        : RemainingDays is { } estimate ? estimate
        : DurationDays is { } days ? (int)Math.Ceiling(days * (1 - Math.Clamp(PercentComplete, 0, 100) / 100.0) - 1e-9)
        : PercentComplete >= 100 ? 0 : DefaultRemainingDays;
}
