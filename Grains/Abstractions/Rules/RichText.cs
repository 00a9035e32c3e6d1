using System.Net;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace Summit.Rules;

/// <summary>
/// The rich text of campaigns (their notice) and submissions (their sections): HTML cleaned by HtmlSanitizer
/// (<see href="https://github.com/mganss/HtmlSanitizer">mganss/HtmlSanitizer</see>, MIT) whenever it enters the domain
/// rules, so stored text is always clean, whoever sent it (the API, a grain call, the demo). Kept: paragraphs and line
/// breaks, emphasis, headings h2-h4, lists, block quotes, tables and links (http, https, mailto); dropped: scripts,
/// styles, event handlers, images and every other tag (with its content) and attribute.
/// </summary>
public static partial class RichText
{
    private static readonly string[] Tags =
    [
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "a", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "hr",
    ];

    private static readonly Lazy<HtmlSanitizer> Sanitizer = new(() =>
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "colspan", "rowspan"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        // A tag not allowed goes with its content: a script's or style's text must not survive as text.
        sanitizer.KeepChildNodes = false;
        return sanitizer;
    });

    /// <summary>The HTML with only the allowed tags and attributes, trimmed; empty for null or blank input.</summary>
    public static string Clean(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        return Sanitizer.Value.Sanitize(html).Trim();
    }

    /// <summary>The text a reader sees (tags removed, entities decoded, whitespace collapsed): what "written" means for a section.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var text = WebUtility.HtmlDecode(Tag().Replace(html, " "));
        return Space().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
