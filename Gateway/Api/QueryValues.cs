using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>Reads list filters from the query string in the same forms the JSON uses, reporting bad ones by parameter name.</summary>
public static class QueryValues
{
    /// <summary>
    /// Every query parameter of a request, checked once before any endpoint binds it: a value with a control character
    /// (NUL, a line break, any C0 or C1 character) is no filter, code or date any endpoint takes, and PostgreSQL refuses
    /// NUL in text. Each offending parameter is reported by name.
    /// </summary>
    public static FieldErrors CheckText(IQueryCollection query, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        foreach (var (name, values) in query)
        {
            if (HasControl(name))
            {
                errors.Add(Printable(name), "is not a query parameter: its name has control characters.");
                continue;
            }
            foreach (var value in values)
                if (HasControl(value))
                {
                    errors.Add(name, "must not contain control characters.");
                    break;
                }
        }
        return errors;
    }

    /// <summary>True when <paramref name="text"/> has a C0 or C1 control character or DEL.</summary>
    public static bool HasControl(string? text) =>
        text is not null && (text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') >= 0);

    /// <summary>Control characters written as <c>\uXXXX</c>, so a name can be shown in a problem document.</summary>
    public static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    public const string TextDescription =
        "Only items whose text holds every word of it (any part of a title, name, venue or code, in Chinese or English; case is ignored). At most 100 characters.";

    /// <summary>The words of a text filter (<see cref="SearchText.Terms"/>); null when there is none. A value that is no
    /// query (too long, control characters, a lone surrogate) is reported as <paramref name="field"/>.</summary>
    public static IReadOnlyList<string>? Terms(FieldErrors errors, string field, string? value)
    {
        var terms = SearchText.Terms(value, out var error);
        if (error is not null) errors.Add(field, error);
        return terms is { Count: > 0 } ? terms : null;
    }

    /// <summary>Enum members as JSON writes them (camelCase); matching ignores case.</summary>
    public static TEnum? Enum<TEnum>(FieldErrors errors, string field, string? value) where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        foreach (var member in System.Enum.GetValues<TEnum>())
            if (string.Equals(member.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase)) return member;
        errors.Add(field, $"'{value}' is not one of: {Names<TEnum>()}.");
        return null;
    }

    public static string Names<TEnum>() where TEnum : struct, System.Enum =>
        string.Join(", ", System.Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName));

    public static LocalDate? Date(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parsed = LocalDatePattern.Iso.Parse(value.Trim());
        if (parsed.Success) return parsed.Value;
        errors.Add(field, $"'{value}' is not a date like 2020-06-12.");
        return null;
    }

    /// <summary>A unit as <see cref="OwningUnit.ToString"/> writes it: <c>county:pingyang</c>, <c>university:wmu</c>, <c>secretariat:office</c>.</summary>
    public static OwningUnit? Unit(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var colon = value.IndexOf(':');
        var kindErrors = new FieldErrors();
        var kind = colon > 0 ? Enum<UnitKind>(kindErrors, field, value[..colon]) : null;
        var code = colon > 0 ? value[(colon + 1)..].Trim() : "";
        if (kind is null || !FieldErrors.IsCode(code))
        {
            errors.Add(field, $"'{value}' is not a unit like county:pingyang (kinds: {Names<UnitKind>()}).");
            return null;
        }
        return new OwningUnit(kind.Value, code);
    }
}
