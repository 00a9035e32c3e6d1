using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Summit.Gateway.Documents;

/// <summary>
/// Writes a <see cref="CompiledReport"/> as a Word document (.docx, A4): a title page, then per unit a Heading 1 with
/// its name, a status line, its text sections (Heading 2 and paragraphs) and its first images embedded, scaled down to
/// the text width (and three quarters of the text height) keeping their aspect ratio.
/// The document is built in memory and then copied to the output, so the output may be any writable stream, a
/// non-seekable response body included. The memory is bounded by the report's text plus the embedded images: at most
/// <see cref="ReportDocxOptions.MaxImagesPerUnit"/> per unit, each at most <see cref="ReportDocxOptions.MaxImageBytes"/>.
/// </summary>
public static class ReportDocx
{
    // A4 with 2.54 cm margins, in twentieths of a point; 635 EMU to the twip, 9525 EMU to the pixel at 96 dpi.
    private const int PageWidth = 11906, PageHeight = 16838, Margin = 1440;
    private const long EmuPerTwip = 635, EmuPerPixel = 9525;
    private const long TextWidthEmu = (PageWidth - 2 * Margin) * EmuPerTwip;
    private const long MaxImageHeightEmu = (PageHeight - 2 * Margin) * EmuPerTwip * 3 / 4;

    /// <summary>Writes the whole report: title page, then each unit from a new page.</summary>
    public static Task WriteAsync(CompiledReport report, Stream output, ReportDocxOptions? options = null, CancellationToken cancellationToken = default) =>
        BuildAsync(report.Title, report, output, options ?? ReportDocxOptions.Default, cancellationToken);

    /// <summary>Writes one unit's part alone (no title page), as each unit's folder of the zip carries it.</summary>
    public static Task WriteUnitAsync(ReportUnit unit, Stream output, ReportDocxOptions? options = null, CancellationToken cancellationToken = default) =>
        BuildAsync(unit.Name, new CompiledReport("", null, null, [unit]), output, options ?? ReportDocxOptions.Default, cancellationToken);

    private static async Task BuildAsync(string documentTitle, CompiledReport report, Stream output, ReportDocxOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = RichText.XmlSafe(documentTitle);
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body());
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles(options);
            var writer = new Writer(main, options);
            await writer.ReportAsync(report, cancellationToken);
            writer.Finish();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    private sealed class Writer(MainDocumentPart main, ReportDocxOptions options)
    {
        private const int BulletNumbering = 1, OrderedNumbering = 2;
        private readonly Body body = main.Document!.Body!;
        private readonly Dictionary<int, int> orderedLists = [];
        private bool bulletsUsed;
        private uint drawingId;

        public async Task ReportAsync(CompiledReport report, CancellationToken cancellationToken)
        {
            var titlePage = report.Title.Length > 0;
            if (titlePage)
            {
                body.Append(Paragraph("Title", report.Title));
                if (!string.IsNullOrWhiteSpace(report.Subtitle)) body.Append(Paragraph("Subtitle", report.Subtitle));
                RichTextParagraphs(report.Intro);
            }
            foreach (var unit in report.Units) await UnitAsync(unit, pageBreakBefore: titlePage, cancellationToken);
        }

        private async Task UnitAsync(ReportUnit unit, bool pageBreakBefore, CancellationToken cancellationToken)
        {
            var heading = Paragraph("Heading1", unit.Name);
            if (pageBreakBefore) heading.ParagraphProperties!.Append(new PageBreakBefore());
            body.Append(heading);

            var meta = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "UnitStatus" }));
            var parts = new List<string>();
            if (!string.IsNullOrWhiteSpace(unit.KindLabel)) parts.Add(string.Format(options.KindFormat, unit.KindLabel));
            if (!string.IsNullOrWhiteSpace(unit.StatusLabel)) parts.Add(string.Format(options.StatusFormat, unit.StatusLabel));
            if (!string.IsNullOrWhiteSpace(unit.SubmittedAtText)) parts.Add(string.Format(options.SubmittedAtFormat, unit.SubmittedAtText));
            meta.Append(TextRun(string.Join(options.StatusSeparator, parts)));
            if (unit.Late)
            {
                meta.Append(TextRun(options.StatusSeparator));
                meta.Append(TextRun(options.LateMark, new RunProperties(new Bold(), new Color { Val = "C00000" })));
            }
            body.Append(meta);

            foreach (var section in unit.Sections)
            {
                if (!string.IsNullOrWhiteSpace(section.Title)) body.Append(Paragraph("Heading2", section.Title));
                RichTextParagraphs(section.Text);
            }

            var embedded = 0;
            foreach (var file in unit.Files)
            {
                if (embedded >= options.MaxImagesPerUnit) break;
                if (!file.IsImage || file.Length > options.MaxImageBytes) continue;
                if (await ImageAsync(file, cancellationToken)) embedded++;
            }
        }

        private void RichTextParagraphs(string? text)
        {
            foreach (var rich in RichText.Parse(text))
            {
                var properties = new ParagraphProperties();
                if (rich.ListItem is { } item)
                {
                    properties.Append(new ParagraphStyleId { Val = "ListParagraph" });
                    properties.Append(new NumberingProperties(new NumberingLevelReference { Val = item.Level }, new NumberingId { Val = NumberingFor(item) }));
                }
                else if (rich.Heading)
                {
                    properties.Append(new KeepNext());
                }
                var paragraph = new Paragraph(properties);
                foreach (var inline in rich.Inlines)
                {
                    if (inline.IsBreak)
                    {
                        paragraph.Append(new Run(new Break()));
                        continue;
                    }
                    var format = new RunProperties();
                    if (inline.Bold) format.Append(new Bold());
                    if (inline.Italic) format.Append(new Italic());
                    if (inline.Underline) format.Append(new Underline { Val = UnderlineValues.Single });
                    paragraph.Append(TextRun(inline.Text, format.HasChildren ? format : null));
                }
                body.Append(paragraph);
            }
        }

        // Bullets share one numbering; each ordered list gets its own instance so it counts from 1.
        private int NumberingFor(RichListItem item)
        {
            if (!item.Ordered)
            {
                bulletsUsed = true;
                return BulletNumbering;
            }
            if (!orderedLists.TryGetValue(item.ListId, out var id))
            {
                id = OrderedNumbering + orderedLists.Count;
                orderedLists[item.ListId] = id;
            }
            return id;
        }

        private async Task<bool> ImageAsync(ReportFile file, CancellationToken cancellationToken)
        {
            ImageInfo? info;
            await using (var probe = await file.Open(cancellationToken)) info = await ImageHeader.ReadAsync(probe, cancellationToken);
            if (info is not { } image) return false;

            var part = main.AddImagePart(image.Format switch
            {
                ImageFormat.Png => ImagePartType.Png,
                ImageFormat.Jpeg => ImagePartType.Jpeg,
                _ => ImagePartType.Gif,
            });
            await using (var source = await file.Open(cancellationToken))
            await using (var target = part.GetStream(FileMode.Create, FileAccess.Write))
            {
                await source.CopyToAsync(target, cancellationToken);
            }

            // Scaled down (never up) to fit the text width and three quarters of the text height, keeping the aspect ratio.
            long cx = image.Width * EmuPerPixel, cy = image.Height * EmuPerPixel;
            if (cx > TextWidthEmu) (cx, cy) = (TextWidthEmu, TextWidthEmu * image.Height / image.Width);
            if (cy > MaxImageHeightEmu) (cx, cy) = (MaxImageHeightEmu * image.Width / image.Height, MaxImageHeightEmu);
            (cx, cy) = (Math.Max(1, cx), Math.Max(1, cy));

            var id = ++drawingId;
            var name = RichText.XmlSafe(file.FileName);
            var drawing = new Drawing(new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
                new DW.DocProperties { Id = id, Name = $"Picture {id}", Description = name },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(
                    new PIC.Picture(
                        new PIC.NonVisualPictureProperties(
                            new PIC.NonVisualDrawingProperties { Id = 0U, Name = name },
                            new PIC.NonVisualPictureDrawingProperties()),
                        new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
                        new PIC.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
                { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
            });
            body.Append(new Paragraph(
                new ParagraphProperties(new KeepNext(), new Justification { Val = JustificationValues.Center }),
                new Run(drawing)));
            body.Append(Paragraph("Caption", Path.GetFileNameWithoutExtension(file.FileName)));
            return true;
        }

        public void Finish()
        {
            if (bulletsUsed || orderedLists.Count > 0) main.AddNewPart<NumberingDefinitionsPart>().Numbering = Numbering();
            body.Append(new SectionProperties(
                new PageSize { Width = PageWidth, Height = PageHeight },
                new PageMargin { Top = Margin, Right = Margin, Bottom = Margin, Left = Margin, Header = 851, Footer = 992, Gutter = 0 }));
        }

        private Numbering Numbering()
        {
            var numbering = new Numbering(
                AbstractNumbering(BulletNumbering, level => (NumberFormatValues.Bullet, (level % 3) switch { 0 => "•", 1 => "◦", _ => "▪" })),
                AbstractNumbering(OrderedNumbering, level => ((level % 3) switch
                {
                    0 => NumberFormatValues.Decimal,
                    1 => NumberFormatValues.LowerLetter,
                    _ => NumberFormatValues.LowerRoman,
                }, $"%{level + 1}.")));
            numbering.Append(new NumberingInstance(new AbstractNumId { Val = BulletNumbering }) { NumberID = BulletNumbering });
            foreach (var id in orderedLists.Values.Order())
            {
                var instance = new NumberingInstance(new AbstractNumId { Val = OrderedNumbering }) { NumberID = id };
                for (var level = 0; level < 9; level++)
                    instance.Append(new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = level });
                numbering.Append(instance);
            }
            return numbering;
        }

        private static AbstractNum AbstractNumbering(int id, Func<int, (NumberFormatValues Format, string Text)> level)
        {
            var abstractNum = new AbstractNum(new MultiLevelType { Val = MultiLevelValues.HybridMultilevel }) { AbstractNumberId = id };
            for (var i = 0; i < 9; i++)
            {
                var (format, text) = level(i);
                abstractNum.Append(new Level(
                    new StartNumberingValue { Val = 1 },
                    new NumberingFormat { Val = format },
                    new LevelText { Val = text },
                    new LevelJustification { Val = LevelJustificationValues.Left },
                    new PreviousParagraphProperties(new Indentation { Left = (420 * (i + 1)).ToString(), Hanging = "420" }))
                { LevelIndex = i });
            }
            return abstractNum;
        }

        private static Paragraph Paragraph(string style, string text) =>
            new(new ParagraphProperties(new ParagraphStyleId { Val = style }), TextRun(text));
    }

    private static Run TextRun(string text, RunProperties? properties = null)
    {
        var run = new Run();
        if (properties is not null) run.Append(properties);
        run.Append(new Text(RichText.XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Styles Styles(ReportDocxOptions options)
    {
        RunFonts Fonts(string eastAsia) => new()
        {
            Ascii = options.LatinFont, HighAnsi = options.LatinFont, ComplexScript = options.LatinFont, EastAsia = eastAsia,
        };

        Style ParagraphStyle(string id, string name, ParagraphProperties? paragraph, RunProperties? run, bool primary = true)
        {
            var style = new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" })
            {
                Type = StyleValues.Paragraph, StyleId = id,
            };
            if (primary) style.Append(new PrimaryStyle());
            if (paragraph is not null) style.Append(paragraph);
            if (run is not null) style.Append(run);
            return style;
        }

        RunProperties HeadingRun(int halfPoints, string? color = null)
        {
            var run = new RunProperties(Fonts(options.HeadingEastAsiaFont), new Bold(), new BoldComplexScript());
            if (color is not null) run.Append(new Color { Val = color });
            run.Append(new FontSize { Val = halfPoints.ToString() }, new FontSizeComplexScript { Val = halfPoints.ToString() });
            return run;
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    Fonts(options.EastAsiaFont),
                    new FontSize { Val = "24" },
                    new FontSizeComplexScript { Val = "24" },
                    new Languages { Val = "en-US", EastAsia = "zh-CN", Bidi = "ar-SA" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "120", Line = "360", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            ParagraphStyle("Title", "Title",
                new ParagraphProperties(new SpacingBetweenLines { Before = "2400", After = "480" }, new Justification { Val = JustificationValues.Center }),
                HeadingRun(44)),
            ParagraphStyle("Subtitle", "Subtitle",
                new ParagraphProperties(new SpacingBetweenLines { After = "480" }, new Justification { Val = JustificationValues.Center }),
                new RunProperties(new FontSize { Val = "30" }, new FontSizeComplexScript { Val = "30" })),
            ParagraphStyle("Heading1", "heading 1",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "360", After = "200" }, new OutlineLevel { Val = 0 }),
                HeadingRun(32)),
            ParagraphStyle("Heading2", "heading 2",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "240", After = "120" }, new OutlineLevel { Val = 1 }),
                HeadingRun(28)),
            ParagraphStyle("UnitStatus", "Unit Status",
                new ParagraphProperties(new SpacingBetweenLines { After = "240" }),
                new RunProperties(new Color { Val = "595959" }, new FontSize { Val = "21" }, new FontSizeComplexScript { Val = "21" }), primary: false),
            ParagraphStyle("ListParagraph", "List Paragraph", new ParagraphProperties(new ContextualSpacing()), null, primary: false),
            ParagraphStyle("Caption", "caption",
                new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                new RunProperties(new Color { Val = "595959" }, new FontSize { Val = "20" }, new FontSizeComplexScript { Val = "20" })));
    }
}
