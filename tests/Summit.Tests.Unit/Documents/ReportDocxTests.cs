using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Summit.Gateway.Documents;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace Summit.Tests.Documents;

public sealed class ReportDocxTests
{
    // A4 less two 2.54 cm margins, in EMU; images are scaled down to it.
    private const long TextWidthEmu = (11906 - 2 * 1440) * 635L;

    private static async Task<byte[]> Write(CompiledReport report, ReportDocxOptions? options = null)
    {
        var output = new ResponseLikeStream();
        await ReportDocx.WriteAsync(report, output, options, CancellationToken.None);
        return output.Written;
    }

    private static List<string> Styled(Body body, string style) =>
        body.Elements<Paragraph>().Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val == style).Select(p => p.InnerText).ToList();

    [Fact]
    public async Task The_summary_has_a_title_page_and_a_section_per_unit_with_its_headings_text_and_images()
    {
        var bytes = await Write(ReportSamples.Report());

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Assert.Equal(["世界青年科学家峰会筹备工作汇报"], Styled(body, "Title"));
        Assert.Equal(["2020年5月"], Styled(body, "Subtitle"));
        Assert.Equal(["平阳县", "瑞安市", "洞头区"], Styled(body, "Heading1"));
        Assert.Equal(["工作进展", "存在问题", "工作进展"], Styled(body, "Heading2"));
        Assert.All(body.Elements<Paragraph>().Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val == "Heading1"),
            heading => Assert.NotNull(heading.ParagraphProperties!.PageBreakBefore));

        var texts = body.Elements<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains("各县（市、区）工作小结汇编。", texts);
        Assert.Contains("已完成分会场布置，志愿者培训两期。", texts);
        Assert.Contains("交通接驳车辆不足。", texts);
        Assert.Contains("住宿缺口约 40 间。", texts);
        Assert.Contains("完成 3 项任务。", texts);
        Assert.DoesNotContain(texts, t => t.Contains("alert", StringComparison.Ordinal));

        Assert.Equal(
            ["类别：县（市、区）　状态：已提交　提交时间：2020年5月8日 10:30", "类别：县（市、区）　状态：已提交　提交时间：2020年5月9日 18:05　逾期", "类别：县（市、区）　状态：未提交"],
            Styled(body, "UnitStatus"));

        // Formatting: bold and italic runs, a line break, and the late mark in bold.
        var runs = body.Descendants<Run>().ToList();
        Assert.Contains(runs, r => r.InnerText == "分会场" && r.RunProperties?.Bold is not null);
        Assert.Contains(runs, r => r.InnerText == "志愿者" && r.RunProperties?.Italic is not null);
        Assert.Contains(runs, r => r.InnerText == "3" && r.RunProperties?.Underline is not null);
        Assert.Contains(runs, r => r.InnerText == "逾期" && r.RunProperties?.Bold is not null);
        var twoLines = body.Elements<Paragraph>().Single(p => p.InnerText == "第一行第二行");
        Assert.Single(twoLines.Descendants<Break>());

        // Two images from 平阳县, three of 瑞安市's four (the default), none for 洞头区.
        Assert.Equal(5, document.MainDocumentPart.ImageParts.Count());
        Assert.Equal(5, body.Descendants<Drawing>().Count());
        Assert.Equal(["现场照片", "签到表", "照片", "照片", "照片"], Styled(body, "Caption"));
        var extents = body.Descendants<DW.Extent>().Select(e => (Cx: e.Cx!.Value, Cy: e.Cy!.Value)).ToList();
        Assert.Equal((TextWidthEmu, TextWidthEmu / 2), extents[0]); // 2400×1200 scaled to the text width
        Assert.Equal((200 * 9525L, 100 * 9525L), extents[1]); // a small image keeps its size
        Assert.True(extents[2].Cy < (16838 - 2 * 1440) * 635L && Math.Abs(extents[2].Cx * 10 - extents[2].Cy) < 10, $"tall image {extents[2]}");

        var errors = new OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Chinese_text_has_an_east_asian_font_and_language()
    {
        var bytes = await Write(ReportSamples.Report());

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var styles = document.MainDocumentPart!.StyleDefinitionsPart!.Styles!;
        var defaults = styles.DocDefaults!.RunPropertiesDefault!.RunPropertiesBaseStyle!;
        Assert.Equal("SimSun", defaults.RunFonts!.EastAsia!.Value);
        Assert.Equal("zh-CN", defaults.Languages!.EastAsia!.Value);
        var heading = styles.Elements<Style>().Single(s => s.StyleId == "Heading1");
        Assert.Equal("SimHei", heading.StyleRunProperties!.RunFonts!.EastAsia!.Value);
        Assert.Equal("heading 1", heading.StyleName!.Val!.Value);
        Assert.Equal("世界青年科学家峰会筹备工作汇报", document.PackageProperties.Title);
    }

    [Fact]
    public async Task Lists_become_numbered_paragraphs_and_each_ordered_list_counts_from_one()
    {
        var unit = ReportSamples.Dongtou() with
        {
            Sections = [new ReportSection("计划", "<ol><li>甲</li><li>乙<ul><li>细项</li></ul></li></ol><p>间隔</p><ol><li>丙</li></ol><ul><li>要点</li></ul>")],
        };
        var bytes = await Write(new CompiledReport("汇编", null, null, [unit]));

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var items = document.MainDocumentPart!.Document!.Body!.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.NumberingProperties is not null)
            .Select(p => (Text: p.InnerText, Num: p.ParagraphProperties!.NumberingProperties!.NumberingId!.Val!.Value,
                Level: p.ParagraphProperties.NumberingProperties.NumberingLevelReference!.Val!.Value))
            .ToList();
        Assert.Equal(["甲", "乙", "细项", "丙", "要点"], items.Select(i => i.Text));
        Assert.Equal(items[0].Num, items[1].Num);
        Assert.NotEqual(items[0].Num, items[3].Num); // the second ordered list restarts
        Assert.Equal(items[2].Num, items[4].Num); // bullets share one numbering
        Assert.Equal([0, 0, 1, 0, 0], items.Select(i => i.Level));
        var numbering = document.MainDocumentPart.NumberingDefinitionsPart!.Numbering!;
        Assert.Equal(3, numbering.Elements<NumberingInstance>().Count());
        Assert.Empty(new OpenXmlValidator().Validate(document));
    }

    [Fact]
    public async Task A_unit_with_no_text_and_no_files_still_gets_its_heading_and_status()
    {
        var bytes = await Write(new CompiledReport("汇编", null, null, [ReportSamples.Dongtou()]));

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Assert.Equal(["洞头区"], Styled(body, "Heading1"));
        Assert.Equal(["类别：县（市、区）　状态：未提交"], Styled(body, "UnitStatus"));
        Assert.Empty(document.MainDocumentPart.ImageParts);
        Assert.Null(document.MainDocumentPart.NumberingDefinitionsPart);
        Assert.Empty(new OpenXmlValidator().Validate(document));
    }

    [Fact]
    public async Task The_image_limit_is_a_setting_and_files_that_are_not_readable_images_are_passed_over()
    {
        var unit = ReportSamples.Ruian() with
        {
            Files =
            [
                ReportSamples.File("坏图.png", "not a png"u8.ToArray(), "image/png", image: true),
                ReportSamples.File("说明.txt", ReportSamples.WidePng, "text/plain"),
                ReportSamples.File("一.png", ReportSamples.WidePng, "image/png", image: true),
                ReportSamples.File("二.jpg", ReportSamples.SmallJpeg, "image/jpeg", image: true),
            ],
        };
        var bytes = await Write(new CompiledReport("汇编", null, null, [unit]), ReportDocxOptions.Default with { MaxImagesPerUnit = 1 });

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        Assert.Equal(["一"], Styled(document.MainDocumentPart!.Document!.Body!, "Caption"));
        Assert.Single(document.MainDocumentPart.ImageParts);
    }

    [Fact]
    public async Task One_unit_alone_has_no_title_page_and_english_captions_are_a_setting()
    {
        var output = new ResponseLikeStream();
        await ReportDocx.WriteUnitAsync(ReportSamples.Ruian(), output, ReportDocxOptions.English, CancellationToken.None);

        using var document = WordprocessingDocument.Open(new MemoryStream(output.Written), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Assert.Empty(Styled(body, "Title"));
        var heading = body.Elements<Paragraph>().First();
        Assert.Equal("瑞安市", heading.InnerText);
        Assert.Null(heading.ParagraphProperties!.PageBreakBefore);
        Assert.Equal(["Kind: 县（市、区）   Status: 已提交   Submitted: 2020年5月9日 18:05   late"], Styled(body, "UnitStatus"));
    }
}
