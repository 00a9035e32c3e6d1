using System.Globalization;
using System.Text;

namespace Summit.Data.Files;

/// <summary>
/// File names as uploads keep them: the name a person gave the file, made safe to store, show and hand back in
/// <c>Content-Disposition</c> on any system. Chinese (and every other script) is kept as it is.
/// </summary>
public static class FileNames
{
    /// <summary>The longest name kept, in characters (UTF-16 code units), its extension included.</summary>
    public const int MaxLength = 120;

    /// <summary>What a name with nothing usable left becomes.</summary>
    public const string Fallback = "file";

    // Characters Windows refuses in a name; '/' and '\' already ended the path.
    private static readonly char[] Forbidden = ['<', '>', ':', '"', '|', '?', '*'];

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// The last segment of a path (<c>C:\Users\张三\报告.docx</c> → <c>报告.docx</c>), in Unicode NFC, without control and
    /// format characters (bidirectional overrides that make <c>exe.jpg</c> look like <c>gpj.exe</c>, zero-width marks) or
    /// lone surrogates; <c>&lt;&gt;:"|?*</c> become <c>_</c>, runs of white space one space, and leading dots, trailing dots
    /// and spaces are dropped; a name Windows reserves (<c>CON</c>, <c>com1.txt</c>) gets a leading <c>_</c>; at most
    /// <see cref="MaxLength"/> characters, cut before the extension and never inside a character. Nothing usable left
    /// gives <see cref="Fallback"/>.
    /// </summary>
    public static string Sanitise(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Fallback;
        var last = name.Split('/', '\\')[^1];
        var text = new StringBuilder(last.Length);
        var elements = StringInfo.GetTextElementEnumerator(RemoveLoneSurrogates(last).Normalize(NormalizationForm.FormC));
        var space = false;
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var category = CharUnicodeInfo.GetUnicodeCategory(element, 0);
            if (category == UnicodeCategory.SpaceSeparator || element is "\t")
            {
                space = true;
                continue;
            }
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                continue;
            if (space && text.Length > 0) text.Append(' ');
            space = false;
            text.Append(element.Length == 1 && Array.IndexOf(Forbidden, element[0]) >= 0 ? "_" : element);
        }
        var clean = text.ToString().TrimStart('.').TrimEnd('.', ' ');
        if (clean.Length == 0) return Fallback;
        var dot = clean.LastIndexOf('.');
        var stem = dot > 0 ? clean[..dot] : clean;
        var extension = dot > 0 ? clean[dot..] : "";
        var firstPart = clean.Split('.')[0].TrimEnd(' ');
        if (ReservedNames.Contains(firstPart)) stem = "_" + stem;
        return Shorten(stem, extension);
    }

    /// <summary>
    /// The name with an extension the stored type goes by: kept when it already has one of <paramref name="type"/>'s
    /// (ignoring case), replaced when <paramref name="replace"/> (an image stored re-encoded), else added
    /// (<c>通知.doc</c> holding a PDF → <c>通知.doc.pdf</c>).
    /// </summary>
    public static string WithExtension(string name, DetectedType type, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 ? name[dot..] : "";
        if (type.Extensions.Any(e => e.Equals(extension, StringComparison.OrdinalIgnoreCase))) return name;
        var stem = replace && dot > 0 ? name[..dot] : name;
        return Shorten(stem, type.Extensions[0]);
    }

    private static string Shorten(string stem, string extension)
    {
        if (extension.Length > 20) (stem, extension) = (stem + extension, "");
        var room = MaxLength - extension.Length;
        if (stem.Length > room)
        {
            var cut = new StringBuilder();
            var elements = StringInfo.GetTextElementEnumerator(stem);
            while (elements.MoveNext() && cut.Length + elements.GetTextElement().Length <= room) cut.Append(elements.GetTextElement());
            stem = cut.ToString().TrimEnd('.', ' ');
        }
        if (stem.Length == 0) stem = Fallback;
        return stem + extension;
    }

    private static string RemoveLoneSurrogates(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text[i]).Append(text[++i]);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString();
    }
}
