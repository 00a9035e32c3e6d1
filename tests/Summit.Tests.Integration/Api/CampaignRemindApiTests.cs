using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// 催报 (<c>POST /campaigns/{id}/remind</c>) and <c>GET /campaigns/{id}/reminders</c> on PostgreSQL: who may send it, the
/// units it reaches (those that have not handed in), once an hour per campaign with a Chinese 429 saying when again,
/// Idempotency-Key retries, and the notifications the units read.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CampaignRemindApiTests(GatewayFixture gateway)
{
    private string Campaigns => $"/api/summits/{gateway.Summit}/campaigns";

    private async Task<string> PublishedAsync(string title, bool publish = true)
    {
        var secretariat = await gateway.As("secretariat");
        var id = $"rm-{Guid.NewGuid():N}"[..16];
        await secretariat.PostAsync(Campaigns, new
        {
            id,
            title,
            body = "<p>请按时报送。</p>",
            audience = new { allOf = Array.Empty<string>(), units = new[] { new { kind = "county", code = "pingyang" }, new { kind = "county", code = "ouhai" }, new { kind = "university", code = "wmu" } } },
            deadline = "2020-06-15",
            template = new { sections = new[] { "活动总结" }, minImages = 0, fileKinds = new[] { "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" }, new { unitKind = "university", department = "academic" } },
        }).ShouldBe(HttpStatusCode.Created);
        if (publish) await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published" }).ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private static async Task<HttpResponseMessage> Remind(HttpClient http, string path, string? key = null, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        if (language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", language);
        return await http.SendAsync(request);
    }

    private async Task<JsonObject[]> NotificationsAsync(string account, string campaign)
    {
        var list = await (await (await gateway.As(account)).GetAsync($"/api/me/notifications?summit={gateway.Summit}&limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return list["items"]!.AsArray().Select(n => n!.AsObject()).Where(n => n["campaignId"]?.ToString() == campaign).ToArray();
    }

    private async Task<JsonObject[]> EventuallyAsync(string account, string campaign)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var found = await NotificationsAsync(account, campaign);
            if (found.Length > 0 || DateTime.UtcNow > until) return found;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_secretariat_reminds_the_units_that_have_not_handed_in_once_an_hour()
    {
        const string title = "关于报送峰会分会场筹备进展的通知（催报测试）";
        var id = await PublishedAsync(title);
        var secretariat = await gateway.As("secretariat");
        var pingyang = await gateway.As("county-pingyang");
        await pingyang.PostAsync($"{Campaigns}/{id}/submissions/pingyang/submit",
            new { sections = new[] { new { title = "活动总结", text = "<p>已完成。</p>" } } }).ShouldBe(HttpStatusCode.OK);

        // Units and leaders may not; a campaign nobody may see is a 404.
        var refused = await (await Remind(pingyang, $"{Campaigns}/{id}/remind").ShouldBe(HttpStatusCode.Forbidden)).ReadJsonAsync();
        Assert.Contains("账号无权执行此操作", refused["detail"]!.ToString(), StringComparison.Ordinal);
        await Remind(await gateway.As("leader"), $"{Campaigns}/{id}/remind").ShouldBe(HttpStatusCode.Forbidden);
        await Remind(await gateway.As("county-lucheng"), $"{Campaigns}/{id}/remind").ShouldBe(HttpStatusCode.NotFound);
        await Remind(secretariat, $"{Campaigns}/no-such-campaign/remind").ShouldBe(HttpStatusCode.NotFound);
        await Remind(secretariat, $"{Campaigns}/{id}/remind?force=true").ShouldBe(HttpStatusCode.BadRequest);

        var key = Guid.NewGuid().ToString();
        var sent = await (await Remind(secretariat, $"{Campaigns}/{id}/remind", key).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, sent["reminded"]!.GetValue<int>());
        Assert.Equal(["county:ouhai", "university:wmu"], sent["units"]!.AsArray().Select(u => $"{u!["kind"]}:{u["code"]}"));
        // A retry with the same key answers the same and sends nothing again.
        var retry = await Remind(secretariat, $"{Campaigns}/{id}/remind", key).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(sent.ToJsonString(), (await retry.ReadJsonAsync()).ToJsonString());
        // The board reads the reminded units as soon as the 催报 is answered, delivered yet or not, each once.
        var answered = await (await secretariat.GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["county:ouhai:1", "university:wmu:1"],
            answered["units"]!.AsArray().Select(u => $"{u!["unit"]!["kind"]}:{u["unit"]!["code"]}:{u["count"]}"));
        Assert.All(answered["units"]!.AsArray(), u => Assert.Equal(sent["at"]!.ToString(), u!["lastRemindedAt"]!.ToString()));

        // The notifications follow the committed nudge at once, in the reminder grain's next turn.
        var ouhai = Assert.Single(await EventuallyAsync("county-ouhai", id));
        Assert.Equal(("campaignNudged", "owner"), (ouhai["kind"]!.ToString(), ouhai["level"]!.ToString()));
        Assert.Equal($"催报：瓯海区，「{title}」要求的材料将于6月15日截止，尚未提交，请尽快提交。", ouhai["text"]!["zh"]!.ToString());
        Assert.Single(await EventuallyAsync("university-wmu", id));
        // Pingyang handed in: not reminded.
        Assert.Empty(await NotificationsAsync("county-pingyang", id));

        // Within the hour: 429 in Chinese saying from when, with Retry-After; nothing sent.
        var tooSoon = await Remind(secretariat, $"{Campaigns}/{id}/remind").ShouldBe((HttpStatusCode)429);
        Assert.NotNull(tooSoon.Headers.RetryAfter?.Delta);
        Assert.InRange(tooSoon.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        var problem = await tooSoon.ReadJsonAsync();
        Assert.Equal("催报过于频繁", problem["title"]!.ToString());
        Assert.Matches(@"^本通知已于\d\d:\d\d催报，每小时最多催报一次，请于\d\d:\d\d后再催报。$", problem["detail"]!.ToString());
        var english = await (await Remind(secretariat, $"{Campaigns}/{id}/remind", language: "en").ShouldBe((HttpStatusCode)429)).ReadJsonAsync();
        Assert.Contains("once an hour", english["detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Single(await NotificationsAsync("county-ouhai", id));

        // The board's reminder column: each unit when last reminded; a unit sees only itself.
        var reminders = await (await secretariat.GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(sent["at"]!.ToString(), reminders["lastNudgeAt"]!.ToString());
        Assert.Equal("secretariat", reminders["lastNudgeBy"]!.ToString());
        Assert.Equal(sent["nextAllowedAt"]!.ToString(), reminders["nextNudgeAt"]!.ToString());
        Assert.Equal(["county:ouhai:1", "university:wmu:1"], reminders["units"]!.AsArray().Select(u => $"{u!["unit"]!["kind"]}:{u["unit"]!["code"]}:{u["count"]}"));
        var own = await (await (await gateway.As("county-ouhai")).GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("ouhai", Assert.Single(own["units"]!.AsArray())!["unit"]!["code"]!.ToString());
        await (await gateway.As("county-lucheng")).GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_a_published_campaign_is_reminded_and_one_every_unit_handed_in_reminds_nobody()
    {
        var secretariat = await gateway.As("secretariat");
        var draft = await PublishedAsync("草稿通知（催报测试）", publish: false);
        var refused = await (await Remind(secretariat, $"{Campaigns}/{draft}/remind").ShouldBe(HttpStatusCode.BadRequest)).ReadJsonAsync();
        Assert.Equal("请检查：状态：通知须为已发布状态才能催报。", refused["detail"]!.ToString());

        var id = await PublishedAsync("已全部报送的通知（催报测试）");
        foreach (var (account, unit) in new[] { ("county-pingyang", "pingyang"), ("county-ouhai", "ouhai"), ("university-wmu", "wmu") })
            await (await gateway.As(account)).PostAsync($"{Campaigns}/{id}/submissions/{unit}/submit",
                new { sections = new[] { new { title = "活动总结", text = "<p>已完成。</p>" } } }).ShouldBe(HttpStatusCode.OK);
        var none = await (await Remind(secretariat, $"{Campaigns}/{id}/remind").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(0, none["reminded"]!.GetValue<int>());
        // Nobody was reminded, so the hour is not spent.
        var reminders = await (await secretariat.GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Null(reminders["lastNudgeAt"]);
        Assert.Empty(reminders["units"]!.AsArray());
    }
}
