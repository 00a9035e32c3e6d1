namespace Summit.Gateway.Documents;

/// <summary>
/// What a compiled document shows: a title page (title, subtitle, introduction) and one section per unit. The caller
/// formats every label (status, times) in the reader's language; the builders only lay it out.
/// </summary>
/// <param name="Intro">Plain text or sanitised HTML, as <see cref="ReportSection.Text"/>.</param>
public sealed record CompiledReport(string Title, string? Subtitle, string? Intro, IReadOnlyList<ReportUnit> Units);

/// <summary>One unit's part of a report: its submission's text sections and files.</summary>
/// <param name="KindLabel">What the unit is, e.g. 县（市、区）.</param>
/// <param name="StatusLabel">Where its submission stands, e.g. 已提交 or 未提交.</param>
/// <param name="SubmittedAtText">When it was submitted, already formatted; null when it was not.</param>
/// <param name="Late">Whether it came in after the deadline; the documents mark it.</param>
public sealed record ReportUnit(
    string Name,
    string KindLabel,
    string StatusLabel,
    string? SubmittedAtText,
    bool Late,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<ReportFile> Files);

/// <summary>
/// A titled block of text. <paramref name="Text"/> is plain text (a paragraph per line) or sanitised HTML from a
/// rich-text editor: paragraphs, line breaks, bold, italic, underline and lists become Word paragraphs and runs;
/// other tags are dropped and their text kept.
/// </summary>
public sealed record ReportSection(string Title, string Text);

/// <summary>
/// A file a unit attached. <paramref name="Open"/> opens its content for reading each time it is called (the builders
/// may call it more than once and dispose what it returns); the content is copied, never held whole in memory, except
/// that the few images a .docx embeds are part of that document.
/// </summary>
public sealed record ReportFile(
    string FileName,
    string ContentType,
    bool IsImage,
    long Length,
    Func<CancellationToken, Task<Stream>> Open);
