using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// The leaders' screen through a burst of 1,000 updates sent as fast as the Gateway takes them, then a Gateway restart
/// with more changes: it stays live (no reload) and ends showing exactly what a screen opened afresh shows.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BurstBrowserTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Summit = LiveGateway.Summit;
    private const int Tasks = 50;
    private const int UpdatesPerTask = 20;

    [Fact]
    public async Task The_big_screen_holds_through_a_burst_and_a_restart_and_ends_like_a_fresh_load()
    {
        await using var gateway = await LiveGateway.StartAsync(postgres, "burst", tasks: 160);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(gateway, output, "leader");
        var navigations = 0;
        try
        {
            await Chromium.SignInAsync(page, "leader", "#/screen");
            await DashboardBrowserTests.WaitLiveAsync(page);
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
            var opening = await FiguresAsync(page);

            // 1,000 updates: 50 writers, each moving one open task forward 20 times in a row, all at once.
            using var secretariat = await gateway.ApiAsync("secretariat");
            var open = await OpenTasksAsync(secretariat);
            var watch = Stopwatch.StartNew();
            var statuses = await Task.WhenAll(open.Select(task => AdvanceAsync(secretariat, task.Id, task.Percent)));
            watch.Stop();
            var answered = statuses.SelectMany(s => s).ToArray();
            output.WriteLine($"burst: {answered.Length} updates in {watch.Elapsed.TotalSeconds:0.0} s ({answered.Length / watch.Elapsed.TotalSeconds:0}/s); " +
                             string.Join(", ", answered.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}")));
            Assert.Equal(Tasks * UpdatesPerTask, answered.Length);
            Assert.All(answered, s => Assert.Equal(HttpStatusCode.OK, s));

            await Assertions.Expect(page.Locator("[data-testid=screen]")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
            await WaitSameAsFreshAsync(chromium, gateway, page, "after the burst");
            Assert.NotEqual(opening, await FiguresAsync(page));

            // A restart of the Gateway, then a few more changes: the screen reconnects, catches up and still agrees.
            await gateway.StopProcessAsync();
            await gateway.StartProcessAsync();
            using var again = await gateway.ApiAsync("secretariat");
            foreach (var task in (await OpenTasksAsync(again)).Take(5))
                await LiveGateway.PatchAsync(again, $"/api/summits/{Summit}/tasks/{task.Id}", new { status = "inProgress", percentComplete = 99, note = "即将完成" });
            await Assertions.Expect(page.Locator("[data-testid=screen]")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 60_000 });
            await WaitSameAsFreshAsync(chromium, gateway, page, "after the restart");

            Assert.Equal(0, navigations);
            await DashboardBrowserTests.AssertFeedUniqueAsync(page);
            await Chromium.ScreenshotAsync(page, "screen-after-burst");
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

    private sealed record OpenTask(string Id, int Percent);

    /// <summary>Open tasks (not started or in progress, not blocked), so that every step forward is an allowed change.</summary>
    private static async Task<OpenTask[]> OpenTasksAsync(HttpClient http)
    {
        var found = new List<OpenTask>();
        foreach (var status in new[] { "notStarted", "inProgress" })
        {
            var page = await LiveGateway.GetJsonAsync(http, $"/api/summits/{Summit}/tasks?status={status}&limit=100");
            found.AddRange(page["items"]!.AsArray().Select(t => new OpenTask(t!["id"]!.GetValue<string>(), t["percentComplete"]!.GetValue<int>())));
        }
        Assert.True(found.Count >= Tasks, $"only {found.Count} open tasks in the demo summit");
        return [.. found.Take(Tasks)];
    }

    /// <summary>Moves one task forward <see cref="UpdatesPerTask"/> times in a row (never back), answering each status.</summary>
    private static async Task<HttpStatusCode[]> AdvanceAsync(HttpClient http, string id, int from)
    {
        var answers = new HttpStatusCode[UpdatesPerTask];
        for (var i = 1; i <= UpdatesPerTask; i++)
        {
            var percent = from + (95 - Math.Min(95, from)) * i / UpdatesPerTask;
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/summits/{Summit}/tasks/{id}")
            {
                Content = JsonContent.Create(new { status = "inProgress", percentComplete = percent, note = $"第 {i} 次推进" }),
            };
            using var response = await http.SendAsync(request);
            answers[i - 1] = response.StatusCode;
        }
        return answers;
    }

    /// <summary>Waits until the live page shows the same figures as a page opened now, failing with the difference.</summary>
    private async Task WaitSameAsFreshAsync(Chromium chromium, LiveGateway gateway, IPage live, string when)
    {
        var fresh = await chromium.NewPageAsync(gateway, output, "leader-fresh");
        try
        {
            await Chromium.SignInAsync(fresh, "leader", "#/screen");
            await DashboardBrowserTests.WaitLiveAsync(fresh);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                var expected = await FiguresAsync(fresh);
                var shown = await FiguresAsync(live);
                var differences = expected.Keys.Union(shown.Keys)
                    .Where(k => expected.GetValueOrDefault(k) != shown.GetValueOrDefault(k))
                    .Select(k => $"{k}: live '{shown.GetValueOrDefault(k)}', fresh '{expected.GetValueOrDefault(k)}'")
                    .ToArray();
                if (differences.Length == 0) return;
                if (DateTime.UtcNow > deadline) Assert.Fail($"{when}, the live screen differs from a fresh one:\n{string.Join("\n", differences)}");
                await Task.Delay(500);
            }
        }
        finally
        {
            await fresh.Context.CloseAsync();
        }
    }

    /// <summary>What a leader reads off the screen: every county tile's figures and the panels' counts and states.</summary>
    private static async Task<Dictionary<string, string>> FiguresAsync(IPage page)
    {
        var pairs = await page.EvaluateAsync<string[][]>("""
            () => {
              const out = [];
              const text = el => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
              for (const tile of document.querySelectorAll('[data-county]'))
                for (const id of ['county-score', 'county-overdue', 'county-behind', 'county-subevents', 'county-checklist'])
                  out.push([`${tile.dataset.county}/${id}`, text(tile.querySelector(`[data-testid=${id}]`))]);
              for (const id of ['overdue', 'due-this-week', 'funnel', 'targets', 'readiness-reasons', 'schedule-state', 'schedule-critical', 'subforums'])
                out.push([id, text(document.querySelector(`[data-testid=${id}]`))]);
              return out;
            }
            """);
        return pairs.ToDictionary(p => p[0], p => p[1]);
    }
}
