using System.Text.RegularExpressions;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Collects every problem with a command before anything is applied, so a refused command
/// reports all its bad fields at once and never leaves a partial change behind.
/// </summary>
public sealed partial class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Require(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "is required.");
        return MaxLength(field, value, maxLength);
    }

    /// <param name="multiline">Allow line breaks and tabs (notes); other control characters are still refused.</param>
    public FieldErrors MaxLength(string field, string? value, int maxLength, bool multiline = false)
    {
        if (value is not null && value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (value is not null && value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
            Add(field, "must not contain control characters.");
        return this;
    }

    public FieldErrors Range(string field, int value, int min, int max)
    {
        if (value < min || value > max) Add(field, $"must be between {min} and {max}.");
        return this;
    }

    public FieldErrors Defined<TEnum>(string field, TEnum value) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) Add(field, $"'{value}' is not a known value.");
        return this;
    }

    /// <summary>Codes are the short stable keys in URLs: lower-case letters, digits and dashes.</summary>
    public FieldErrors Code(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return Add(field, "is required.");
        if (!CodePattern().IsMatch(value)) Add(field, "must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit.");
        return this;
    }

    public FieldErrors Items(string field, IReadOnlyCollection<string>? values, int maxCount, int maxLength)
    {
        if (values is null) return this;
        if (values.Count > maxCount) Add(field, $"must have at most {maxCount} entries.");
        var index = 0;
        foreach (var value in values)
        {
            Require($"{field}[{index}]", value, maxLength);
            index++;
        }
        return this;
    }

    public void ThrowIfAny()
    {
        if (Any) throw new DomainValidationException(ToDictionary());
    }

    /// <summary>The errors by field, as a problem document's <c>errors</c> map.</summary>
    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public static bool IsCode(string? value) => value is not null && CodePattern().IsMatch(value);

    // \z, not $: $ also matches before a final line break, which would let "pingyang\n" through as a code.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,47}\z")]
    private static partial Regex CodePattern();
}
