using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// Every view loads for every role with nothing in the browser's console (no failed request, no script error), and the
/// dashboard brings its own Chinese font, so Chinese renders on a machine without CJK system fonts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CleanLoadBrowserTests(PostgresServer postgres, ITestOutputHelper output)
{
    public static TheoryData<string, string, string[]> Views() => new()
    {
        { "leader", "#/screen", ["#/tasks", "#/county/pingyang"] },
        { "secretariat", "#/tasks", ["#/screen", "#/county/pingyang"] },
        { "county-pingyang", "#/county", [] },
        { "university-wmu", "#/university", ["#/tasks"] },
        { "admin", "#/accounts", [] },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Every_view_loads_without_a_console_error(string account, string home, string[] others)
    {
        await using var gateway = await LiveGateway.StartAsync(postgres, $"clean-{account}", tasks: 60);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(gateway, output, account);
        try
        {
            // A first visit (nobody signed in yet), the sign-in page, then the account's views.
            await Chromium.SignInAsync(page, account, home);
            await SettleAsync(page);
            foreach (var view in others)
            {
                await page.GotoAsync("/" + view);
                await Chromium.WaitForRouteAsync(page, view.Split('/')[0] + "/" + view.Split('/')[1]);
                await SettleAsync(page);
            }
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        catch
        {
            output.WriteLine(gateway.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_dashboard_ships_its_Chinese_font()
    {
        await using var gateway = await LiveGateway.StartAsync(postgres, "font", tasks: 30);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(gateway, output, "font");
        try
        {
            await page.GotoAsync("/");
            await Chromium.WaitForRouteAsync(page, "#/login");
            // Loading the web font for Chinese text fetches it from the Gateway: the faces come back loaded.
            var loaded = await page.EvaluateAsync<string[]>(
                "async () => (await document.fonts.load('16px \"Noto Sans SC\"', '平阳县科协')).map(f => f.family + ':' + f.status)");
            Assert.NotEmpty(loaded);
            Assert.All(loaded, face => Assert.Equal("Noto Sans SC:loaded", face.Replace("\"", "").Replace("'", "")));
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task SettleAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(500);
    }
}
