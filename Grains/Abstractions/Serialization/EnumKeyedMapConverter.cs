using System.Text.Json;
using System.Text.Json.Serialization;

namespace Summit.Serialization;

/// <summary>
/// Writes a map keyed by an enum (a sub-event's checklist, say) in the enum's declared order, whatever order the
/// dictionary holds: PostgreSQL's <c>jsonb</c> keeps object keys in an order of its own, so without this a map read back
/// from the store would come out of the API in another order than it went in.
/// </summary>
public sealed class EnumKeyedMapConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
        && typeToConvert.GetGenericArguments()[0].IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var arguments = typeToConvert.GetGenericArguments();
        return (JsonConverter)Activator.CreateInstance(typeof(Converter<,>).MakeGenericType(arguments))!;
    }

    private sealed class Converter<TKey, TValue> : JsonConverter<IReadOnlyDictionary<TKey, TValue>>
        where TKey : struct, Enum
    {
        public override IReadOnlyDictionary<TKey, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var read = JsonSerializer.Deserialize<Dictionary<TKey, TValue>>(ref reader, options);
            return read is null ? null : Ordered(read);
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<TKey, TValue> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, Ordered(value), options);

        // A Dictionary filled in key order enumerates in that order while nothing is removed from it.
        private static Dictionary<TKey, TValue> Ordered(IReadOnlyDictionary<TKey, TValue> map)
        {
            var ordered = new Dictionary<TKey, TValue>(map.Count);
            foreach (var (key, value) in map.OrderBy(pair => pair.Key)) ordered[key] = value;
            return ordered;
        }
    }
}
