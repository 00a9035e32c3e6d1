using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// A county subscribes to its deadlines from its phone on #/calendar (日历订阅): it creates a feed, sees the address once,
/// downloads the .ics with its task in it, revokes the feed after a confirmation, and the address answers 404.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CalendarBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_county_creates_a_feed_on_its_phone_downloads_it_and_revokes_it()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var id = $"t-cal-{Guid.NewGuid():N}"[..20];
        var created = await api.PostAsJsonAsync($"/api/summits/{Summit}/tasks", new
        {
            id, title = "日历订阅测试：分会场布展", category = "venue", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-15T17:00",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var phone = await fixture.Chromium.NewPageAsync(Gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
            Assert.Equal(1, await phone.Locator("nav a[href='#/calendar']").CountAsync());
            await phone.GotoAsync("/#/calendar");
            await Chromium.WaitForRouteAsync(phone, "#/calendar");
            await Assertions.Expect(phone.Locator("h1")).ToHaveTextAsync("日历订阅");

            var made = await phone.RunAndWaitForResponseAsync(() => phone.Locator("[data-action=create-unit-feed]").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/calendar-feeds", StringComparison.Ordinal));
            Assert.Equal(201, made.Status);
            var address = phone.Locator("[data-testid=calendar-fresh] input");
            await Assertions.Expect(address).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"/feeds/[A-Za-z0-9_-]{43}\.ics$"));
            var url = await address.InputValueAsync();
            Assert.Equal(0, await phone.EvaluateAsync<int>("Math.max(0, document.documentElement.scrollWidth - innerWidth)"));
            var box = await phone.Locator("[data-testid=calendar-fresh]").BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 375, $"the address spans {box?.X}..{box?.X + box?.Width}");
            await Chromium.ScreenshotAsync(phone, "calendar-phone", fullPage: true);

            // The .ics downloads with the county's task, at 17:00 in Wenzhou.
            var download = await phone.RunAndWaitForDownloadAsync(() => phone.Locator("[data-action=download]").ClickAsync());
            var path = await download.PathAsync();
            var text = await File.ReadAllTextAsync(path!);
            Assert.StartsWith("BEGIN:VCALENDAR", text);
            Assert.Contains($"UID:task-{id}@{Summit}", text);
            Assert.Contains("DTSTART;TZID=Asia/Shanghai:20200715T170000", text);
            Assert.Contains("日历订阅测试：分会场布展", text);

            // The list holds it; revoking asks first.
            var feedId = (await made.JsonAsync())?.GetProperty("id").GetString();
            var card = phone.Locator($"[data-testid=calendar-list] li[data-id='{feedId}']");
            await Assertions.Expect(card).ToBeVisibleAsync();
            await card.Locator("[data-action=revoke-feed]").ClickAsync();
            var confirm = phone.Locator(".el-message-box:visible");
            await Assertions.Expect(confirm).ToContainTextAsync("撤销");
            var revoked = await phone.RunAndWaitForResponseAsync(() => confirm.Locator(".el-message-box__btns .el-button--primary").ClickAsync(),
                r => r.Request.Method == "DELETE");
            Assert.Equal(204, revoked.Status);
            await Assertions.Expect(card).ToHaveCountAsync(0);
            await Assertions.Expect(phone.Locator("[data-testid=calendar-fresh]")).ToHaveCountAsync(0);

            using var anonymous = new HttpClient { BaseAddress = Gateway.BaseAddress };
            var gone = await anonymous.GetAsync(new Uri(url).PathAndQuery);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Empty(Chromium.ConsoleErrors(phone));
        }
        finally
        {
            await phone.Context.CloseAsync();
        }
    }
}
