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
}

/// <summary>The unit answerable for a task: a secretariat department, a county or a university.</summary>
[GenerateSerializer, Immutable, Alias("summit.unit")]
public sealed record OwningUnit(UnitKind Kind, string Code)
{
    public static OwningUnit County(string code) => new(UnitKind.County, code);
    public static OwningUnit University(string code) => new(UnitKind.University, code);
    public static OwningUnit Department(string code) => new(UnitKind.Secretariat, code);

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
    string? Note = null);

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
    string? Note = null);

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
    public bool IsOpen => Status is not (WorkStatus.Done or WorkStatus.Cancelled);
}
