using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Data.Accounts;
using Summit.Data.Audit;
using Summit.Data.Notifications;
using Summit.Data.Storage;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Scheduling;
using Summit.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// The announcements, webhooks, accounts and summit editions as queries: each page is cut in SQL in the list's order,
/// with the total of every match, filters (a task, the owners whose tasks the reader may read) are conditions of the
/// query, and the accounts and summits pages read an index in their order instead of sorting the table.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ListPageQueryTests(PostgresServer server)
{
    private static readonly Instant At = Instant.FromUtc(2020, 6, 12, 1, 0);

    [Fact]
    public async Task Announcement_pages_come_oldest_first_and_owners_see_only_their_stored_tasks()
    {
        await using var dataSource = SummitDataSource.Create(await server.CreateMigratedDatabaseAsync("announcement_pages"));
        await using var entities = new PostgresEntityStore(dataSource, NullLogger<PostgresEntityStore>.Instance);
        await PutTaskAsync(entities, "ap", "t-1", OwningUnit.County("pingyang"));
        await PutTaskAsync(entities, "ap", "t-2", OwningUnit.County("ruian"));
        await PutTaskAsync(entities, "other", "t-1", OwningUnit.County("ruian"));

        var a = Record("t-1", DueKind.DueSoon, 3, 0);
        var b = Record("t-2", DueKind.DueSoon, 3, 1);
        var c = Record("t-1", DueKind.Overdue, null, 2);
        var d = Record("t-2", DueKind.DueToday, null, 3);
        // A task no longer stored: everyone who reads the whole summit still sees what was announced for it.
        var e = Record("t-9", DueKind.Overdue, null, 4);
        var store = new PostgresAnnouncementStore(dataSource);
        await store.AppendAsync("ap", [a, b, c]);
        await store.AppendAsync("ap", [d, e]);
        await store.AppendAsync("other", [a, b]);

        async Task Expect(AnnouncementListQuery query, DueAnnouncementRecord[] items, int total)
        {
            var page = await store.QueryAsync(query);
            Assert.Equal(items, page.Items);
            Assert.Equal(total, page.Total);
        }

        var all = new AnnouncementListQuery("ap");
        await Expect(all, [a, b, c, d, e], 5);
        await Expect(all with { Offset = 1, Limit = 2 }, [b, c], 5);
        await Expect(all with { Offset = 5 }, [], 5);
        await Expect(all with { TaskId = "t-1" }, [a, c], 2);
        await Expect(all with { TaskId = "t-9" }, [e], 1);

        OwningUnit[] pingyang = [OwningUnit.County("pingyang")];
        await Expect(all with { Owners = pingyang }, [a, c], 2);
        await Expect(all with { Owners = pingyang, Offset = 1, Limit = 1 }, [c], 2);
        await Expect(all with { Owners = [OwningUnit.County("pingyang"), OwningUnit.County("ruian")], TaskId = "t-2" }, [b, d], 2);
        await Expect(all with { Owners = pingyang, TaskId = "t-2" }, [], 0);
        await Expect(all with { Owners = [OwningUnit.University("wmu")] }, [], 0);
        await Expect(all with { Owners = [] }, [], 0);
    }

    [Fact]
    public async Task Webhook_pages_come_by_unit_with_their_pending_posts()
    {
        await using var dataSource = SummitDataSource.Create(await server.CreateMigratedDatabaseAsync("webhook_pages"));
        var store = new PostgresWebhookStore(dataSource);
        foreach (var (summit, unit) in new[] { ("w1", "secretariat:office"), ("w1", "county:ruian"), ("w1", "county:pingyang"), ("w2", "county:ruian") })
            await store.PutAsync(new WebhookConfig(summit, unit, $"https://oapi.dingtalk.com/robot/send?access_token={unit}",
                WebhookRobot.DingTalk, WebhookFormat.Text, true, null, At, "secretariat"));
        WebhookPost Post(string summit, string unit, string id) => new(summit, unit, id, "https://example.invalid/", "{}");
        await store.EnqueueAsync([Post("w1", "county:ruian", "n1"), Post("w1", "county:ruian", "n2"), Post("w1", "secretariat:office", "n3"),
            Post("w2", "county:ruian", "n4")], At);

        var (first, total) = await store.PageAsync("w1", 0, 2);
        Assert.Equal(3, total);
        Assert.Equal([("county:pingyang", 0), ("county:ruian", 2)], first.Select(h => (h.Webhook.Unit, h.Pending)));
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=county:ruian", first[1].Webhook.Url);
        var (rest, again) = await store.PageAsync("w1", 2, 10);
        Assert.Equal(3, again);
        Assert.Equal([("secretariat:office", 1)], rest.Select(h => (h.Webhook.Unit, h.Pending)));
        Assert.Equal(0, (await store.PageAsync("w3", 0, 10)).Total);
    }

    [Fact]
    public async Task Account_pages_come_by_username_from_an_index()
    {
        await using var dataSource = SummitDataSource.Create(await server.CreateMigratedDatabaseAsync("account_pages"));
        var store = new PostgresAccountStore(dataSource);
        string[] names = ["secretariat", "county-pingyang", "admin", "leader", "county-ruian"];
        foreach (var name in names)
        {
            var county = name.StartsWith("county-", StringComparison.Ordinal);
            var account = new Account(name, county ? Role.County : Enum.Parse<Role>(name, ignoreCase: true), county ? name[7..] : null, At, null, At);
            Assert.True(await store.CreateAsync(new StoredAccount(account, "hash", StoredAccount.NewStamp())));
        }

        var (page, total) = await store.ListAsync(1, 3);
        Assert.Equal(5, total);
        Assert.Equal(["county-pingyang", "county-ruian", "leader"], page.Select(a => a.Username));
        Assert.Equal((Role.County, "pingyang"), (page[0].Role, page[0].Unit));
        Assert.Equal(names.Order(StringComparer.Ordinal), (await store.ListAsync(0, 100)).Items.Select(a => a.Username));
        Assert.Equal(5, (await store.ListAsync(5, 100)).Total);

        var plan = await ExplainAsync(dataSource, PostgresAccountStore.PageSql);
        Assert.Contains("ix_summit_accounts_list", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    [Fact]
    public async Task Summit_pages_come_by_code_from_an_index_of_the_summit_rows_only()
    {
        await using var dataSource = SummitDataSource.Create(await server.CreateMigratedDatabaseAsync("summit_pages"));
        await using var entities = new PostgresEntityStore(dataSource, NullLogger<PostgresEntityStore>.Instance);
        foreach (var code in new[] { "wyss-2021", "wyss-2020", "a-10", "a-9" })
            Assert.Equal(CommitOutcome.Committed, await entities.CommitAsync(
                new EntityCommit(new EntityKey(code, EntityKind.Summit, code), 0, 1, $$"""{"code":"{{code}}","version":1}""", null, null)));
        await PutTaskAsync(entities, "wyss-2020", "t-1", OwningUnit.County("pingyang"));

        static string[] Codes(EntityPage page) => page.Items.Select(json => JsonNode.Parse(json)!["code"]!.GetValue<string>()).ToArray();
        var all = await entities.QuerySummitsAsync(0, 100);
        Assert.Equal(["a-10", "a-9", "wyss-2020", "wyss-2021"], Codes(all));
        Assert.Equal(4, all.Total);
        var page = await entities.QuerySummitsAsync(1, 2);
        Assert.Equal(["a-9", "wyss-2020"], Codes(page));
        Assert.Equal(4, page.Total);
        Assert.Equal(await entities.ListIdsAsync("", EntityKind.Summit), Codes(all));

        var plan = await ExplainAsync(dataSource, PostgresEntityReader.SummitPageSql);
        Assert.Contains("ix_summit_entity_summits", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    private static DueAnnouncementRecord Record(string task, DueKind kind, int? lead, int minutes) =>
        new(task, kind, lead, new Deadline(new LocalDate(2020, 6, 15)), At, At + Duration.FromMinutes(minutes));

    private static async Task PutTaskAsync(PostgresEntityStore store, string summit, string id, OwningUnit owner)
    {
        var state = $$"""{"id":"{{id}}","owner":{"kind":"{{TaskListQuery.JsonName(owner.Kind)}}","code":"{{owner.Code}}"},"due":{"date":"2020-06-15"},"version":1}""";
        Assert.Equal(CommitOutcome.Committed, await store.CommitAsync(new EntityCommit(new EntityKey(summit, EntityKind.Task, id), 0, 1, state, null, null)));
    }

    /// <summary>The plan of a page query with sequential scans ruled out: what an index in the list's order gives.</summary>
    private static async Task<string> ExplainAsync(NpgsqlDataSource dataSource, string pageSql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand("EXPLAIN " + pageSql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 0 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 10 });
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        await reader.DisposeAsync();
        await using (var on = new NpgsqlCommand("RESET enable_seqscan", connection)) await on.ExecuteNonQueryAsync();
        return string.Join("\n", lines);
    }
}
