using System.Diagnostics;
using Npgsql;
using Summit.Bench.Floors;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

public sealed record PushConfig(
    string Scenario,
    double Rate,
    int DurationSeconds,
    int WarmupSeconds,
    int Dashboards,
    int Tasks,
    int? BatchMilliseconds,
    double? P50TargetMs,
    double? P99TargetMs,
    double? P50FloorMultiple,
    bool ZeroErrors,
    int CapacityConcurrency = 0);

/// <summary>
/// Steady and peak: counties post updates over HTTP at a fixed rate (open loop) to the real Gateway on PostgreSQL, and
/// leader dashboards connected to <c>/hubs/progress</c> receive them; the time from each update's planned send to its
/// arrival at each dashboard is the update→push latency.
/// </summary>
public static class PushRun
{
    public const string Summit = "wyss-2020";

    /// <summary>The SignalR floor sends at most this many messages per second.</summary>
    public const double FloorMaxRate = 50;

    public static async Task RunAsync(PushConfig config, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        report.Config = config;
        var pg = context.Postgres;

        FloorResult? db = null, signalr = null;
        if (context.Options.Floors)
        {
            Console.WriteLine($"[{config.Scenario}] floor: Npgsql single-row upsert commit …");
            var floorDb = await pg.CreateDatabaseAsync("bench_floor");
            db = await Floors.Floors.NpgsqlUpsertAsync(floorDb, warmup: 200, count: 2000);
            Console.WriteLine($"[{config.Scenario}]   {db.LatencyMs}");
            // One message per update is the floor's shape. Above 50/s it measures the clients' parsing, not a send: at
            // 1,000/s × 200 clients (200,000 deliveries/s) this benchmark's own clients fall minutes behind on two cores.
            var floorRate = Math.Min(config.Rate, FloorMaxRate);
            Console.WriteLine($"[{config.Scenario}] floor: SignalR send to {config.Dashboards} clients at {floorRate}/s …");
            signalr = await Floors.Floors.SignalRSendAsync(config.Dashboards, floorRate,
                TimeSpan.FromSeconds(Math.Min(config.DurationSeconds, 20)), TimeSpan.FromSeconds(2), ct);
            Console.WriteLine($"[{config.Scenario}]   {signalr.LatencyMs}");
        }

        var database = await pg.CreateDatabaseAsync("bench_" + config.Scenario.Replace('-', '_'));
        var settings = GatewaySettings(database, config.Tasks, config.BatchMilliseconds);
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-{config.Scenario}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[{config.Scenario}] starting the Gateway ({config.Tasks} demo tasks, PostgreSQL); log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(30),
            e => Console.WriteLine($"[{config.Scenario}]   still starting after {e.TotalSeconds:0} s"), ct);
        Console.WriteLine($"[{config.Scenario}]   ready after {startup.TotalSeconds:0.0} s");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        var counties = await Counties.PrepareAsync(http, Summit, tasksPerCounty: 20);
        var leaderToken = await Counties.SignInAsync(http, "leader");

        var warmupCount = (int)(config.Rate * config.WarmupSeconds);
        var measuredCount = (int)(config.Rate * config.DurationSeconds);
        var probe = new Probe(Guid.NewGuid().ToString("N")[..8], warmupCount + measuredCount, config.Rate, warmupCount);
        var updates = new UpdateTally(probe);
        var pushes = new PushTally(probe);

        var storageBefore = await StorageStatsAsync(database);
        Console.WriteLine($"[{config.Scenario}] connecting {config.Dashboards} leader dashboards …");
        var hub = new Uri(gateway.BaseAddress, "/hubs/progress");
        var dashboards = await DashboardClient.ConnectAllAsync(config.Dashboards,
            _ => DashboardClient.Create(hub, leaderToken, Summit, pushes), ct);
        try
        {
            // What the Gateway burns with the dashboards connected and no updates (timers, refreshes): not per update.
            var idleCpu = gateway.CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var idleCores = Math.Round((gateway.CpuTime() - idleCpu).TotalSeconds / 5, 3);

            object? capacity = null;
            if (config.CapacityConcurrency > 0)
            {
                Console.WriteLine($"[{config.Scenario}] capacity: {config.CapacityConcurrency} senders back to back for 5 s (discarded) + 15 s …");
                await CapacityAsync(counties, config.CapacityConcurrency, TimeSpan.FromSeconds(5), gateway, ct);
                var found = await CapacityAsync(counties, config.CapacityConcurrency, TimeSpan.FromSeconds(15), gateway, ct);
                capacity = found;
                report.Row("capacity (closed loop)", $"{found.ThroughputPerSecond}/s accepted with {found.Concurrency} senders, {found.Errors} errors; {found.HttpLatencyMs}; Gateway {found.GatewayCores} cores");
                Console.WriteLine($"[{config.Scenario}]   {found.ThroughputPerSecond}/s, {found.HttpLatencyMs}");
                await Task.Delay(TimeSpan.FromSeconds(5), ct); // let the pushes of this phase drain
            }

            ProcStat.ResetPeakRss(gateway.Pid);
            using var memory = new RssSampler(gateway.Pid);

            Console.WriteLine($"[{config.Scenario}] {warmupCount} warm-up + {measuredCount} measured updates at {config.Rate}/s over {counties.Targets} entities …");
            var window = new CpuWindow(gateway, pg);
            var measuring = Task.Run(async () =>
            {
                // Snapshot CPU when the measured part begins (the scheduler sets Start as it begins).
                while (probe.Start == 0) await Task.Delay(1, ct);
                var begin = probe.Planned(probe.Warmup);
                var wait = (begin - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 0) await Task.Delay((int)wait, ct);
                window.Begin();
            }, ct);
            var lag = await OpenLoop.RunAsync(probe, i => _ = counties.SendAsync(probe, i, updates), ct);
            await measuring;

            // All responses in (bounded), then the pushes they caused.
            var responsesBy = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
            while (Volatile.Read(ref updates.Completed) < probe.Count && Stopwatch.GetTimestamp() < responsesBy) await Task.Delay(20, ct);
            var lastResponse = Volatile.Read(ref updates.LastResponse);
            var accepted = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(updates.Accepted);
            var expected = (long)accepted * config.Dashboards;
            await WaitForDeliveriesAsync(pushes, expected, ct);
            window.End();
            // An update whose response was lost or timed out may still have been applied and pushed: expect it too.
            var applied = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(i => updates.Accepted(i) || pushes.SeenAnywhere[i]);
            expected = (long)applied * config.Dashboards;

            var measuredSeconds = (Math.Max(lastResponse, probe.Planned(probe.Count - 1)) - probe.Planned(probe.Warmup)) / (double)Stopwatch.Frequency;
            var update = updates.Latency.Summarise();
            var push = pushes.Summarise(expected);
            var errors = updates.Errors;
            var errorCount = probe.Count - probe.Warmup - accepted;
            var peakRss = ProcStat.PeakRss(gateway.Pid);
            var storageAfter = await StorageStatsAsync(database);
            double PerUpdateMs(TimeSpan? cpu) => cpu is { } c && applied > 0 ? Math.Round(c.TotalMilliseconds / applied, 2) : 0;

            var results = new
            {
                gateway = new
                {
                    mode = "separate process, standalone (in-process silo), PostgreSQL storage",
                    startupSeconds = Math.Round(startup.TotalSeconds, 1),
                    cpuSeconds = Round(window.GatewayCpu.TotalSeconds),
                    cpuCoresBusy = Round(window.GatewayCpu.TotalSeconds / window.Wall.TotalSeconds),
                    idleCpuCores = idleCores,
                    peakRssMiB = peakRss / (1024 * 1024),
                    peakRssSampledMiB = memory.Peak / (1024 * 1024),
                },
                postgres = new { cpuSeconds = window.PostgresCpu is { } p ? Round(p.TotalSeconds) : (double?)null },
                bench = new { cpuSeconds = Round(window.BenchCpu.TotalSeconds), schedulerLagMs = lag.Summarise() },
                // CPU spent per accepted update over the measured window (includes the fan-out to the dashboards).
                cpuMsPerUpdate = new
                {
                    gateway = PerUpdateMs(window.GatewayCpu),
                    postgres = PerUpdateMs(window.PostgresCpu),
                    bench = PerUpdateMs(window.BenchCpu),
                },
                storage = new { beforeRun = storageBefore, afterRun = storageAfter },
                updates = new
                {
                    planned = probe.Count - probe.Warmup,
                    accepted,
                    appliedIncludingUnanswered = applied,
                    errors = errorCount,
                    errorsByKind = errors,
                    warmupErrors = updates.WarmupErrors,
                    throughputPerSecond = Round(accepted / measuredSeconds),
                    measuredSeconds = Round(measuredSeconds),
                    targets = counties.Targets,
                    subEventTargets = counties.SubEventTargets,
                    httpLatencyMs = update,
                },
                push,
                capacity,
            };
            report.Results = results;

            double? floorP50 = db?.LatencyMs.P50 + signalr?.LatencyMs.P50;
            if (db is not null && signalr is not null)
            {
                report.Floors = new { npgsqlUpsert = db, signalrSend = signalr, combinedP50Ms = Round(floorP50), combinedP99Ms = Round(db.LatencyMs.P99 + signalr.LatencyMs.P99) };
                report.Ratios = new
                {
                    pushP50ToCombinedFloorP50 = Format.Divide(push.LatencyMs.P50, floorP50),
                    pushP99ToCombinedFloorP99 = Format.Divide(push.LatencyMs.P99, db.LatencyMs.P99 + signalr.LatencyMs.P99),
                    pushP50ToSignalRFloorP50 = Format.Divide(push.LatencyMs.P50, signalr.LatencyMs.P50),
                    pushP50ToNpgsqlFloorP50 = Format.Divide(push.LatencyMs.P50, db.LatencyMs.P50),
                    updateP50ToNpgsqlFloorP50 = Format.Divide(update.P50, db.LatencyMs.P50),
                };
            }

            report.Row("updates", $"{accepted}/{probe.Count - probe.Warmup} accepted at {Round(accepted / measuredSeconds)}/s, {errorCount} errors{(errors.Count > 0 ? " (" + string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}")) + ")" : "")}");
            report.Row("update HTTP latency", update.ToString());
            report.Row("update→push latency", $"{push.LatencyMs}; delivered {push.Delivered}/{push.Expected}, missing {push.Missing}, gaps {push.Gaps}, resyncs {push.Resyncs}, batches {push.Batches}");
            if (db is not null) report.Row("floor: Npgsql upsert commit", db.LatencyMs.ToString());
            if (signalr is not null) report.Row($"floor: SignalR send ×{config.Dashboards}", $"{signalr.LatencyMs} at {signalr.RatePerSecond}/s (missing {signalr.Deliveries?.Missing})");
            if (floorP50 is not null)
                report.Row("push p50 / floor p50", $"{Format.Ratio(Format.Divide(push.LatencyMs.P50, floorP50))} (floor = upsert p50 + SignalR p50 = {Format.Ms(floorP50)})");
            report.Row("Gateway CPU", $"{window.GatewayCpu.TotalSeconds:0.0} s over {window.Wall.TotalSeconds:0.0} s = {window.GatewayCpu.TotalSeconds / window.Wall.TotalSeconds:0.00} cores; PostgreSQL {window.PostgresCpu?.TotalSeconds:0.0} s; bench {window.BenchCpu.TotalSeconds:0.0} s");
            report.Row("CPU per update", $"Gateway {PerUpdateMs(window.GatewayCpu)} ms, PostgreSQL {PerUpdateMs(window.PostgresCpu)} ms, bench {PerUpdateMs(window.BenchCpu)} ms; Gateway idle {idleCores} cores");
            if (storageBefore is not null && storageAfter is not null)
                report.Row("largest grain state", $"{storageBefore.LargestBytes / 1024.0:0.0} KiB before the run, {storageAfter.LargestBytes / 1024.0:0.0} KiB after ({storageAfter.Largest})");
            report.Row("Gateway peak memory", $"{Format.MiB(peakRss)} (VmHWM during the run)");
            report.Row("scheduler lag", lag.Summarise().ToString());

            if (config.P50TargetMs is { } p50) report.Targets.Add(TargetCheck.AtMost("update→push p50", push.LatencyMs.P50, p50, "ms"));
            if (config.P99TargetMs is { } p99) report.Targets.Add(TargetCheck.AtMost("update→push p99", push.LatencyMs.P99, p99, "ms"));
            if (config.P50FloorMultiple is { } multiple && floorP50 is not null)
                report.Targets.Add(TargetCheck.AtMost("p50 within 3× the floor", Format.Divide(push.LatencyMs.P50, floorP50), multiple, "×"));
            if (config.ZeroErrors)
                report.Targets.Add(TargetCheck.AtMost("zero errors (failed updates + missing pushes)", errorCount + push.Missing, 0, "errors"));
            if (lag.Summarise().P99 is > 5)
                report.Notes.Add($"The benchmark's own scheduler ran late (p99 {lag.Summarise().P99:0.0} ms): the machine was short of CPU; latencies include that delay.");
        }
        finally
        {
            await Task.WhenAll(dashboards.Select(d => d.DisposeAsync().AsTask()));
        }
    }

    private static double Round(double value) => Math.Round(value, 2);
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    public static Dictionary<string, string> GatewaySettings(string connectionString, int tasks, int? batchMilliseconds)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Summit"] = connectionString,
            ["Summit__Hosting"] = "Standalone",
            ["Summit__Demo__Enabled"] = "true",
            ["Summit__Demo__Tasks"] = tasks.ToString(),
            ["Summit__Demo__SummitCode"] = Summit,
            // The load comes from a dozen county accounts; the per-account write limit would refuse it.
            ["Summit__RateLimits__WritesPerUser"] = "0",
            ["Summit__RateLimits__SignInPerAccount"] = "0",
            ["Summit__RateLimits__SignInPerAddress"] = "0",
        };
        if (batchMilliseconds is { } ms) settings["Summit__Live__BatchMilliseconds"] = ms.ToString();
        return settings;
    }

    public sealed record CapacityResult(int Concurrency, double Seconds, int Accepted, int Errors, double ThroughputPerSecond,
        LatencySummary HttpLatencyMs, double GatewayCores);

    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> senders each send the next update as soon as the previous one is
    /// answered, for <paramref name="duration"/>. The throughput is what the Gateway sustains; the latency is service time only.
    /// </summary>
    private static async Task<CapacityResult> CapacityAsync(Counties counties, int concurrency, TimeSpan duration, GatewayProcess gateway, CancellationToken ct)
    {
        const int max = 200_000;
        var sent = new long[max];
        var probe = new Probe("cap" + Guid.NewGuid().ToString("N")[..6], max, 1, 0) { SentAt = sent };
        var tally = new UpdateTally(probe);
        var next = -1;
        var cpu = gateway.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= max || Stopwatch.GetTimestamp() >= stopAt) return;
                sent[i] = Stopwatch.GetTimestamp();
                await counties.SendAsync(probe, i, tally);
            }
        }, ct)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cores = (gateway.CpuTime() - cpu).TotalSeconds / seconds;
        return new CapacityResult(concurrency, Math.Round(seconds, 2), tally.Ok, tally.Errors.Values.Sum(),
            Math.Round(tally.Ok / seconds, 1), tally.Latency.Summarise(), Math.Round(cores, 2));
    }

    public sealed record StorageStats(long Rows, long TotalBytes, long LargestBytes, string? Largest);

    /// <summary>Size of the grain states in Orleans' storage table: each write rewrites a whole state.</summary>
    private static async Task<StorageStats?> StorageStatsAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM orleansstorage), (SELECT coalesce(sum(length(payloadbinary)), 0) FROM orleansstorage), " +
                "length(payloadbinary), graintypestring || ' ' || coalesce(grainidextensionstring, '') " +
                "FROM orleansstorage ORDER BY length(payloadbinary) DESC NULLS LAST LIMIT 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) return null;
            return new StorageStats(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? 0 : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="expected"/> deliveries arrived, or nothing at all arrived for 5 s (at most 60 s).</summary>
    public static async Task WaitForDeliveriesAsync(PushTally tally, long expected, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        var last = -1L;
        var lastChange = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var delivered = Interlocked.Read(ref tally.Delivered);
            if (delivered >= expected) return;
            // Any event counts as progress: clients that fell behind are still working through warm-up events.
            var received = Interlocked.Read(ref tally.Events);
            if (received != last)
            {
                last = received;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetTimestamp() - lastChange > Stopwatch.Frequency * 5) return;
            await Task.Delay(20, ct);
        }
    }
}

/// <summary>CPU time of the Gateway, PostgreSQL and this process over the measured part of a run.</summary>
public sealed class CpuWindow(GatewayProcess gateway, PostgresLauncher pg)
{
    private long _begin;
    private TimeSpan _gateway, _bench;
    private TimeSpan? _pg;

    public TimeSpan Wall { get; private set; }
    public TimeSpan GatewayCpu { get; private set; }
    public TimeSpan BenchCpu { get; private set; }
    public TimeSpan? PostgresCpu { get; private set; }

    public void Begin()
    {
        _begin = Stopwatch.GetTimestamp();
        _gateway = gateway.CpuTime();
        _bench = Process.GetCurrentProcess().TotalProcessorTime;
        _pg = pg.CpuTime();
    }

    public void End()
    {
        if (_begin == 0) Begin();
        Wall = Stopwatch.GetElapsedTime(_begin);
        GatewayCpu = gateway.CpuTime() - _gateway;
        BenchCpu = Process.GetCurrentProcess().TotalProcessorTime - _bench;
        PostgresCpu = pg.CpuTime() - _pg;
    }
}

/// <summary>Samples a process's resident memory twice a second and keeps the largest.</summary>
public sealed class RssSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public RssSampler(int pid) => _timer = new Timer(_ =>
    {
        if (ProcStat.Rss(pid) is { } rss && rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
    }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));

    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose() => _timer.Dispose();
}
