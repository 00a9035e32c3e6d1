namespace Summit.Gateway.Documents;

/// <summary>How <see cref="ReportDocx"/> lays a report out. The defaults suit a zh-CN summary on A4.</summary>
public sealed record ReportDocxOptions
{
    public static readonly ReportDocxOptions Default = new();

    /// <summary>How many of a unit's images are embedded (the first ones, in the unit's order); the rest stay files.</summary>
    public int MaxImagesPerUnit { get; init; } = 3;

    /// <summary>Images larger than this are not embedded, which bounds the memory a document is built in.</summary>
    public long MaxImageBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Font for Chinese text (the eastAsia font of body text); Word and LibreOffice substitute a CJK font when it is missing.</summary>
    public string EastAsiaFont { get; init; } = "SimSun";

    /// <summary>Font for Chinese text in the title and headings.</summary>
    public string HeadingEastAsiaFont { get; init; } = "SimHei";

    /// <summary>Font for Latin text.</summary>
    public string LatinFont { get; init; } = "Times New Roman";

    /// <summary>How the status line shows the unit's kind ({0}).</summary>
    public string KindFormat { get; init; } = "类别：{0}";

    /// <summary>How the status line shows the unit's status ({0}).</summary>
    public string StatusFormat { get; init; } = "状态：{0}";

    /// <summary>How the status line shows when the unit submitted ({0}).</summary>
    public string SubmittedAtFormat { get; init; } = "提交时间：{0}";

    /// <summary>What stands between the status line's items.</summary>
    public string StatusSeparator { get; init; } = "　";

    /// <summary>The mark after a late submission's time.</summary>
    public string LateMark { get; init; } = "逾期";

    /// <summary>The same layout with English captions.</summary>
    public static ReportDocxOptions English { get; } = new()
    {
        KindFormat = "Kind: {0}", StatusFormat = "Status: {0}", SubmittedAtFormat = "Submitted: {0}", StatusSeparator = "   ", LateMark = "late",
    };
}
