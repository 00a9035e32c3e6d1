using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Domain;
using Summit.Data.Audit;
using Summit.Hosting.Notifications;
using Summit.Data.Notifications;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Notifications;
using Summit.Serialization;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>
/// Notifications as rows: the PostgreSQL store lists, dedupes, filters and marks read; a page reads a page, not the inbox;
/// what the previous version kept as inbox and read-mark grain state moves into the tables.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationStoreTests(PostgresServer server)
{
    private static readonly Instant T0 = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly NotificationTarget Alice = NotificationTarget.ForAccount("alice");
    private static readonly NotificationTarget Pingyang = NotificationTarget.ForUnit(OwningUnit.County("pingyang"));

    private static Notification Note(string id, NotificationTarget target, int minutes, string summit = "wyss-2020") =>
        new(id, target, summit, NotificationKind.Overdue, "t-" + id, EscalationLevel.Owner, new LocalizedText("逾期 " + id, "Overdue " + id), T0 + Duration.FromMinutes(minutes));

    private async Task<(NpgsqlDataSource DataSource, PostgresNotificationStore Store)> DatabaseAsync(string name)
    {
        var cs = await server.CreateDatabaseAsync(name);
        await DatabaseMigrator.ApplyAsync(cs, NullLogger.Instance);
        var dataSource = SummitDataSource.Create(cs);
        return (dataSource, new PostgresNotificationStore(dataSource));
    }

    [Fact]
    public async Task The_store_lists_dedupes_filters_and_marks_read()
    {
        var (dataSource, postgres) = await DatabaseAsync("notification_store");
        await using (dataSource)
        {
            Assert.NotEmpty(await ScenarioAsync(postgres));
        }
    }

    /// <summary>Asserts what the store must do and returns a transcript of everything it answered.</summary>
    private static async Task<string> ScenarioAsync(INotificationStore store)
    {
        var log = new List<string>();
        string[] inboxes = [NotificationKeys.Inbox(Alice), NotificationKeys.Inbox(Pingyang)];
        string Ids(NotificationPage page) => $"{string.Join(",", page.Items.Select(r => r.Notification.Id + (r.Read ? "*" : "")))} total={page.Total} unread={page.Unread}";
        Task<NotificationPage> Page(bool? unread = null, string? summit = null, int offset = 0, int limit = 100) =>
            store.PageAsync(new NotificationPageQuery("alice", inboxes, summit, unread, offset, limit));

        var first = await store.AddAsync(inboxes[1], [Note("a", Pingyang, 1), Note("b", Pingyang, 2), Note("b", Pingyang, 2), Note("x", Pingyang, 3, summit: "other")]);
        Assert.Equal(["a", "b", "x"], first.Select(n => n.Id));
        // Stored once: the same ids again store nothing (and so no listener hears of them twice).
        Assert.Empty(await store.AddAsync(inboxes[1], [Note("a", Pingyang, 1), Note("b", Pingyang, 2)]));
        // The same step addressed to the account too: listed once, as the account's copy.
        Assert.Single(await store.AddAsync(inboxes[0], [Note("b", Alice, 2), Note("c", Alice, 4)]), n => n.Id == "b");
        Assert.Equal(["a", "b", "x"], (await store.LatestAsync(inboxes[1], 10)).Select(n => n.Id));
        Assert.Equal(["b", "x"], (await store.LatestAsync(inboxes[1], 2)).Select(n => n.Id));

        var all = await Page();
        Assert.Equal(["c", "x", "b", "a"], all.Items.Select(r => r.Notification.Id));
        Assert.Equal("account", all.Items[2].Notification.Target.Audience.ToString().ToLowerInvariant());
        Assert.Equal(Note("c", Alice, 4), all.Items[0].Notification);
        Assert.Equal((4, 4), (all.Total, all.Unread));
        log.Add(Ids(all));

        Assert.Equal("b", (await store.MarkReadAsync("alice", inboxes, "b"))!.Id);
        Assert.Equal("b", (await store.MarkReadAsync("alice", inboxes, "b"))!.Id);
        Assert.Null(await store.MarkReadAsync("alice", inboxes, "nope"));
        // Not in Bob's inboxes: not his to mark.
        Assert.Null(await store.MarkReadAsync("bob", ["account:bob"], "a"));
        log.Add(Ids(await Page()));
        log.Add(Ids(await Page(unread: true)));
        log.Add(Ids(await Page(unread: false)));
        log.Add(Ids(await Page(summit: "wyss-2020")));
        log.Add(Ids(await Page(offset: 1, limit: 2)));
        log.Add(Ids(await Page(offset: 10)));

        Assert.Equal(2, await store.MarkAllReadAsync("alice", inboxes, "wyss-2020"));
        Assert.Equal(0, await store.MarkAllReadAsync("alice", inboxes, "wyss-2020"));
        log.Add(Ids(await Page()));
        Assert.Equal(1, await store.MarkAllReadAsync("alice", inboxes, null));
        log.Add(Ids(await Page()));
        // Read marks are the account's own.
        log.Add(Ids(await store.PageAsync(new NotificationPageQuery("carol", [inboxes[1]], null, null, 0, 100))));
        return string.Join("\n", log);
    }

    [Fact]
    public async Task A_page_reads_a_page_through_the_index_not_the_whole_inbox()
    {
        var (dataSource, store) = await DatabaseAsync("notification_paging");
        await using var _ = dataSource;
        string[] inboxes = [NotificationKeys.Inbox(Alice), NotificationKeys.Inbox(Pingyang)];
        const int Count = 5000;
        for (var start = 0; start < Count; start += 1000)
            await store.AddAsync(inboxes[1], Enumerable.Range(start, 1000).Select(i => Note($"u{i:D5}", Pingyang, i)).ToArray());
        await store.AddAsync(inboxes[0], Enumerable.Range(0, 50).Select(i => Note($"u{i * 100 + 50:D5}", Alice, i * 100 + 50)).ToArray());
        await store.MarkAllReadAsync("alice", inboxes, null);
        await store.AddAsync(inboxes[1], [Note("fresh", Pingyang, Count + 1)]);
        await using (var analyze = dataSource.CreateCommand("ANALYZE summit_notification; ANALYZE summit_notification_read"))
            await analyze.ExecuteNonQueryAsync();

        var page = await store.PageAsync(new NotificationPageQuery("alice", inboxes, null, null, 40, 20));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"u{Count - 40 + 1 - i - 1:D5}"), page.Items.Select(r => r.Notification.Id));
        Assert.Equal((Count + 1, 1), (page.Total, page.Unread));
        // u04950 is also in the account's inbox: listed from there.
        Assert.Equal(NotificationAudience.Account, page.Items.Single(r => r.Notification.Id == "u04950").Notification.Target.Audience);

        var unread = await store.PageAsync(new NotificationPageQuery("alice", inboxes, null, true, 0, 20));
        Assert.Equal(["fresh"], unread.Items.Select(r => r.Notification.Id));

        foreach (var unreadOnly in new bool?[] { null, true })
        {
            var plan = await ExplainAsync(dataSource, PostgresNotificationStore.PageSql(2, bySummit: false, unread: unreadOnly), inboxes);
            var reads = Nodes(plan).Where(n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "summit_notification").ToArray();
            // Each inbox's rows come newest first from the index; no inbox is scanned whole.
            var pages = reads.Where(n => n.GetProperty("Alias").GetString() is "n" or "n_1").ToArray();
            Assert.Equal(2, pages.Length);
            Assert.All(pages, n => Assert.Equal(("Index Scan", "ix_summit_notification_inbox_newest"), (n.GetProperty("Node Type").GetString(), n.GetProperty("Index Name").GetString())));
            Assert.DoesNotContain(Nodes(plan), n => n.GetProperty("Node Type").GetString() == "Seq Scan");
            if (unreadOnly is null)
            {
                // Offset 40 + limit 20: at most 60 rows of each inbox, each checked by key; not 5,000.
                var rowsRead = pages.Sum(n => n.GetProperty("Actual Rows").GetDouble() * n.GetProperty("Actual Loops").GetDouble());
                Assert.InRange(rowsRead, 60, 120);
            }
        }
    }

    private static async Task<JsonElement> ExplainAsync(NpgsqlDataSource dataSource, string sql, string[] inboxes)
    {
        await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + sql);
        explain.Parameters.Add(new NpgsqlParameter<string>("account", "alice"));
        explain.Parameters.Add(new NpgsqlParameter<string>("i0", inboxes[0]));
        explain.Parameters.Add(new NpgsqlParameter<string>("i1", inboxes[1]));
        explain.Parameters.Add(new NpgsqlParameter<int>("offset", 40));
        explain.Parameters.Add(new NpgsqlParameter<int>("limit", 20));
        return JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
            foreach (var descendant in Nodes(child))
                yield return descendant;
    }

    [Fact]
    public async Task Inboxes_and_read_marks_kept_as_grain_state_by_the_previous_version_move_into_the_tables()
    {
        var cs = await server.CreateDatabaseAsync("notification_upgrade");
        DatabaseMigrator.Apply(cs, NullLogger.Instance, upTo: "0145");
        var a = Note("n-a", Pingyang, 1);
        var b = Note("n-b", Pingyang, 2, summit: "other");
        var mine = Note("n-a", Alice, 1);

        await using (var dataSource = SummitDataSource.Create(cs))
        {
            // As the previous version's Orleans ADO.NET provider left them: state name, string key, JSON payload.
            async Task Legacy(string stateName, string key, object state)
            {
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version)
                    VALUES (1, 0, 0, 2, $1, $2, 'summit', $3, 1)
                    """);
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = JsonSerializer.SerializeToUtf8Bytes(state, SummitJson.Options) });
                await insert.ExecuteNonQueryAsync();
            }
            await Legacy("inbox", NotificationKeys.Inbox(Pingyang), new { Items = new[] { a, b } });
            await Legacy("inbox", NotificationKeys.Inbox(Alice), new { Items = new[] { mine } });
            await Legacy("reads", "alice", new { Ids = new[] { "n-a", "gone" } });
            await Legacy("reads", "bob", new { Ids = new[] { "n-b" } });
        }

        DatabaseMigrator.Apply(cs, NullLogger.Instance);

        await using var upgraded = SummitDataSource.Create(cs);
        var store = new PostgresNotificationStore(upgraded);
        Assert.Equal([a, b], await store.LatestAsync(NotificationKeys.Inbox(Pingyang), 10));
        string[] inboxes = [NotificationKeys.Inbox(Alice), NotificationKeys.Inbox(Pingyang)];
        var alice = await store.PageAsync(new NotificationPageQuery("alice", inboxes, null, null, 0, 10));
        Assert.Equal([(b, false), (mine, true)], alice.Items.Select(r => (r.Notification, r.Read)));
        Assert.Equal((2, 1), (alice.Total, alice.Unread));
        var bob = await store.PageAsync(new NotificationPageQuery("bob", [NotificationKeys.Inbox(Pingyang)], null, true, 0, 10));
        Assert.Equal([a], bob.Items.Select(r => r.Notification));
        await using var left = upgraded.CreateCommand("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString IN ('inbox', 'reads')");
        Assert.Equal(0L, await left.ExecuteScalarAsync());
    }
}
