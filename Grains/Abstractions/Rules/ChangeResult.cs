using System.Globalization;
using System.Text.Json;
using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// The outcome of applying a create or a change to an entity: the entity to store and what changed, for its history.
/// </summary>
/// <param name="IsNewVersion">
/// False when the change altered nothing and carried no note: <see cref="Entity"/> is then the current entity,
/// unchanged, and the caller stores nothing. A no-op with a note is a new version whose history entry has no
/// field changes, so "checked on site, still on track" is kept.
/// </param>
public sealed record ChangeResult<T>(T Entity, IReadOnlyList<FieldChange> Changes, bool IsNewVersion) where T : class
{
    public static ChangeResult<T> Unchanged(T entity) => new(entity, [], false);
}

/// <summary>Renders values for history. Each rendering is exact (injective), so equal text means an equal value.</summary>
public static class Render
{
    public static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(LocalDate? date) => date is { } d ? Date(d) : null;

    public static string Time(LocalTime time) => time.ToString(
        time.NanosecondOfSecond != 0 ? "HH:mm:ss.fffffffff" : time.Second != 0 ? "HH:mm:ss" : "HH:mm",
        CultureInfo.InvariantCulture);

    public static string? Deadline(Deadline? due) => due is null ? null
        : due.Time is { } time ? $"{Date(due.Date)} {Time(time)}" : Date(due.Date);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Flag(bool value) => value ? "true" : "false";

    public static string? Codes(IReadOnlyList<string>? codes) => codes is { Count: > 0 } ? string.Join(", ", codes) : null;

    /// <summary>The camelCase name a JSON client uses for an enum member, e.g. <c>epidemicPrevention</c>.</summary>
    public static string Camel<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>Collects the fields that differ between two versions of an entity.</summary>
internal sealed class ChangeSet(string prefix = "")
{
    private readonly List<FieldChange> _changes = [];

    public IReadOnlyList<FieldChange> Changes => _changes;

    /// <summary>A change rendered in short (<paramref name="from"/> and <paramref name="to"/> may be equal): <paramref name="changed"/> says whether it is one.</summary>
    public ChangeSet Add(string field, string? from, string? to, bool changed)
    {
        if (changed) _changes.Add(new FieldChange(prefix + field, from, to));
        return this;
    }

    public ChangeSet Add(string field, string? from, string? to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal)) _changes.Add(new FieldChange(prefix + field, from, to));
        return this;
    }

    /// <summary>Lists compare item by item (records compare by value); a missing list counts as empty.</summary>
    public ChangeSet List<T>(string field, IReadOnlyList<T>? from, IReadOnlyList<T>? to, Func<T, string> render)
    {
        from ??= [];
        to ??= [];
        if (!from.SequenceEqual(to)) _changes.Add(new FieldChange(prefix + field, Join(from, render), Join(to, render)));
        return this;
    }

    /// <summary>Lists of codes render as <c>a, b</c>; codes never contain a comma, so the text stays exact.</summary>
    public ChangeSet Codes(string field, IReadOnlyList<string>? from, IReadOnlyList<string>? to) =>
        Add(field, Render.Codes(from), Render.Codes(to));

    public ChangeSet AddRange(IEnumerable<FieldChange> changes)
    {
        _changes.AddRange(changes);
        return this;
    }

    private static string? Join<T>(IReadOnlyList<T> items, Func<T, string> render) =>
        items.Count == 0 ? null : string.Join("; ", items.Select(render));
}

/// <summary>Checks and normalisations shared by the entity rules.</summary>
internal static class Check
{
    public const int MaxNote = 2000;

    /// <summary>Surrounding whitespace is dropped; a blank optional value means "none".</summary>
    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string? Trim(string? value) => value?.Trim();

    public static void Note(FieldErrors errors, string? note, string field = "note") =>
        errors.MaxLength(field, note, MaxNote, multiline: true);

    public static void InWindow(FieldErrors errors, string field, LocalDate date, DateInterval window, string which)
    {
        if (!window.Contains(date))
            errors.Add(field, $"must be between {Render.Date(window.Start)} and {Render.Date(window.End)} ({which}).");
    }

    public static void Defined<TEnum>(FieldErrors errors, string field, TEnum? value) where TEnum : struct, Enum
    {
        if (value is { } v) errors.Defined(field, v);
    }

    /// <summary>Validates a list of codes: count, format of each, and no repeats.</summary>
    public static void Codes(FieldErrors errors, string field, IReadOnlyList<string>? codes, int maxCount)
    {
        if (codes is null) return;
        if (codes.Count > maxCount) errors.Add(field, $"must have at most {maxCount} entries.");
        for (var i = 0; i < codes.Count; i++) errors.Code($"{field}[{i}]", codes[i]);
        var repeated = codes.Where(c => c is not null).GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) errors.Add(field, $"lists {string.Join(", ", repeated.Select(r => $"'{r}'"))} more than once.");
    }
}
