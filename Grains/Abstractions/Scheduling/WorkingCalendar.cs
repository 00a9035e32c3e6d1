using NodaTime;
using Summit.Rules;

namespace Summit.Scheduling;

/// <summary>
/// The stored form of a summit's working calendar: Saturdays and Sundays are off, <see cref="Holidays"/> are off,
/// and <see cref="MakeUpWorkingDays"/> (调休) are weekend days that are working days.
/// </summary>
/// <param name="Source">Where the dates come from, for people reading the configuration.</param>
[GenerateSerializer, Immutable, Alias("summit.working-calendar")]
public sealed record WorkingCalendarDefinition(
    IReadOnlyList<LocalDate> Holidays,
    IReadOnlyList<LocalDate> MakeUpWorkingDays,
    string? Source = null);

/// <summary>
/// Working-day arithmetic on a <see cref="WorkingCalendarDefinition"/>. Immutable and thread-safe; build one per
/// definition and reuse it.
/// </summary>
/// <remarks>
/// Counting convention, used by every member: the start date itself is never counted, only the days after it.
/// <list type="bullet">
/// <item><see cref="AddWorkingDays"/>(start, n): for n &gt; 0 the n-th working day after start ("due in n working
/// days"); for n &lt; 0 the |n|-th working day before start; for n = 0 start itself, unchanged, even when it is not a
/// working day (use <see cref="NextWorkingDay"/> to roll forward). Whether start is a working day does not matter:
/// from Thursday 25 June 2020 (a holiday) one working day later is Sunday 28 June (a make-up working day).</item>
/// <item><see cref="WorkingDaysBetween"/>(a, b): the number of working days d with a &lt; d ≤ b, negated when
/// b &lt; a (so it is antisymmetric and 0 for a = b).</item>
/// <item>They invert each other: WorkingDaysBetween(s, AddWorkingDays(s, n)) = n for every n ≥ 0, and for n &lt; 0
/// when s is a working day; AddWorkingDays(a, WorkingDaysBetween(a, b)) = b when b is a working day and b ≥ a.</item>
/// </list>
/// </remarks>
public sealed class WorkingCalendar
{
    private static readonly LocalDate ReferenceMonday = new(2000, 1, 3);

    private readonly HashSet<LocalDate> _holidays;
    private readonly HashSet<LocalDate> _makeUpDays;
    // Sorted, for counting over a range without walking it.
    private readonly LocalDate[] _weekdayHolidays;
    private readonly LocalDate[] _makeUpSorted;

    /// <exception cref="Domain.DomainValidationException">The definition is invalid (see <see cref="Validate"/>).</exception>
    public WorkingCalendar(WorkingCalendarDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new FieldErrors();
        Validate(definition, errors);
        errors.ThrowIfAny();
        Definition = definition;
        _holidays = [.. definition.Holidays];
        _makeUpDays = [.. definition.MakeUpWorkingDays];
        _weekdayHolidays = [.. _holidays.Where(d => !IsWeekend(d)).Order()];
        _makeUpSorted = [.. _makeUpDays.Order()];
    }

    public WorkingCalendarDefinition Definition { get; }

    /// <summary>Monday to Friday, no holidays.</summary>
    public static WorkingCalendar WeekendsOnly { get; } = new(new WorkingCalendarDefinition([], [], "Saturdays and Sundays off"));

    /// <summary>
    /// Mainland China's official 2020 arrangement (国务院办公厅关于2020年部分节假日安排的通知, 国办发明电〔2019〕16号), with the
    /// Spring Festival extended to 2 February (国办发明电〔2020〕1号), which also cancelled the 1 February make-up day.
    /// Off: 1 Jan; 24 Jan–2 Feb; 4–6 Apr; 1–5 May; 25–27 Jun; 1–8 Oct.
    /// Make-up working days: Sun 19 Jan, Sun 26 Apr, Sat 9 May, Sun 28 Jun, Sun 27 Sep, Sat 10 Oct.
    /// Provincial or local extensions (e.g. Zhejiang's later return to work in February 2020) are not included.
    /// </summary>
    public static WorkingCalendarDefinition China2020Definition { get; } = new(
        [
            D(1, 1),
            .. Range(D(1, 24), D(2, 2)),
            .. Range(D(4, 4), D(4, 6)),
            .. Range(D(5, 1), D(5, 5)),
            .. Range(D(6, 25), D(6, 27)),
            .. Range(D(10, 1), D(10, 8)),
        ],
        [D(1, 19), D(4, 26), D(5, 9), D(6, 28), D(9, 27), D(10, 10)],
        "国办发明电〔2019〕16号 (2020 public holidays), Spring Festival extended to 2 Feb by 国办发明电〔2020〕1号");

    public static WorkingCalendar China2020 { get; } = new(China2020Definition);

    /// <summary>
    /// Checks a definition: no date both a holiday and a make-up working day, no date listed twice, and make-up working
    /// days on a Saturday or Sunday (any other day is a working day already, so listing it is a mistake).
    /// </summary>
    public static void Validate(WorkingCalendarDefinition definition, FieldErrors errors, string field = "calendar")
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(errors);
        var prefix = string.IsNullOrEmpty(field) ? "" : field + ".";
        if (definition.Holidays is null) errors.Add(prefix + "holidays", "is required.");
        if (definition.MakeUpWorkingDays is null) errors.Add(prefix + "makeUpWorkingDays", "is required.");
        if (definition.Holidays is null || definition.MakeUpWorkingDays is null) return;

        var makeUp = definition.MakeUpWorkingDays.ToHashSet();
        var seen = new HashSet<LocalDate>();
        for (var i = 0; i < definition.Holidays.Count; i++)
        {
            var date = definition.Holidays[i];
            if (!seen.Add(date)) errors.Add($"{prefix}holidays[{i}]", $"{date:uuuu-MM-dd} is listed twice.");
            if (makeUp.Contains(date)) errors.Add($"{prefix}holidays[{i}]", $"{date:uuuu-MM-dd} is also a make-up working day.");
        }
        seen.Clear();
        for (var i = 0; i < definition.MakeUpWorkingDays.Count; i++)
        {
            var date = definition.MakeUpWorkingDays[i];
            if (!seen.Add(date)) errors.Add($"{prefix}makeUpWorkingDays[{i}]", $"{date:uuuu-MM-dd} is listed twice.");
            if (!IsWeekend(date)) errors.Add($"{prefix}makeUpWorkingDays[{i}]", $"{date:uuuu-MM-dd} is a {date.DayOfWeek}; make-up working days fall on a Saturday or Sunday.");
        }
    }

    public static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    public bool IsHoliday(LocalDate date) => _holidays.Contains(date);

    public bool IsMakeUpWorkingDay(LocalDate date) => _makeUpDays.Contains(date);

    public bool IsWorkingDay(LocalDate date) =>
        IsWeekend(date) ? _makeUpDays.Contains(date) : !_holidays.Contains(date);

    /// <summary>"Due in <paramref name="n"/> working days" from <paramref name="start"/>; see the class remarks for the exact rule.</summary>
    public LocalDate AddWorkingDays(LocalDate start, int n)
    {
        var step = n >= 0 ? 1 : -1;
        var remaining = Math.Abs((long)n);
        var date = start;
        while (remaining > 0)
        {
            date = date.PlusDays(step);
            if (IsWorkingDay(date)) remaining--;
        }
        return date;
    }

    /// <summary>Working days d with <paramref name="a"/> &lt; d ≤ <paramref name="b"/>; negative when b is before a.</summary>
    public int WorkingDaysBetween(LocalDate a, LocalDate b)
    {
        if (b < a) return -WorkingDaysBetween(b, a);
        // Weekdays in (a, b], less weekday holidays in (a, b], plus make-up weekend days in (a, b].
        var weekdays = WeekdaysBefore(b.PlusDays(1)) - WeekdaysBefore(a.PlusDays(1));
        return (int)(weekdays - CountIn(_weekdayHolidays, a, b) + CountIn(_makeUpSorted, a, b));
    }

    /// <summary><paramref name="date"/> if it is a working day, else the first working day after it.</summary>
    public LocalDate NextWorkingDay(LocalDate date)
    {
        while (!IsWorkingDay(date)) date = date.PlusDays(1);
        return date;
    }

    /// <summary><paramref name="date"/> if it is a working day, else the last working day before it.</summary>
    public LocalDate PreviousWorkingDay(LocalDate date)
    {
        while (!IsWorkingDay(date)) date = date.PlusDays(-1);
        return date;
    }

    // Weekdays in [ReferenceMonday, date) (negative before it): five in every whole week, plus the part week.
    private static long WeekdaysBefore(LocalDate date)
    {
        long days = Period.DaysBetween(ReferenceMonday, date);
        var weeks = Math.DivRem(days, 7, out var rest);
        if (rest < 0) { weeks--; rest += 7; }
        return weeks * 5 + Math.Min(rest, 5);
    }

    // Dates d in sorted with a < d ≤ b.
    private static int CountIn(LocalDate[] sorted, LocalDate a, LocalDate b) => UpperBound(sorted, b) - UpperBound(sorted, a);

    private static int UpperBound(LocalDate[] sorted, LocalDate value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static LocalDate D(int month, int day) => new(2020, month, day);

    private static IEnumerable<LocalDate> Range(LocalDate first, LocalDate last)
    {
        for (var d = first; d <= last; d = d.PlusDays(1)) yield return d;
    }
}
