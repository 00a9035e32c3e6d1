using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Floors;

/// <summary>
/// What this machine can do at best, measured in the same run: one single-row upsert committed through Npgsql on the
/// same PostgreSQL, and one SignalR message sent to the same number of clients by a minimal hub on loopback (no Orleans,
/// no coalescing), received by the same client code the dashboards use.
/// </summary>
public static class Floors
{
    /// <summary>Sequential single-row upserts of a ~2 KB JSON document, each its own transaction, over a pooled connection.</summary>
    public static async Task<FloorResult> NpgsqlUpsertAsync(string connectionString, int warmup, int count)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var create = source.CreateCommand(
                         "CREATE TABLE IF NOT EXISTS bench_floor (id integer PRIMARY KEY, version integer NOT NULL, payload jsonb NOT NULL)"))
            await create.ExecuteNonQueryAsync();

        var payload = SamplePayload.EntityJson(2048);
        var latencies = new Latencies(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < warmup + count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var connection = await source.OpenConnectionAsync())
            await using (var command = new NpgsqlCommand(
                             "INSERT INTO bench_floor (id, version, payload) VALUES ($1, 1, $2) " +
                             "ON CONFLICT (id) DO UPDATE SET version = bench_floor.version + 1, payload = EXCLUDED.payload", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = i % 100 });
                command.Parameters.Add(new NpgsqlParameter { Value = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
                await command.ExecuteNonQueryAsync();
            }
            if (i >= warmup) latencies.Add(started, Stopwatch.GetTimestamp());
        }
        return new FloorResult("npgsql single-row upsert commit (sequential, pooled connection, 2 KB jsonb)", latencies.Summarise(),
            count / clock.Elapsed.TotalSeconds, null);
    }

    /// <summary>
    /// A minimal hub on loopback sends one message per update (the shape of a one-event progress batch) to
    /// <paramref name="clients"/> connections at <paramref name="rate"/> per second, open loop.
    /// </summary>
    public static async Task<FloorResult> SignalRSendAsync(int clients, double rate, TimeSpan duration, TimeSpan warmup, CancellationToken ct)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        await using var app = builder.Build();
        app.MapHub<FloorHub>("/floor");
        await app.StartAsync(ct);
        var hub = app.Services.GetRequiredService<IHubContext<FloorHub>>();

        var warmupCount = (int)(rate * warmup.TotalSeconds);
        var probe = new Probe("floor" + Guid.NewGuid().ToString("N")[..6], warmupCount + (int)(rate * duration.TotalSeconds), rate, warmupCount);
        var tally = new PushTally(probe);
        var uri = new Uri($"http://127.0.0.1:{port}/floor");
        var dashboards = await DashboardClient.ConnectAllAsync(clients, _ => DashboardClient.Create(uri, null, null, tally), ct);
        try
        {
            var entity = SamplePayload.Entity(1500);
            var sendErrors = 0;
            await OpenLoop.RunAsync(probe, i =>
            {
                var batch = SamplePayload.Batch(probe, i, entity);
                _ = hub.Clients.All.SendAsync("progress", batch, ct).ContinueWith(
                    t => { if (t.IsFaulted) Interlocked.Increment(ref sendErrors); }, TaskScheduler.Default);
            }, ct);
            var expected = (long)(probe.Count - probe.Warmup) * clients;
            await Scenarios.PushRun.WaitForDeliveriesAsync(tally, expected, ct);
            var summary = tally.Summarise(expected);
            return new FloorResult($"SignalR send to {clients} clients (minimal hub on loopback, JSON, WebSockets, one message per update)",
                summary.LatencyMs, rate, summary) { SendErrors = sendErrors };
        }
        finally
        {
            await Task.WhenAll(dashboards.Select(d => d.DisposeAsync().AsTask()));
            await app.StopAsync(CancellationToken.None);
        }
    }

    private sealed class FloorHub : Hub;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record FloorResult(string What, LatencySummary LatencyMs, double RatePerSecond, PushTallySummary? Deliveries)
{
    public int SendErrors { get; init; }
}

/// <summary>Payloads shaped like Summit's: a stored entity, and a progress batch carrying one event.</summary>
public static class SamplePayload
{
    public static Dictionary<string, object?> Entity(int approximateBytes)
    {
        var entity = new Dictionary<string, object?>
        {
            ["summit"] = "wyss-2020",
            ["id"] = "task-00042",
            ["title"] = "落实分会场嘉宾接待方案与交通保障 / Guest reception and transport plan for the sub-venue",
            ["category"] = "venue",
            ["owner"] = new { kind = "county", code = "pingyang" },
            ["assignee"] = "county-pingyang",
            ["due"] = new { date = "2020-06-30" },
            ["status"] = "inProgress",
            ["percentComplete"] = 42,
            ["milestone"] = false,
            ["dependsOn"] = new[] { "task-00007", "task-00011" },
            ["version"] = 7,
            ["createdAt"] = "2020-05-20T02:00:00Z",
            ["updatedAt"] = "2020-06-10T01:00:00Z",
            ["updatedBy"] = "county-pingyang",
        };
        var filler = approximateBytes - 600;
        if (filler > 0) entity["notes"] = new string('x', filler);
        return entity;
    }

    public static string EntityJson(int approximateBytes) => System.Text.Json.JsonSerializer.Serialize(Entity(approximateBytes));

    public static object Batch(Probe probe, int index, object entity) => new
    {
        summit = "wyss-2020",
        events = new[]
        {
            new
            {
                seq = 1_700_000_000_000_000L + index,
                prevSeq = 1_700_000_000_000_000L + index - 1,
                summit = "wyss-2020",
                kind = "task",
                id = "task-00042",
                version = 7 + index,
                at = "2020-06-10T01:00:00Z",
                account = "county-pingyang",
                role = "county",
                unit = "pingyang",
                title = "落实分会场嘉宾接待方案与交通保障",
                changes = new[] { new { field = "percentComplete", from = "41", to = "42" } },
                note = probe.Note(index),
                scope = new { owner = new { kind = "county", code = "pingyang" } },
                entity,
            },
        },
    };
}
