using System.Net;
using System.Text.Json.Nodes;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>Outgoing webhooks against a receiver in the test: retries with backoff, dead letters, and never at the in-app list's expense.</summary>
[Collection(NotificationsGatewayCollection.Name)]
public sealed class WebhookTests(NotificationsGatewayFixture gateway)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string Summit => gateway.Summit;

    private async Task PutWebhookAsync(string unit, string url, object? extra = null)
    {
        var body = new JsonObject { ["url"] = url, ["robot"] = "dingTalk" };
        if (extra is not null)
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject()) body[key] = value?.DeepClone();
        await (await gateway.As("secretariat")).SendAsync(HttpMethod.Put, $"/api/summits/{Summit}/webhooks/{unit}", Api.Api.Json(body.ToJsonString()))
            .ShouldBe(HttpStatusCode.OK);
    }

    private async Task<JsonObject[]> DeadLettersAsync(string unit)
    {
        var list = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{Summit}/webhooks/dead-letters?limit=1000")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return list["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => i["unit"]!.ToString() == unit).ToArray();
    }

    [Fact]
    public async Task A_failing_robot_is_retried_with_backoff_until_it_takes_the_message()
    {
        using var robot = new WebhookReceiver(failFirst: 2);
        await PutWebhookAsync("county:lucheng", robot.Url + "?access_token=lucheng-token", new { keyword = "峰会" });
        var id = await gateway.CreateTaskAsync("county:lucheng", "2020-06-09", "鹿城子活动宣传");
        await gateway.AnnounceOverdueAsync(id);

        // Stored before any post is tried.
        Assert.Single(await gateway.NotificationsAboutAsync("county-lucheng", id));

        await robot.WaitForAsync(3, Patience);
        var posts = robot.Requests.ToArray();
        Assert.Equal([false, false, true], posts.Select(p => p.Accepted));
        // Exponential: at least the base delay, then at least twice it (a little slack for the poll interval).
        var first = posts[1].At - posts[0].At;
        var second = posts[2].At - posts[1].At;
        Assert.True(first >= NotificationsGatewayFixture.BaseDelay * 0.9, $"first retry after {first}");
        Assert.True(second >= NotificationsGatewayFixture.BaseDelay * 1.8, $"second retry after {second}");

        var body = JsonNode.Parse(posts[2].Body)!;
        Assert.Equal("text", body["msgtype"]!.ToString());
        var content = body["text"]!["content"]!.ToString();
        Assert.StartsWith("峰会 ", content);
        Assert.Contains("鹿城子活动宣传", content);
        Assert.Equal(posts[0].Body, posts[2].Body);

        // Delivered: nothing pending, no dead letter, and no further posts.
        await Task.Delay(NotificationsGatewayFixture.BaseDelay * 4);
        Assert.Equal(3, robot.Requests.Count);
        var hook = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{Summit}/webhooks/county:lucheng").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(0, (int)hook["pending"]!);
        Assert.Empty(await DeadLettersAsync("county:lucheng"));
    }

    [Fact]
    public async Task A_robot_that_always_fails_ends_in_a_dead_letter_only_the_secretariat_sees()
    {
        using var robot = new WebhookReceiver(failFirst: -1);
        await PutWebhookAsync("county:ruian", robot.Url + "?access_token=ruian-secret", new { format = "markdown" });
        var id = await gateway.CreateTaskAsync("county:ruian", "2020-06-09", "瑞安汽车零部件对接会");
        await gateway.AnnounceOverdueAsync(id);

        var notification = Assert.Single(await gateway.NotificationsAboutAsync("county-ruian", id));

        await robot.WaitForAsync(NotificationsGatewayFixture.MaxAttempts, Patience);
        var dead = await WaitForDeadLetterAsync("county:ruian");
        Assert.Equal((NotificationsGatewayFixture.MaxAttempts, notification["id"]!.ToString()), ((int)dead["attempts"]!, dead["notificationId"]!.ToString()));
        Assert.Contains("500", dead["lastError"]!.ToString());
        Assert.DoesNotContain("ruian-secret", dead.ToJsonString());
        Assert.Equal("markdown", JsonNode.Parse(dead["body"]!.ToString())!["msgtype"]!.ToString());
        await Task.Delay(NotificationsGatewayFixture.BaseDelay * 4);
        Assert.Equal(NotificationsGatewayFixture.MaxAttempts, robot.Requests.Count);

        // The notification is still there, unread.
        Assert.False((bool)Assert.Single(await gateway.NotificationsAboutAsync("county-ruian", id))["read"]!);

        await (await gateway.As("county-ruian")).GetAsync($"/api/summits/{Summit}/webhooks/dead-letters").ShouldBe(HttpStatusCode.Forbidden);
        await (await gateway.As("leader")).GetAsync($"/api/summits/{Summit}/webhooks/dead-letters").ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_robot_that_is_down_never_holds_back_the_in_app_notification()
    {
        // Nothing listens on this port.
        await PutWebhookAsync("county:wencheng", $"http://127.0.0.1:{FreePort.Next()}/robot/send?access_token=x");
        var id = await gateway.CreateTaskAsync("county:wencheng", "2020-06-09", "文成生态康养论坛");
        await gateway.AnnounceOverdueAsync(id);

        Assert.Single(await gateway.NotificationsAboutAsync("county-wencheng", id));
        var dead = await WaitForDeadLetterAsync("county:wencheng");
        Assert.Equal(NotificationsGatewayFixture.MaxAttempts, (int)dead["attempts"]!);
    }

    [Fact]
    public async Task Webhook_settings_are_the_secretariats()
    {
        var path = $"/api/summits/{Summit}/webhooks/county:cangnan";
        await (await gateway.As("county-cangnan")).SendAsync(HttpMethod.Put, path, new { url = "https://oapi.dingtalk.com/robot/send?access_token=t" })
            .ShouldBe(HttpStatusCode.Forbidden);
        await (await gateway.As("county-cangnan")).GetAsync(path).ShouldBe(HttpStatusCode.Forbidden);

        var secretariat = await gateway.As("secretariat");
        await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.NotFound);
        var invalid = await secretariat.SendAsync(HttpMethod.Put, path, new { url = "ftp://example.com/x" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("url", await invalid.ErrorFieldsAsync());
        await secretariat.SendAsync(HttpMethod.Put, $"/api/summits/{Summit}/webhooks/county:atlantis", new { url = "https://example.com/x" })
            .ShouldBe(HttpStatusCode.NotFound);
        await secretariat.SendAsync(HttpMethod.Put, $"/api/summits/{Summit}/webhooks/nowhere", new { url = "https://example.com/x" })
            .ShouldBe(HttpStatusCode.BadRequest);

        var saved = await (await secretariat.SendAsync(HttpMethod.Put, path,
            new { url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", robot = "weCom", enabled = false }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(("weCom", "text", false, "secretariat"), (saved["robot"]!.ToString(), saved["format"]!.ToString(), (bool)saved["enabled"]!, saved["updatedBy"]!.ToString()));
        var read = await (await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(saved["url"]!.ToString(), read["url"]!.ToString());
        var list = await (await secretariat.GetAsync($"/api/summits/{Summit}/webhooks").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(list["items"]!.AsArray(), h => h!["unit"]!.ToString() == "county:cangnan");
    }

    private async Task<JsonObject> WaitForDeadLetterAsync(string unit)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var dead = await DeadLettersAsync(unit);
            if (dead.Length > 0) return Assert.Single(dead);
            if (DateTime.UtcNow > until) Assert.Fail($"No dead letter for {unit} within {Patience}.");
            await Task.Delay(50);
        }
    }
}
