using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Summit.Serialization;

/// <summary>
/// A <see cref="LocalDate"/> as exactly <c>yyyy-MM-dd</c>. NodaTime's own converter reads a NUL character as the end of
/// the text, so <c>"2020-06-12\u0000"</c> passed as a date; this one refuses anything but the ten characters.
/// </summary>
public sealed class IsoLocalDateConverter : JsonConverter<LocalDate>
{
    public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected a date string (yyyy-MM-dd).");
        return Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LocalDatePattern.Iso.Format(value));

    public override LocalDate ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
        writer.WritePropertyName(LocalDatePattern.Iso.Format(value));

    private static LocalDate Parse(string? text)
    {
        if (text is not { Length: 10 } || !text.All(c => c is '-' or (>= '0' and <= '9')))
            throw new JsonException("Not a date (yyyy-MM-dd).");
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw new JsonException("Not a date (yyyy-MM-dd).");
    }
}
