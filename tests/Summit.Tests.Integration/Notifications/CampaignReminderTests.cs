using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans.Configuration;
using Summit.Notifications;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>
/// Campaign reminders end to end on PostgreSQL, by a fake summit clock: units that have not handed in hear "due soon",
/// "overdue" and the ladder once each however the ticks come, a hand-in stops it, a return starts it again, a closed
/// campaign and a moved deadline stop or reset it, the Gateway and silo restart in the middle, and the webhook posts
/// name the unit by its name.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CampaignReminderTests(PostgresServer server)
{
    private const string Summit = GatewayFactory.Summit;
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private const string Title = "关于报送2020年全国科技工作者日活动总结的通知（提醒测试）";

    private static Instant Local(int day, int hour, int minute = 0) =>
        new LocalDateTime(2020, 6, day, hour, minute).InZoneStrictly(Shanghai).ToInstant();

    private static GatewayFactory Gateway(string database, FakeClock clock) => new(database, new Dictionary<string, string?>
    {
        ["Summit:Webhooks:BaseDelay"] = "00:00:00.200",
        ["Summit:Webhooks:MaxAttempts"] = "5",
        ["Summit:Webhooks:PollInterval"] = "00:00:00.050",
        ["Summit:Webhooks:Timeout"] = "00:00:03",
        // The durable reminder ticks every second, so a restarted silo is woken by it within the test.
        ["Summit:Deadlines:ReminderPeriod"] = "00:00:01",
    }, services =>
    {
        services.AddSingleton<IClock>(clock);
        services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
    });

    private static object CampaignBody(string id, string title, params string[] counties) => new
    {
        id,
        title,
        body = "<p>请于6月15日前报送活动总结。</p>",
        audience = new { allOf = Array.Empty<string>(), units = counties.Select(c => new { kind = "county", code = c }).ToArray() },
        deadline = "2020-06-15",
        template = new { sections = new[] { "活动总结" }, minImages = 0, fileKinds = new[] { "image", "document" } },
        receivers = new[] { new { unitKind = "county", department = "office" } },
    };

    private static async Task PublishAsync(HttpClient secretariat, string id, string title, params string[] counties)
    {
        await secretariat.PostAsync($"/api/summits/{Summit}/campaigns", CampaignBody(id, title, counties)).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"/api/summits/{Summit}/campaigns/{id}", new { status = "published" }).ShouldBe(HttpStatusCode.OK);
    }

    private static object Summary => new { sections = new[] { new { title = "活动总结", text = "<p>组织科技工作者座谈会一场。</p>" } }, files = Array.Empty<string>() };

    /// <summary>The account's notifications about one campaign, oldest first.</summary>
    private static async Task<JsonObject[]> AboutAsync(HttpClient http, string campaign)
    {
        var list = await (await http.GetAsync($"/api/me/notifications?summit={Summit}&limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return list["items"]!.AsArray().Select(n => n!.AsObject()).Where(n => n["campaignId"]?.ToString() == campaign).Reverse().ToArray();
    }

    private static string[] Kinds(IEnumerable<JsonObject> notifications) => notifications.Select(n => n["kind"]!.ToString()).ToArray();

    private static Task<CampaignReminderPass> TickAsync(GatewayFactory gateway) =>
        gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignRemindersGrain>(Summit).Reconcile();

    private static async Task SettleAsync(GatewayFactory gateway) =>
        await gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<Journal.IChangeStreamGrain>(Summit).Drain();

    [Fact]
    public async Task Units_are_reminded_once_climb_the_ladder_and_the_reminder_survives_a_restart()
    {
        var database = await server.CreateDatabaseAsync("campaign-reminders");
        var clock = new FakeClock(Local(10, 9));
        using var robot = new WebhookReceiver(failFirst: 0);
        var id = $"cr-{Guid.NewGuid():N}"[..16];
        var closed = $"cc-{Guid.NewGuid():N}"[..16];
        var moved = $"cm-{Guid.NewGuid():N}"[..16];

        var first = Gateway(database, clock);
        try
        {
            await first.StartAsync();
            var secretariat = await first.SignedInAsync("secretariat");
            await secretariat.SendAsync(HttpMethod.Put, $"/api/summits/{Summit}/webhooks/county:ouhai",
                new { url = robot.Url + "?access_token=ouhai" }).ShouldBe(HttpStatusCode.OK);
            await PublishAsync(secretariat, id, Title, "pingyang", "ouhai");
            await PublishAsync(secretariat, closed, "关闭的通知（提醒测试）", "yongjia");
            await PublishAsync(secretariat, moved, "改期的通知（提醒测试）", "lucheng");
            var pingyang = await first.SignedInAsync("county-pingyang");
            var ouhai = await first.SignedInAsync("county-ouhai");
            var yongjia = await first.SignedInAsync("county-yongjia");
            var lucheng = await first.SignedInAsync("county-lucheng");

            // 10 June: five days ahead, nothing yet.
            await SettleAsync(first);
            await TickAsync(first);
            Assert.Empty(await AboutAsync(ouhai, id));

            // 12 June 09:00: due in 3 days, to each unit once, however many ticks come.
            clock.Reset(Local(12, 9) + Duration.FromSeconds(1));
            await TickAsync(first);
            await TickAsync(first);
            var soon = Assert.Single(await AboutAsync(pingyang, id));
            Assert.Equal("campaignDueSoon", soon["kind"]!.ToString());
            Assert.Equal($"材料报送提醒：平阳县，「{Title}」要求的材料将于6月15日截止（还有3天），尚未提交。", soon["text"]!["zh"]!.ToString());
            Assert.Equal(["campaignDueSoon"], Kinds(await AboutAsync(ouhai, id)));
            Assert.Equal(["campaignDueSoon"], Kinds(await AboutAsync(yongjia, closed)));
            Assert.Equal(["campaignDueSoon"], Kinds(await AboutAsync(lucheng, moved)));

            // Pingyang hands in; Ouhai only saves a draft. The closed campaign stops; the other's deadline moves to 19 June.
            await pingyang.PostAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/pingyang/submit", Summary).ShouldBe(HttpStatusCode.OK);
            await ouhai.SendAsync(HttpMethod.Put, $"/api/summits/{Summit}/campaigns/{id}/submissions/ouhai", Summary).ShouldBe(HttpStatusCode.OK);
            await secretariat.PatchAsync($"/api/summits/{Summit}/campaigns/{closed}", new { status = "closed" }).ShouldBe(HttpStatusCode.OK);
            await secretariat.PatchAsync($"/api/summits/{Summit}/campaigns/{moved}", new { deadline = "2020-06-19", note = "延期" }).ShouldBe(HttpStatusCode.OK);
            await SettleAsync(first);

            // 16 June, just past midnight: Ouhai (a draft) is overdue; Pingyang handed in, Yongjia's campaign is closed,
            // Lucheng's deadline moved: none of them hears anything.
            clock.Reset(Local(16, 0) + Duration.FromSeconds(1));
            await TickAsync(first);
            Assert.Equal(["campaignDueSoon", "campaignOverdue"], Kinds(await AboutAsync(ouhai, id)));
            Assert.Contains("材料报送逾期：瓯海区", (await AboutAsync(ouhai, id))[1]["text"]!["zh"]!.ToString(), StringComparison.Ordinal);
            Assert.Single(await AboutAsync(pingyang, id));
            Assert.Single(await AboutAsync(yongjia, closed));
            Assert.Single(await AboutAsync(lucheng, moved));

            // 16 June 10:00: the moved deadline is 3 days off, a new cycle: Lucheng hears "due soon" again. The secretariat
            // returns Pingyang's submission: it is open again and reminded at once, as overdue from its return.
            clock.Reset(Local(16, 10));
            await secretariat.PostAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/pingyang/return", new { comment = "请补充活动照片。" })
                .ShouldBe(HttpStatusCode.OK);
            await SettleAsync(first);
            await TickAsync(first);
            Assert.Equal(["campaignDueSoon", "campaignDueSoon"], Kinds(await AboutAsync(lucheng, moved)));
            Assert.Contains("6月19日", (await AboutAsync(lucheng, moved))[1]["text"]!["zh"]!.ToString(), StringComparison.Ordinal);
            var returned = await AboutAsync(pingyang, id);
            Assert.Equal(["campaignDueSoon", "campaignOverdue"], Kinds(returned));
            Assert.Contains("材料已退回修改，尚未重新提交", returned[1]["text"]!["zh"]!.ToString(), StringComparison.Ordinal);

            // Ouhai's posts so far: due soon and overdue, naming the unit by its name.
            await robot.WaitForAsync(2, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Down until 18 June 00:30: Ouhai's lead rung (2 days after the deadline) passed while nothing ran.
        clock.Reset(Local(18, 0, 30));
        var second = Gateway(database, clock);
        try
        {
            await second.StartAsync();
            var ouhai = await second.SignedInAsync("county-ouhai");
            var pingyang = await second.SignedInAsync("county-pingyang");
            // Nothing calls the reminder grain: its durable reminder wakes it after the restart.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            while (!Kinds(await AboutAsync(ouhai, id)).Contains("campaignEscalated"))
            {
                if (DateTime.UtcNow > until) Assert.Fail("The lead rung was not reached after the restart.");
                await Task.Delay(200);
            }
            await TickAsync(second);
            var ladder = await AboutAsync(ouhai, id);
            Assert.Equal(["campaignDueSoon", "campaignOverdue", "campaignEscalated"], Kinds(ladder));
            Assert.Equal("lead", ladder[2]["level"]!.ToString());
            Assert.StartsWith("督办：瓯海区未提交", ladder[2]["text"]!["zh"]!.ToString(), StringComparison.Ordinal);
            // Pingyang was returned on the 16th at 10:00: its lead hears it two days after that, not yet.
            Assert.Equal(["campaignDueSoon", "campaignOverdue"], Kinds(await AboutAsync(pingyang, id)));

            // 21 June 10:30: five days after the deadline the secretariat hears of Ouhai and, five after its return, of Pingyang (after its lead).
            clock.Reset(Local(21, 10, 30));
            await TickAsync(second);
            await TickAsync(second);
            var secretariat = await second.SignedInAsync("secretariat");
            var red = await AboutAsync(secretariat, id);
            Assert.Equal(2, red.Count(n => n["kind"]!.ToString() == "campaignEscalated" && n["level"]!.ToString() == "secretariat"));
            Assert.Contains(red, n => n["text"]!["zh"]!.ToString().StartsWith("红色预警：瓯海区未提交", StringComparison.Ordinal));
            Assert.Equal(["campaignDueSoon", "campaignOverdue", "campaignEscalated"], Kinds(await AboutAsync(pingyang, id)));

            // Pingyang hands in again: nothing more for it, whatever the ticks.
            await pingyang.PostAsync($"/api/summits/{Summit}/campaigns/{id}/submissions/pingyang/submit", Summary).ShouldBe(HttpStatusCode.OK);
            await SettleAsync(second);
            clock.Reset(Local(30, 12));
            await TickAsync(second);
            Assert.Equal(3, (await AboutAsync(pingyang, id)).Length);

            // Ouhai's robot got each of its reminders once: due soon, overdue, lead; the secretariat's rung is not Ouhai's.
            until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            string[] Posts() => robot.Requests.Where(r => r.Accepted && r.Body.Contains(Title, StringComparison.Ordinal)).Select(r => r.Body).ToArray();
            while (Posts().Length < 3)
            {
                if (DateTime.UtcNow > until) Assert.Fail("Ouhai's robot got " + string.Join(" | ", Posts()));
                await Task.Delay(100);
            }
            await Task.Delay(500);
            var posts = Posts();
            Assert.Equal(3, posts.Length);
            Assert.All(posts, p => Assert.Contains("瓯海区", p, StringComparison.Ordinal));
            Assert.Single(posts, p => p.Contains("材料报送提醒 Submission reminder", StringComparison.Ordinal));
            Assert.Single(posts, p => p.Contains("材料报送逾期 Submission overdue", StringComparison.Ordinal));
            Assert.Single(posts, p => p.Contains("报送督办 Submission escalation", StringComparison.Ordinal));
            Assert.DoesNotContain(posts, p => p.Contains("\"ouhai\"", StringComparison.Ordinal));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_organisation_late_on_a_forward_is_escalated_to_the_county_that_forwarded_it_not_the_secretariat()
    {
        var database = await server.CreateDatabaseAsync("campaign-forward-reminders");
        var clock = new FakeClock(Local(10, 9));
        var parent = $"cp-{Guid.NewGuid():N}"[..16];
        await using var gateway = Gateway(database, clock);
        await gateway.StartAsync();
        var secretariat = await gateway.SignedInAsync("secretariat");
        await PublishAsync(secretariat, parent, Title, "pingyang");
        var pingyang = await gateway.SignedInAsync("county-pingyang");
        var forwarded = await (await pingyang.PostAsync($"/api/summits/{Summit}/campaigns/{parent}/forward",
            new { deadline = "2020-06-12", organizations = new[] { "pingyang-kx" } }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        var forward = forwarded["id"]!.ToString();
        var kx = await gateway.SignedInAsync("org-pingyang-kx");
        await SettleAsync(gateway);
        await TickAsync(gateway);

        // 13 June: the science association is overdue on Pingyang's internal deadline and hears it itself.
        clock.Reset(Local(13, 0) + Duration.FromSeconds(1));
        await TickAsync(gateway);
        Assert.Equal(["campaignDueSoon", "campaignOverdue"], Kinds(await AboutAsync(kx, forward)));

        // 18 June 10:30, five days after the deadline's end: the last rung goes to Pingyang, which reviews the forward; the secretariat
        // hears nothing of the forward (only of Pingyang's own notice, in its time).
        clock.Reset(Local(18, 10, 30));
        await TickAsync(gateway);
        await TickAsync(gateway);
        var red = (await AboutAsync(pingyang, forward)).Where(n => n["level"]!.ToString() == "secretariat").ToArray();
        var rung = Assert.Single(red);
        Assert.Equal("campaignEscalated", rung["kind"]!.ToString());
        Assert.StartsWith("红色预警：平阳县科学技术协会未提交", rung["text"]!["zh"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(await AboutAsync(secretariat, forward));
        Assert.DoesNotContain(await AboutAsync(kx, forward), n => n["level"]!.ToString() == "secretariat");
    }
}
