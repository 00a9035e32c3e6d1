using System.Diagnostics;
using System.Net;
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
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Deadlines;

/// <summary>
/// The engine's one durable reminder on PostgreSQL: it is stored once per summit, and after a full restart it wakes the
/// engine by itself, which then announces what became due while the silo was down, once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeadlineReminderPostgresTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(45);

    private readonly FakeClock _clock = new(Local(6, 12, 10));
    private readonly string _serviceId = "deadlines-" + Guid.NewGuid().ToString("N")[..8];
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("deadlines");
        DatabaseMigrator.Apply(_connectionString, NullLogger.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Instant Local(int month, int day, int hour) =>
        new LocalDateTime(2020, month, day, hour, 0).InZoneStrictly(Shanghai).ToInstant();

    private async Task<IHost> StartSiloAsync()
    {
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = _serviceId;
                    o.ServiceId = _serviceId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next());
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = SummitSilo.Invariant;
                    o.ConnectionString = _connectionString;
                });
                silo.AddSummitStorage(_connectionString);
                // Orleans refuses reminder periods under a minute by default; the test needs ticks within seconds.
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
                silo.Services.AddSingleton<IClock>(_clock);
                silo.Services.AddSingleton(SummitDataSource.Create(_connectionString));
                silo.Services.AddSingleton<IChangeJournal>(sp => new PostgresChangeJournal(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
                silo.Services.AddSummitDeadlines();
                silo.Services.Configure<DeadlineEngineOptions>(o =>
                {
                    o.ReminderPeriod = TimeSpan.FromSeconds(1);
                    o.SettleDelay = TimeSpan.FromMilliseconds(100);
                });
            })
            .Build();
        await host.StartAsync();
        return host;
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    [Fact]
    public async Task The_reminder_survives_a_full_restart_and_catches_up_once()
    {
        const string summit = "wyss-restart";
        var first = await StartSiloAsync();
        try
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<ISummitGrain>(summit).Create(ClusterFixture.Draft(), ClusterFixture.Secretariat);
            var task = new TaskDraft("疫情防控方案", TaskCategory.EpidemicPrevention, OwningUnit.County("pingyang"), new Deadline(new LocalDate(2020, 6, 12)));
            await grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, "t-plan")).Create(task, ClusterFixture.Secretariat);
            await grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, "t-later")).Create(
                task with { Title = "宣传", Due = new Deadline(new LocalDate(2020, 7, 31)) }, ClusterFixture.Secretariat);

            // 12 June, 10:00: t-plan is due today; the engine announces it on its own.
            var engine = grains.GetGrain<IDeadlinesGrain>(summit);
            await WaitForAsync(async () => (await engine.GetAnnouncements("t-plan")).Count == 1, "the due-today announcement");
            Assert.Equal(DueKind.DueToday, (await engine.GetAnnouncements("t-plan")).Single().Kind);
        }
        finally
        {
            await StopAsync(first);
        }

        // One reminder for the summit's deadline engine, however many tasks it has (and one for its change stream).
        Assert.Equal(["change-stream", "deadlines"], await QueryAsync(
            $"SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = '{_serviceId}' ORDER BY ReminderName"));

        // Down until 13 June, 10:00: t-plan became overdue at midnight.
        _clock.Reset(Local(6, 13, 10));
        var second = await StartSiloAsync();
        try
        {
            // Nothing calls the engine: only its reminder can wake it. Its stored state shows what it did.
            await WaitForAsync(async () => (await StoredStateAsync()).Contains("\"overdue\"", StringComparison.Ordinal), "the overdue announcement after the restart");

            var engine = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeadlinesGrain>(summit);
            Assert.Empty((await engine.Reconcile()).Announced);
            var records = await engine.GetAnnouncements();
            Assert.Equal([(DueKind.DueToday, "t-plan"), (DueKind.Overdue, "t-plan")], records.Select(r => (r.Kind, r.TaskId)));
            var overdue = records[1];
            Assert.Equal((Local(6, 13, 0), Local(6, 13, 10)), (overdue.StateSince, overdue.AnnouncedAt));
        }
        finally
        {
            await StopAsync(second);
        }
    }

    // The announcements are rows of summit_announcement (the database is this test's own).
    private async Task<string> StoredStateAsync() => string.Join("\n", await QueryAsync(
        "SELECT json_build_object('taskId', task_id, 'kind', kind)::text FROM summit_announcement ORDER BY seq"));

    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > WaitLimit) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
