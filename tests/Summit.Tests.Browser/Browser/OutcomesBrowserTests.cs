using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// The secretariat records innovation alliances and Startup World Cup finalists on #/alliances and #/finalists, and the
/// leaders' big screen counts them against the summit's targets as they change.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OutcomesBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task The_secretariat_signs_an_alliance_and_confirms_a_finalist_and_the_big_screen_counts_them()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var signed = await TotalAsync(api, "alliances?status=signed");
        var confirmed = await TotalAsync(api, "finalists?status=confirmed");
        var nominated = (await api.GetFromJsonAsync<JsonObject>($"/api/summits/{Summit}/finalists?status=nominated&limit=1"))!["items"]![0]!;

        var screen = await fixture.Chromium.NewPageAsync(Gateway, output, "leader", 1440, 900);
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(screen, "leader", "#/screen");
            var alliancesFigure = screen.Locator("[data-testid=target-figures] [data-target=innovationAlliances]");
            var finalistsFigure = screen.Locator("[data-testid=target-figures] [data-target=startupFinalists]");
            await Assertions.Expect(alliancesFigure).ToHaveAttributeAsync("data-actual", signed.ToString());
            await Assertions.Expect(alliancesFigure).ToContainTextAsync($"创新联盟：{signed} / 10");
            await Assertions.Expect(finalistsFigure).ToHaveAttributeAsync("data-actual", confirmed.ToString());

            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.Locator("nav a[href='#/alliances']").ClickAsync();
            await Chromium.WaitForRouteAsync(page, "#/alliances");
            await Assertions.Expect(page.Locator("[data-testid=outcome-progress]")).ToHaveTextAsync($"已签约 {signed} / 目标 10");
            await Assertions.Expect(page.Locator("[data-testid=alliance-table] tr[data-id=pumpvalve] [data-testid=status]")).ToHaveTextAsync("已签约");

            // Create one: a proposed alliance led by Ruian.
            var name = $"瑞安智能制造协同创新联盟{Guid.NewGuid().ToString("N")[..4]}";
            await page.Locator("[data-action=create]").ClickAsync();
            var form = page.Locator("[data-testid=outcome-form]");
            await form.Locator("input[name=name]").FillAsync(name);
            await form.Locator("input[name=field]").FillAsync("智能制造");
            await ChooseAsync(page, form.Locator("[data-select=leadUnit]"), "ruian", "瑞安市");
            await form.Locator("textarea[name=memberUnits]").FillAsync("温州大学\n瑞安市科学技术协会");
            var created = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/alliances"));
            Assert.Equal(201, created.Status);
            await page.Locator("input[name=q]").FillAsync(name);
            await page.Locator("[data-action=search]").ClickAsync();
            var row = page.Locator("[data-testid=alliance-table] tbody tr").Filter(new() { HasText = name });
            await Assertions.Expect(row.Locator("[data-testid=status]")).ToHaveTextAsync("已提出");

            // Proposed → forming → signed; signing without a date is refused on the field, in Chinese.
            await row.Locator("[data-action=edit]").ClickAsync();
            await ChooseAsync(page, form.Locator("[data-select=status]"), "forming", "组建中");
            await SaveAsync(page, form, "PATCH");
            await Assertions.Expect(row.Locator("[data-testid=status]")).ToHaveTextAsync("组建中");
            await row.Locator("[data-action=edit]").ClickAsync();
            await ChooseAsync(page, form.Locator("[data-select=status]"), "signed", "已签约");
            var refused = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(), r => r.Request.Method == "PATCH");
            Assert.Equal(400, refused.Status);
            await Assertions.Expect(form.Locator("[data-field=signingDate] .el-form-item__error")).ToContainTextAsync("签约日期");
            await form.Locator("input[name=signingDate]").FillAsync("2020-06-10");
            await form.Locator("input[name=note]").FillAsync("线上签约");
            await SaveAsync(page, form, "PATCH");
            await Assertions.Expect(row.Locator("[data-testid=status]")).ToHaveTextAsync("已签约");
            await Assertions.Expect(page.Locator("[data-testid=outcome-progress]")).ToHaveTextAsync($"已签约 {signed + 1} / 目标 10");
            // The leader's big screen follows without a reload.
            await Assertions.Expect(alliancesFigure).ToHaveAttributeAsync("data-actual", (signed + 1).ToString(), new() { Timeout = 15_000 });

            // A nominated finalist is confirmed.
            await page.Locator("[data-tab=finalists]").ClickAsync();
            await Chromium.WaitForRouteAsync(page, "#/finalists");
            await Assertions.Expect(page.Locator("[data-testid=outcome-progress]")).ToHaveTextAsync($"已确认 {confirmed} / 目标 75");
            await page.Locator("input[name=q]").FillAsync(nominated["projectName"]!.ToString());
            await page.Locator("[data-action=search]").ClickAsync();
            var finalist = page.Locator($"[data-testid=finalist-table] tr[data-id='{nominated["id"]}']");
            await Assertions.Expect(finalist.Locator("[data-testid=status]")).ToHaveTextAsync("已推荐");
            await finalist.Locator("[data-action=edit]").ClickAsync();
            await ChooseAsync(page, form.Locator("[data-select=status]"), "confirmed", "已确认晋级");
            await SaveAsync(page, form, "PATCH");
            await Assertions.Expect(finalist.Locator("[data-testid=status]")).ToHaveTextAsync("已确认晋级");
            await Assertions.Expect(page.Locator("[data-testid=outcome-progress]")).ToHaveTextAsync($"已确认 {confirmed + 1} / 目标 75");
            await Assertions.Expect(finalistsFigure).ToHaveAttributeAsync("data-actual", (confirmed + 1).ToString(), new() { Timeout = 15_000 });
            Assert.Equal(confirmed + 1, await TotalAsync(api, "finalists?status=confirmed"));
            await Chromium.ScreenshotAsync(page, "finalists-secretariat");
        }
        finally
        {
            await page.Context.CloseAsync();
            await screen.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_lists_fit_a_375px_phone_and_leaders_only_read_them()
    {
        var phone = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 375, 812, phone: true, scale: 2);
        var leader = await fixture.Chromium.NewPageAsync(Gateway, output, "leader", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "secretariat", "#/tasks");
            await phone.GotoAsync("/#/alliances");
            await phone.Locator("[data-testid=alliance-table] tr[data-id=pumpvalve]").WaitForAsync();
            await AssertNoSidewaysScrollAsync(phone);
            await Assertions.Expect(phone.Locator("tr[data-id=pumpvalve] [data-action=edit]")).ToBeVisibleAsync();
            await phone.Locator("tr[data-id=pumpvalve] [data-action=edit]").ClickAsync();
            var dialog = phone.Locator(".outcome-dialog");
            await Assertions.Expect(dialog.Locator("input[name=name]")).ToHaveValueAsync("泵阀产业产学研用协同创新联盟");
            var box = await dialog.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 375, $"the dialog spans {box?.X}..{box?.X + box?.Width}");
            await AssertNoSidewaysScrollAsync(phone);
            await Chromium.ScreenshotAsync(phone, "alliances-phone");

            await Chromium.SignInAsync(leader, "leader", "#/screen");
            await leader.GotoAsync("/#/finalists");
            await leader.Locator("[data-testid=finalist-table] tbody tr").First.WaitForAsync();
            await Assertions.Expect(leader.Locator("[data-testid=outcome-progress]")).ToContainTextAsync("/ 目标 75");
            Assert.Equal(0, await leader.Locator("[data-action=create]").CountAsync());
            Assert.Equal(0, await leader.Locator("[data-action=edit]").CountAsync());
            await AssertNoSidewaysScrollAsync(leader);

            // The app bar's search finds an alliance by a member enterprise and opens it on its list.
            var input = leader.Locator("[data-testid=search-input]");
            await leader.RunAndWaitForResponseAsync(() => input.FillAsync("超达阀门"),
                r => r.Url.Contains("/search?", StringComparison.Ordinal) && Uri.UnescapeDataString(r.Url).Contains("q=超达阀门", StringComparison.Ordinal));
            var hit = leader.Locator("[data-testid=search-results] [data-testid=search-hit][data-kind=alliance][data-id=pumpvalve]");
            await Assertions.Expect(hit).ToContainTextAsync("泵阀产业产学研用协同创新联盟");
            await hit.ClickAsync();
            await Chromium.WaitForRouteAsync(leader, "#/alliances");
            await Assertions.Expect(leader.Locator("[data-testid=alliance-table] tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(leader.Locator("[data-testid=alliance-table] tr[data-id=pumpvalve]")).ToBeVisibleAsync();
            Assert.Empty(Chromium.ConsoleErrors(phone));
            Assert.Empty(Chromium.ConsoleErrors(leader));
        }
        finally
        {
            await phone.Context.CloseAsync();
            await leader.Context.CloseAsync();
        }
    }

    private static async Task<int> TotalAsync(HttpClient api, string list) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/summits/{Summit}/{list}&limit=1"))!["total"]!.GetValue<int>();

    private static async Task SaveAsync(IPage page, ILocator form, string method)
    {
        var response = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(),
            r => r.Request.Method == method && r.Url.Contains($"/api/summits/{Summit}/"));
        Assert.Equal(200, response.Status);
        await Assertions.Expect(page.Locator(".outcome-dialog")).ToBeHiddenAsync();
    }

    private static async Task ChooseAsync(IPage page, ILocator select, string value, string shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Chromium.ChooseAsync(page, select, value);
            try
            {
                await Assertions.Expect(select).ToContainTextAsync(shown, new() { Timeout = 5_000 });
                await Assertions.Expect(page.Locator(".el-select-dropdown__item:visible")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                await page.Locator(".el-dialog__header:visible").ClickAsync();
            }
        }
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone's screen");
    }
}
