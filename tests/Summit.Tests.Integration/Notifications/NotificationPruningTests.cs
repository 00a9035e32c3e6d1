using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Summit.Data.Audit;
using Summit.Data.Notifications;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Hosting.Notifications;
using Summit.Notifications;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>Read notifications older than the configured age are deleted with their read marks; unread and newer ones stay.</summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationPruningTests(PostgresServer server)
{
    private static readonly Instant T0 = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly NotificationTarget Alice = NotificationTarget.ForAccount("alice");
    private static readonly NotificationTarget Pingyang = NotificationTarget.ForUnit(OwningUnit.County("pingyang"));
    private static readonly string[] Inboxes = [NotificationKeys.Inbox(Alice), NotificationKeys.Inbox(Pingyang)];

    private static Notification Note(string id, NotificationTarget target, Duration age, Instant now) =>
        new(id, target, "wyss-2020", NotificationKind.Overdue, "t-" + id, EscalationLevel.Owner, new LocalizedText("逾期 " + id, "Overdue " + id), now - age);

    [Fact]
    public async Task The_pruning_service_deletes_read_notifications_older_than_the_age_and_keeps_the_rest()
    {
        var cs = await server.CreateMigratedDatabaseAsync("notification_pruning");
        await using var dataSource = SummitDataSource.Create(cs);
        var store = new PostgresNotificationStore(dataSource);
        var clock = new FakeClock(T0 + Duration.FromDays(200));
        var now = clock.GetCurrentInstant();
        // old-read is in two inboxes (the unit's and the account's): both rows go, and its read marks.
        await store.AddAsync(Inboxes[1], [Note("old-read", Pingyang, Duration.FromDays(120), now), Note("old-unread", Pingyang, Duration.FromDays(120), now)]);
        await store.AddAsync(Inboxes[0], [Note("old-read", Alice, Duration.FromDays(120), now), Note("new-read", Alice, Duration.FromDays(10), now),
            Note("edge-read", Alice, Duration.FromDays(90) - Duration.FromMinutes(1), now)]);
        foreach (var id in new[] { "old-read", "new-read", "edge-read" }) Assert.NotNull(await store.MarkReadAsync("alice", Inboxes, id));
        Assert.NotNull(await store.MarkReadAsync("county-pingyang", [Inboxes[1]], "old-read"));

        var pruning = new NotificationPruning(store, clock, TimeProvider.System,
            Options.Create(new NotificationPruningOptions()), NullLogger<NotificationPruning>.Instance);
        Assert.Equal(2, await pruning.PruneOnceAsync());

        var page = await store.PageAsync(new NotificationPageQuery("alice", Inboxes, null, null, 0, 100));
        Assert.Equal(["new-read", "edge-read", "old-unread"], page.Items.Select(r => r.Notification.Id));
        Assert.Equal(1, page.Unread);
        Assert.Equal(0, await CountAsync(dataSource, "SELECT count(*) FROM summit_notification_read WHERE id = 'old-read'"));
        Assert.Equal(2, await CountAsync(dataSource, "SELECT count(*) FROM summit_notification_read"));
        // Nothing more is old enough until the clock moves on; then edge-read goes too.
        Assert.Equal(0, await pruning.PruneOnceAsync());
        clock.Advance(Duration.FromMinutes(2));
        Assert.Equal(1, await pruning.PruneOnceAsync());
    }

    [Fact]
    public async Task The_pruning_service_runs_at_start_and_then_every_interval()
    {
        var cs = await server.CreateMigratedDatabaseAsync("notification_pruning_timer");
        await using var dataSource = SummitDataSource.Create(cs);
        var store = new PostgresNotificationStore(dataSource);
        var clock = new FakeClock(T0);
        var pruning = new NotificationPruning(store, clock, TimeProvider.System,
            Options.Create(new NotificationPruningOptions { PruneAfter = TimeSpan.FromDays(1), PruneInterval = TimeSpan.FromMilliseconds(200) }),
            NullLogger<NotificationPruning>.Instance);
        await store.AddAsync(Inboxes[0], [Note("a", Alice, Duration.FromHours(1), T0)]);
        await store.MarkReadAsync("alice", Inboxes, "a");
        await pruning.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(500);
            Assert.Equal(1, await CountAsync(dataSource, "SELECT count(*) FROM summit_notification"));
            // A day later by the summit clock, the next round deletes it.
            clock.Advance(Duration.FromDays(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await CountAsync(dataSource, "SELECT count(*) FROM summit_notification") > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal(0, await CountAsync(dataSource, "SELECT count(*) FROM summit_notification"));
        }
        finally
        {
            await pruning.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
