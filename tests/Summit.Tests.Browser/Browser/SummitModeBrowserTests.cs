using System.Net.Http.Json;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>The big screen always shows the contingency mode in force and since when, and follows a switch live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SummitModeBrowserTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Summit = LiveGateway.Summit;

    [Fact]
    public async Task The_screen_shows_the_mode_and_follows_a_switch_without_a_reload()
    {
        await using var gateway = await LiveGateway.StartAsync(postgres, "mode", tasks: 30);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(gateway, output, "leader");
        try
        {
            var secretariat = await gateway.ApiAsync("secretariat");
            var summit = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}");
            var before = summit["mode"]!.GetValue<string>();
            var next = before == "online" ? "hybrid" : "online";

            await Chromium.SignInAsync(page, "leader", "#/screen");
            await DashboardBrowserTests.WaitLiveAsync(page);
            var chip = page.Locator("[data-testid=summit-mode]");
            await Assertions.Expect(chip).ToHaveAttributeAsync("data-mode", before);
            await Assertions.Expect(chip).ToContainTextAsync("办会模式");

            var navigations = 0;
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
            var switched = await secretariat.PutAsJsonAsync($"/api/summits/{Summit}/mode", new { mode = next, reason = "台风预警，启用应急预案" });
            Assert.True(switched.IsSuccessStatusCode, await switched.Content.ReadAsStringAsync());

            await Assertions.Expect(chip).ToHaveAttributeAsync("data-mode", next, new() { Timeout = 10_000 });
            await Assertions.Expect(chip).ToContainTextAsync(next == "online" ? "线上" : "线上线下结合");
            // Since when, in the summit's time zone, as the summit records it (the Gateway's clock may be the demo's).
            var since = NodaTime.Text.InstantPattern.ExtendedIso.Parse((await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}"))["modeSince"]!.GetValue<string>()).Value;
            var local = since.InZone(NodaTime.DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);
            var sinceText = await chip.Locator(".since").InnerTextAsync();
            Assert.Matches(@"自 .+ \d\d:\d\d 起", sinceText);
            Assert.Contains(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), sinceText, StringComparison.Ordinal);
            Assert.Equal(0, navigations);
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
}
