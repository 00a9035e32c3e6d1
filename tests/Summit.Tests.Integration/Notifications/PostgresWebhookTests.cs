using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Data.Audit;
using Summit.Hosting.Notifications;
using Summit.Data.Notifications;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>The webhook outbox in PostgreSQL: claims, retries, dead letters, and posts that outlive a restart.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookTests(PostgresServer server)
{
    [Fact]
    public async Task The_outbox_claims_retries_and_dead_letters_posts()
    {
        var database = await server.CreateDatabaseAsync("webhooks");
        await DatabaseMigrator.ApplyAsync(database, NullLogger.Instance);
        await using var dataSource = SummitDataSource.Create(database);
        var store = new PostgresWebhookStore(dataSource);
        var t0 = Instant.FromUtc(2020, 6, 10, 1, 0);

        var config = new WebhookConfig("wyss-2020", "county:pingyang", "https://oapi.dingtalk.com/robot/send?access_token=t",
            WebhookRobot.DingTalk, WebhookFormat.Markdown, true, "峰会", t0, "secretariat");
        await store.PutAsync(config);
        await store.PutAsync(config with { Enabled = false });
        Assert.Equal(config with { Enabled = false }, await store.GetAsync("wyss-2020", "county:pingyang"));
        Assert.Single(await store.ListAsync("wyss-2020"));

        var post = new WebhookPost("wyss-2020", "county:pingyang", "n1", config.Url, """{"msgtype":"text","text":{"content":"平阳"}}""");
        await store.EnqueueAsync([post, post with { NotificationId = "n2" }], t0);
        await store.EnqueueAsync([post], t0);
        Assert.Equal(2, (await store.PendingAsync("wyss-2020")).Count);

        var claimed = await store.ClaimAsync(t0, 1, t0 + Duration.FromMinutes(1));
        var first = Assert.Single(claimed);
        Assert.Equal(("n1", post.Body, 0), (first.NotificationId, first.Body, first.Attempts));
        // Held by its claim: another dispatcher takes the other one only.
        Assert.Equal("n2", Assert.Single(await store.ClaimAsync(t0, 10, t0 + Duration.FromMinutes(1))).NotificationId);
        Assert.Empty(await store.ClaimAsync(t0 + Duration.FromSeconds(30), 10, t0 + Duration.FromMinutes(2)));

        await store.RetryAsync(first.Id, 1, t0 + Duration.FromSeconds(10), "HTTP 500");
        Assert.Empty(await store.ClaimAsync(t0 + Duration.FromSeconds(5), 10, t0 + Duration.FromMinutes(1)));
        var again = Assert.Single(await store.ClaimAsync(t0 + Duration.FromSeconds(10), 10, t0 + Duration.FromMinutes(1)));
        Assert.Equal((1, "HTTP 500"), (again.Attempts, again.LastError));

        await store.DeadLetterAsync(again.Id, 2, "HTTP 503", t0 + Duration.FromSeconds(11));
        await store.DeadLetterAsync(again.Id, 2, "HTTP 503", t0 + Duration.FromSeconds(11));
        var (dead, total) = await store.DeadLettersAsync("wyss-2020", 0, 10);
        Assert.Equal(1, total);
        Assert.Equal(("n1", 2, "HTTP 503", t0), (dead[0].NotificationId, dead[0].Attempts, dead[0].LastError, dead[0].CreatedAt));

        // A claim held by a dispatcher that died expires; the post is still there for the next one.
        var restarted = new PostgresWebhookStore(SummitDataSource.Create(database));
        Assert.Equal("n2", Assert.Single(await restarted.PendingAsync("wyss-2020")).NotificationId);
        Assert.Equal("n2", Assert.Single(await restarted.ClaimAsync(t0 + Duration.FromMinutes(3), 10, t0 + Duration.FromMinutes(4))).NotificationId);
        await restarted.CompleteAsync(dead[0].Id + 1);
        Assert.Empty(await restarted.PendingAsync("wyss-2020"));
    }

    [Fact]
    public async Task A_pending_post_and_the_notification_survive_a_restart()
    {
        var database = await server.CreateDatabaseAsync("webhooks");
        var settings = new Dictionary<string, string?>
        {
            ["Summit:Webhooks:BaseDelay"] = "00:00:01",
            ["Summit:Webhooks:MaxAttempts"] = "20",
            ["Summit:Webhooks:PollInterval"] = "00:00:00.100",
            ["Summit:Webhooks:Timeout"] = "00:00:03",
        };
        using var robot = new WebhookReceiver(failFirst: 0) { Down = true };
        var fixture = new NotificationsGatewayFixture(new GatewayFactory(database, settings));
        string id;
        try
        {
            await fixture.InitializeAsync();
            await (await fixture.As("secretariat")).SendAsync(HttpMethod.Put, $"/api/summits/{fixture.Summit}/webhooks/county:pingyang",
                new { url = robot.Url + "?access_token=pingyang" }).ShouldBe(HttpStatusCode.OK);
            id = await fixture.CreateTaskAsync("county:pingyang", "2020-06-09", "平阳分会场防疫方案");
            await fixture.AnnounceOverdueAsync(id);
            await robot.WaitForAsync(1, TimeSpan.FromSeconds(30));
            await WaitForAsync(database, "SELECT count(*) FROM summit_webhook_outbox WHERE attempts >= 1 AND locked_until IS NULL");
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        robot.Down = false;
        var again = new NotificationsGatewayFixture(new GatewayFactory(database, settings));
        try
        {
            await again.InitializeAsync();
            // Stored in grain state: still listed after the restart.
            Assert.Single(await again.NotificationsAboutAsync("county-pingyang", id));
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!robot.Requests.Any(r => r.Accepted && r.Body.Contains("已逾期 Overdue", StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > until) Assert.Fail("The pending post was not delivered after the restart.");
                await Task.Delay(50);
            }
            // The overdue post that waited out the restart arrives once; the ladder may have more to say by then (the
            // cluster clock keeps moving), but nothing is posted twice.
            var accepted = robot.Requests.Where(r => r.Accepted).Select(r => r.Body).ToArray();
            Assert.Single(accepted, b => b.Contains("平阳分会场防疫方案", StringComparison.Ordinal) && b.Contains("已逾期 Overdue", StringComparison.Ordinal));
            Assert.True(accepted.Length == accepted.Distinct(StringComparer.Ordinal).Count(), "Posted twice: " + string.Join(" | ", accepted));
            await WaitForAsync(database, "SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM summit_webhook_outbox");
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    /// <summary>Waits until the query answers a positive count.</summary>
    private static async Task WaitForAsync(string database, string sql)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0) return;
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out waiting for: {sql}");
            await Task.Delay(50);
        }
    }
}
