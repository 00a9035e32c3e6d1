using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Summit.Tests.Browser;

/// <summary>
/// The open campaigns on the leaders' big screen (材料报送) and the campaign board's pager, in Chromium on the campaigns'
/// Gateway: the panel counts what the API counts, follows a unit's submission live, reads at 1920×1080 and 1280×720, in
/// Chinese and English, and goes away when no campaign is open; the board pages through its units with the page size
/// chosen, its counts staying the whole campaign's; the return dialog of a submission's page asks for its comment.
/// </summary>
public sealed partial class CampaignBrowserTests
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(10);

    /// <summary>Creates and publishes a notice to every county and university by the API; answers its id.</summary>
    private async Task<string> PublishAsync(HttpClient secretariat, string title, string deadline)
    {
        var id = $"cs-{Guid.NewGuid():N}"[..16];
        var created = await secretariat.PostAsJsonAsync($"/api/summits/{Summit}/campaigns", new
        {
            id,
            title,
            body = "<p>请按时报送。</p>",
            audience = new { allOf = new[] { "county", "university" }, units = Array.Empty<object>() },
            deadline,
            template = new { sections = new[] { "工作进展" }, minImages = 0, fileKinds = new[] { "image", "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" }, new { unitKind = "university", department = "academic" } },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await LiveGateway.PatchAsync(secretariat, $"/api/summits/{Summit}/campaigns/{id}", new { status = "published" });
        return id;
    }

    private async Task SubmitAsync(string campaign, string kind, string code)
    {
        using var unit = await fixture.Gateway.ApiAsync($"{kind}-{code}");
        var response = await unit.PostAsJsonAsync($"/api/summits/{Summit}/campaigns/{campaign}/submissions/{code}/submit",
            new { sections = new[] { new { title = "工作进展", text = $"<p>{code} 已完成</p>" } } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A campaign card's count of a status (its stretch of the bar) or of the late ones.</summary>
    private static Task ExpectCountAsync(ILocator card, string status, int n, float? timeout = null) =>
        Assertions.Expect(card.Locator($"[data-count={status}]")).ToHaveAttributeAsync("data-n", n.ToString(CultureInfo.InvariantCulture), new() { Timeout = timeout });

    [Fact]
    public async Task The_big_screen_shows_the_open_campaigns_with_their_counts_and_follows_a_submission_live()
    {
        var gateway = fixture.Gateway;
        using var secretariat = await gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..4];
        // Due today at noon by the demo clock (10 June, 09:00 at start), and one due yesterday, already past: both sooner
        // than the demo's notices of today 17:00 and 15 June, later than last week's.
        var id = await PublishAsync(secretariat, $"分会场筹备材料报送{marker}", "2020-06-10T12:00");
        var past = await PublishAsync(secretariat, $"县域活动方案报送{marker}", "2020-06-09");
        await SubmitAsync(id, "county", "ouhai");
        using (var lucheng = await gateway.ApiAsync("county-lucheng"))
        {
            var draft = await lucheng.PutAsJsonAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/lucheng",
                new { sections = new[] { new { title = "工作进展", text = "<p>草稿</p>" } } });
            Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        }
        var expected = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/dashboard/campaigns?limit=4");
        var order = expected["items"]!.AsArray().Select(c => c!["id"]!.ToString()).ToArray();
        Assert.Contains(id, order);
        var total = expected["items"]!.AsArray().Single(c => c!["id"]!.ToString() == id)!["counts"]!["total"]!.GetValue<int>();
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);

        var page = await fixture.Chromium.NewPageAsync(gateway, output, "leader");
        try
        {
            await Chromium.SignInAsync(page, "leader", "#/screen");
            var panel = page.Locator("[data-testid=campaign-panel]");
            await Assertions.Expect(panel.Locator("h2")).ToContainTextAsync("材料报送");
            // Soonest deadline first, at most four: the order the API answers.
            await Assertions.Expect(panel.Locator(".campaign-card")).ToHaveCountAsync(order.Length);
            Assert.Equal(order, await panel.Locator(".campaign-card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.campaign)"));
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-total", expected["total"]!.ToString());

            var card = panel.Locator($".campaign-card[data-campaign='{id}']");
            await Assertions.Expect(card.Locator(".campaign-title")).ToHaveTextAsync($"分会场筹备材料报送{marker}");
            await Assertions.Expect(card.Locator(".campaign-when")).ToContainTextAsync("截止 6月10日 12:00");
            await Assertions.Expect(card.Locator("[data-slot=time-left]")).ToContainTextAsync("还剩");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-overdue", "false");
            await ExpectCountAsync(card, "submitted", 1);
            await ExpectCountAsync(card, "draft", 1);
            await ExpectCountAsync(card, "accepted", 0);
            await ExpectCountAsync(card, "notStarted", total - 2);
            await Assertions.Expect(card.Locator("[data-slot=handed-in]")).ToHaveTextAsync($"已报 1/{total}");
            await ExpectCountAsync(card, "late", 0);
            // The bar shows the three statuses with units, each with its count on it.
            await Assertions.Expect(card.Locator(".campaign-bar .seg:visible")).ToHaveTextAsync(["1", "1", N(total - 2)]);
            // Yesterday's notice is past its deadline: its time left is red.
            var late = panel.Locator($".campaign-card[data-campaign='{past}']");
            await Assertions.Expect(late).ToHaveAttributeAsync("data-overdue", "true");
            await Assertions.Expect(late.Locator("[data-slot=time-left]")).ToContainTextAsync("已逾期");
            Assert.Equal("rgb(248, 113, 113)", await late.Locator("[data-slot=time-left]").EvaluateAsync<string>("e => getComputedStyle(e).color"));
            await AssertOnScreenAsync(page, panel, 1920, 1080);
            // All four fit at 1920×1080 (the list leaves out whole a card that would not).
            await Assertions.Expect(panel.Locator(".campaign-card:visible")).ToHaveCountAsync(order.Length);
            await Chromium.ScreenshotAsync(page, "screen-campaigns-1920");

            // Pingyang hands in through the API: the panel follows within seconds, without a reload.
            await SubmitAsync(id, "county", "pingyang");
            await ExpectCountAsync(card, "submitted", 2, (float)Live.TotalMilliseconds);
            await ExpectCountAsync(card, "notStarted", total - 3);
            await Assertions.Expect(card.Locator("[data-slot=handed-in]")).ToHaveTextAsync($"已报 2/{total}");
            // The secretariat accepts one and returns the other.
            foreach (var (unit, action, body) in new[] { ("county:ouhai", "accept", (object)new { }), ("county:pingyang", "return", new { comment = "请补充数据" }) })
            {
                var reviewed = await secretariat.PostAsJsonAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/{unit}/{action}", body);
                Assert.True(reviewed.IsSuccessStatusCode, await reviewed.Content.ReadAsStringAsync());
            }
            await ExpectCountAsync(card, "accepted", 1, (float)Live.TotalMilliseconds);
            await ExpectCountAsync(card, "returned", 1, (float)Live.TotalMilliseconds);
            await ExpectCountAsync(card, "submitted", 0);
            await Assertions.Expect(card.Locator("[data-slot=handed-in]")).ToHaveTextAsync($"已报 1/{total}");

            // In English through the switch.
            await page.Locator("[data-action=lang]").ClickAsync();
            await Assertions.Expect(panel.Locator("h2")).ToContainTextAsync("Submissions due");
            await Assertions.Expect(card.Locator("[data-slot=time-left]")).ToContainTextAsync("left");
            await page.Locator("[data-action=lang]").ClickAsync();
            await Assertions.Expect(panel.Locator("h2")).ToContainTextAsync("材料报送");

            // Still whole and legible on a 1280×720 screen.
            await page.SetViewportSizeAsync(1280, 720);
            await AssertOnScreenAsync(page, panel, 1280, 720);
            var titleSize = await card.Locator(".campaign-title").EvaluateAsync<string>("e => getComputedStyle(e).fontSize");
            Assert.True(double.Parse(titleSize.Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) >= 12, $"title at {titleSize}");
            await Chromium.ScreenshotAsync(page, "screen-campaigns-1280");

            // When no campaign is open any more the panel goes, leaving no empty box.
            var open = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/dashboard/campaigns?limit=1000");
            foreach (var c in open["items"]!.AsArray())
                await LiveGateway.PatchAsync(secretariat, $"/api/summits/{Summit}/campaigns/{c!["id"]}", new { status = "closed" });
            await Assertions.Expect(panel).ToHaveCountAsync(0, new() { Timeout = (float)Live.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=screen] .panel-counties")).ToBeVisibleAsync();
            Assert.Empty(Chromium.ConsoleErrors(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The panel lies inside the screen and nothing scrolls: a kiosk shows it all.</summary>
    private static async Task AssertOnScreenAsync(IPage page, ILocator panel, int width, int height)
    {
        var box = await panel.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= width + 0.5 && box.Y + box.Height <= height + 0.5,
            $"The panel spans {box.X}..{box.X + box.Width} × {box.Y}..{box.Y + box.Height} on {width}×{height}.");
        Assert.True(box.Height >= 60, $"The panel is {box.Height} px high.");
        Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollHeight - innerHeight"));
    }

    [Fact]
    public async Task The_board_pages_through_the_units_with_the_page_size_chosen_and_a_return_asks_for_its_comment()
    {
        var gateway = fixture.Gateway;
        using var secretariat = await gateway.ApiAsync("secretariat");
        var id = await PublishAsync(secretariat, $"筹备进展材料{Guid.NewGuid():N}"[..12], "2020-06-19");
        var all = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/campaigns/{id}/board");
        var units = all["items"]!.AsArray().Select(r => $"{r!["unit"]!["kind"]}:{r["unit"]!["code"]}").ToArray();
        Assert.True(units.Length > 10, $"{units.Length} units: the pager needs more than a page of 10.");
        var onSecond = units[10];
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);

        var desk = await fixture.Chromium.NewPageAsync(gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.GotoAsync($"/#/campaigns/{id}");
            var board = desk.Locator("[data-testid=campaign-board]");
            var rows = board.Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(units.Length);
            var pager = board.Locator("[data-testid=board-pager]");
            await Assertions.Expect(pager.Locator(".el-pagination__total")).ToContainTextAsync(N(units.Length));

            // 10 a page: the first ten in the campaign's order, then the rest on page 2; the counts stay the campaign's.
            await pager.Locator(".el-pagination__sizes .el-select").ClickAsync();
            await desk.Locator(".el-select-dropdown__item:visible", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*10\s*条") }).ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(10);
            Assert.Equal(units[..10], await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.unit)"));
            await pager.Locator(".el-pager li", new() { HasText = "2" }).ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(units.Length - 10);
            Assert.Equal(units[10..], await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.unit)"));
            await Assertions.Expect(board.Locator("[data-count=notStarted] strong")).ToHaveTextAsync(N(units.Length));
            await Assertions.Expect(pager.Locator(".el-pager li.is-active")).ToHaveTextAsync("2");

            // A unit of page 2 hands in: its row changes live and the page stays.
            var (kind, code) = (onSecond.Split(':')[0], onSecond.Split(':')[1]);
            await SubmitAsync(id, kind, code);
            await Assertions.Expect(board.Locator($"tr[data-unit='{onSecond}']")).ToHaveAttributeAsync("data-status", "submitted",
                new() { Timeout = (float)Live.TotalMilliseconds });
            await Assertions.Expect(board.Locator("[data-count=submitted] strong")).ToHaveTextAsync("1");
            await Assertions.Expect(pager.Locator(".el-pager li.is-active")).ToHaveTextAsync("2");
            await Chromium.ScreenshotAsync(desk, "campaign-board-page-2", fullPage: true);

            // A filter starts again on page 1.
            await Chromium.ChooseAsync(desk, board.Locator("[data-filter=status]"), "submitted");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(pager.Locator(".el-pager li.is-active")).ToHaveTextAsync("1");

            // The submission's page returns it through the same dialog, which first asks for the comment.
            await board.Locator($"tr[data-unit='{onSecond}'] [data-action=open-submission]").ClickAsync();
            await Chromium.WaitForRouteAsync(desk, $"#/campaigns/{id}/submission/{onSecond}");
            await desk.Locator("[data-testid=review-buttons] [data-action=return]").ClickAsync();
            var dialog = desk.Locator("[data-testid=return-dialog]");
            await dialog.Locator("[data-action=send-return]").ClickAsync();
            await Assertions.Expect(dialog.Locator("[role=alert]")).ToHaveTextAsync("请填写退回意见");
            await Assertions.Expect(desk.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已提交");
            await dialog.Locator("textarea[data-field=return-comment]").FillAsync("请补充下周计划。");
            await dialog.Locator("[data-action=send-return]").ClickAsync();
            await Assertions.Expect(desk.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已退回");
            await Assertions.Expect(dialog).ToBeHiddenAsync();
            Assert.Empty(Chromium.ConsoleErrors(desk));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }

        // A leader on a phone pages the board too, and nothing sticks out sideways.
        var phone = await fixture.Chromium.NewPageAsync(gateway, output, "leader", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "leader", "#/screen");
            await phone.GotoAsync($"/#/campaigns/{id}");
            var pager = phone.Locator("[data-testid=board-pager]");
            await pager.Locator(".el-pager li", new() { HasText = "1" }).WaitForAsync();
            await AssertFitsAsync(phone, "[data-testid=board-pager]");
            await Chromium.ScreenshotAsync(phone, "campaign-board-pager-375", fullPage: true);
            Assert.Empty(Chromium.ConsoleErrors(phone));
        }
        finally
        {
            await phone.Context.CloseAsync();
        }
    }
}
