using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using MiniExcelLibs;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// Lists leave the browser as spreadsheets: the secretariat filters the task list and downloads it as Excel with exactly
/// the filtered tasks; Pingyang, on a phone, downloads readiness against the plan as CSV that Excel reads as Chinese.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExportBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task The_secretariat_downloads_its_filtered_task_list_as_excel()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var mark = $"导出{Guid.NewGuid():N}"[..10];
        foreach (var (county, title) in new[] { ("pingyang", $"{mark} 平阳布展"), ("ruian", $"{mark} 瑞安布展") })
        {
            var created = await api.PostAsJsonAsync($"/api/summits/{Summit}/tasks", new
            {
                title, category = "venue", owner = new { kind = "county", code = county }, dueDate = "2020-06-19",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var desk = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1366, 900);
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.GotoAsync($"/#/tasks?q={Uri.EscapeDataString(mark)}&unit=county:pingyang");
            await Assertions.Expect(desk.Locator("[data-testid=task-table] tbody tr")).ToHaveCountAsync(1);
            var link = desk.Locator("[data-testid=export-links][data-list=tasks] [data-action=export-xlsx]");
            await Assertions.Expect(link).ToHaveTextAsync("导出 Excel");

            var download = await desk.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.EndsWith(".xlsx", download.SuggestedFilename);
            await using var stream = File.OpenRead((await download.PathAsync())!);
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            var row = Assert.Single(rows);
            Assert.Equal($"{mark} 平阳布展", row["任务"]);
            Assert.Equal("平阳县", row["责任单位"]);
            Assert.Equal("会场", row["类别"]);

            // The audit trail, the secretariat's alone, holds the two tasks just created.
            var audit = desk.Locator("[data-testid=export-links][data-list=audit] [data-action=export-xlsx]");
            await Assertions.Expect(desk.Locator("[data-testid=export-links][data-list=audit]")).ToContainTextAsync("审计记录");
            var trail = await desk.RunAndWaitForDownloadAsync(() => audit.ClickAsync());
            await using var trailStream = File.OpenRead((await trail.PathAsync())!);
            var entries = trailStream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Contains(entries, e => Equals(e["对象"], "任务") && e["变更"] is string c && c.Contains($"{mark} 平阳布展", StringComparison.Ordinal));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_county_downloads_its_tasks_as_csv_on_its_phone_and_a_leader_readiness_as_excel()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var mark = $"手机导出{Guid.NewGuid():N}"[..12];
        var created = await api.PostAsJsonAsync($"/api/summits/{Summit}/tasks", new
        {
            title = $"{mark} 平阳任务", category = "publicity", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-06-19",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var phone = await fixture.Chromium.NewPageAsync(Gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
            // The venue tab: its sub-events as CSV, Pingyang's only.
            var events = phone.Locator("[data-testid=export-links][data-list=sub-events] [data-action=export-csv]");
            var eventsFile = await phone.RunAndWaitForDownloadAsync(() => events.ClickAsync());
            var eventLines = Encoding.UTF8.GetString((await File.ReadAllBytesAsync((await eventsFile.PathAsync())!))[3..])
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("县（市、区）,县代码,编号,子活动", eventLines[0]);
            Assert.True(eventLines.Length > 1);
            Assert.All(eventLines.Skip(1), l => Assert.StartsWith("平阳县,pingyang,", l));

            await phone.Locator("[data-tab=tasks]").ClickAsync();
            await Chromium.WaitForAddressAsync(phone, "tab=tasks");
            var link = phone.Locator("[data-testid=county-tasks] [data-testid=export-links] [data-action=export-csv]");
            await Assertions.Expect(link).ToHaveTextAsync("导出 CSV");
            var box = await link.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 375, $"the link spans {box?.X}..{box?.X + box?.Width}");

            var download = await phone.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.EndsWith(".csv", download.SuggestedFilename);
            var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
            var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("编号,任务,类别,责任单位,责任单位代码", lines[0]);
            Assert.Contains(lines, l => l.Contains($"{mark} 平阳任务,宣传,平阳县,county:pingyang", StringComparison.Ordinal));
            Assert.All(lines.Skip(1), l => Assert.Contains(",county:pingyang,", l));
        }
        finally
        {
            await phone.Context.CloseAsync();
        }

        var desk = await fixture.Chromium.NewPageAsync(Gateway, output, "leader", 1366, 900);
        try
        {
            await Chromium.SignInAsync(desk, "leader", "#/screen");
            await desk.GotoAsync("/#/readiness");
            await Chromium.WaitForRouteAsync(desk, "#/readiness");
            var link = desk.Locator("[data-testid=export-links] [data-action=export-xlsx]");
            var download = await desk.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            await using var stream = File.OpenRead((await download.PathAsync())!);
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal("总体", rows[0]["范围"]);
            Assert.Contains(rows, r => Equals(r["名称"], "平阳县"));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_university_downloads_its_projects_as_excel()
    {
        var desk = await fixture.Chromium.NewPageAsync(Gateway, output, "university-wmu", 1280, 900);
        try
        {
            await Chromium.SignInAsync(desk, "university-wmu", "#/university");
            var link = desk.Locator("[data-testid=export-links][data-list=projects] [data-action=export-xlsx]");
            var download = await desk.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            await using var stream = File.OpenRead((await download.PathAsync())!);
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Contains("wmu", (string)r["高校"]!));
            Assert.All(rows, r => Assert.Contains(r["阶段"], new object?[] { "已识别", "已对接", "洽谈中", "待签约", "已签约", "已落地" }));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }
    }
}
