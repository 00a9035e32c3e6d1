using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright. Browsers are never downloaded: the executable is the distribution's
/// (<c>apt-get install chromium</c>, see .ci/run).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryPaths.Root, "tests", "Summit.Tests.Browser", "artifacts");

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install -y chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh browser profile (own cookies) sized like the screen it stands for.</summary>
    public async Task<IPage> NewPageAsync(LiveGateway gateway, ITestOutputHelper output, string who, int width = 1920, int height = 1080,
        bool phone = false, float scale = 1)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = scale,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        // Page loads wait on a Gateway that shares two cores with the rest of the run; the latency the
        // tests care about (push within 1 s) is asserted explicitly, not through these defaults.
        context.SetDefaultNavigationTimeout(90_000);
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = ConsoleErrorsOf.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning") Write(output, $"[{who} console {message.Type}] {message.Text}");
            if (message.Type == "error") lock (errors) errors.Add(message.Text);
        };
        page.PageError += (_, error) =>
        {
            Write(output, $"[{who} page error] {error}");
            lock (errors) errors.Add(error);
        };
        page.RequestFailed += (_, request) => Write(output, $"[{who} request failed] {request.Method} {request.Url}: {request.Failure}");
        return page;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> ConsoleErrorsOf = new();

    /// <summary>The console errors and uncaught exceptions of a page made by <see cref="NewPageAsync"/> so far.</summary>
    public static IReadOnlyList<string> ConsoleErrors(IPage page)
    {
        var errors = ConsoleErrorsOf.GetOrCreateValue(page);
        lock (errors) return [.. errors];
    }

    /// <summary>
    /// Waits until the page is on a hash route (<c>#/login</c>, optionally followed by <c>?…</c> or <c>/…</c>), by asking
    /// the page itself. Playwright's WaitForURL missed a hash change that happened just before it was called about one
    /// run in three, although the page was already on the route.
    /// </summary>
    public static Task WaitForRouteAsync(IPage page, string hash) =>
        page.WaitForFunctionAsync("h => location.hash === h || location.hash.startsWith(h + '?') || location.hash.startsWith(h + '/')", hash,
            new PageWaitForFunctionOptions { PollingInterval = 100 });

    /// <summary>Waits until the page's address matches <paramref name="pattern"/>, asking the page itself.</summary>
    public static Task WaitForAddressAsync(IPage page, string pattern) =>
        page.WaitForFunctionAsync("p => new RegExp(p).test(location.href)", pattern,
            new PageWaitForFunctionOptions { PollingInterval = 100 });

    /// <summary>Signs in through the sign-in page and waits for the account's home view.</summary>
    public static async Task SignInAsync(IPage page, string account, string expectedHash)
    {
        await page.GotoAsync("/");
        await WaitForRouteAsync(page, "#/login");
        await page.Locator("form[data-testid=login-form]").WaitForAsync();
        await page.Locator("input[name=username]").FillAsync(account);
        await page.Locator("input[name=password]").FillAsync(SignIn.DemoPassword);
        await page.Locator("form[data-testid=login-form] button[type=submit]").ClickAsync();
        await WaitForRouteAsync(page, expectedHash);
    }

    /// <summary>
    /// Chooses <paramref name="value"/> in an Element Plus select: opens it and clicks the option of that value in its
    /// (visible) list, as a person does. Options carry their value as <c>data-value</c>.
    /// </summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string value)
    {
        await select.ClickAsync();
        await page.Locator($".el-select-dropdown__item[data-value='{value}']:visible").ClickAsync();
    }

    /// <summary>
    /// Taps <paramref name="trigger"/> and waits for <paramref name="opened"/> to show. A tap that a loaded machine
    /// loses (the page still settling under the finger) is tapped again once, as a person would, and said in the
    /// output with a picture of the page, so a form that never opens still fails.
    /// </summary>
    public static async Task TapToOpenAsync(IPage page, ILocator trigger, ILocator opened, ITestOutputHelper output, string name)
    {
        await trigger.ClickAsync();
        try
        {
            await opened.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 15_000 });
            return;
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, $"{name}-lost-tap");
            output.WriteLine($"{name}: the first tap did not open the form within 15 s; tapping again.");
        }
        await trigger.ClickAsync();
        await opened.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
    }

    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        // Let entrance animations and chart transitions settle so the picture shows the resting state.
        await page.WaitForTimeoutAsync(1200);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = fullPage });
    }

    private static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished; a late console message has nowhere to go.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
