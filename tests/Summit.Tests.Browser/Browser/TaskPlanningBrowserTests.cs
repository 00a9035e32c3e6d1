using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>A Gateway process of its own (PostgreSQL, a small demo summit) and Chromium, for planning tasks in the browser.</summary>
public sealed class PlanningFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "planning", tasks: 60);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}

/// <summary>
/// The secretariat plans tasks through the screen: creates and edits them in the dialog (If-Match, and both versions
/// when someone else saved first), archives and restores them, reads a task's history in Chinese, and changes a
/// selection at once, each task on its own.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TaskPlanningBrowserTests(PlanningFixture fixture, ITestOutputHelper output) : IClassFixture<PlanningFixture>
{
    private const string Summit = LiveGateway.Summit;
    private static readonly string Tasks = $"/api/summits/{Summit}/tasks";
    private LiveGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task The_secretariat_creates_a_task_with_every_field_then_edits_it_through_a_conflict()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..6];
        var prerequisite = await CreateAsync(api, $"场地踏勘{marker}", "county:pingyang", "2020-06-30");

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.Locator("[data-testid=task-table] tbody tr[data-task]").First.WaitForAsync();
            await page.Locator("[data-action=new-task]").ClickAsync();
            var dialog = page.Locator("[data-testid=task-dialog]");
            await dialog.Locator("[data-testid=task-form]").WaitForAsync();

            var title = $"布置平阳分会场{marker}";
            await dialog.Locator("input[data-field=title]").FillAsync(title);
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=category]"), "venue");
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=owner]"), "county:pingyang");
            await dialog.Locator("input[data-field=assignee]").FillAsync("王明");
            await dialog.Locator("input[data-field=dueDate]").FillAsync("2020-07-20");
            await dialog.Locator("input[data-field=dueTime]").FillAsync("17:30");
            await dialog.Locator("input[data-field=start]").FillAsync("2020-07-01");
            await dialog.Locator("input[data-field=durationDays]").FillAsync("8");
            await dialog.Locator("[data-field=milestone]").ClickAsync();
            // The prerequisite is found by a part of its title.
            await dialog.Locator("[data-field=dependsOn]").ClickAsync();
            await dialog.Locator("[data-field=dependsOn] input").PressSequentiallyAsync($"踏勘{marker}");
            await page.Locator($".el-select-dropdown__item[data-value='{prerequisite}']:visible").ClickAsync();
            await dialog.Locator("textarea[data-field=note]").FillAsync("筹备会议决定新增");

            var created = await page.RunAndWaitForResponseAsync(() => dialog.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/tasks"));
            Assert.Equal(201, created.Status);
            var task = JsonNode.Parse(await created.TextAsync())!;
            var id = task["id"]!.GetValue<string>();
            Assert.Equal(title, task["title"]!.GetValue<string>());
            Assert.Equal("venue", task["category"]!.GetValue<string>());
            Assert.Equal("pingyang", task["owner"]!["code"]!.GetValue<string>());
            Assert.Equal("王明", task["assignee"]!.GetValue<string>());
            Assert.Equal("2020-07-20T17:30", task["dueDate"]!.GetValue<string>());
            Assert.Equal("2020-07-01", task["start"]!.GetValue<string>());
            Assert.Equal(8, task["durationDays"]!.GetValue<int>());
            Assert.True(task["milestone"]!.GetValue<bool>());
            Assert.Equal(prerequisite, task["dependsOn"]![0]!.GetValue<string>());
            var history = await LiveGateway.GetJsonAsync(api, $"{Tasks}/{id}/history");
            Assert.Equal("筹备会议决定新增", history["items"]![0]!["note"]!.GetValue<string>());

            // Its page, then an edit that someone else overtakes: both versions are shown, and the user reloads theirs.
            await page.GotoAsync($"/#/tasks/{id}");
            await Assertions.Expect(page.Locator(".task-detail h1")).ToContainTextAsync(title, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-field=dependsOn]")).ToContainTextAsync($"场地踏勘{marker}");
            await page.Locator("[data-action=edit]").ClickAsync();
            await dialog.Locator("input[data-field=title]").FillAsync(title + "（我的）");
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=owner]"), "county:ruian");
            await LiveGateway.PatchAsync(api, $"{Tasks}/{id}", new { title = title + "（他人）", note = "他人先改" });
            var refused = await page.RunAndWaitForResponseAsync(() => dialog.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(412, refused.Status);
            Assert.Equal("\"1\"", await refused.Request.HeaderValueAsync("if-match"));
            var conflict = dialog.Locator("[data-testid=task-conflict]");
            await Assertions.Expect(conflict).ToContainTextAsync("已被他人修改");
            await Assertions.Expect(conflict.Locator("tr[data-field=title] [data-side=mine]")).ToHaveTextAsync(title + "（我的）");
            await Assertions.Expect(conflict.Locator("tr[data-field=title] [data-side=theirs]")).ToHaveTextAsync(title + "（他人）");
            await Assertions.Expect(conflict.Locator("tr[data-field=owner] [data-side=mine]")).ToHaveTextAsync("瑞安市");
            await Assertions.Expect(conflict.Locator("tr[data-field=owner] [data-side=theirs]")).ToHaveTextAsync("平阳县");
            await Chromium.ScreenshotAsync(page, "task-conflict-1440x900");

            await conflict.Locator("[data-action=reload]").ClickAsync();
            await Assertions.Expect(dialog.Locator("input[data-field=title]")).ToHaveValueAsync(title + "（他人）");
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=owner]"), "county:ruian");
            await dialog.Locator("textarea[data-field=note]").FillAsync("移交瑞安");
            var saved = await page.RunAndWaitForResponseAsync(() => dialog.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(200, saved.Status);
            Assert.Equal("\"2\"", await saved.Request.HeaderValueAsync("if-match"));
            Assert.Equal("""{"owner":{"kind":"county","code":"ruian"},"note":"移交瑞安"}""", saved.Request.PostData);

            // The history in Chinese: who, the change with units by name, and the note.
            var entry = page.Locator("[data-testid=task-history] li[data-version='3']");
            await Assertions.Expect(entry.Locator("[data-slot=who]")).ToHaveTextAsync("secretariat");
            await Assertions.Expect(entry.Locator("tr[data-field=owner] th")).ToHaveTextAsync("责任单位");
            await Assertions.Expect(entry.Locator("tr[data-field=owner] [data-side=before]")).ToHaveTextAsync("平阳县");
            await Assertions.Expect(entry.Locator("tr[data-field=owner] [data-side=after]")).ToHaveTextAsync("瑞安市");
            await Assertions.Expect(entry.Locator("[data-slot=note]")).ToContainTextAsync("移交瑞安");
            await Assertions.Expect(page.Locator("[data-testid=task-history] li[data-version='2'] tr[data-field=title] [data-side=after]"))
                .ToHaveTextAsync(title + "（他人）");
            await Chromium.ScreenshotAsync(page, "task-detail-1440x900", fullPage: true);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_secretariat_archives_a_task_finds_it_under_archived_and_restores_it()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var title = "归档" + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateAsync(api, title, "county:wencheng", "2020-06-12");

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1280, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.GotoAsync($"/#/tasks/{id}");
            await Assertions.Expect(page.Locator(".task-detail h1")).ToContainTextAsync(title, new() { Timeout = 30_000 });
            await page.Locator("input[data-field=archive-note]").FillAsync("并入其他任务");
            var archived = await page.RunAndWaitForResponseAsync(() => page.Locator("[data-action=archive]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(200, archived.Status);
            Assert.Equal("\"1\"", await archived.Request.HeaderValueAsync("if-match"));
            await Assertions.Expect(page.Locator("[data-testid=archived-note]")).ToBeVisibleAsync();
            var entry = page.Locator("[data-testid=task-history] li[data-version='2']");
            await Assertions.Expect(entry.Locator("tr[data-field=archived] th")).ToHaveTextAsync("归档");
            await Assertions.Expect(entry.Locator("tr[data-field=archived] [data-side=after]")).ToHaveTextAsync("是");
            await Assertions.Expect(entry.Locator("[data-slot=note]")).ToContainTextAsync("并入其他任务");

            // Out of the default list, in the archived one.
            await page.GotoAsync("/#/tasks?unit=county:wencheng");
            await Assertions.Expect(page.Locator(".tasks-view")).ToHaveAttributeAsync("data-loading", "false", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator($"tr[data-task='{id}']")).ToHaveCountAsync(0);
            await page.Locator("[data-filter=archived]").ClickAsync();
            await Chromium.WaitForAddressAsync(page, "archived=true");
            await Assertions.Expect(page.Locator($"tr[data-task='{id}']")).ToBeVisibleAsync();
            await page.Locator($"tr[data-task='{id}'] [data-action=open]").ClickAsync();
            await Chromium.WaitForRouteAsync(page, $"#/tasks/{id}");
            var restored = await page.RunAndWaitForResponseAsync(() => page.Locator("[data-action=restore]").ClickAsync(),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{id}"));
            Assert.Equal(200, restored.Status);
            await Assertions.Expect(page.Locator("[data-testid=archived-note]")).ToHaveCountAsync(0);
            var stored = await LiveGateway.GetJsonAsync(api, $"{Tasks}/{id}");
            Assert.False(stored["archived"]!.GetValue<bool>());
            Assert.Equal(3, stored["version"]!.GetValue<int>());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_bulk_edit_changes_each_selected_task_on_its_own_and_reports_each_outcome()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..6];
        // Due at the window's start: moving this one two days earlier leaves the preparation window, so it is refused.
        var early = await CreateAsync(api, $"批量A{marker}", "university:wzvcst", "2020-04-01");
        var second = await CreateAsync(api, $"批量B{marker}", "university:wzvcst", "2020-04-05");
        var third = await CreateAsync(api, $"批量C{marker}", "university:wzvcst", "2020-04-06");

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.GotoAsync("/#/tasks?unit=university:wzvcst");
            foreach (var id in new[] { early, second, third })
            {
                await page.Locator($"tr[data-task='{id}'] [data-action=select]").ClickAsync();
            }
            var bulk = page.Locator("[data-testid=bulk]");
            await Assertions.Expect(bulk).ToContainTextAsync("已选 3 项");
            await Chromium.ChooseAsync(page, bulk.Locator("[data-bulk=owner]"), "university:wzu");
            await bulk.Locator("input[data-bulk=shift]").FillAsync("-2");
            await bulk.Locator("input[data-bulk=note]").FillAsync("统一调整");
            var patches = new List<Microsoft.Playwright.IRequest>();
            page.Request += (_, request) => { if (request.Method == "PATCH") lock (patches) patches.Add(request); };
            await bulk.Locator("[data-action=bulk-apply]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=bulk-summary]")).ToHaveTextAsync("已完成：2 项成功，1 项失败，0 项无需修改", new() { Timeout = 30_000 });

            await Assertions.Expect(page.Locator($"tr[data-task='{early}']")).ToHaveAttributeAsync("data-outcome", "failed");
            await Assertions.Expect(page.Locator($"tr[data-task='{early}'] [data-slot=outcome]")).ToContainTextAsync("截止日期");
            await Assertions.Expect(page.Locator($"tr[data-task='{second}']")).ToHaveAttributeAsync("data-outcome", "ok");
            await Assertions.Expect(page.Locator($"tr[data-task='{third}']")).ToHaveAttributeAsync("data-outcome", "ok");
            lock (patches)
            {
                Assert.Equal(3, patches.Count);
                Assert.All(patches, p => Assert.Equal("\"1\"", p.Headers["if-match"]));
            }

            // Each task changed on its own: its own history row, its own version; the refused one is untouched.
            foreach (var (id, due) in new[] { (second, "2020-04-03"), (third, "2020-04-04") })
            {
                var task = await LiveGateway.GetJsonAsync(api, $"{Tasks}/{id}");
                Assert.Equal(2, task["version"]!.GetValue<int>());
                Assert.Equal("wzu", task["owner"]!["code"]!.GetValue<string>());
                Assert.Equal(due, task["dueDate"]!.GetValue<string>());
                var history = await LiveGateway.GetJsonAsync(api, $"{Tasks}/{id}/history");
                Assert.Equal(2, history["total"]!.GetValue<int>());
                Assert.Equal("统一调整", history["items"]![1]!["note"]!.GetValue<string>());
            }
            var untouched = await LiveGateway.GetJsonAsync(api, $"{Tasks}/{early}");
            Assert.Equal(1, untouched["version"]!.GetValue<int>());
            Assert.Equal("wzvcst", untouched["owner"]!["code"]!.GetValue<string>());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_task_form_works_on_a_375_px_phone()
    {
        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat-phone", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.Locator("[data-testid=task-table] tbody tr[data-task]").First.WaitForAsync();
            await page.Locator("[data-action=new-task]").ClickAsync();
            var dialog = page.Locator("[data-testid=task-dialog]");
            await dialog.Locator("[data-testid=task-form]").WaitForAsync();
            await Assertions.Expect(page.Locator(".el-dialog.is-fullscreen")).ToBeVisibleAsync();

            var title = "手机新建" + Guid.NewGuid().ToString("N")[..6];
            await dialog.Locator("input[data-field=title]").FillAsync(title);
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=category]"), "publicity");
            await Chromium.ChooseAsync(page, dialog.Locator("[data-field=owner]"), "secretariat:publicity");
            await dialog.Locator("input[data-field=dueDate]").FillAsync("2020-07-08");
            // The start after the due date is caught before anything is sent.
            await dialog.Locator("input[data-field=start]").FillAsync("2020-07-09");
            await dialog.Locator("[data-action=save]").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("开始日期不能晚于截止日期");
            await dialog.Locator("input[data-field=start]").FillAsync("2020-07-06");
            await dialog.Locator("input[data-field=durationDays]").FillAsync("2");

            var widths = await page.EvaluateAsync<int[]>(
                "[document.documentElement.scrollWidth, Math.ceil(document.querySelector('.el-dialog').getBoundingClientRect().right)]");
            Assert.True(widths[0] <= 375 && widths[1] <= 375, $"the form is {widths[0]} px wide, its dialog ends at {widths[1]} px on a 375 px phone");
            await Chromium.ScreenshotAsync(page, "task-form-phone-375x812");

            var created = await page.RunAndWaitForResponseAsync(() => dialog.Locator("[data-action=save]").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/tasks"));
            Assert.Equal(201, created.Status);
            var task = JsonNode.Parse(await created.TextAsync())!;
            Assert.Equal(title, task["title"]!.GetValue<string>());
            Assert.Equal("2020-07-06", task["start"]!.GetValue<string>());
            Assert.Equal(2, task["durationDays"]!.GetValue<int>());
            await Assertions.Expect(dialog).ToBeHiddenAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_gantt_shows_arrows_the_critical_path_conflicts_and_the_opening_and_a_drag_patches_the_dates()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..6];
        // A prerequisite with 20 working days of work left cannot finish before its dependent is due: a schedule conflict.
        var before = await CreateAsync(api, $"搭建展台{marker}", "county:ouhai", "2020-06-20");
        await LiveGateway.PatchAsync(api, $"{Tasks}/{before}", new { remainingDays = 20, start = "2020-06-12" });
        var after = $"t-{Guid.NewGuid():N}"[..20];
        (await api.PostAsJsonAsync(Tasks, new
        {
            id = after, title = $"展台验收{marker}", category = "venue", owner = new { kind = "county", code = "ouhai" },
            dueDate = "2020-06-22", start = "2020-06-21", dependsOn = new[] { before },
        })).EnsureSuccessStatusCode();
        var movable = await CreateAsync(api, $"印制手册{marker}", "secretariat:publicity", "2020-07-03");
        await LiveGateway.PatchAsync(api, $"{Tasks}/{movable}", new { start = "2020-06-29" });

        // The deadline engine follows the changes through the change stream; wait until its schedule has the estimate.
        for (var attempt = 0; ; attempt++)
        {
            var plan = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/schedule");
            var entry = plan["tasks"]!.AsArray().FirstOrDefault(t => t!["id"]!.GetValue<string>() == before);
            if (entry is not null && string.CompareOrdinal(entry["projectedFinish"]!.GetValue<string>(), "2020-06-22") > 0) break;
            if (attempt > 100) throw new TimeoutException($"the schedule did not take the estimate: {entry}");
            await Task.Delay(100);
        }

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.GotoAsync("/#/gantt");
            var chart = page.Locator("[data-testid=gantt]");
            await Assertions.Expect(page.Locator(".gantt-view")).ToHaveAttributeAsync("data-loading", "false", new() { Timeout = 30_000 });
            // The schedule follows the changes within about a second; the chart reads it as it loads.
            await Assertions.Expect(chart.Locator($".bar-wrapper[data-id='{after}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bconflict\b"));
            await Assertions.Expect(chart.Locator($".bar-wrapper[data-id='{before}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bconflict\b"));
            await Assertions.Expect(chart.Locator($"path[data-from='{before}'][data-to='{after}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bconflict\b"));
            await Assertions.Expect(page.Locator($"[data-testid=gantt-conflicts] li[data-task='{after}']")).ToContainTextAsync($"前置任务「搭建展台{marker}」");
            await Assertions.Expect(chart.Locator(".bar-wrapper[data-id='opening-day']")).ToHaveCountAsync(1);
            var schedule = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/schedule");
            if (schedule["criticalPath"]!.AsArray().Count > 0)
                Assert.True(await chart.Locator(".bar-wrapper.critical").CountAsync() > 0, "the critical path is marked");
            await Chromium.ScreenshotAsync(page, "gantt-1440x900");

            // Dragging a bar moves its start and due date together, sent with If-Match.
            var bar = chart.Locator($".bar-wrapper[data-id='{movable}'] .bar");
            await bar.ScrollIntoViewIfNeededAsync();
            var box = (await bar.BoundingBoxAsync())!;
            var patched = await page.RunAndWaitForResponseAsync(async () =>
            {
                await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
                await page.Mouse.DownAsync();
                await page.Mouse.MoveAsync(box.X + box.Width / 2 + 60, box.Y + box.Height / 2, new() { Steps = 8 });
                await page.Mouse.MoveAsync(box.X + box.Width / 2 + 130, box.Y + box.Height / 2, new() { Steps = 8 });
                await page.Mouse.UpAsync();
            }, r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/tasks/{movable}"));
            Assert.Equal(200, patched.Status);
            Assert.Equal("\"2\"", await patched.Request.HeaderValueAsync("if-match"));
            var moved = JsonNode.Parse(await patched.TextAsync())!;
            var start = DateOnly.Parse(moved["start"]!.GetValue<string>());
            var due = DateOnly.Parse(moved["dueDate"]!.GetValue<string>());
            Assert.True(start > new DateOnly(2020, 6, 29), $"start {start}");
            Assert.Equal(4, due.DayNumber - start.DayNumber);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_gantt_sets_the_plan_against_its_baseline_and_the_secretariat_approves_it_again_with_a_reason()
    {
        using var api = await Gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..6];
        // Added after the demo plan was approved: not in the baseline until it is approved again.
        var added = await CreateAsync(api, $"增设展台{marker}", "county:ouhai", "2020-07-08");
        var before = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/baseline");
        var version = before["version"]!.GetValue<int>();
        Assert.True(version >= 1, "the demo plan has a baseline");

        var page = await fixture.Chromium.NewPageAsync(Gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(page, "secretariat", "#/tasks");
            await page.GotoAsync("/#/gantt");
            await Assertions.Expect(page.Locator(".gantt-view")).ToHaveAttributeAsync("data-loading", "false", new() { Timeout = 30_000 });
            var status = page.Locator("[data-testid=baseline-status]");
            await Assertions.Expect(status).ToContainTextAsync($"计划基线第 {version} 版");
            var chart = page.Locator("[data-testid=gantt]");
            Assert.True(await chart.Locator(".baseline-mark").CountAsync() > 10, "baseline marks under the bars");
            await Assertions.Expect(chart.Locator($".baseline-mark[data-task='{added}']")).ToHaveCountAsync(0);
            // The demo's slipped tasks are listed with how far they moved.
            var slips = page.Locator("[data-testid=baseline-slips] li");
            Assert.True(await slips.CountAsync() > 0, "the moved tasks are listed");
            await Assertions.Expect(slips.First).ToContainTextAsync("推迟至");
            await Assertions.Expect(status).ToContainTextAsync("项任务截止日期晚于基线");

            // Approving again needs a reason; the new version holds the added task.
            await page.Locator("[data-action=approve-baseline]").ClickAsync();
            var box = page.Locator(".el-message-box");
            await box.WaitForAsync();
            await Assertions.Expect(box).ToContainTextAsync("请说明原因");
            await box.Locator("input").FillAsync($"新增展台任务{marker}后重新批准");
            var approved = await page.RunAndWaitForResponseAsync(
                () => box.Locator(".el-button--primary").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/baseline"));
            Assert.Equal(200, approved.Status);
            Assert.Equal($"\"{version}\"", await approved.Request.HeaderValueAsync("if-match"));
            await Assertions.Expect(status).ToContainTextAsync($"计划基线第 {version + 1} 版");
            await Assertions.Expect(chart.Locator($".baseline-mark[data-task='{added}']")).ToHaveCountAsync(1);
            await Chromium.ScreenshotAsync(page, "gantt-baseline-1440x900");

            // The task's page shows its baseline dates.
            await page.GotoAsync($"/#/tasks/{added}");
            var row = page.Locator("[data-field=baseline]");
            await Assertions.Expect(row).ToContainTextAsync("与基线一致");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-slip", "0");
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // A leader reads the baseline on the chart but has nothing to approve.
        var leader = await fixture.Chromium.NewPageAsync(Gateway, output, "leader", 390, 844);
        try
        {
            await Chromium.SignInAsync(leader, "leader", "#/screen");
            await leader.GotoAsync("/#/gantt");
            await Assertions.Expect(leader.Locator(".gantt-view")).ToHaveAttributeAsync("data-loading", "false", new() { Timeout = 30_000 });
            await Assertions.Expect(leader.Locator("[data-testid=baseline-status]")).ToContainTextAsync($"计划基线第 {version + 1} 版");
            await Assertions.Expect(leader.Locator("[data-action=approve-baseline]")).ToHaveCountAsync(0);
        }
        finally
        {
            await leader.Context.CloseAsync();
        }
    }

    private static async Task<string> CreateAsync(HttpClient api, string title, string owner, string dueDate)
    {
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var (kind, code) = (owner.Split(':')[0], owner.Split(':')[1]);
        var response = await api.PostAsJsonAsync(Tasks, new { id, title, category = "venue", owner = new { kind, code }, dueDate });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {Tasks}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return id;
    }
}
