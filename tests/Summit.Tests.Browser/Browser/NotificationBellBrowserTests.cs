using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>A small Gateway process of its own (PostgreSQL, demo data) and Chromium, for the bell in the app bar.</summary>
public sealed class BellFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "bell", tasks: 60);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}

/// <summary>The notification bell: the unread count from the list, raised live by the hub, and "mark all read".</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationBellBrowserTests(BellFixture fixture, ITestOutputHelper output) : IClassFixture<BellFixture>
{
    private const string Summit = LiveGateway.Summit;

    [Fact]
    public async Task The_bell_counts_a_new_notification_live_and_marks_all_read()
    {
        var gateway = fixture.Gateway;
        using var county = await gateway.ApiAsync("county-wencheng");
        var before = (int)(await LiveGateway.GetJsonAsync(county, "/api/me/notifications"))["unread"]!;

        var page = await fixture.Chromium.NewPageAsync(gateway, output, "county-wencheng", 414, 896, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "county-wencheng", "#/county");
            await Assertions.Expect(page.Locator("[data-testid=connection]")).ToHaveAttributeAsync("data-state", "live");
            var count = page.Locator("[data-testid=bell-count]");
            if (before == 0) await Assertions.Expect(count).ToHaveCountAsync(0);
            else await Assertions.Expect(count).ToHaveTextAsync(before > 99 ? "99+" : before.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // The deadline engine announces a task created already overdue; its owner county hears it.
            var title = $"文成县通知铃测试 {Guid.NewGuid():N}"[..20];
            using var secretariat = await gateway.ApiAsync("secretariat");
            var created = await secretariat.PostAsJsonAsync($"/api/summits/{Summit}/tasks", new
            {
                id = $"bell-{Guid.NewGuid():N}"[..20],
                title,
                category = "publicity",
                owner = new { kind = "county", code = "wencheng" },
                dueDate = "2020-06-09",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            // At least one more (the engine may announce other tasks of the county meanwhile), without a reload.
            await page.WaitForFunctionAsync("n => +(document.querySelector('[data-testid=bell-count]')?.textContent ?? '0') > n", before,
                new() { Timeout = 30_000 });
            // Opened and read with the keyboard alone.
            await page.Locator("[data-testid=bell]").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            var pushed = page.Locator("[data-testid=notifications] li", new() { HasText = title });
            await Assertions.Expect(pushed).ToHaveAttributeAsync("data-read", "false");
            var unreadBefore = await UnreadAsync(page);
            await pushed.Locator("[data-action=read-one]").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(pushed).ToHaveAttributeAsync("data-read", "true");
            await page.WaitForFunctionAsync($"n => {UnreadScript} < n", unreadBefore);
            // Focus stays in the bell, on the next unread notification or the bell itself.
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('.bell-slot')"));

            if (await count.CountAsync() > 0) await page.Locator("[data-action=read-all]").ClickAsync();
            await Assertions.Expect(count).ToHaveCountAsync(0);
            await Assertions.Expect(pushed).ToHaveAttributeAsync("data-read", "true");
            Assert.Equal(0, (int)(await LiveGateway.GetJsonAsync(county, "/api/me/notifications"))["unread"]!);

            // Read from the list at load: still nothing unread after a reload.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=connection]")).ToHaveAttributeAsync("data-state", "live");
            await Assertions.Expect(page.Locator("[data-testid=bell]")).ToBeVisibleAsync();
            await Assertions.Expect(count).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    // The exact count from the bell's label (the badge stops at "99+").
    private const string UnreadScript = "+document.querySelector('[data-testid=bell]').getAttribute('aria-label').match(/\\d+/)[0]";

    private static Task<int> UnreadAsync(IPage page) => page.EvaluateAsync<int>($"() => {UnreadScript}");
}
