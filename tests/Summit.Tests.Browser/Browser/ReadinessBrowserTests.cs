using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// Readiness against the plan in the browser: the S-curve (ECharts) and the units ranked by their gap, in Chinese, for a
/// leader on a wide screen and on a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadinessBrowserTests(PlanningFixture fixture, ITestOutputHelper output) : IClassFixture<PlanningFixture>
{
    [Fact]
    public async Task A_leader_sees_the_s_curve_and_the_ranking_by_gap_in_chinese()
    {
        var page = await fixture.Chromium.NewPageAsync(fixture.Gateway, output, "leader", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "leader", "#/screen");
            // Leaves the big screen once its live connection is up, so the page is not torn down half-connected.
            await Assertions.Expect(page.Locator("[data-testid=screen]")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
            await page.GotoAsync("/#/readiness");
            await Chromium.WaitForRouteAsync(page, "#/readiness");

            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("就绪度：计划与实际");
            await Assertions.Expect(page.Locator("[data-testid=readiness-summary]")).ToContainTextAsync("全局：计划");
            // The chart draws both lines with a legend in Chinese.
            var curve = page.Locator("[data-testid=readiness-curve]");
            await Assertions.Expect(curve.Locator("svg path").First).ToBeAttachedAsync();
            await Assertions.Expect(curve).ToContainTextAsync("计划进度");
            await Assertions.Expect(curve).ToContainTextAsync("实际进度");
            await Assertions.Expect(curve).ToContainTextAsync("今天");

            // Counties ranked worst gap first, named in Chinese, each with its status.
            var counties = page.Locator("[data-testid=readiness-ranking] [data-group=counties] li");
            await Assertions.Expect(counties.First).ToBeVisibleAsync();
            Assert.Equal(12, await counties.CountAsync());
            await Assertions.Expect(page.Locator("[data-testid=readiness-ranking]")).ToContainTextAsync("差距排行");
            await Assertions.Expect(page.Locator("[data-testid=readiness-ranking] [data-group=counties]")).ToContainTextAsync("泰顺县");
            // Counties with tasks come first, by gap; those without any come last.
            var gaps = (await page.Locator("[data-testid=readiness-ranking] [data-group=counties] li:not([data-status=noTasks]) .ranking-gap").AllTextContentsAsync())
                .Select(g => double.Parse(g, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(gaps.Zip(gaps.Skip(1)).All(p => p.First <= p.Second), string.Join(", ", gaps));
            var statuses = await page.Locator("[data-testid=readiness-ranking] [data-group=counties] li .el-tag").AllTextContentsAsync();
            Assert.All(statuses, s => Assert.Contains(s.Trim(), new[] { "按计划", "略有落后", "严重落后", "暂无任务" }));

            // Choosing a county redraws the curve for it.
            var first = await counties.First.GetAttributeAsync("data-key");
            var redraw = page.WaitForResponseAsync(r => r.Url.Contains("/readiness/curve?") && r.Url.Contains($"key={first}"));
            await counties.First.Locator(".ranking-name").ClickAsync();
            Assert.Equal(200, (await redraw).Status);
            await Assertions.Expect(curve).ToContainTextAsync("实际进度");

            await Chromium.ScreenshotAsync(page, "readiness");
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_readiness_page_fits_a_phone()
    {
        var page = await fixture.Chromium.NewPageAsync(fixture.Gateway, output, "secretariat", 375, 740);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.GotoAsync("/#/readiness");
            await Chromium.WaitForRouteAsync(page, "#/readiness");
            await Assertions.Expect(page.Locator("[data-testid=readiness-curve] svg path").First).ToBeAttachedAsync();
            await Assertions.Expect(page.Locator("[data-testid=readiness-ranking] [data-group=counties] li").First).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, "the page scrolls sideways on a phone");
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
