using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>Reads list filters from the query string in the same forms the JSON uses, reporting bad ones by parameter name.</summary>
public static class QueryValues
{
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
