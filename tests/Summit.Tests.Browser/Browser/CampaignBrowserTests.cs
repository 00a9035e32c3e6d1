using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>A Gateway process of its own (PostgreSQL, a small demo summit) and Chromium, for notices and submissions.</summary>
public sealed class CampaignsFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "campaigns", tasks: 40);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}

/// <summary>
/// A notice from writing to acceptance, in Chromium: the secretariat writes one to every county and publishes it;
/// Pingyang, on a 375 px phone, writes its sections and submits after the template's checks; the secretariat, whose
/// board follows live, returns it with a comment; Pingyang reads the comment, revises and submits again, and both
/// versions stay readable; the board counts each status; a leader reads the board without a button; another county
/// sees only its own submission. No page logs an error.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CampaignBrowserTests(CampaignsFixture fixture, ITestOutputHelper output) : IClassFixture<CampaignsFixture>
{
    private const string Summit = LiveGateway.Summit;

    [Fact]
    public async Task A_notice_goes_out_to_the_counties_Pingyang_submits_on_a_phone_is_returned_revises_and_the_board_counts()
    {
        var gateway = fixture.Gateway;
        var marker = Guid.NewGuid().ToString("N")[..6];
        var title = $"关于报送分会场筹备情况的通知{marker}";
        var comment = $"请补充主要成效的具体数字。{marker}";

        // The secretariat writes the notice and publishes it to every county.
        var desk = await fixture.Chromium.NewPageAsync(gateway, output, "secretariat", 1440, 900);
        string id;
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.Locator("nav a[href='#/campaigns']").ClickAsync();
            await Chromium.WaitForRouteAsync(desk, "#/campaigns");
            await desk.Locator("[data-action=create-campaign]").ClickAsync();
            var dialog = desk.Locator("[data-testid=campaign-dialog]");
            await dialog.Locator("[data-testid=campaign-form]").WaitForAsync();
            await dialog.Locator("input[data-field=title]").FillAsync(title);
            var editor = dialog.Locator(".rich-text-input");
            await editor.ClickAsync();
            await desk.Keyboard.TypeAsync("各县（市、区）：请于6月30日前报送分会场筹备情况");
            await desk.Keyboard.PressAsync("Control+A");
            await dialog.Locator("[data-tool=bold]").ClickAsync();
            await dialog.Locator("[data-all-of=county]").ClickAsync();
            await dialog.Locator("input[data-field=deadlineDate]").FillAsync("2020-06-30");
            await dialog.Locator("input[data-field=deadlineTime]").FillAsync("17:00");
            await dialog.Locator("textarea[data-field=sections]").FillAsync("活动总结\n主要成效");
            await dialog.Locator(".el-input-number .el-input-number__increase").ClickAsync();
            await Chromium.ChooseAsync(desk, dialog.Locator("[data-receiver=county]"), "liaison");
            await dialog.Locator("[data-action=save-campaign]").ClickAsync();

            await Chromium.WaitForAddressAsync(desk, "#/campaigns/[a-z0-9-]+$");
            id = (await desk.EvaluateAsync<string>("location.hash")).Split('/')[2];
            var view = desk.Locator($"[data-testid=campaign-view][data-campaign='{id}']");
            await Assertions.Expect(desk.Locator("[data-testid=campaign-status]")).ToHaveTextAsync("草稿");
            // The notice is rendered as HTML, with the bold run as bold.
            await Assertions.Expect(desk.Locator("[data-testid=campaign-body] strong")).ToHaveTextAsync("各县（市、区）：请于6月30日前报送分会场筹备情况");
            await Assertions.Expect(desk.Locator("[data-testid=campaign-deadline]")).ToContainTextAsync("17:00");

            await desk.Locator("[data-move=published]").ClickAsync();
            var box = desk.Locator(".el-message-box:visible");
            await Assertions.Expect(box).ToContainTextAsync(title);
            await box.Locator(".el-message-box__btns .el-button--primary").ClickAsync();
            await Assertions.Expect(desk.Locator("[data-testid=campaign-status]")).ToHaveTextAsync("已发布");
            await Assertions.Expect(view).ToHaveAttributeAsync("data-status", "published");
            await Assertions.Expect(desk.Locator("[data-testid=time-left]")).ToContainTextAsync("还剩");

            var board = desk.Locator("[data-testid=campaign-board]");
            var total = int.Parse(await board.GetAttributeAsync("data-total") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(total >= 2, $"The notice reaches every county, {total} counted.");
            await Assertions.Expect(board.Locator("[data-count=notStarted] strong")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(board.Locator("tr[data-unit='county:pingyang']")).ToHaveAttributeAsync("data-status", "notStarted");

            // Pingyang, on a phone, writes and submits; the secretariat's board follows without a reload.
            var phone = await fixture.Chromium.NewPageAsync(gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
            try
            {
                await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
                await phone.Locator("nav a[href='#/campaigns']").ClickAsync();
                var card = phone.Locator($".campaign-card[data-id='{id}']");
                await Assertions.Expect(card.Locator("[data-slot=mine]")).ToHaveTextAsync("未开始");
                await Assertions.Expect(card.Locator("[data-slot=left]")).ToContainTextAsync("还剩");
                await card.Locator("[data-action=write]").ClickAsync();
                await Chromium.WaitForRouteAsync(phone, $"#/campaigns/{id}/submission");
                var form = phone.Locator("[data-testid=submission-form]");
                await form.Locator("[data-section=活动总结] textarea").FillAsync("平阳分会场已完成场地布置。\n签到动线已演练两次。");
                await form.Locator("[data-action=save-draft]").ClickAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("草稿");
                await Assertions.Expect(board.Locator("tr[data-unit='county:pingyang']")).ToHaveAttributeAsync("data-status", "draft");

                // The checks come before sending: a section left empty and a missing photo hold the submission back.
                await form.Locator("[data-action=submit]").ClickAsync();
                var checks = phone.Locator("[data-testid=submit-checks]");
                await Assertions.Expect(checks.Locator("li[data-ok=false]")).ToHaveTextAsync(["✗ 已填写“主要成效”", "✗ 至少 1 张图片（已有 0 张）"]);
                await Assertions.Expect(checks.Locator("[data-action=confirm-submit]")).ToBeDisabledAsync();
                await checks.Locator("button", new() { HasText = "取消" }).ClickAsync();
                await form.Locator("[data-section=主要成效] textarea").FillAsync("接待能力提升到800人。");
                // A photo goes to the file store and comes back as a thumbnail.
                await form.Locator("[data-testid=file-upload] input[type=file]").SetInputFilesAsync(new FilePayload
                {
                    Name = "分会场全景.png", MimeType = "image/png", Buffer = Png,
                });
                var thumb = form.Locator("[data-testid=submission-files] img.thumb");
                await Assertions.Expect(thumb).ToHaveCountAsync(1);
                await phone.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=submission-files] img.thumb'); return i && i.complete && i.naturalWidth > 0; }");
                await Assertions.Expect(form.Locator("[data-testid=submission-files] .file-name")).ToHaveTextAsync("分会场全景.png");
                await form.Locator("[data-action=submit]").ClickAsync();
                await Assertions.Expect(checks.Locator("li[data-ok=false]")).ToHaveCountAsync(0);
                await checks.Locator("[data-action=confirm-submit]").ClickAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已提交");
                await Assertions.Expect(phone.Locator("[data-testid=versions] li")).ToHaveCountAsync(1);
                await Assertions.Expect(form.Locator("[data-action=save-draft]")).ToHaveCountAsync(0);
                await AssertFitsAsync(phone, "[data-testid=submission-form]", "[data-testid=versions]");
                await Chromium.ScreenshotAsync(phone, "campaign-submission-375", fullPage: true);

                // The secretariat sees it handed in, live, and returns it with a comment.
                var row = board.Locator("tr[data-unit='county:pingyang']");
                await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "submitted");
                await Assertions.Expect(board.Locator("[data-count=submitted] strong")).ToHaveTextAsync("1");
                await row.Locator("[data-action=return]").ClickAsync();
                var back = desk.Locator("[data-testid=return-dialog]");
                await back.Locator("textarea[data-field=return-comment]").FillAsync(comment);
                await back.Locator("[data-action=send-return]").ClickAsync();
                await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "returned");
                await Assertions.Expect(board.Locator("[data-count=returned] strong")).ToHaveTextAsync("1");

                // Pingyang reads the comment at the top, revises and submits again; both versions stay readable.
                await phone.ReloadAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已退回");
                await Assertions.Expect(phone.Locator("[data-testid=return-comment]")).ToContainTextAsync(comment);
                var returnBox = await phone.Locator("[data-testid=return-comment]").BoundingBoxAsync();
                Assert.NotNull(returnBox);
                Assert.True(returnBox.Y < 812, "The reviewer's comment is on the first screen.");
                await form.Locator("[data-section=主要成效] textarea").FillAsync("接待能力提升到800人，志愿者120名。");
                await form.Locator("[data-action=submit]").ClickAsync();
                await checks.Locator("[data-action=confirm-submit]").ClickAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已提交");
                await Assertions.Expect(phone.Locator("[data-testid=return-comment]")).ToHaveCountAsync(0);
                var versions = phone.Locator("[data-testid=versions] li");
                await Assertions.Expect(versions).ToHaveCountAsync(2);
                await phone.Locator("[data-testid=versions] li[data-number='1'] [data-action=view-version]").ClickAsync();
                var first = phone.Locator("[data-testid=version-dialog]");
                await Assertions.Expect(first.Locator("[data-section=主要成效]")).ToContainTextAsync("接待能力提升到800人。");
                await Assertions.Expect(first.Locator("[data-section=主要成效]")).Not.ToContainTextAsync("志愿者");
                await Assertions.Expect(first.Locator("[data-section=活动总结] p")).ToHaveCountAsync(2);
                await AssertFitsAsync(phone, "[data-testid=version-dialog]");
                await phone.Keyboard.PressAsync("Escape");
                Assert.Empty(Chromium.ConsoleErrors(phone));
            }
            finally
            {
                await phone.Context.CloseAsync();
            }

            // Dongtou starts a draft behind the browser's back; the board counts every status.
            using var dongtou = await gateway.ApiAsync("county-dongtou");
            var draft = await dongtou.PutAsJsonAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/dongtou",
                new { sections = new[] { new { title = "活动总结", text = "<p>洞头筹备中</p>" } } });
            Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
            await Assertions.Expect(board.Locator("tr[data-unit='county:pingyang']")).ToHaveAttributeAsync("data-status", "submitted");
            await Assertions.Expect(board.Locator("tr[data-unit='county:dongtou']")).ToHaveAttributeAsync("data-status", "draft");
            await Assertions.Expect(board.Locator("[data-count=submitted] strong")).ToHaveTextAsync("1");
            await Assertions.Expect(board.Locator("[data-count=draft] strong")).ToHaveTextAsync("1");
            await Assertions.Expect(board.Locator("[data-count=returned] strong")).ToHaveTextAsync("0");
            await Assertions.Expect(board.Locator("[data-count=notStarted] strong"))
                .ToHaveTextAsync((total - 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Filtering by status leaves the counts and shows only the rows of that status.
            await board.Locator("[data-count=draft]").ClickAsync();
            await Assertions.Expect(board.Locator("tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(board.Locator("tbody tr")).ToHaveAttributeAsync("data-unit", "county:dongtou");
            await board.Locator("[data-count=draft]").ClickAsync();
            await Assertions.Expect(board.Locator("tbody tr")).ToHaveCountAsync(total);

            // The secretariat accepts Pingyang's second version from its page.
            await board.Locator("tr[data-unit='county:pingyang'] [data-action=open-submission]").ClickAsync();
            await Chromium.WaitForRouteAsync(desk, $"#/campaigns/{id}/submission/county:pingyang");
            await Assertions.Expect(desk.Locator("[data-section=主要成效] [data-slot=text]")).ToHaveTextAsync("接待能力提升到800人，志愿者120名。");
            await desk.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=submission-files] img.thumb'); return i && i.complete && i.naturalWidth > 0; }");
            await desk.Locator("[data-testid=review-buttons] [data-action=accept]").ClickAsync();
            await desk.Locator(".el-message-box:visible .el-message-box__btns .el-button--primary").ClickAsync();
            await Assertions.Expect(desk.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已采纳");
            Assert.Empty(Chromium.ConsoleErrors(desk));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }

        // A leader reads the board and the submission, with no button that changes anything.
        var leader = await fixture.Chromium.NewPageAsync(gateway, output, "leader", 1440, 900);
        try
        {
            await Chromium.SignInAsync(leader, "leader", "#/screen");
            await leader.GotoAsync("/#/campaigns");
            await Assertions.Expect(leader.Locator($".campaign-card[data-id='{id}'] [data-slot=handed-in]")).ToContainTextAsync("已提交 1");
            await Assertions.Expect(leader.Locator("[data-action=create-campaign]")).ToHaveCountAsync(0);
            await leader.Locator($".campaign-card[data-id='{id}'] [data-action=open]").ClickAsync();
            var board = leader.Locator("[data-testid=campaign-board]");
            await Assertions.Expect(board.Locator("[data-count=accepted] strong")).ToHaveTextAsync("1");
            await Assertions.Expect(board.Locator("[data-count=draft] strong")).ToHaveTextAsync("1");
            await Assertions.Expect(leader.Locator("[data-testid=campaign-actions]")).ToHaveCountAsync(0);
            await Assertions.Expect(board.Locator("[data-action=accept], [data-action=return]")).ToHaveCountAsync(0);
            // The result downloads: the compiled summary of the accepted submissions, as Word.
            var download = await leader.RunAndWaitForDownloadAsync(() => board.Locator("[data-action=export-docx]").ClickAsync());
            Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
            Assert.Null(await download.FailureAsync());
            await Assertions.Expect(board.Locator("[data-action=export-zip]")).ToHaveAttributeAsync("href", $"/api/summits/{Summit}/campaigns/{id}/export/submissions.zip");
            await board.Locator("tr[data-unit='county:pingyang'] [data-action=open-submission]").ClickAsync();
            await Assertions.Expect(leader.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已采纳");
            await Assertions.Expect(leader.Locator("[data-testid=versions] li")).ToHaveCountAsync(2);
            await Assertions.Expect(leader.Locator("[data-testid=submission-view] main button[data-action]:not([data-action=view-version])")).ToHaveCountAsync(0);
            Assert.Empty(Chromium.ConsoleErrors(leader));
        }
        finally
        {
            await leader.Context.CloseAsync();
        }

        // Another county sees the notice and its own submission only: neither Pingyang's row nor its text.
        var other = await fixture.Chromium.NewPageAsync(gateway, output, "county-longgang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(other, "county-longgang", "#/county");
            await other.GotoAsync("/#/campaigns");
            var card = other.Locator($".campaign-card[data-id='{id}']");
            await Assertions.Expect(card.Locator("[data-slot=mine]")).ToHaveTextAsync("未开始");
            await Assertions.Expect(card.Locator("[data-slot=handed-in]")).ToHaveCountAsync(0);
            await card.Locator("[data-action=open]").ClickAsync();
            await Assertions.Expect(other.Locator("[data-testid=my-submission] [data-slot=status]")).ToHaveTextAsync("未开始");
            await Assertions.Expect(other.Locator("[data-testid=campaign-board]")).ToHaveCountAsync(0);
            await other.GotoAsync($"/#/campaigns/{id}/submission/county:pingyang");
            await Assertions.Expect(other.Locator("[data-testid=submission-error]")).ToContainTextAsync("无法查看该单位的报送");
            await Assertions.Expect(other.Locator("body")).Not.ToContainTextAsync("接待能力");
            await AssertFitsAsync(other, "[data-testid=submission-view] main");
            Assert.Empty(Chromium.ConsoleErrors(other));
        }
        finally
        {
            await other.Context.CloseAsync();
        }
        using var longgang = await gateway.ApiAsync("county-longgang");
        Assert.Equal(HttpStatusCode.NotFound, (await longgang.GetAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/county:pingyang")).StatusCode);
        using var secretariat = await gateway.ApiAsync("secretariat");
        var pingyang = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/campaigns/{id}/submissions/county:pingyang");
        var photo = pingyang["files"]!.AsArray().Single()!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await secretariat.GetAsync($"/api/summits/{Summit}/files/{photo}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await longgang.GetAsync($"/api/summits/{Summit}/files/{photo}/info")).StatusCode);
        var own = await LiveGateway.GetJsonAsync(longgang, $"/api/summits/{Summit}/campaigns/{id}/board");
        Assert.Equal("county:longgang", $"{own["items"]![0]!["unit"]!["kind"]}:{own["items"]![0]!["unit"]!["code"]}");
        Assert.Equal(1, (int)own["total"]!);
    }

    /// <summary>A 2×2 PNG, as a phone's photo stands in for here.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==");

    /// <summary>Nothing on the page sticks out sideways on a 375 px phone, the parts named included.</summary>
    private static async Task AssertFitsAsync(IPage page, params string[] parts)
    {
        Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth"));
        foreach (var part in parts)
        {
            var box = await page.Locator(part).First.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 375.5, $"{part} spans {box.X}..{box.X + box.Width} on a 375 px screen.");
        }
    }
}
