using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// The printable views (打印): the secretariat's task list and Pingyang's county page, laid out for print and printed to
/// PDF by Chromium. On paper the app's bar, filters, buttons and pagers are gone, nothing is wider than A4's printable
/// width, the header names the page, the summit, the time and (for the list) the rows on the paper, and the PDF's
/// pages are A4 with the page's Chinese text extractable.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PrintBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    /// <summary>A4 (210 mm) less the 12 mm margins of print.css on each side, in CSS px: 186 mm × 96 / 25.4.</summary>
    private const int PrintableWidth = 703;

    /// <summary>A4 in PDF points.</summary>
    private const double A4Width = 595.28, A4Height = 841.89;

    /// <summary>What must not show on paper: the app's chrome and everything one clicks or types into.</summary>
    private const string Interactive =
        ".app-bar, nav, .search-slot, .filters, .pager, .chooser, .county-tabs, [data-action=print], .el-button, button:not(.check-item), .el-checkbox, .el-progress, input";

    [Fact]
    public async Task The_secretariats_task_list_prints_on_A4_with_the_rows_on_screen_and_a_header_saying_which()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var id = $"t-prn-{Guid.NewGuid():N}"[..18];
        const string title = "打印测试：主会场签到台与嘉宾引导标识的布置和验收（含夜间彩排）";
        var created = await api.PostAsJsonAsync($"/api/summits/{Summit}/tasks", new
        {
            id, title, category = "venue", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-20T17:00", assignee = "王晓明",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var summitName = (await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}"))["name"]!.GetValue<string>();
        var total = (await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/tasks?limit=1"))["total"]!.GetValue<int>();

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", PrintableWidth, 1000);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.Locator("[data-testid=task-table] tbody tr[data-task]").First.WaitForAsync();
            var print = page.Locator("[data-action=print]");
            await Assertions.Expect(print).ToBeVisibleAsync();
            await Assertions.Expect(print).ToHaveTextAsync("打印");
            await Assertions.Expect(page.Locator("[data-testid=print-header]")).ToBeHiddenAsync();

            // The whole list's first page: on paper the rows on screen, the header saying which of how many.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            var shown = await page.Locator("[data-testid=task-table] tbody tr[data-task]").CountAsync();
            Assert.Equal(Math.Min(total, 100), shown);
            var header = page.Locator("[data-testid=print-header]");
            await Assertions.Expect(header).ToBeVisibleAsync();
            await Assertions.Expect(header.Locator("[data-slot=title]")).ToHaveTextAsync("筹备任务");
            await Assertions.Expect(header.Locator("[data-slot=summit]")).ToHaveTextAsync(summitName);
            await Assertions.Expect(header.Locator("[data-slot=printed]")).ToContainTextAsync("打印时间：");
            await Assertions.Expect(header.Locator("[data-slot=range]")).ToHaveTextAsync($"第 1–{shown} 条，共 {total} 条");
            await AssertLaidOutForPaperAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=task-table]")).ToBeVisibleAsync();
            // No cell (nor the status's text inside its menu) cuts its text off.
            var clipped = await page.EvaluateAsync<string[]>(
                """
                [...document.querySelectorAll('.task-table th, .task-table td, .task-table .el-select__placeholder')]
                  .filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
                  .map(e => `${e.className}: ${e.textContent.trim().slice(0, 30)} (${e.scrollWidth} > ${e.clientWidth})`)
                """);
            Assert.Empty(clipped);
            await Chromium.ScreenshotAsync(page, "print-tasks", fullPage: true);

            var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = false });
            await File.WriteAllBytesAsync(Path.Combine(Chromium.ArtifactsDirectory, "print-tasks.pdf"), pdf);
            var pages = ReadPdf(pdf);
            Assert.True(pages.Count >= 2, $"{shown} rows fit on {pages.Count} page(s)");
            Assert.Contains(Squeeze("筹备任务"), pages[0]);
            Assert.Contains(Squeeze(summitName), pages[0]);
            Assert.Contains(Squeeze("打印时间"), pages[0]);
            Assert.Contains(Squeeze($"第 1–{shown} 条，共 {total} 条"), pages[0]);
            // The header row again on every page.
            Assert.All(pages, text => Assert.Contains(Squeeze("负责人"), text));
            Assert.DoesNotContain(Squeeze("下一页"), string.Concat(pages));
            Assert.DoesNotContain(Squeeze("清除筛选"), string.Concat(pages));
            Assert.DoesNotContain(Squeeze("导出 Excel"), string.Concat(pages));

            // Filtered to one task (as the address carries it): the printout holds that row and says so.
            await page.EmulateMediaAsync(new() { Media = Media.Screen });
            await page.GotoAsync($"/#/tasks?q={id}");
            await Assertions.Expect(page.Locator("[data-testid=task-table] tbody tr[data-task]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator($"tr[data-task='{id}']")).ToBeVisibleAsync();
            var status = (await page.Locator($"tr[data-task='{id}'] [data-action=status]").InnerTextAsync()).Trim();
            Assert.False(string.IsNullOrEmpty(status));
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(header.Locator("[data-slot=range]")).ToHaveTextAsync("第 1–1 条，共 1 条");
            await AssertLaidOutForPaperAsync(page);
            var one = await page.PdfAsync(new() { Format = "A4", PrintBackground = false });
            await File.WriteAllBytesAsync(Path.Combine(Chromium.ArtifactsDirectory, "print-tasks-filtered.pdf"), one);
            var filtered = ReadPdf(one);
            Assert.Single(filtered);
            Assert.Contains(Squeeze(title), filtered[0]);
            Assert.Contains(Squeeze("第1–1条，共1条"), filtered[0]);
            Assert.Contains(Squeeze("王晓明"), filtered[0]);
            // The status menu prints as its chosen text.
            Assert.Contains(Squeeze(status), filtered[0]);
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Pingyangs_county_page_prints_on_A4_with_its_sub_events_and_checklist_as_text()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var pingyang = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/counties/pingyang");
        var firstEvent = pingyang["subEvents"]!.AsArray().First()!["title"]!.GetValue<string>();

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "county-pingyang", PrintableWidth, 1000);
        try
        {
            await Chromium.SignInAsync(page, "county-pingyang", "#/county");
            await page.Locator("[data-subevent]").First.WaitForAsync();
            await Assertions.Expect(page.Locator("[data-action=print]")).ToBeVisibleAsync();

            await page.EmulateMediaAsync(new() { Media = Media.Print });
            var header = page.Locator("[data-testid=print-header]");
            await Assertions.Expect(header).ToBeVisibleAsync();
            await Assertions.Expect(header.Locator("[data-slot=title]")).ToHaveTextAsync("平阳县分会场");
            await Assertions.Expect(header.Locator("[data-slot=range]")).ToHaveCountAsync(0);
            await AssertLaidOutForPaperAsync(page);
            // The checklist is the page's content: its items print as text, the moves and edit buttons do not.
            Assert.True(await VisibleCountAsync(page, ".check-item") > 0);
            await Chromium.ScreenshotAsync(page, "print-county", fullPage: true);

            var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = false });
            await File.WriteAllBytesAsync(Path.Combine(Chromium.ArtifactsDirectory, "print-county.pdf"), pdf);
            var pages = ReadPdf(pdf);
            var text = string.Concat(pages);
            Assert.Contains(Squeeze("平阳县分会场"), pages[0]);
            Assert.Contains(Squeeze("打印时间"), pages[0]);
            Assert.Contains(Squeeze(firstEvent), text);
            Assert.DoesNotContain(Squeeze("点按清单项切换"), text);
            Assert.DoesNotContain(Squeeze("改为："), text);
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>In print media: nothing interactive shows and nothing is wider than the paper's printable width.</summary>
    private async Task AssertLaidOutForPaperAsync(IPage page)
    {
        Assert.Equal(0, await VisibleCountAsync(page, Interactive));
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        output.WriteLine($"print layout: {width} px wide at a {PrintableWidth} px viewport");
        Assert.True(width <= PrintableWidth, $"the printout is {width} px wide; the paper holds {PrintableWidth}");
        var widest = await page.EvaluateAsync<double>(
            "Math.max(...[...document.querySelectorAll('main *')].filter(e => e.getClientRects().length > 0).map(e => e.getBoundingClientRect().right))");
        Assert.True(widest <= PrintableWidth + 0.5, $"an element reaches {widest} px; the paper holds {PrintableWidth}");
    }

    private static Task<int> VisibleCountAsync(IPage page, string selector) =>
        page.EvaluateAsync<int>(
            "s => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden').length",
            selector);

    /// <summary>
    /// Each page's text, whitespace removed (Chromium's PDFs carry no glyph for most spaces), after checking that the
    /// page is A4 portrait and every letter lies on it.
    /// </summary>
    private List<string> ReadPdf(byte[] bytes)
    {
        using var document = PdfDocument.Open(bytes);
        var pages = new List<string>();
        foreach (var page in document.GetPages())
        {
            Assert.InRange(page.Width, A4Width - 2, A4Width + 2);
            Assert.InRange(page.Height, A4Height - 2, A4Height + 2);
            foreach (var letter in page.Letters)
            {
                var box = letter.BoundingBox;
                Assert.True(box.Left >= -0.5 && box.Right <= page.Width + 0.5, $"'{letter.Value}' on page {page.Number} spans {box.Left:0.#}..{box.Right:0.#} pt");
            }
            pages.Add(Squeeze(page.Text));
        }
        output.WriteLine($"PDF: {pages.Count} page(s); page 1 begins: {pages.FirstOrDefault()?[..Math.Min(120, pages.FirstOrDefault()?.Length ?? 0)]}");
        return pages;
    }

    /// <summary>
    /// Text as extracted, comparable with the page's: whitespace removed, and the characters the CJK fonts' ToUnicode maps
    /// name by their radical folded back to the ideograph shown (Noto CJK draws 月 with the glyph it also uses for the
    /// Kangxi radical ⽉, U+2F49, and the PDF says ⽉). NFKC folds the Kangxi radicals; the few radical-supplement forms of
    /// simplified characters have no such folding and are listed here. Chromium writes an en dash as U+2012.
    /// </summary>
    private static string Squeeze(string text)
    {
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        var result = new System.Text.StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) continue;
            result.Append(c == '\u2012' ? '\u2013' : RadicalForms.GetValueOrDefault(c, c));
        }
        return result.ToString();
    }

    private static readonly Dictionary<char, char> RadicalForms = new()
    {
        ['\u2EC4'] = '西', ['\u2EC5'] = '见', ['\u2EC6'] = '角', ['\u2EC9'] = '贝', ['\u2ECB'] = '车', ['\u2ED3'] = '长', ['\u2ED4'] = '门',
        ['\u2EDA'] = '页', ['\u2EDB'] = '风', ['\u2EDC'] = '飞', ['\u2ED8'] = '青', ['\u2EDD'] = '食', ['\u2EE2'] = '马',
        ['\u2EE3'] = '骨', ['\u2EE4'] = '鬼', ['\u2EE5'] = '鱼', ['\u2EE6'] = '鸟', ['\u2EE7'] = '卤', ['\u2EE8'] = '麦', ['\u2EE9'] = '黄',
        ['\u2EEA'] = '黾', ['\u2EEC'] = '齐', ['\u2EEE'] = '齿', ['\u2EF0'] = '龙', ['\u2EF3'] = '龟',
    };
}
