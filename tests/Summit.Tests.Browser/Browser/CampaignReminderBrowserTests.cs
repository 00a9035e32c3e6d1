using Microsoft.Playwright;

namespace Summit.Tests.Browser;

/// <summary>
/// 催报 in Chromium on the campaigns' Gateway: the secretariat presses it on a notice's board, sees how many units it
/// reached and when the next may be sent, and each unit's row says when it was last reminded; Pingyang, on a phone,
/// finds the reminder in the bell and opens its submission page from it. No page logs an error.
/// </summary>
public sealed partial class CampaignBrowserTests
{
    [Fact]
    public async Task The_secretariat_presses_催报_and_Pingyang_opens_its_submission_from_the_bell()
    {
        var gateway = fixture.Gateway;
        var title = $"关于报送分会场安保方案的通知{Guid.NewGuid().ToString("N")[..6]}";
        string id;
        using (var api = await gateway.ApiAsync("secretariat")) id = await PublishAsync(api, title, "2020-06-30");
        // Ouhai has handed in: it is not reminded.
        await SubmitAsync(id, "county", "ouhai");

        var desk = await fixture.Chromium.NewPageAsync(gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.GotoAsync($"/#/campaigns/{id}");
            var board = desk.Locator("[data-testid=campaign-board]");
            await Assertions.Expect(board.Locator("tr[data-unit='county:ouhai']")).ToHaveAttributeAsync("data-status", "submitted");
            var remind = board.Locator("[data-testid=campaign-remind] [data-action=remind]");
            await Assertions.Expect(remind).ToBeEnabledAsync();
            await Assertions.Expect(board.Locator("tr[data-unit='county:pingyang'] [data-slot=reminded]")).ToHaveCountAsync(0);

            await remind.ClickAsync();
            var box = desk.Locator(".el-message-box:visible");
            await Assertions.Expect(box).ToContainTextAsync("尚未提交的单位");
            await box.Locator(".el-message-box__btns .el-button--primary").ClickAsync();
            var summary = board.Locator("[data-testid=remind-summary]");
            await Assertions.Expect(summary).ToContainTextAsync("个尚未提交的单位催报");
            await Assertions.Expect(summary).ToContainTextAsync("后可再次催报");
            // Once an hour: the button waits.
            await Assertions.Expect(remind).ToBeDisabledAsync();
            await Assertions.Expect(board.Locator("tr[data-unit='county:pingyang'] [data-slot=reminded]")).ToContainTextAsync("上次提醒");
            await Assertions.Expect(board.Locator("tr[data-unit='county:ouhai'] [data-slot=reminded]")).ToHaveCountAsync(0);
            await Chromium.ScreenshotAsync(desk, "campaign-remind-board");
            Assert.Empty(Chromium.ConsoleErrors(desk));
        }
        finally
        {
            await desk.Context.CloseAsync();
        }

        // Pingyang, on a phone: the reminder in the bell names it and the notice, and opens its submission.
        var phone = await fixture.Chromium.NewPageAsync(gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
            await phone.Locator("[data-testid=bell]").ClickAsync();
            var item = phone.Locator("[data-testid=notifications] li[data-notification]", new() { HasText = title });
            await Assertions.Expect(item).ToHaveCountAsync(1);
            await Assertions.Expect(item.Locator(".bell-kind")).ToHaveTextAsync("催报");
            await Assertions.Expect(item.Locator(".bell-text")).ToContainTextAsync($"催报：平阳县，「{title}」要求的材料将于6月30日截止，尚未提交");
            await item.Locator("[data-action=open-campaign]").ClickAsync();
            await Chromium.WaitForRouteAsync(phone, $"#/campaigns/{id}/submission");
            await Assertions.Expect(phone.Locator("[data-testid=submission-form]")).ToBeVisibleAsync();
            await Chromium.ScreenshotAsync(phone, "campaign-remind-phone");
            Assert.Empty(Chromium.ConsoleErrors(phone));
        }
        finally
        {
            await phone.Context.CloseAsync();
        }
    }
}
