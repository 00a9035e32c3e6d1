using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>The three views in real Chromium against the real Gateway, silo and PostgreSQL.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_county_update_shows_on_the_leaders_screen_within_a_second_without_a_reload()
    {
        var leader = await fixture.Chromium.NewPageAsync(Gateway, output, "leader");
        var county = await fixture.Chromium.NewPageAsync(Gateway, output, "county", 414, 896, phone: true, scale: 2);
        var run = Stopwatch.StartNew();
        var frames = new List<(TimeSpan At, string Text)>();
        leader.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => { lock (frames) frames.Add((run.Elapsed, frame.Text ?? "")); };
        try
        {
            await Chromium.SignInAsync(leader, "leader", "#/screen");
            await WaitLiveAsync(leader);
            var navigations = 0;
            leader.FrameNavigated += (_, frame) => { if (frame == leader.MainFrame) navigations++; };

            await Chromium.SignInAsync(county, "county-pingyang", "#/county");
            await county.Locator("[data-subevent]").First.WaitForAsync();

            // A sub-event still in preparation, and a checklist item of it that is not done yet.
            var (subEvent, item, state) = await OpenChecklistItemAsync(county);
            var card = leader.Locator("[data-county=pingyang] [data-testid=county-checklist]");
            var (done, total) = Fraction(await card.InnerTextAsync());
            var seqBefore = await MaxFeedSeqAsync(leader);

            var button = county.Locator($"[data-subevent='{subEvent}'] button[data-item='{item}']");
            if (state == "open")
            {
                // open → in progress first; the next tap makes it done, which the screen's checklist count shows.
                await TapAndWaitAsync(county, button);
                await Assertions.Expect(button).ToHaveAttributeAsync("data-state", "inProgress");
                await leader.WaitForFunctionAsync(
                    "seq => [...document.querySelectorAll('[data-testid=feed] li[data-seq]')].some(li => +li.dataset.seq > seq)",
                    seqBefore, new() { Timeout = 5000 });
            }
            var seqMiddle = await MaxFeedSeqAsync(leader);

            var clock = await TapAndWaitAsync(county, button);
            var answeredAt = run.Elapsed;
            await Assertions.Expect(button).ToHaveAttributeAsync("data-state", "done");
            // Both the county's card (a dashboard patch) and the activity feed (the event) must show the change.
            var fed = WaitAsync(leader, clock,
                "afterSeq => [...document.querySelectorAll('[data-testid=feed] li[data-seq]')].some(li => +li.dataset.seq > afterSeq && li.textContent.includes('平阳县'))",
                seqMiddle);
            var counted = WaitAsync(leader, clock,
                "expected => document.querySelector('[data-county=pingyang] [data-testid=county-checklist]')?.textContent.includes(expected)",
                $"{done + 1}/{total}");
            var (feedTime, cardTime) = (await fed, await counted);
            output.WriteLine($"after the county's PATCH answered, the leader's screen showed it in the feed after {feedTime.TotalMilliseconds:0} ms " +
                $"and on the county's card after {cardTime.TotalMilliseconds:0} ms");
            lock (frames)
            {
                // Tells the server's share from the browser's when the budget is missed.
                var pushed = frames.FirstOrDefault(f => f.At > answeredAt && f.Text.Contains("pingyang"));
                if (pushed.Text is not null) output.WriteLine($"the push reached the leader's browser {(pushed.At - answeredAt).TotalMilliseconds:0} ms after the PATCH answered");
            }
            Assert.True(feedTime < TimeSpan.FromSeconds(1), $"the feed took {feedTime.TotalMilliseconds:0} ms");
            Assert.True(cardTime < TimeSpan.FromSeconds(1), $"the county card took {cardTime.TotalMilliseconds:0} ms");
            Assert.Equal(0, navigations);
            Assert.Equal("live", await leader.Locator("[data-testid=screen]").GetAttributeAsync("data-state"));
            await AssertFeedUniqueAsync(leader);
        }
        finally
        {
            await leader.Context.CloseAsync();
            await county.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_county_account_can_neither_see_nor_change_another_countys_data_through_the_ui()
    {
        using var secretariat = await Gateway.ApiAsync("secretariat");
        var ruian = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/counties/ruian");
        var ruianEvent = ruian["subEvents"]!.AsArray().First()!;
        var ruianEventId = ruianEvent["id"]!.GetValue<string>();
        var ruianTitle = ruianEvent["title"]!.GetValue<string>();
        var ruianVenue = ruian["venue"]!.GetValue<string>();

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "county-pingyang", 414, 896, phone: true, scale: 2);
        var frames = new List<string>();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => { lock (frames) frames.Add(frame.Text ?? ""); };
        try
        {
            await Chromium.SignInAsync(page, "county-pingyang", "#/county");
            await page.Locator("[data-subevent]").First.WaitForAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("平阳县");
            await Assertions.Expect(page.Locator("[data-testid=connection]")).ToHaveAttributeAsync("data-state", "live");

            // Another county named in the address: the Gateway answers 404 and the view shows nothing of it.
            await page.GotoAsync("/#/county/ruian");
            await Assertions.Expect(page.Locator("[data-testid=county-error]")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-subevent]").CountAsync());
            var text = await page.Locator("body").InnerTextAsync();
            Assert.DoesNotContain(ruianVenue, text);
            Assert.DoesNotContain(ruianTitle, text);
            Assert.Equal(0, await page.Locator("button[data-action=check]").CountAsync());

            // Views of other roles send the account back to its own county.
            foreach (var other in new[] { "#/screen", "#/tasks" })
            {
                await page.GotoAsync("/" + other);
                await Chromium.WaitForRouteAsync(page, "#/county");
                await page.Locator("[data-subevent]").First.WaitForAsync();
            }

            // The page's own session (its cookie and antiforgery token) may not change the other county either.
            var status = await page.EvaluateAsync<int>(
                """
                async ([summit, id]) => {
                  const token = decodeURIComponent(document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='))?.split('=')[1] ?? '');
                  const response = await fetch(`/api/summits/${summit}/counties/ruian/sub-events/${id}`, {
                    method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': token },
                    body: JSON.stringify({ checklist: { venue: 'done' } }) });
                  return response.status;
                }
                """, new object[] { Summit, ruianEventId });
            Assert.Equal(404, status);
            var dashboardStatus = await page.EvaluateAsync<int>(
                "async summit => (await fetch(`/api/summits/${summit}/dashboard?county=ruian`)).status", Summit);
            Assert.Equal(404, dashboardStatus);

            // A change in Ruian while the Pingyang page is live never reaches it.
            lock (frames) frames.Clear();
            var subEventPath = $"/api/summits/{Summit}/counties/ruian/sub-events/{ruianEventId}";
            await LiveGateway.PatchAsync(secretariat, subEventPath, new { note = "检查瑞安分会场" + Guid.NewGuid().ToString("N")[..6] });
            // Then one in Pingyang, so we know the feed delivered everything up to it.
            var pingyang = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/counties/pingyang");
            var own = pingyang["subEvents"]!.AsArray().First()!["id"]!.GetValue<string>();
            var marker = "平阳复核" + Guid.NewGuid().ToString("N")[..6];
            await LiveGateway.PatchAsync(secretariat, $"/api/summits/{Summit}/counties/pingyang/sub-events/{own}", new { note = marker });
            await WaitForAsync(() => { lock (frames) return frames.Any(f => f.Contains(marker)); }, TimeSpan.FromSeconds(5));
            lock (frames)
            {
                Assert.DoesNotContain(frames, f => f.Contains(ruianEventId) || f.Contains(ruianTitle) || f.Contains("\"county\":\"ruian\""));
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_secretariat_filters_tasks_and_changes_a_status_inline_with_if_match()
    {
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            var rows = page.Locator("[data-testid=task-table] tbody tr[data-task]");
            await rows.First.WaitForAsync();

            await Chromium.ChooseAsync(page, page.Locator("[data-filter=category]"), "publicity");
            await Chromium.WaitForAddressAsync(page, "category=publicity");
            await WaitLoadedAsync(page);
            var categories = await page.Locator("[data-testid=task-table] tbody tr[data-task] td:nth-child(2)").AllInnerTextsAsync();
            Assert.NotEmpty(categories);
            Assert.All(categories, c => Assert.Equal("宣传", c));

            await Chromium.ChooseAsync(page, page.Locator("[data-filter=category]"), "");
            await page.Locator("[data-filter=overdue]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-filter=overdue]")).ToHaveClassAsync(new Regex(@"\bis-checked\b"));
            await Chromium.WaitForAddressAsync(page, "overdue=true");
            Assert.DoesNotContain("category=", page.Url);
            await WaitLoadedAsync(page);
            var overdueRows = await rows.CountAsync();
            Assert.True(overdueRows > 0, "the demo summit has overdue tasks");
            Assert.Equal(overdueRows, await page.Locator("[data-testid=task-table] tbody tr.overdue").CountAsync());

            // Inline status change, sent with If-Match of the row's version.
            var row = rows.First;
            var id = await row.GetAttributeAsync("data-task");
            var version = int.Parse((await row.GetAttributeAsync("data-version"))!);
            // The status is an Element Plus select: its options (the current status and the allowed next ones) open in a list.
            var select = row.Locator("[data-action=status]");
            var current = await select.GetAttributeAsync("data-value");
            await select.ClickAsync();
            var option = page.Locator($".el-select-dropdown__item[data-value]:not([data-value='{current}']):visible").First;
            var next = await option.GetAttributeAsync("data-value");
            var response = await page.RunAndWaitForResponseAsync(() => option.ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(200, response.Status);
            Assert.Equal($"\"{version}\"", await response.Request.HeaderValueAsync("if-match"));
            var changed = page.Locator($"tr[data-task='{id}']");
            await Assertions.Expect(changed).ToHaveAttributeAsync("data-version", (version + 1).ToString());
            await Assertions.Expect(changed.Locator("[data-action=status]")).ToHaveAttributeAsync("data-value", next!);
            await Assertions.Expect(changed).ToHaveAttributeAsync("data-status", next!);

            // Someone else changes the same task: the row follows live, without a reload.
            using var api = await Gateway.ApiAsync("secretariat");
            await LiveGateway.PatchAsync(api, $"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 35, note = "进度更新" });
            await Assertions.Expect(changed).ToHaveAttributeAsync("data-version", (version + 2).ToString(), new() { Timeout = 5000 });
            await Assertions.Expect(changed).ToContainTextAsync("35%");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Every_view_is_captured_on_the_screens_it_is_made_for()
    {
        // Sign-in page.
        var login = await fixture.Chromium.NewPageAsync(Gateway, output, "anonymous", 1280, 800);
        await login.GotoAsync("/");
        await login.Locator("form[data-testid=login-form]").WaitForAsync();
        await Chromium.ScreenshotAsync(login, "login-1280x800");
        await login.Context.CloseAsync();

        // The leaders' big screen at 1920×1080, in Chinese and in English, and on a 4K wall.
        var screen = await fixture.Chromium.NewPageAsync(Gateway, output, "leader");
        await Chromium.SignInAsync(screen, "leader", "#/screen");
        await WaitLiveAsync(screen);
        await AssertNothingOverflowsAsync(screen);
        await Chromium.ScreenshotAsync(screen, "screen-1920x1080-zh");
        await screen.Locator("[data-action=lang]").ClickAsync();
        await Assertions.Expect(screen.Locator("h2").First).ToHaveTextAsync("Overall readiness");
        await Chromium.ScreenshotAsync(screen, "screen-1920x1080-en");
        await screen.Locator("[data-action=lang]").ClickAsync();
        await screen.Context.CloseAsync();

        var wall = await fixture.Chromium.NewPageAsync(Gateway, output, "leader-4k", 3840, 2160);
        await Chromium.SignInAsync(wall, "leader", "#/screen");
        await WaitLiveAsync(wall);
        await AssertNothingOverflowsAsync(wall);
        await Chromium.ScreenshotAsync(wall, "screen-3840x2160-zh");
        await wall.Context.CloseAsync();

        // The secretariat's task table.
        var tasks = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        await Chromium.SignInAsync(tasks, "secretariat", "#/tasks");
        await tasks.Locator("[data-testid=task-table] tbody tr[data-task]").First.WaitForAsync();
        await Chromium.ScreenshotAsync(tasks, "tasks-1440x900");
        await tasks.Context.CloseAsync();

        // A county's view on a phone, and on a desktop.
        var phone = await fixture.Chromium.NewPageAsync(Gateway, output, "county-phone", 390, 844, phone: true, scale: 2);
        await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
        await phone.Locator("[data-subevent]").First.WaitForAsync();
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the county view is {width} px wide on a 390 px phone");
        await Chromium.ScreenshotAsync(phone, "county-phone-390x844");
        await Chromium.ScreenshotAsync(phone, "county-phone-390-full", fullPage: true);
        await phone.Context.CloseAsync();

        var desk = await fixture.Chromium.NewPageAsync(Gateway, output, "county-desktop", 1280, 900);
        await Chromium.SignInAsync(desk, "county-yueqing", "#/county");
        await desk.Locator("[data-subevent]").First.WaitForAsync();
        await Chromium.ScreenshotAsync(desk, "county-1280x900");
        await desk.Context.CloseAsync();

        foreach (var file in Directory.GetFiles(Chromium.ArtifactsDirectory, "*.png")) output.WriteLine(file);
    }

    internal static async Task WaitLiveAsync(IPage page)
    {
        var screen = page.Locator("[data-testid=screen]");
        await Assertions.Expect(screen).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
        await page.Locator("[data-county]").First.WaitForAsync();
    }

    internal static async Task<long> MaxFeedSeqAsync(IPage page) =>
        await page.EvaluateAsync<long>("Math.max(0, ...[...document.querySelectorAll('[data-testid=feed] li[data-seq]')].map(li => +li.dataset.seq))");

    /// <summary>Every entry of the live feed appears once: by seq, and by the change it stands for.</summary>
    internal static async Task AssertFeedUniqueAsync(IPage page)
    {
        var seqs = await page.EvaluateAsync<long[]>("[...document.querySelectorAll('[data-testid=feed] li[data-seq]')].map(li => +li.dataset.seq)");
        Assert.Equal(seqs.Length, seqs.Distinct().Count());
    }

    private static async Task WaitLoadedAsync(IPage page) =>
        await Assertions.Expect(page.Locator(".tasks-view")).ToHaveAttributeAsync("data-loading", "false");

    /// <summary>Nothing on the kiosk screen is cut off at the viewport's edge or needs scrolling.</summary>
    private static async Task AssertNothingOverflowsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int[]>(
            "[document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]");
        Assert.True(overflow[0] <= 0 && overflow[1] <= 0, $"the screen overflows by {overflow[0]}×{overflow[1]} px");
    }

    /// <summary>Time from <paramref name="clock"/>'s start until the predicate holds in the page (at most 10 s).</summary>
    private static async Task<TimeSpan> WaitAsync(IPage page, Stopwatch clock, string predicate, object arg)
    {
        await page.WaitForFunctionAsync(predicate, arg, new() { Timeout = 10_000, PollingInterval = 10 });
        return clock.Elapsed;
    }

    private static async Task<Stopwatch> TapAndWaitAsync(IPage page, ILocator button)
    {
        var response = await page.RunAndWaitForResponseAsync(() => button.ClickAsync(),
            r => r.Request.Method == "PATCH" && r.Url.Contains("/sub-events/"));
        var clock = Stopwatch.StartNew();
        Assert.Equal(200, response.Status);
        return clock;
    }

    private static async Task<(string SubEvent, string Item, string State)> OpenChecklistItemAsync(IPage page)
    {
        var found = await page.EvaluateAsync<string[]?>(
            """
            () => {
              for (const card of document.querySelectorAll('[data-subevent]')) {
                if (!['planned', 'preparing'].includes(card.dataset.status)) continue;
                const item = card.querySelector('button[data-action=check]:not([data-state=done]):not([disabled])');
                if (item) return [card.dataset.subevent, item.dataset.item, item.dataset.state];
              }
              return null;
            }
            """);
        Assert.NotNull(found);
        return (found[0], found[1], found[2]);
    }

    private static (int Done, int Total) Fraction(string text)
    {
        var match = FractionPattern().Match(text);
        Assert.True(match.Success, $"no x/y in '{text}'");
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"(\d+)\s*/\s*(\d+)")]
    private static partial Regex FractionPattern();
}
