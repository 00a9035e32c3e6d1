using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Summit.Gateway.Documents;

/// <summary>A piece of a paragraph: text in a format, or a line break.</summary>
public sealed record RichInline(string Text, bool Bold = false, bool Italic = false, bool Underline = false)
{
    public bool IsBreak => Text == "\n";
}

/// <summary>Where a list paragraph stands: its list (each ordered list counts from 1), nesting level and kind.</summary>
public sealed record RichListItem(int ListId, int Level, bool Ordered);

/// <summary>A paragraph of rich text, possibly a list item.</summary>
public sealed record RichParagraph(IReadOnlyList<RichInline> Inlines, RichListItem? ListItem = null, bool Heading = false);

/// <summary>
/// Turns a section's text into paragraphs: sanitised HTML from a rich-text editor (paragraphs, line breaks, bold,
/// italic, underline, ordered and bulleted lists, including Quill's data-list and ql-indent-N forms) or plain text
/// (a paragraph per line). Other tags are dropped and their text kept; scripts, styles and images are dropped whole.
/// Characters XML cannot carry are removed.
/// </summary>
public static partial class RichText
{
    public static IReadOnlyList<RichParagraph> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        if (!Tag().IsMatch(text))
        {
            return text.ReplaceLineEndings("\n").Split('\n')
                .Select(line => XmlSafe(line).TrimEnd())
                .Where(line => line.Trim().Length > 0)
                .Select(line => new RichParagraph([new RichInline(line)]))
                .ToList();
        }

        var document = new HtmlParser().ParseDocument(text);
        var walker = new Walker();
        if (document.Body is { } body) walker.Children(body, default);
        walker.Flush();
        return walker.Paragraphs;
    }

    /// <summary>The text without characters XML 1.0 cannot carry (control characters, lone surrogates).</summary>
    public static string XmlSafe(string text)
    {
        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cleaned?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (ok) cleaned?.Append(c);
            else cleaned ??= new StringBuilder(text, 0, i, text.Length);
        }
        return cleaned?.ToString() ?? text;
    }

    private readonly record struct Format(bool Bold, bool Italic, bool Underline);

    private sealed class Walker
    {
        public List<RichParagraph> Paragraphs { get; } = [];
        private readonly List<RichInline> inlines = [];
        private readonly Stack<(int Id, bool Ordered)> lists = new();
        private RichListItem? item;
        private bool heading;
        private int nextListId;

        public void Children(INode node, Format format)
        {
            foreach (var child in node.ChildNodes) Node(child, format);
        }

        private void Node(INode node, Format format)
        {
            if (node is IText text)
            {
                var collapsed = Whitespace().Replace(XmlSafe(text.Data), " ");
                if (collapsed.Length > 0) inlines.Add(new RichInline(collapsed, format.Bold, format.Italic, format.Underline));
                return;
            }
            if (node is not IElement element) return;

            switch (element.LocalName)
            {
                case "script" or "style" or "template" or "noscript" or "head" or "title" or "img" or "svg" or "math"
                    or "iframe" or "object" or "video" or "audio" or "canvas" or "select" or "button" or "input" or "textarea":
                    return;
                case "br":
                    inlines.Add(new RichInline("\n"));
                    return;
                case "b" or "strong":
                    Children(element, format with { Bold = true });
                    return;
                case "i" or "em" or "cite" or "dfn" or "var":
                    Children(element, format with { Italic = true });
                    return;
                case "u" or "ins":
                    Children(element, format with { Underline = true });
                    return;
                case "td" or "th":
                    if (inlines.Count > 0) inlines.Add(new RichInline(" "));
                    Children(element, format);
                    return;
                case "ul" or "ol":
                    Flush();
                    lists.Push((nextListId++, element.LocalName == "ol"));
                    Children(element, format);
                    Flush();
                    lists.Pop();
                    return;
                case "li":
                    Flush();
                    if (lists.TryPeek(out var list))
                    {
                        var ordered = element.GetAttribute("data-list") switch { "bullet" => false, "ordered" => true, _ => list.Ordered };
                        var indent = QuillIndent().Match(element.ClassName ?? "");
                        var level = Math.Min(8, lists.Count - 1 + (indent.Success ? int.Parse(indent.Groups[1].Value) : 0));
                        // A bulleted item inside an <ol> (Quill writes both kinds as <ol>) is its own bulleted list.
                        item = new RichListItem(ordered == list.Ordered ? list.Id : -1 - list.Id, level, ordered);
                    }
                    Children(element, format);
                    Flush();
                    return;
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Flush();
                    heading = true;
                    Children(element, format with { Bold = true });
                    Flush();
                    return;
                case "p" or "div" or "blockquote" or "pre" or "section" or "article" or "header" or "footer" or "aside"
                    or "address" or "figure" or "figcaption" or "table" or "thead" or "tbody" or "tfoot" or "tr" or "caption"
                    or "dl" or "dt" or "dd" or "hr" or "main" or "nav" or "details" or "summary":
                    Flush();
                    Children(element, format);
                    Flush();
                    return;
                default:
                    Children(element, format);
                    return;
            }
        }

        /// <summary>Ends the paragraph being collected; one without text is dropped (an editor's empty line).</summary>
        public void Flush()
        {
            var trimmed = Trim(inlines);
            if (trimmed.Any(i => !i.IsBreak && i.Text.Length > 0)) Paragraphs.Add(new RichParagraph(trimmed, item, heading));
            inlines.Clear();
            item = null;
            heading = false;
        }

        // Spaces at the start and end of the paragraph and around line breaks are layout, not text.
        private static List<RichInline> Trim(List<RichInline> source)
        {
            var result = new List<RichInline>(source.Count);
            for (var i = 0; i < source.Count; i++)
            {
                var inline = source[i];
                if (inline.IsBreak)
                {
                    result.Add(inline);
                    continue;
                }
                var text = inline.Text;
                if (result.Count == 0 || result[^1].IsBreak || result[^1].Text.EndsWith(' ')) text = text.TrimStart(' ');
                if (i == source.Count - 1 || source[i + 1].IsBreak) text = text.TrimEnd(' ');
                if (text.Length > 0) result.Add(inline with { Text = text });
            }
            while (result.Count > 0 && result[0].IsBreak) result.RemoveAt(0);
            while (result.Count > 0 && result[^1].IsBreak) result.RemoveAt(result.Count - 1);
            return result;
        }
    }

    [GeneratedRegex(@"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\n\f]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\bql-indent-([1-8])\b")]
    private static partial Regex QuillIndent();
}
