using NodaTime;

namespace Summit.Serialization;

// Orleans cannot serialize NodaTime's structs on its own; these surrogates carry their exact values
// (nanosecond precision, ISO calendar) between silos and clients.

[GenerateSerializer, Immutable, Alias("nodatime.instant")]
public readonly struct InstantSurrogate
{
    [Id(0)] public int DaysSinceEpoch { get; init; }
    [Id(1)] public long NanosecondOfDay { get; init; }
}

[RegisterConverter]
public sealed class InstantSurrogateConverter : IConverter<Instant, InstantSurrogate>
{
    public Instant ConvertFromSurrogate(in InstantSurrogate surrogate) =>
        NodaConstants.UnixEpoch + Duration.FromDays(surrogate.DaysSinceEpoch) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    public InstantSurrogate ConvertToSurrogate(in Instant value)
    {
        var sinceEpoch = value - NodaConstants.UnixEpoch;
        return new InstantSurrogate { DaysSinceEpoch = sinceEpoch.Days, NanosecondOfDay = sinceEpoch.NanosecondOfDay };
    }
}

[GenerateSerializer, Immutable, Alias("nodatime.local-date")]
public readonly struct LocalDateSurrogate
{
    [Id(0)] public int Year { get; init; }
    [Id(1)] public int Month { get; init; }
    [Id(2)] public int Day { get; init; }
}

[RegisterConverter]
public sealed class LocalDateSurrogateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate) => new(surrogate.Year, surrogate.Month, surrogate.Day);

    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value) => new() { Year = value.Year, Month = value.Month, Day = value.Day };
}

[GenerateSerializer, Immutable, Alias("nodatime.local-time")]
public readonly struct LocalTimeSurrogate
{
    [Id(0)] public long NanosecondOfDay { get; init; }
}

[RegisterConverter]
public sealed class LocalTimeSurrogateConverter : IConverter<LocalTime, LocalTimeSurrogate>
{
    public LocalTime ConvertFromSurrogate(in LocalTimeSurrogate surrogate) => LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay);

    public LocalTimeSurrogate ConvertToSurrogate(in LocalTime value) => new() { NanosecondOfDay = value.NanosecondOfDay };
}

[GenerateSerializer, Immutable, Alias("nodatime.local-date-time")]
public readonly struct LocalDateTimeSurrogate
{
    [Id(0)] public LocalDate Date { get; init; }
    [Id(1)] public LocalTime Time { get; init; }
}

[RegisterConverter]
public sealed class LocalDateTimeSurrogateConverter : IConverter<LocalDateTime, LocalDateTimeSurrogate>
{
    public LocalDateTime ConvertFromSurrogate(in LocalDateTimeSurrogate surrogate) => surrogate.Date + surrogate.Time;

    public LocalDateTimeSurrogate ConvertToSurrogate(in LocalDateTime value) => new() { Date = value.Date, Time = value.TimeOfDay };
}

[GenerateSerializer, Immutable, Alias("nodatime.duration")]
public readonly struct DurationSurrogate
{
    [Id(0)] public int Days { get; init; }
    [Id(1)] public long NanosecondOfDay { get; init; }
}

[RegisterConverter]
public sealed class DurationSurrogateConverter : IConverter<Duration, DurationSurrogate>
{
    public Duration ConvertFromSurrogate(in DurationSurrogate surrogate) =>
        Duration.FromDays(surrogate.Days) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    public DurationSurrogate ConvertToSurrogate(in Duration value) => new() { Days = value.Days, NanosecondOfDay = value.NanosecondOfDay };
}
