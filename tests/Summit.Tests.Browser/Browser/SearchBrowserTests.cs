using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>A Gateway process of its own (PostgreSQL, demo data) and Chromium, for the app bar's search box.</summary>
public sealed class SearchFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "search", tasks: 60);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}

/// <summary>
/// The search box in the app bar: typing "平阳" shows results grouped by kind, and a result opens its screen; a county
/// account on a phone finds only its own county's things.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchBrowserTests(SearchFixture fixture, ITestOutputHelper output) : IClassFixture<SearchFixture>
{
    /// <summary>A task of the county's own, and one of another county's, with its name in the title.</summary>
    private async Task CreateTasksAsync()
    {
        using var secretariat = await fixture.Gateway.ApiAsync("secretariat");
        foreach (var (code, title) in new[] { ("pingyang", "平阳县科普活动场地布置"), ("ruian", "瑞安市平阳路口标识设计") })
        {
            var created = await secretariat.PostAsJsonAsync($"/api/summits/{LiveGateway.Summit}/tasks", new
            {
                id = $"search-{Guid.NewGuid():N}"[..20], title, category = "venue", owner = new { kind = "county", code }, dueDate = "2020-07-30",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    private static Task SearchAsync(IPage page, ILocator input, string q) =>
        page.RunAndWaitForResponseAsync(() => input.FillAsync(q),
            r => r.Url.Contains("/search?", StringComparison.Ordinal) && Uri.UnescapeDataString(r.Url).Contains($"q={q}", StringComparison.Ordinal));

    [Fact]
    public async Task The_secretariat_finds_Pingyang_and_opens_its_county_and_a_task()
    {
        await CreateTasksAsync();
        var page = await fixture.Chromium.NewPageAsync(fixture.Gateway, output, "secretariat", 1366, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            var input = page.Locator("[data-testid=search-input]");
            await SearchAsync(page, input, "平阳");
            var results = page.Locator("[data-testid=search-results]");
            var county = results.Locator("[data-testid=search-hit][data-kind=county][data-id=pingyang]");
            await Assertions.Expect(county).ToBeVisibleAsync();
            await Assertions.Expect(county).ToContainTextAsync("平阳县");
            // Grouped by kind, counties and people among them, tasks first.
            await Assertions.Expect(results.Locator("section[data-group]").First).ToHaveAttributeAsync("data-group", "task");
            await Assertions.Expect(results.Locator("section[data-group=person] [data-id=county-pingyang]")).ToBeVisibleAsync();
            await Chromium.ScreenshotAsync(page, "search-secretariat");

            await county.ClickAsync();
            await Chromium.WaitForRouteAsync(page, "#/county/pingyang");
            await Assertions.Expect(page.Locator("[data-testid=county-view]")).ToBeVisibleAsync();
            await Assertions.Expect(results).ToHaveCountAsync(0);

            // A task, opened with the keyboard: the task table shows that one task.
            await input.FillAsync("");
            await SearchAsync(page, input, "平阳");
            var task = page.Locator("[data-testid=search-results] [data-testid=search-hit][data-kind=task]").First;
            await Assertions.Expect(task).ToBeVisibleAsync();
            var id = await task.GetAttributeAsync("data-id");
            await input.PressAsync("ArrowDown");
            await input.PressAsync("Enter");
            await Chromium.WaitForAddressAsync(page, $"#/tasks\\?q={id}$");
            await Assertions.Expect(page.Locator("tr[data-task]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator($"tr[data-task='{id}']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("input[data-filter=q]")).ToHaveValueAsync(id!);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_county_on_a_phone_finds_only_its_own_county()
    {
        await CreateTasksAsync();
        var page = await fixture.Chromium.NewPageAsync(fixture.Gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "county-pingyang", "#/county");
            var input = page.Locator("[data-testid=search-input]");
            var box = await input.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"The search box spans {box.X}..{box.X + box.Width} on a 375 px screen.");

            await SearchAsync(page, input, "平阳");
            var results = page.Locator("[data-testid=search-results]");
            await Assertions.Expect(results.Locator("[data-testid=search-hit][data-kind=county][data-id=pingyang]")).ToBeVisibleAsync();
            await Assertions.Expect(results.Locator("[data-kind=task]", new() { HasText = "平阳县科普活动场地布置" })).ToBeVisibleAsync();
            // The other county's task holds "平阳" too, and is not shown.
            await Assertions.Expect(results.Locator("[data-kind=task]", new() { HasText = "瑞安市平阳路口" })).ToHaveCountAsync(0);
            var panel = await results.BoundingBoxAsync();
            Assert.NotNull(panel);
            Assert.True(panel.X >= 0 && panel.X + panel.Width <= 375, $"The results span {panel.X}..{panel.X + panel.Width} on a 375 px screen.");
            // Every task it finds is Pingyang's own.
            foreach (var unit in await results.Locator("[data-kind=task]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.unit)"))
                Assert.Equal("county:pingyang", unit);
            Assert.Equal(0, await page.Locator("html").EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth"));
            await Chromium.ScreenshotAsync(page, "search-county-phone");

            // Another county's name finds none of that county's things.
            await SearchAsync(page, input, "瑞安");
            await Assertions.Expect(results.Locator("[data-kind=county]")).ToHaveCountAsync(0);
            await Assertions.Expect(results.Locator("[data-kind=person]")).ToHaveCountAsync(0);
            foreach (var unit in await results.Locator("[data-kind=task]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.unit)"))
                Assert.Equal("county:pingyang", unit);

            // Its own county result opens its page.
            await SearchAsync(page, input, "平阳");
            var own = results.Locator("[data-testid=search-hit][data-kind=county][data-id=pingyang]");
            await own.TapAsync();
            await Chromium.WaitForRouteAsync(page, "#/county/pingyang");
            await Assertions.Expect(page.Locator("[data-testid=county-view]")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
