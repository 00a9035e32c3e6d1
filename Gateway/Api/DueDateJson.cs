using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>
/// A task's <c>dueDate</c> on the wire: a date (<c>2020-06-12</c>, due by the end of that day) or a local date-time
/// (<c>2020-06-12T17:00</c>), both read in the summit's time zone. No offset: a deadline is a summit-local wall time.
/// </summary>
public sealed class DueDateJsonConverter : JsonConverter<Deadline>
{
    public const string Description =
        "A date (2020-06-12: due by the end of that day) or a local date-time without offset (2020-06-12T17:00), in the summit's time zone.";

    public const string Pattern = @"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$";

    private static readonly LocalDatePattern DateOnly = LocalDatePattern.Iso;
    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public static bool TryParse(string? text, out Deadline deadline)
    {
        deadline = null!;
        if (string.IsNullOrEmpty(text)) return false;
        if (text.Length == 10)
        {
            var date = DateOnly.Parse(text);
            if (!date.Success) return false;
            deadline = new Deadline(date.Value);
            return true;
        }
        var local = Minutes.Parse(text);
        if (!local.Success) local = LocalDateTimePattern.ExtendedIso.Parse(text);
        if (!local.Success) return false;
        deadline = new Deadline(local.Value.Date, local.Value.TimeOfDay);
        return true;
    }

    public static string Format(Deadline deadline) => deadline.Time is { } time
        ? (deadline.Date + time).ToString(time.Second == 0 && time.NanosecondOfSecond == 0 ? "uuuu-MM-dd'T'HH:mm" : "uuuu-MM-dd'T'HH:mm:ss.FFFFFFFFF", null)
        : DateOnly.Format(deadline.Date);

    public override Deadline Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected a string.");
        return TryParse(reader.GetString(), out var deadline) ? deadline : throw new JsonException("Not a date or local date-time.");
    }

    public override void Write(Utf8JsonWriter writer, Deadline value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
}

/// <summary>A time of day in request bodies: <c>14:30</c> or <c>14:30:00</c> (responses always carry seconds).</summary>
public sealed class TimeOfDayJsonConverter : JsonConverter<LocalTime>
{
    private static readonly LocalTimePattern Minutes = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public override LocalTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected a string.");
        var text = reader.GetString() ?? "";
        var parsed = text.Length == 5 ? Minutes.Parse(text) : LocalTimePattern.ExtendedIso.Parse(text);
        return parsed.Success ? parsed.Value : throw new JsonException("Not a time of day.");
    }

    public override void Write(Utf8JsonWriter writer, LocalTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LocalTimePattern.ExtendedIso.Format(value));
}
