using Npgsql;

namespace Summit.Bench.Infrastructure;

/// <summary>
/// A Gateway process serving a summit seeded with many tasks (the demo's seeding with <c>Summit__Demo__Tasks</c>), on a
/// private PostgreSQL without fsync unless one was given: seeding with durable commits would take far longer and only
/// serving is measured. <c>summit_entity</c> is vacuumed and analysed after the bulk load, as autovacuum soon would be.
/// </summary>
public sealed partial class SeededSummit : IAsyncDisposable
{
    private PostgresLauncher? _fast;

    private SeededSummit(GatewayProcess gateway, string database, TimeSpan startup, string postgres)
    {
        Gateway = gateway;
        Database = database;
        Startup = startup;
        Postgres = postgres;
    }

    public GatewayProcess Gateway { get; }

    /// <summary>The connection string of the seeded database.</summary>
    public string Database { get; }

    /// <summary>How long the Gateway took to start and seed.</summary>
    public TimeSpan Startup { get; }

    public string Postgres { get; }

    public static async Task<SeededSummit> StartAsync(string scenario, int tasks, BenchContext context, CancellationToken ct)
    {
        var fast = context.Options.Postgres is null && context.Postgres.Durable ? await PostgresLauncher.StartAsync(null, durable: false) : null;
        var pg = fast ?? context.Postgres;
        var database = await pg.CreateDatabaseAsync($"bench_{scenario.Replace('-', '_')}");
        var settings = Scenarios.PushRun.GatewaySettings(database, tasks, null);
        settings["Summit__Demo__Parallelism"] = "64";
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-{scenario}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[{scenario}] starting the Gateway and seeding {tasks} tasks into PostgreSQL (minutes for 100,000); log: {logPath}");
        var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(90), elapsed =>
        {
            var progress = SeededLine().Matches(gateway.Tail).LastOrDefault()?.Value;
            Console.WriteLine($"[{scenario}]   {elapsed.TotalMinutes:0.0} min{(progress is null ? "" : ": " + progress)}");
        }, ct);
        Console.WriteLine($"[{scenario}]   seeded and ready after {startup.TotalSeconds:0} s");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync(ct);
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE summit_entity", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync(ct);
        }
        return new SeededSummit(gateway, database, startup, pg.Description) { _fast = fast };
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (_fast is not null) await _fast.DisposeAsync();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\d+/\d+ tasks seeded")]
    private static partial System.Text.RegularExpressions.Regex SeededLine();
}
