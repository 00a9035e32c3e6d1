using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Summit.Serialization;

/// <summary>
/// The one JSON shape of Summit's data, used for stored grain state and for the HTTP API alike:
/// camelCase properties, enums as camelCase strings, NodaTime values in ISO form
/// (dates <c>2020-06-12</c>, instants <c>2020-06-10T01:00:00Z</c>).
/// </summary>
public static class SummitJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Chinese text stays readable in stored rows and responses instead of \uXXXX escapes.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        // Before NodaTime's converters, so it is the one that reads dates.
        options.Converters.Add(new IsoLocalDateConverter());
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return options;
    }
}
