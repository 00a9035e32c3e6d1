using System.Text.Json;
using NodaTime;
using Summit.Domain;
using Summit.Serialization;

namespace Summit.Storage;

/// <summary>
/// One page of a summit's task list, filtered, in due order: what <see cref="IEntityQueries.QueryTasksAsync"/> answers.
/// PostgreSQL answers it with one indexed query (migration 0150); the in-memory store with <see cref="Matches"/> and
/// <see cref="Order"/>, which say what the SQL means.
/// </summary>
/// <remarks>
/// Tasks come soonest due first, then by id in ordinal order. The due moment is compared as a local date-time in the
/// summit's zone (<see cref="DueKey"/>): a deadline's time, or for a date alone the start of the next day. In a zone
/// without daylight saving (every summit so far) that is the order and the comparison of due instants.
/// </remarks>
public sealed record TaskListQuery(string Summit)
{
    /// <summary>The owners whose tasks the caller may read; null for every owner. An empty list matches nothing.</summary>
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    public TaskCategory? Category { get; init; }

    public WorkStatus? Status { get; init; }

    /// <summary>Due on or after this date.</summary>
    public LocalDate? DueFrom { get; init; }

    /// <summary>Due on or before this date.</summary>
    public LocalDate? DueTo { get; init; }

    /// <summary>true: only open tasks whose due moment is before <see cref="Now"/>; false: only the others.</summary>
    public bool? Overdue { get; init; }

    /// <summary>The summit clock's local now, for <see cref="Overdue"/>.</summary>
    public LocalDateTime Now { get; init; }

    /// <summary>Only tasks whose due moment is after this local date-time.</summary>
    public LocalDateTime? DueAfter { get; init; }

    /// <summary>Only tasks whose due moment is at or before this local date-time.</summary>
    public LocalDateTime? DueAtOrBefore { get; init; }

    /// <summary>Only open tasks.</summary>
    public bool OpenOnly { get; init; }

    /// <summary>false (the default): only tasks that are not archived; true: only archived tasks.</summary>
    public bool Archived { get; init; }

    /// <summary>Only tasks whose text (id, title, assignee, owner's code, sub-forum) holds every term (<see cref="SearchText"/>).</summary>
    public IReadOnlyList<string>? Terms { get; init; }

    public int Offset { get; init; }

    /// <summary>How many tasks to return; null for every match.</summary>
    public int? Limit { get; init; }

    /// <summary>The local date-time a deadline falls due at: its time, or the end of its date (the next day's start).</summary>
    public static LocalDateTime DueKey(Deadline due)
    {
        ArgumentNullException.ThrowIfNull(due);
        return due.Time is { } time ? due.Date.At(time) : due.Date.PlusDays(1).AtMidnight();
    }

    /// <summary>Whether a task of the summit is in the list.</summary>
    public bool Matches(PreparationTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var due = DueKey(task.Due);
        return (Units is null || Units.Contains(task.Owner))
            && (Category is null || task.Category == Category)
            && (Status is null || task.Status == Status)
            && (DueFrom is null || task.Due.Date >= DueFrom)
            && (DueTo is null || task.Due.Date <= DueTo)
            && (Overdue is null || (task.IsOpen && due < Now) == Overdue)
            && (DueAfter is null || due > DueAfter)
            && (DueAtOrBefore is null || due <= DueAtOrBefore)
            && (!OpenOnly || task.IsOpen)
            && task.Archived == Archived;
    }

    /// <summary>The list's order: soonest due first, then id in ordinal order.</summary>
    public static IOrderedEnumerable<T> Order<T>(IEnumerable<T> items, Func<T, PreparationTask> task) =>
        items.OrderBy(i => DueKey(task(i).Due)).ThenBy(i => task(i).Id, StringComparer.Ordinal);

    /// <summary>A value as the stored JSON writes it (enum members in camelCase).</summary>
    public static string JsonName<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonSerializer.SerializeToElement(value, SummitJson.Options).GetString()!;

    /// <summary>An owner as the stored rows index it: <c>county:pingyang</c>.</summary>
    public static string OwnerKey(OwningUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return $"{JsonName(unit.Kind)}:{unit.Code}";
    }

    /// <summary>The owner of <see cref="OwnerKey"/>; null when the text is not one.</summary>
    public static OwningUnit? ParseOwnerKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        foreach (var kind in Enum.GetValues<UnitKind>())
            if (JsonName(kind) == key[..colon]) return new OwningUnit(kind, key[(colon + 1)..]);
        return null;
    }
}

/// <summary>One page of stored task JSON, in list order, and how many tasks match in all.</summary>
public sealed record TaskPage(IReadOnlyList<string> Items, int Total);
