using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>A Gateway process of its own (PostgreSQL, a small demo summit) and Chromium, for comments on a task's page.</summary>
public sealed class CommentsFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "comments", tasks: 60);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}

/// <summary>
/// The secretariat comments on a Pingyang task mentioning 平阳县 (picked by name); Pingyang's account finds the mention in
/// its bell, opens the task from it and replies, on a 375 px phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TaskCommentsBrowserTests(CommentsFixture fixture, ITestOutputHelper output) : IClassFixture<CommentsFixture>
{
    private const string Summit = LiveGateway.Summit;

    [Fact]
    public async Task The_secretariat_mentions_Pingyang_which_sees_it_in_its_bell_and_replies_on_the_task_page()
    {
        var gateway = fixture.Gateway;
        using var api = await gateway.ApiAsync("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..6];
        var title = $"平阳分会场签到动线{marker}";
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var created = await api.PostAsJsonAsync($"/api/summits/{Summit}/tasks",
            new { id, title, category = "venue", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-06-30" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var text = $"请平阳县确认分会场签到动线，周五前反馈。{marker}";

        var desk = await fixture.Chromium.NewPageAsync(gateway, output, "secretariat", 1440, 900);
        try
        {
            await Chromium.SignInAsync(desk, "secretariat", "#/tasks");
            await desk.GotoAsync($"/#/tasks/{id}");
            var comments = desk.Locator("[data-testid=task-comments]");
            await Assertions.Expect(comments).ToContainTextAsync("暂无评论");
            await comments.Locator("textarea[data-field=comment-text]").FillAsync(text);
            // The units are offered by name, never by code.
            await comments.Locator("[data-field=comment-mentions]").ClickAsync();
            var option = desk.Locator(".el-select-dropdown__item[data-value='county:pingyang']:visible");
            await Assertions.Expect(option).ToHaveTextAsync("平阳县");
            var offered = await desk.Locator(".mention-options .el-select-dropdown__item").AllInnerTextsAsync();
            Assert.Contains("秘书处办公室", offered);
            Assert.DoesNotContain(offered, o => o.Contains(':', StringComparison.Ordinal));
            await option.ClickAsync();
            await desk.Keyboard.PressAsync("Escape");
            await comments.Locator("[data-action=send-comment]").ClickAsync();

            var thread = comments.Locator(".comment-thread", new() { HasText = marker });
            await Assertions.Expect(thread.Locator("[data-slot=author]").First).ToHaveTextAsync("secretariat（秘书处）");
            await Assertions.Expect(thread.Locator("[data-mention='county:pingyang']")).ToHaveTextAsync("@平阳县");
            await Assertions.Expect(comments.Locator("textarea[data-field=comment-text]")).ToHaveValueAsync("");
        }
        finally
        {
            await desk.Context.CloseAsync();
        }

        // The mention is stored after the comment's commit; wait for it before Pingyang opens the dashboard.
        using var county = await gateway.ApiAsync("county-pingyang");
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!((JsonArray)(await LiveGateway.GetJsonAsync(county, "/api/me/notifications?limit=100"))["items"]!)
                   .Any(n => n!["kind"]!.ToString() == "mentioned" && n["taskId"]?.ToString() == id))
        {
            Assert.True(DateTime.UtcNow < until, "The mention did not reach Pingyang's inbox within 30 s.");
            await Task.Delay(250);
        }

        var phone = await fixture.Chromium.NewPageAsync(gateway, output, "county-pingyang", 375, 812, phone: true, scale: 2);
        try
        {
            await Chromium.SignInAsync(phone, "county-pingyang", "#/county");
            await phone.Locator("[data-testid=bell]").ClickAsync();
            var mention = phone.Locator("[data-testid=notifications] li", new() { HasText = title });
            await Assertions.Expect(mention).ToContainTextAsync("评论提及");
            await Assertions.Expect(mention).ToContainTextAsync($"峰会秘书处在任务「{title}」的评论中提到了您的单位");
            await mention.Locator("[data-action=open-task]").ClickAsync();
            await Chromium.WaitForRouteAsync(phone, $"#/tasks/{id}");

            var comments = phone.Locator("[data-testid=task-comments]");
            var thread = comments.Locator(".comment-thread", new() { HasText = marker });
            await Assertions.Expect(thread.Locator("[data-mention='county:pingyang']")).ToHaveTextAsync("@平阳县");
            await thread.Locator("[data-action=reply]").ClickAsync();
            await Assertions.Expect(comments.Locator("[data-testid=replying-to]")).ToContainTextAsync("secretariat（秘书处）");
            await comments.Locator("textarea[data-field=comment-text]").FillAsync("收到，周四前反馈签到动线调整方案。");
            await comments.Locator("[data-action=send-comment]").ClickAsync();
            var reply = thread.Locator(".comment.reply");
            await Assertions.Expect(reply.Locator("[data-slot=author]")).ToHaveTextAsync("county-pingyang（平阳县）");
            await Assertions.Expect(reply.Locator("[data-slot=text]")).ToHaveTextAsync("收到，周四前反馈签到动线调整方案。");

            // The comments block fits the phone: nothing sticks out sideways.
            Assert.Equal(0, await phone.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth"));
            foreach (var part in new[] { "[data-testid=task-comments]", "[data-field=comment-mentions]", "[data-action=send-comment]", ".comment.reply" })
            {
                var box = await phone.Locator(part).First.BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"{part} spans {box.X}..{box.X + box.Width} on a 375 px screen.");
            }
            await Chromium.ScreenshotAsync(phone, "task-comments-375", fullPage: true);
        }
        finally
        {
            await phone.Context.CloseAsync();
        }

        var stored = await LiveGateway.GetJsonAsync(api, $"/api/summits/{Summit}/tasks/{id}/comments");
        Assert.Equal(2, (int)stored["total"]!);
        Assert.Equal(stored["items"]![0]!["id"]!.ToString(), stored["items"]![1]!["parent"]!.ToString());
    }
}
