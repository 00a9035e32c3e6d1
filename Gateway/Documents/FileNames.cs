namespace Summit.Gateway.Documents;

/// <summary>
/// File and folder names that every system can hold: no path separators, no characters Windows forbids, no control
/// characters, no trailing dots or spaces, no reserved device names (CON, NUL, COM1…), at most 120 characters.
/// </summary>
public static class FileNames
{
    private const int MaxLength = 120;
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>A safe form of <paramref name="name"/> (its last path segment); <paramref name="fallback"/> when nothing is left.</summary>
    public static string Sanitize(string? name, string fallback = "file")
    {
        name ??= "";
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0) name = name[(slash + 1)..];

        var chars = RichText.XmlSafe(name).Select(c => c < 0x20 || c is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : c).ToArray();
        var cleaned = new string(chars).Trim().TrimEnd('.', ' ');
        if (cleaned.Trim('.', '_', ' ').Length == 0) cleaned = fallback;

        var extension = Path.GetExtension(cleaned);
        var stem = cleaned[..^extension.Length];
        if (extension.Length > 16) (stem, extension) = (cleaned, "");
        if (Reserved.Contains(stem)) stem = "_" + stem;
        if (stem.Length + extension.Length > MaxLength) stem = Cut(stem, MaxLength - extension.Length).TrimEnd('.', ' ');
        return stem + extension;
    }

    /// <summary>
    /// <paramref name="name"/>, or when a name in <paramref name="taken"/> matches it ignoring case, the first free
    /// "name (2).ext", "name (3).ext"…; the result is added to <paramref name="taken"/>.
    /// </summary>
    public static string Unique(string name, ISet<string> taken)
    {
        var candidate = name;
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{stem} ({n}){extension}";
        return candidate;
    }

    // Cuts without splitting a surrogate pair.
    private static string Cut(string text, int length) =>
        length <= 0 ? "" : text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
}
