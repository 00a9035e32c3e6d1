using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>
/// Explains why a JSON body could not be read, keyed by the field a client sent (<c>status</c>, <c>owner.kind</c>,
/// <c>checklist.venue</c>, <c>speakers[0].name</c>) and in the client's terms rather than .NET type names.
/// </summary>
public static class JsonBodyErrors
{
    /// <summary>The key used when the problem is the body as a whole.</summary>
    public const string Body = "body";

    public static Dictionary<string, string[]> Describe(JsonException exception, Type? requestType, ReadOnlyMemory<byte>? body)
    {
        if (body is { } bytes && !IsWellFormed(bytes.Span, out var syntax))
            return new() { [Field(exception.Path)] = [$"is not valid JSON: {syntax}"] };

        var field = Field(exception.Path);
        if (exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return new() { [UnmappedMember(exception.Message, field)] = ["is not a known field."] };

        var target = requestType is null ? null : Resolve(requestType, exception.Path);
        return new() { [field] = [Expected(target)] };
    }

    /// <summary><c>$.owner.kind</c> → <c>owner.kind</c>; <c>$['a b']</c> → <c>a b</c>; <c>$</c> → <see cref="Body"/>.</summary>
    public static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return Body;
        var text = new StringBuilder();
        foreach (var segment in Segments(path))
        {
            if (segment.Index is { } index) text.Append('[').Append(index).Append(']');
            else
            {
                if (text.Length > 0) text.Append('.');
                text.Append(segment.Name);
            }
        }
        return text.Length == 0 ? Body : text.ToString();
    }

    private static string UnmappedMember(string message, string field)
    {
        // "The JSON property 'foo' could not be mapped ..." — the path may point at the object, not the member.
        var start = message.IndexOf('\'');
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        if (end <= start) return field;
        var name = message[(start + 1)..end];
        if (field == Body) return name;
        return field.EndsWith(name, StringComparison.Ordinal) ? field : $"{field}.{name}";
    }

    private static string Expected(Type? type)
    {
        if (type is null) return "has a value of the wrong type.";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return $"must be one of: {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))}.";
        if (type == typeof(int) || type == typeof(long)) return "must be a whole number within range.";
        if (type == typeof(bool)) return "must be true or false.";
        if (type == typeof(string)) return "must be a string.";
        if (type == typeof(LocalDate)) return "must be a date like 2020-06-12.";
        if (type == typeof(LocalTime)) return "must be a time of day like 14:30 or 14:30:00.";
        if (type == typeof(Deadline)) return "must be a date (2020-06-12) or a local date-time without offset (2020-06-12T17:00).";
        if (type == typeof(Instant)) return "must be an instant like 2020-06-12T09:00:00Z.";
        if (typeof(IEnumerable).IsAssignableFrom(type) && !IsDictionary(type)) return "must be an array.";
        return "must be an object.";
    }

    /// <summary>The .NET type a JSON path leads to inside <paramref name="root"/>, following camelCase member names.</summary>
    private static Type? Resolve(Type root, string? path)
    {
        if (string.IsNullOrEmpty(path)) return root;
        Type? type = root;
        foreach (var segment in Segments(path))
        {
            if (type is null) return null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Index is not null) type = ElementType(type);
            else if (IsDictionary(type)) type = type.GetGenericArguments()[1];
            else type = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => JsonName(p) == segment.Name)?.PropertyType;
        }
        return type;
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 2 && typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null;

    private readonly record struct Segment(string? Name, int? Index);

    private static IEnumerable<Segment> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '[')) end++;
                yield return new Segment(path[(i + 1)..end], null);
                i = end;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) yield break;
                var inner = path[(i + 1)..end];
                if (int.TryParse(inner, out var index)) yield return new Segment(null, index);
                else yield return new Segment(inner.Trim('\''), null);
                i = end + 1;
            }
            else yield break;
        }
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> json, out string error)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }
            error = "";
            return true;
        }
        catch (JsonException e)
        {
            // The reader's message is about the text ("'}' is invalid after a value..."), never about .NET types.
            error = e.Message;
            return false;
        }
    }
}
