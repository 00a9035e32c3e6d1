using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Orleans.Configuration;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Grains.Deadlines;
using Summit.Hosting;
using Summit.Data;
using Summit.Data.Audit;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Journal;
using Summit.Scheduling;
using Summit.Serialization;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Deadlines;

/// <summary>
/// The deadline engines' announcements as rows: appending one twice is a no-op, undelivered ones come oldest first,
/// delivered ones stay out of that list; the engine's grain state stays small however many it made; and the
/// announcements an earlier version kept in the grain state move into rows on upgrade.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AnnouncementStoreTests(PostgresServer server)
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly Instant At = Instant.FromUtc(2020, 6, 12, 1, 0);

    private static readonly DueAnnouncementRecord A = new("t-1", DueKind.DueSoon, 3,
        new Deadline(new LocalDate(2020, 6, 15), new LocalTime(17, 30)), At, At + Duration.FromMinutes(5));
    private static readonly DueAnnouncementRecord B = new("t-2", DueKind.DueSoon, 3,
        new Deadline(new LocalDate(2020, 6, 15)), At, At + Duration.FromMinutes(5));
    private static readonly DueAnnouncementRecord C = new("t-1", DueKind.Overdue, null,
        new Deadline(new LocalDate(2020, 6, 15), new LocalTime(17, 30)), At + Duration.FromDays(3), At + Duration.FromDays(3));
    private static readonly DueAnnouncementRecord D = new("t-2", DueKind.DueToday, null,
        new Deadline(new LocalDate(2020, 6, 15)), At + Duration.FromDays(3), At + Duration.FromDays(3));

    private static Instant Local(int month, int day, int hour) =>
        new LocalDateTime(2020, month, day, hour, 0).InZoneStrictly(Shanghai).ToInstant();

    [Fact]
    public async Task Postgres_store_appends_once_lists_oldest_first_and_marks_delivered()
    {
        var cs = await server.CreateDatabaseAsync("announcements");
        DatabaseMigrator.Apply(cs, NullLogger.Instance);
        await using var dataSource = SummitDataSource.Create(cs);
        await StoreBehavesAsync(new PostgresAnnouncementStore(dataSource));

        await using var count = dataSource.CreateCommand("SELECT count(*) FROM summit_announcement");
        Assert.Equal(5L, await count.ExecuteScalarAsync());
    }

    private static async Task StoreBehavesAsync(IAnnouncementStore store)
    {
        await store.AppendAsync("s1", [A, B]);
        // A again (even with another announcing time) is a no-op; C and D are new. The lead and due time may be missing.
        await store.AppendAsync("s1", [A with { AnnouncedAt = At + Duration.FromHours(1) }, C]);
        await store.AppendAsync("s1", [D, B]);
        await store.AppendAsync("s1", []);
        await store.AppendAsync("s2", [A]);

        Assert.Equal([A, B, C, D], (await store.LoadAsync("s1")).Select(s => s.Record));
        Assert.All(await store.LoadAsync("s1"), s => Assert.False(s.Delivered));
        Assert.Equal([A, B, C, D], await store.UndeliveredAsync("s1", 10));
        Assert.Equal([A, B], await store.UndeliveredAsync("s1", 2));
        Assert.Equal([A, C], await store.ForTaskAsync("s1", "t-1"));
        Assert.Empty(await store.ForTaskAsync("s1", "t-9"));

        await store.MarkDeliveredAsync("s1", [A, D]);
        await store.MarkDeliveredAsync("s1", [A]);
        await store.MarkDeliveredAsync("s1", []);
        Assert.Equal([B, C], await store.UndeliveredAsync("s1", 10));
        Assert.Equal([true, false, false, true], (await store.LoadAsync("s1")).Select(s => s.Delivered));
        // A delivered announcement appended again stays delivered, and other summits are untouched.
        await store.AppendAsync("s1", [D]);
        Assert.Equal([B, C], await store.UndeliveredAsync("s1", 10));
        Assert.Equal([A], await store.UndeliveredAsync("s2", 10));

        await store.MarkDeliveredAsync("s1", [B, C]);
        Assert.Empty(await store.UndeliveredAsync("s1", 10));
        Assert.Empty(await store.LoadAsync("s3"));
    }

    [Fact]
    public async Task Announcements_kept_in_the_grain_state_by_an_earlier_version_move_into_rows()
    {
        var cs = await server.CreateDatabaseAsync("announce_upgrade");
        DatabaseMigrator.Apply(cs, NullLogger.Instance, upTo: "0145");
        var calendar = new WorkingCalendarDefinition([new LocalDate(2020, 6, 25)], [new LocalDate(2020, 6, 28)], "test");
        await using (var dataSource = SummitDataSource.Create(cs))
        {
            // As the previous version's grain storage left it: the settings, every announcement, the undelivered queue.
            var old = new
            {
                Calendar = calendar,
                Version = 2,
                UpdatedBy = "secretariat",
                Announced = new[] { A, B, C, D },
                Undelivered = new[] { C, D },
                LastReconciledAt = At,
            };
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version)
                VALUES (1, 0, 0, 2, 'deadlines', 'wyss-2020', 'summit', $1, 7)
                """);
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = JsonSerializer.SerializeToUtf8Bytes(old, SummitJson.Options) });
            await insert.ExecuteNonQueryAsync();
        }

        DatabaseMigrator.Apply(cs, NullLogger.Instance);

        await using var upgraded = SummitDataSource.Create(cs);
        var store = new PostgresAnnouncementStore(upgraded);
        Assert.Equal([A, B, C, D], (await store.LoadAsync("wyss-2020")).Select(s => s.Record));
        Assert.Equal([C, D], await store.UndeliveredAsync("wyss-2020", 10));
        // The migrated rows are the engine's record of what was made: appending one again changes nothing.
        await store.AppendAsync("wyss-2020", [C with { AnnouncedAt = At + Duration.FromDays(9) }]);
        Assert.Equal([A, B, C, D], (await store.LoadAsync("wyss-2020")).Select(s => s.Record));

        // The grain state keeps its settings and version, without the lists.
        await using var read = upgraded.CreateCommand(
            "SELECT convert_from(PayloadBinary, 'UTF8'), Version FROM OrleansStorage WHERE GrainTypeString = 'deadlines'");
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var json = reader.GetString(0);
        Assert.Equal(7, reader.GetInt32(1));
        Assert.DoesNotContain("announced", json, StringComparison.Ordinal);
        Assert.DoesNotContain("undelivered", json, StringComparison.Ordinal);
        var state = JsonSerializer.Deserialize<DeadlineState>(json, SummitJson.Options)!;
        Assert.Equal((2, "secretariat", At), (state.Version, state.UpdatedBy, state.LastReconciledAt));
        Assert.Equal(calendar.Holidays, state.Calendar!.Holidays);
    }

    [Fact]
    public async Task The_engine_state_stays_small_after_a_thousand_announcements()
    {
        const int tasks = 250;
        var cs = await server.CreateDatabaseAsync("announce_small");
        DatabaseMigrator.Apply(cs, NullLogger.Instance);
        var clock = new FakeClock(Local(6, 12, 10));
        var serviceId = "announce-" + Guid.NewGuid().ToString("N")[..8];
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = serviceId;
                    o.ServiceId = serviceId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next());
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = SummitSilo.Invariant;
                    o.ConnectionString = cs;
                });
                silo.AddSummitStorage(cs);
                silo.Services.AddSingleton<IClock>(clock);
                silo.Services.AddSingleton(SummitDataSource.Create(cs));
                silo.Services.AddSingleton<IChangeJournal>(sp => new PostgresChangeJournal(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
                silo.Services.AddSummitDeadlines();
                silo.Services.Configure<DeadlineEngineOptions>(o =>
                {
                    o.SettleDelay = TimeSpan.FromMilliseconds(100);
                    o.DeliveryBatch = 500;
                });
            })
            .Build();
        await host.StartAsync();
        try
        {
            const string summit = "wyss-large";
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<ISummitGrain>(summit).Create(ClusterFixture.Draft(), ClusterFixture.Secretariat);
            var draft = new TaskDraft("材料", TaskCategory.Budget, OwningUnit.County("pingyang"), new Deadline(new LocalDate(2020, 6, 20)));
            foreach (var chunk in Enumerable.Range(0, tasks).Chunk(50))
                await Task.WhenAll(chunk.Select(i =>
                    grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, $"t-{i:D4}")).Create(draft with { Title = $"材料 {i}" }, ClusterFixture.Secretariat)));

            var engine = grains.GetGrain<IDeadlinesGrain>(summit);
            await WaitForAsync(async () => (await engine.GetStatus()).Tasks == tasks, "the engine to know every task");

            // Due in 3 days, in 1 day, today, overdue: four announcements per task, each made once.
            Instant[] moments = [Local(6, 17, 10), Local(6, 19, 10), Local(6, 20, 10), Local(6, 21, 1)];
            for (var i = 0; i < moments.Length; i++)
            {
                clock.Reset(moments[i]);
                await engine.Reconcile();
                var expected = tasks * (i + 1);
                await WaitForAsync(async () => (await engine.GetStatus()).Announcements == expected, $"{expected} announcements");
                Assert.Empty((await engine.Reconcile()).Announced);
            }
            await WaitForAsync(async () => (await engine.GetStatus()).Undelivered == 0, "every announcement delivered");

            Assert.Equal(tasks * 4, (await engine.GetAnnouncements()).Count);
            Assert.Equal([DueKind.DueSoon, DueKind.DueSoon, DueKind.DueToday, DueKind.Overdue],
                (await engine.GetAnnouncements("t-0007")).Select(r => r.Kind));

            await using var dataSource = SummitDataSource.Create(cs);
            await using var rows = dataSource.CreateCommand("SELECT count(*) FILTER (WHERE delivered), count(*) FROM summit_announcement WHERE summit = $1");
            rows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
            await using (var reader = await rows.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal((tasks * 4L, tasks * 4L), (reader.GetInt64(0), reader.GetInt64(1)));
            }

            await using var stateRow = dataSource.CreateCommand(
                "SELECT length(PayloadBinary) FROM OrleansStorage WHERE GrainTypeString = 'deadlines' AND ServiceId = $1");
            stateRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            var size = (int)(await stateRow.ExecuteScalarAsync())!;
            Assert.InRange(size, 1, 4096);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(90)) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
