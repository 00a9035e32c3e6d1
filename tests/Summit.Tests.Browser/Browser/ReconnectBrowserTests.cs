using System.Text.Json;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>The leaders' screen across a restart of the Gateway (and its in-process silo) on the same PostgreSQL database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectBrowserTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Summit = LiveGateway.Summit;

    [Fact]
    public async Task The_leaders_screen_survives_a_gateway_restart_and_catches_up_without_duplicates()
    {
        await using var gateway = await LiveGateway.StartAsync(postgres, "restart", tasks: 120);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(gateway, output, "leader");
        var screen = page.Locator("[data-testid=screen]");
        var navigations = 0;
        try
        {
            await Chromium.SignInAsync(page, "leader", "#/screen");
            await DashboardBrowserTests.WaitLiveAsync(page);
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

            // A change before the restart reaches the screen.
            var (before, beforeTitle) = await ChangeOpenTaskAsync(gateway, skip: null);
            await WaitForFeedAsync(page, beforeTitle);
            var seqBefore = await DashboardBrowserTests.MaxFeedSeqAsync(page);

            await gateway.StopProcessAsync();
            await Assertions.Expect(screen).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-testid=connection]")).ToContainTextAsync("重新连接中");
            output.WriteLine("the screen shows reconnecting while the Gateway is down");
            await Chromium.ScreenshotAsync(page, "screen-reconnecting");

            await gateway.StartProcessAsync();
            // Changes right after the restart, before or while the screen reconnects, must all arrive once.
            var (after, afterTitle) = await ChangeOpenTaskAsync(gateway, skip: before);
            var (third, thirdTitle) = await ChangeOpenTaskAsync(gateway, skip: after);
            Assert.NotEqual(before, third);

            await Assertions.Expect(screen).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 60_000 });
            await WaitForFeedAsync(page, afterTitle);
            await WaitForFeedAsync(page, thirdTitle);

            // Numbers are never reused: what happened after the restart comes after everything seen before it.
            var entries = await FeedAsync(page);
            Assert.All(entries.Where(e => e.Text.Contains(afterTitle) || e.Text.Contains(thirdTitle)), e => Assert.True(e.Seq > seqBefore,
                $"an event after the restart is numbered {e.Seq}, not above {seqBefore}"));
            Assert.Equal(entries.Length, entries.Select(e => e.Seq).Distinct().Count());
            Assert.Equal(entries.Length, entries.Select(e => e.Key).Distinct().Count());
            Assert.True(entries.Count(e => e.Text.Contains(beforeTitle)) <= 1, "the change before the restart is shown twice");

            // And the screen shows the same state as a fresh snapshot from the restarted Gateway.
            using var leader = await gateway.ApiAsync("leader");
            await WaitForAsync(async () =>
            {
                var snapshot = await LiveGateway.GetJsonAsync(leader, $"/api/summits/{Summit}/dashboard");
                foreach (var county in snapshot["counties"]!.AsArray())
                {
                    var code = county!["county"]!.GetValue<string>();
                    var expected = $"{county["checklistDone"]}/{county["checklistTotal"]}";
                    var shown = await page.Locator($"[data-county='{code}'] [data-testid=county-checklist]").InnerTextAsync();
                    if (!shown.Contains(expected)) return $"{code}: shows '{shown}', the Gateway says {expected}";
                }
                var overdue = snapshot["overdue"]!["total"]!.GetValue<int>();
                var overdueShown = await page.Locator(".panel-overdue .count").InnerTextAsync();
                return overdueShown.Contains(overdue.ToString()) ? null : $"overdue shows '{overdueShown}', the Gateway says {overdue}";
            }, TimeSpan.FromSeconds(10));

            Assert.Equal(0, navigations);
            await Chromium.ScreenshotAsync(page, "screen-after-restart");
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

    /// <summary>Moves an open task to another status (with a fresh token: the restarted Gateway signs its own).</summary>
    private static async Task<(string Id, string Title)> ChangeOpenTaskAsync(LiveGateway gateway, string? skip)
    {
        using var api = await gateway.ApiAsync("secretariat");
        var tasks = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/tasks?status=notStarted&limit=50");
        var task = tasks["items"]!.AsArray().First(t => t!["id"]!.GetValue<string>() != skip)!;
        var id = task["id"]!.GetValue<string>();
        await LiveGateway.PatchAsync(api, $"/api/summits/{Summit}/tasks/{id}", new { status = "inProgress", percentComplete = 10, note = "开始推进" });
        return (id, task["title"]!.GetValue<string>());
    }

    // In the feed, shown or not: the feed shows the newest entries that fit its panel (one or two while campaigns are
    // open on a 1080 p screen), and delivery, not room, is what is checked here.
    private static async Task WaitForFeedAsync(IPage page, string text) =>
        await Assertions.Expect(page.Locator("[data-testid=feed] li[data-seq]", new() { HasTextString = text }))
            .Not.ToHaveCountAsync(0, new() { Timeout = 15_000 });

    private sealed record FeedEntry(long Seq, string Key, string Text);

    private static async Task<FeedEntry[]> FeedAsync(IPage page)
    {
        var raw = await page.EvaluateAsync<JsonElement>(
            "[...document.querySelectorAll('[data-testid=feed] li[data-seq]')].map(li => [+li.dataset.seq, li.dataset.key, li.textContent])");
        return [.. raw.EnumerateArray().Select(e => new FeedEntry(e[0].GetInt64(), e[1].GetString()!, e[2].GetString()!))];
    }

    /// <summary>Polls until <paramref name="check"/> answers null (no difference left), failing with its last answer.</summary>
    private static async Task WaitForAsync(Func<Task<string?>> check, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? difference;
        while ((difference = await check()) is not null)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(difference);
            await Task.Delay(250);
        }
    }
}
