using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Summit.Tests.Browser;

/// <summary>
/// Forwarding in Chromium: the secretariat sends a notice to the counties; Pingyang forwards it from the notice's page
/// to two of its organisations with its requirements and an earlier deadline; Pingyang's science association, on a
/// 375 px phone, writes and submits with a photo; Pingyang returns it with a comment from its forward's board, the
/// association hands in again, Pingyang accepts; the secretariat's board shows the forward's progress on Pingyang's row;
/// Pingyang registers another organisation on its register screen. No page logs an error.
/// </summary>
public sealed partial class CampaignBrowserTests
{
    [Fact]
    public async Task Pingyang_forwards_a_notice_to_its_organisations_reviews_them_and_the_secretariat_sees_the_roll_up()
    {
        var gateway = fixture.Gateway;
        var marker = Guid.NewGuid().ToString("N")[..6];
        var id = $"fwd-{marker}";
        using var secretariat = await gateway.ApiAsync("secretariat");
        var created = await secretariat.PostAsJsonAsync($"/api/summits/{Summit}/campaigns", new
        {
            id,
            title = $"关于开展科技工作者日活动的通知{marker}",
            body = "<p>请各县（市、区）于6月30日前报送活动总结。</p>",
            audience = new { allOf = new[] { "county" }, units = Array.Empty<object>() },
            deadline = "2020-06-30",
            template = new { sections = new[] { "活动总结" }, minImages = 1, fileKinds = new[] { "image" } },
            receivers = new[] { new { unitKind = "county", department = "office" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await LiveGateway.PatchAsync(secretariat, $"/api/summits/{Summit}/campaigns/{id}", new { status = "published" });

        // Pingyang forwards it from the notice's page to two of its three organisations.
        var county = await fixture.Chromium.NewPageAsync(gateway, output, "county-pingyang", 1280, 900);
        string forward;
        try
        {
            await Chromium.SignInAsync(county, "county-pingyang", "#/county");
            await county.GotoAsync($"/#/campaigns/{id}");
            await county.Locator("[data-action=forward]").ClickAsync();
            var form = county.Locator("[data-testid=forward-form]");
            await Assertions.Expect(form.Locator("[data-org] input:checked")).ToHaveCountAsync(3);
            await form.Locator("[data-org=pingyang-aojiang]").ClickAsync();
            await Assertions.Expect(form.Locator("[data-org] input:checked")).ToHaveCountAsync(2);
            await form.Locator("textarea[name=requirements]").FillAsync("请各单位于6月19日前报县科协汇总。");
            // 20 June 2020 is a Saturday: refused in Chinese next to the field, nothing forwarded.
            var deadline = form.Locator("input[name=deadline]");
            await deadline.FillAsync("2020-06-20");
            await deadline.PressAsync("Tab");
            await Assertions.Expect(deadline).ToHaveValueAsync("2020-06-20");
            await form.Locator("[data-action=send-forward]").ClickAsync();
            await Assertions.Expect(form.Locator("[data-error=deadline]")).ToContainTextAsync("不是峰会工作日历上的工作日");
            var none = await secretariat.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/summits/{Summit}/campaigns?forwardedFrom={id}");
            Assert.Equal(0, none.GetProperty("items").GetArrayLength());
            await deadline.FillAsync("2020-06-19");
            await deadline.PressAsync("Tab");
            await Assertions.Expect(deadline).ToHaveValueAsync("2020-06-19");
            await form.Locator("[data-action=send-forward]").ClickAsync();
            await Chromium.WaitForAddressAsync(county, "#/campaigns/fw-pingyang-[0-9a-f]+$");
            forward = (await county.EvaluateAsync<string>("location.hash")).Split('/')[2];
            await Assertions.Expect(county.Locator("[data-testid=forward-origin]")).ToContainTextAsync("平阳县");
            await Assertions.Expect(county.Locator("[data-testid=forward-origin] [data-action=open-parent]")).ToHaveTextAsync($"关于开展科技工作者日活动的通知{marker}");
            await Assertions.Expect(county.Locator("[data-testid=campaign-body]")).ToContainTextAsync("请各单位于6月19日前报县科协汇总。");
            await Assertions.Expect(county.Locator("[data-testid=campaign-deadline]")).ToContainTextAsync("6月19日");
            var board = county.Locator("[data-testid=campaign-board]");
            await Assertions.Expect(board.Locator("tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(board.Locator("tr[data-unit='organization:pingyang-kx'] td.name")).ToContainTextAsync("平阳县科学技术协会");

            // The science association, on a phone, finds the forward and hands in with a photo.
            var phone = await fixture.Chromium.NewPageAsync(gateway, output, "org-pingyang-kx", 375, 812, phone: true, scale: 2);
            try
            {
                await Chromium.SignInAsync(phone, "org-pingyang-kx", "#/campaigns");
                var card = phone.Locator($".campaign-card[data-id='{forward}']");
                await Assertions.Expect(card.Locator("[data-slot=mine]")).ToHaveTextAsync("未开始");
                await Assertions.Expect(phone.Locator($".campaign-card[data-id='{id}']")).ToHaveCountAsync(0);
                await card.Locator("[data-action=write]").ClickAsync();
                var submission = phone.Locator("[data-testid=submission-form]");
                await submission.Locator("[data-section=活动总结] textarea").FillAsync("组织科技工作者座谈会2场。");
                await submission.Locator("[data-testid=file-upload] input[type=file]").SetInputFilesAsync(new FilePayload
                {
                    Name = "座谈会.png", MimeType = "image/png", Buffer = Png,
                });
                await Assertions.Expect(submission.Locator("[data-testid=submission-files] img.thumb")).ToHaveCountAsync(1);
                await submission.Locator("[data-action=submit]").ClickAsync();
                var checks = phone.Locator("[data-testid=submit-checks]");
                await checks.Locator("[data-action=confirm-submit]").ClickAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已提交");
                await AssertFitsAsync(phone, "[data-testid=submission-form]", "[data-testid=versions]");
                await Chromium.ScreenshotAsync(phone, "forward-submission-375", fullPage: true);

                // Pingyang returns it with a comment from its board; the association revises and hands in again.
                await county.ReloadAsync();
                var row = board.Locator("tr[data-unit='organization:pingyang-kx']");
                await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "submitted");
                await row.Locator("[data-action=return]").ClickAsync();
                var back = county.Locator("[data-testid=return-dialog]");
                await back.Locator("textarea[data-field=return-comment]").FillAsync("请注明参加人数。");
                await back.Locator("[data-action=send-return]").ClickAsync();
                await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "returned");

                await phone.ReloadAsync();
                await Assertions.Expect(phone.Locator("[data-testid=return-comment]")).ToContainTextAsync("请注明参加人数。");
                await submission.Locator("[data-section=活动总结] textarea").FillAsync("组织科技工作者座谈会2场，参加60人。");
                await submission.Locator("[data-action=submit]").ClickAsync();
                await checks.Locator("[data-action=confirm-submit]").ClickAsync();
                await Assertions.Expect(phone.Locator("[data-testid=submission-status]")).ToHaveTextAsync("已提交");
                Assert.Empty(Chromium.ConsoleErrors(phone));
            }
            finally
            {
                await phone.Context.CloseAsync();
            }

            await county.ReloadAsync();
            var accepted = board.Locator("tr[data-unit='organization:pingyang-kx']");
            await Assertions.Expect(accepted).ToHaveAttributeAsync("data-status", "submitted");
            await accepted.Locator("[data-action=accept]").ClickAsync();
            await county.Locator(".el-message-box:visible .el-message-box__btns .el-button--primary").ClickAsync();
            await Assertions.Expect(accepted).ToHaveAttributeAsync("data-status", "accepted");
            await Chromium.ScreenshotAsync(county, "forward-board");

            // Back on the notice, Pingyang's own row says how far its forward is.
            await county.GotoAsync($"/#/campaigns/{id}");
            await Assertions.Expect(county.Locator("[data-testid=my-forward]")).ToHaveTextAsync("已转发 · 1/2 已报送 · 1 已采纳");

            // The register: Pingyang adds an organisation; it is listed with its category.
            await county.Locator("nav a[href='#/organizations']").ClickAsync();
            await Chromium.WaitForRouteAsync(county, "#/organizations");
            await Assertions.Expect(county.Locator(".organization-card[data-code='pingyang-kx']")).ToContainTextAsync("平阳县科学技术协会");
            await county.Locator("[data-action=add-organization]").ClickAsync();
            var register = county.Locator("[data-testid=organization-form]");
            await register.Locator("input[name=name]").FillAsync($"平阳县青年企业家协会{marker}");
            await Chromium.ChooseAsync(county, register.Locator("[data-select=category]"), "society");
            await register.Locator("input[name=code]").FillAsync($"pingyang-qy-{marker}");
            await register.Locator("[data-action=save-organization]").ClickAsync();
            await Assertions.Expect(county.Locator($".organization-card[data-code='pingyang-qy-{marker}']")).ToContainTextAsync("学会、协会");
            // The refused weekend deadline is the page's only failed request.
            Assert.Collection(Chromium.ConsoleErrors(county), e => Assert.Contains("400 (Bad Request)", e));
        }
        finally
        {
            await county.Context.CloseAsync();
        }

        // The secretariat's board rolls the forward up on Pingyang's row and opens it.
        var desk = await fixture.Chromium.NewPageAsync(gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.GotoAsync($"/#/campaigns/{id}");
            var progress = desk.Locator("tr[data-unit='county:pingyang'] [data-slot=forward]");
            await Assertions.Expect(progress).ToHaveTextAsync("已转发 · 1/2 已报送 · 1 已采纳");
            await progress.ClickAsync();
            await Chromium.WaitForAddressAsync(desk, $"#/campaigns/{forward}$");
            await Assertions.Expect(desk.Locator("tr[data-unit='organization:pingyang-kx']")).ToHaveAttributeAsync("data-status", "accepted");
            Assert.Empty(Chromium.ConsoleErrors(desk));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }
    }
}
