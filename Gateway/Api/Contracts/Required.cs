using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

/// <summary>
/// Presence of JSON members whose C# type cannot say "missing" to the domain rules (enums, dates, numbers): without this
/// an absent <c>category</c> would silently become the first enum value. Everything else is judged by the rules.
/// </summary>
internal static class Required
{
    public static T Value<T>(FieldErrors errors, string field, T? value) where T : struct
    {
        if (value is null) errors.Add(field, "is required.");
        return value.GetValueOrDefault();
    }
}
