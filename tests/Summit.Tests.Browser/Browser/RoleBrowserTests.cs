using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// Each role other than the secretariat's task planning does its job in real Chromium, signed in through the sign-in
/// page: the admin manages accounts, a university edits its sub-forums and projects, a county updates its own tasks on
/// a phone, and a leader reads everything without a way to change it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RoleBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Summit = LiveGateway.Summit;
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task The_admin_creates_moves_resets_disables_and_enables_an_account_in_chinese()
    {
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "admin", 1440, 900);
        using var anonymous = new HttpClient { BaseAddress = Gateway.BaseAddress };
        try
        {
            await Chromium.SignInAsync(page, "admin", "#/accounts");
            var rows = page.Locator("[data-testid=account-table] tbody tr[data-account]");
            await rows.First.WaitForAsync();
            // Units by their names, roles in Chinese, never codes.
            var pingyang = page.Locator("tr[data-account='county-pingyang']");
            await Assertions.Expect(pingyang.Locator("[data-testid=account-unit]")).ToHaveTextAsync("平阳县");
            await Assertions.Expect(pingyang.Locator("[data-testid=account-role]")).ToHaveTextAsync("县（市、区）");
            await Assertions.Expect(page.Locator("tr[data-account='leader'] [data-testid=account-unit]")).ToHaveTextAsync("—");
            // An organisation's account: its role, and its code as typed when the account was opened.
            var association = page.Locator("tr[data-account='org-pingyang-kx']");
            await Assertions.Expect(association.Locator("[data-testid=account-role]")).ToHaveTextAsync("下属单位");
            await Assertions.Expect(association.Locator("[data-testid=account-unit]")).ToHaveTextAsync("pingyang-kx");
            // An admin cannot disable the account it is signed in with: the button is not offered.
            Assert.Equal(0, await page.Locator("tr[data-account='admin'] [data-action=disable]").CountAsync());

            // Sorted first by username, so it is on the first page.
            var username = "aa-" + Guid.NewGuid().ToString("N")[..8];
            await page.Locator("[data-action=create]").ClickAsync();
            var dialog = page.Locator("[data-testid=account-form]");
            await dialog.Locator("input[name=username]").FillAsync(username);
            await dialog.Locator("input[name=displayName]").FillAsync("瑞安市筹备办");
            await ChooseAsync(page, dialog.Locator("[data-select=role]"), "county", "县（市、区）");
            await ChooseAsync(page, dialog.Locator("[data-select=unit]"), "ruian", "瑞安市");
            await dialog.Locator("input[name=password]").FillAsync("short");
            await ConfirmAsync(page, () => dialog.Locator("[data-action=save]").ClickAsync(), "确定新建账号");
            // The API's refusal, on the field it names, in Chinese.
            var passwordError = dialog.Locator("[data-field=password] .el-form-item__error");
            await Assertions.Expect(passwordError).ToContainTextAsync("初始密码：须为 8–128 个字符");
            using var admin = await Gateway.ApiAsync("admin");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync($"/api/accounts/{username}")).StatusCode);

            await dialog.Locator("input[name=password]").FillAsync("ruian-harbour-2020");
            var created = await ConfirmAsync(page, () => dialog.Locator("[data-action=save]").ClickAsync(), "确定新建账号",
                r => r.Request.Method == "POST" && r.Url.EndsWith("/api/accounts"));
            Assert.Equal(201, created!.Status);
            var row = page.Locator($"tr[data-account='{username}']");
            await Assertions.Expect(row.Locator("[data-testid=account-unit]")).ToHaveTextAsync("瑞安市");
            await Assertions.Expect(row.Locator("[data-testid=account-display-name]")).ToHaveTextAsync("瑞安市筹备办");

            // Move it to Pingyang.
            await row.Locator("[data-action=edit]").ClickAsync();
            await ChooseAsync(page, dialog.Locator("[data-select=unit]"), "pingyang", "平阳县");
            await ConfirmAsync(page, () => dialog.Locator("[data-action=save]").ClickAsync(), "平阳县",
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/accounts/{username}"));
            await Assertions.Expect(row.Locator("[data-testid=account-unit]")).ToHaveTextAsync("平阳县");
            var me = await MeAsync(anonymous, username, "ruian-harbour-2020");
            Assert.Equal("pingyang", me!["unit"]!.GetValue<string>());

            // Reset its password.
            await row.Locator("[data-action=password]").ClickAsync();
            await dialog.Locator("input[name=password]").FillAsync("pingyang-tea-2020");
            await ConfirmAsync(page, () => dialog.Locator("[data-action=save]").ClickAsync(), "重置",
                r => r.Request.Method == "POST" && r.Url.EndsWith("/password"));
            Assert.Null(await MeAsync(anonymous, username, "ruian-harbour-2020"));
            Assert.NotNull(await MeAsync(anonymous, username, "pingyang-tea-2020"));

            // Disable, then enable.
            await ConfirmAsync(page, () => row.Locator("[data-action=disable]").ClickAsync(), "停用",
                r => r.Request.Method == "POST" && r.Url.EndsWith("/disable"));
            await Assertions.Expect(row.Locator("[data-testid=account-state]")).ToHaveTextAsync("已停用");
            Assert.Null(await MeAsync(anonymous, username, "pingyang-tea-2020"));
            await ConfirmAsync(page, () => row.Locator("[data-action=enable]").ClickAsync(), "启用",
                r => r.Request.Method == "POST" && r.Url.EndsWith("/enable"));
            await Assertions.Expect(row.Locator("[data-testid=account-state]")).ToHaveTextAsync("启用");
            Assert.NotNull(await MeAsync(anonymous, username, "pingyang-tea-2020"));

            // Views of other roles send the admin back to the accounts.
            await page.GotoAsync("/#/screen");
            await Chromium.WaitForRouteAsync(page, "#/accounts");
            await Chromium.ScreenshotAsync(page, "accounts-admin");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_admin_screen_fits_a_375px_phone()
    {
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "admin", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "admin", "#/accounts");
            await page.Locator("tr[data-account='county-pingyang']").WaitForAsync();
            await AssertNoSidewaysScrollAsync(page);
            await Assertions.Expect(page.Locator("tr[data-account='county-pingyang'] [data-action=disable]")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_university_edits_its_sub_forum_and_project_on_a_phone_and_is_told_when_someone_saved_first()
    {
        using var secretariat = await Gateway.ApiAsync("secretariat");
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "university-wmu", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "university-wmu", "#/university");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("温州医科大学");
            var card = page.Locator("[data-subforum]").First;
            await card.WaitForAsync();
            await AssertNoSidewaysScrollAsync(page);
            var id = (await card.GetAttributeAsync("data-subforum"))!;
            var path = $"/api/summits/{Summit}/subforums/{id}";

            await card.Locator("[data-action=edit-subforum]").ClickAsync();
            var form = page.Locator("[data-testid=edit-form]");
            var venue = "温医大茶山校区学术报告厅" + Guid.NewGuid().ToString("N")[..4];
            await form.Locator("input[name=venue]").FillAsync(venue);

            // The secretariat saves a change of the same sub-forum first.
            var theirs = "秘书处调整主题" + Guid.NewGuid().ToString("N")[..4];
            await LiveGateway.PatchAsync(secretariat, path, new { theme = theirs });

            var refused = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith(path));
            Assert.Equal(412, refused.Status);
            await Assertions.Expect(page.Locator("[data-testid=edit-conflict]")).ToContainTextAsync("已有他人修改");
            // The form now shows their theme; the venue is typed again and saved over their version.
            await Assertions.Expect(form.Locator("input[name=theme]")).ToHaveValueAsync(theirs);
            await form.Locator("input[name=venue]").FillAsync(venue);
            var saved = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith(path));
            Assert.Equal(200, saved.Status);
            var stored = await LiveGateway.GetJsonAsync(secretariat, path);
            Assert.Equal($"\"{stored["version"]!.GetValue<int>() - 1}\"", await saved.Request.HeaderValueAsync("if-match"));
            Assert.Equal(venue, stored["venue"]!.GetValue<string>());
            Assert.Equal(theirs, stored["theme"]!.GetValue<string>());
            await Assertions.Expect(page.Locator($"[data-subforum='{id}'] .meta").First).ToContainTextAsync(venue);

            // A project it partners: the enterprises involved.
            var project = page.Locator("[data-project]").First;
            await project.WaitForAsync();
            var projectId = (await project.GetAttributeAsync("data-project"))!;
            await project.Locator("[data-action=edit-project]").ClickAsync();
            var enterprises = form.Locator("[data-field=enterprisesInvolved] input");
            var before = int.Parse(await enterprises.InputValueAsync());
            await enterprises.FillAsync((before + 2).ToString());
            await enterprises.BlurAsync();
            var projectSaved = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/projects/{projectId}"));
            Assert.Equal(200, projectSaved.Status);
            var storedProject = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/projects/{projectId}");
            Assert.Equal(before + 2, storedProject["enterprisesInvolved"]!.GetValue<int>());
            await Assertions.Expect(page.Locator($"[data-project='{projectId}']")).ToContainTextAsync($"对接企业 {before + 2} 家");
            await Chromium.ScreenshotAsync(page, "university-phone", fullPage: true);

            // Another university's page shows nothing of it.
            await page.GotoAsync("/#/university/wzu");
            await Assertions.Expect(page.Locator("[data-testid=university-error]")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-subforum]").CountAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_county_updates_its_own_tasks_on_a_375px_phone()
    {
        using var secretariat = await Gateway.ApiAsync("secretariat");
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "county-pingyang", "#/county");
            await page.Locator("[data-subevent]").First.WaitForAsync();
            await page.Locator("[data-tab=tasks]").ClickAsync();
            await Chromium.WaitForAddressAsync(page, "tab=tasks");
            var cards = page.Locator("[data-testid=county-tasks] [data-task]");
            await cards.First.WaitForAsync();
            // Cards, not a wide table, and nothing runs off the side of the phone.
            Assert.Equal(0, await page.Locator("[data-testid=county-tasks] table").CountAsync());
            await AssertNoSidewaysScrollAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=county-tasks] h2")).ToHaveTextAsync("平阳县负责的任务");

            // Every task listed is Pingyang's.
            var ids = await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.task)");
            foreach (var taskId in ids.Take(5))
            {
                var stored = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/tasks/{taskId}");
                Assert.Equal("pingyang", stored["owner"]!["code"]!.GetValue<string>());
            }

            // An open task: percent and a progress note.
            var open = page.Locator("[data-testid=county-tasks] [data-task]:not([data-status=done]):not([data-status=cancelled])").First;
            var id = (await open.GetAttributeAsync("data-task"))!;
            // From here on the card is this task's, wherever the list puts it.
            var card = page.Locator($"[data-testid=county-tasks] [data-task='{id}']");
            var version = await card.GetAttributeAsync("data-version");
            var percent = int.Parse((await card.GetAttributeAsync("data-percent"))!);
            var next = percent >= 90 ? percent - 10 : percent + 10;
            var form = card.Locator("[data-testid=task-update]");
            await Chromium.TapToOpenAsync(page, card.Locator("[data-action=update-task]"), form, output, "county-task-update");
            var input = form.Locator("input[name=percentComplete]");
            await input.FillAsync(next.ToString());
            await input.BlurAsync();
            var note = "场地已踏勘" + Guid.NewGuid().ToString("N")[..4];
            await form.Locator("textarea[name=note]").FillAsync(note);
            var response = await page.RunAndWaitForResponseAsync(() => form.Locator("[data-action=save-task]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(200, response.Status);
            Assert.Equal($"\"{version}\"", await response.Request.HeaderValueAsync("if-match"));
            await Assertions.Expect(page.Locator($"[data-task='{id}']")).ToHaveAttributeAsync("data-percent", next.ToString());
            var task = await LiveGateway.GetJsonAsync(secretariat, $"/api/summits/{Summit}/tasks/{id}");
            Assert.Equal(next, task["percentComplete"]!.GetValue<int>());

            // The sub-events stay editable on the same phone.
            await page.Locator("[data-tab=venue]").ClickAsync();
            var check = page.Locator("[data-subevent] button[data-action=check]:not([disabled])").First;
            var subEvent = await check.EvaluateAsync<string>("b => b.dataset.id");
            var tapped = await page.RunAndWaitForResponseAsync(() => check.ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/sub-events/{subEvent}"));
            Assert.Equal(200, tapped.Status);

            // And a sub-event's details: its venue, in a dialog, with If-Match.
            var edit = page.Locator($"[data-subevent='{subEvent}'] [data-action=edit-subevent]");
            await Assertions.Expect(edit).ToBeEnabledAsync();
            await edit.ClickAsync();
            var details = page.Locator("[data-testid=subevent-form]");
            var place = "平阳县会展中心" + Guid.NewGuid().ToString("N")[..4];
            await details.Locator("input[name=venue]").FillAsync(place);
            var changed = await page.RunAndWaitForResponseAsync(() => details.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/sub-events/{subEvent}"));
            Assert.Equal(200, changed.Status);
            Assert.NotNull(await changed.Request.HeaderValueAsync("if-match"));
            await Assertions.Expect(page.Locator($"[data-subevent='{subEvent}'] .meta")).ToContainTextAsync(place);
            await Chromium.ScreenshotAsync(page, "county-tasks-phone");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_leader_reads_counties_tasks_and_universities_without_any_way_to_change_them()
    {
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "leader", 1440, 900);
        var writes = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method is "PATCH" or "PUT" or "DELETE" || (request.Method == "POST" && !request.Url.Contains("/hubs/") && !request.Url.Contains("/auth/")))
                lock (writes) writes.Add($"{request.Method} {request.Url}");
        };
        try
        {
            await Chromium.SignInAsync(page, "leader", "#/screen");

            await page.GotoAsync("/#/county/pingyang");
            await page.Locator("[data-subevent]").First.WaitForAsync();
            Assert.Equal(0, await page.Locator("button[data-action=check]:not([disabled])").CountAsync());
            Assert.Equal(0, await page.Locator("[data-action=status]").CountAsync());
            await page.Locator("[data-tab=tasks]").ClickAsync();
            await page.Locator("[data-testid=county-tasks] [data-task]").First.WaitForAsync();
            Assert.Equal(0, await page.Locator("[data-action=update-task]").CountAsync());

            await page.GotoAsync("/#/university/wmu");
            await page.Locator("[data-subforum]").First.WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=read-only]")).ToHaveTextAsync("只读");
            Assert.Equal(0, await page.Locator("[data-action=edit-subforum], [data-action=edit-project]").CountAsync());
            // The chooser names universities in Chinese.
            await page.Locator("[data-action=choose]").ClickAsync();
            await Assertions.Expect(page.Locator(".el-select-dropdown__item[data-value=wzu]:visible")).ToHaveTextAsync("温州大学");
            await page.Keyboard.PressAsync("Escape");

            // No account management for leaders.
            await page.GotoAsync("/#/accounts");
            await Chromium.WaitForRouteAsync(page, "#/screen");
            lock (writes) Assert.Empty(writes);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Chooses an option of a select in a dialog and waits until the select shows it and its list has closed. A dialog
    /// still opening moves its selects, so a click can miss while the list stays open; then the choice is made again.
    /// </summary>
    private static async Task ChooseAsync(IPage page, ILocator select, string value, string shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Chromium.ChooseAsync(page, select, value);
            try
            {
                await Assertions.Expect(select).ToContainTextAsync(shown, new() { Timeout = 5_000 });
                await Assertions.Expect(page.Locator(".el-select-dropdown__item:visible")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // A click outside the list closes it (Escape would close the dialog as well).
                await page.Locator(".el-dialog__header:visible").ClickAsync();
            }
        }
    }

    /// <summary>Clicks, accepts the confirmation box that must name <paramref name="question"/>, and returns the response matched.</summary>
    private static async Task<IResponse?> ConfirmAsync(IPage page, Func<Task> click, string question, Func<IResponse, bool>? response = null)
    {
        await click();
        var box = page.Locator(".el-message-box:visible");
        await Assertions.Expect(box).ToContainTextAsync(question);
        var confirm = box.Locator(".el-message-box__btns .el-button--primary");
        if (response is null)
        {
            await confirm.ClickAsync();
            return null;
        }
        return await page.RunAndWaitForResponseAsync(() => confirm.ClickAsync(), response);
    }

    /// <summary>The account's <c>/api/auth/me</c> when it can sign in with this password, else null.</summary>
    private static async Task<JsonNode?> MeAsync(HttpClient http, string username, string password)
    {
        var token = await http.PostAsJsonAsync("/api/auth/token", new { username, password });
        if (!token.IsSuccessStatusCode) return null;
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var me = await http.SendAsync(request);
        return me.IsSuccessStatusCode ? await me.Content.ReadFromJsonAsync<JsonNode>() : null;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone's screen");
    }
}
