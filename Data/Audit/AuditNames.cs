using System.Text.Json;
using Summit.Domain;

namespace Summit.Data.Audit;

/// <summary>How enum values are written in the audit table: the same camelCase names as in the API's JSON.</summary>
public static class AuditNames
{
    public static string Of(EntityKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static string Of(Role role) => JsonNamingPolicy.CamelCase.ConvertName(role.ToString());

    /// <summary>Accepts the camelCase name, the enum name in any case, and dashed forms such as <c>sub-forum</c>.</summary>
    public static bool TryParseKind(string? text, out EntityKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var name = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return !name.Any(char.IsDigit) && Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    public static Role ParseRole(string text) => Enum.Parse<Role>(text, ignoreCase: true);
}
