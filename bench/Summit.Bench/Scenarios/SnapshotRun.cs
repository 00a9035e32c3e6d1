using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Serves <c>GET /api/summits/{summit}/dashboard</c> of a summit seeded with many tasks (100,000 by default): the
/// first request after start-up, then sequential requests of a leader (summit scope) and of a county (its scope).
/// </summary>
public static partial class SnapshotRun
{
    public const double TargetMs = 50;

    public static async Task RunAsync(int tasks, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        // Only serving is measured here; seeding 100,000 tasks with durable commits would take far longer for nothing,
        // so a private cluster is started with fsync off for this scenario (an external --pg server is used as it is).
        await using var fast = context.Options.Postgres is null && context.Postgres.Durable
            ? await PostgresLauncher.StartAsync(null, durable: false)
            : null;
        var pg = fast ?? context.Postgres;
        report.Config = new { tasks, requests = 200, countyRequests = 100, warmupRequests = 20, postgres = pg.Description };
        var database = await pg.CreateDatabaseAsync("bench_snapshot");
        var settings = PushRun.GatewaySettings(database, tasks, null);
        // Seeding many tasks is bound by grain calls; more of them in flight keeps both cores busy.
        settings["Summit__Demo__Parallelism"] = "64";
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-snapshot-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[snapshot] starting the Gateway and seeding {tasks} tasks into PostgreSQL (minutes for 100,000); log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(90), elapsed =>
        {
            var seeded = SeededLine().Matches(gateway.Tail).LastOrDefault()?.Value;
            Console.WriteLine($"[snapshot]   {elapsed.TotalMinutes:0.0} min{(seeded is null ? "" : ": " + seeded)}");
        }, ct);
        var rssAfterSeeding = ProcStat.Rss(gateway.Pid);
        Console.WriteLine($"[snapshot]   seeded and ready after {startup.TotalSeconds:0} s");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(5);
        var leader = await Counties.SignInAsync(http, "leader");
        var county = await Counties.SignInAsync(http, "county-pingyang");
        var path = $"/api/summits/{PushRun.Summit}/dashboard";

        var cpuBefore = gateway.CpuTime();
        var (coldMs, coldBytes, coldStatus) = await TimeOneAsync(http, path, leader);
        Console.WriteLine($"[snapshot]   first request: {coldStatus} in {coldMs:0.0} ms, {coldBytes} bytes");
        if (coldStatus != 200)
        {
            report.Error = $"GET {path} answered {coldStatus}.";
            return;
        }

        for (var i = 0; i < 20; i++) await TimeOneAsync(http, path, leader);
        var summitScope = new Latencies(200);
        long bytes = 0;
        var errors = 0;
        for (var i = 0; i < 200; i++)
        {
            var (ms, size, status) = await TimeOneAsync(http, path, leader);
            if (status != 200) errors++;
            summitScope.AddMicroseconds((long)(ms * 1000));
            bytes = size;
        }
        var countyScope = new Latencies(100);
        long countyBytes = 0;
        for (var i = 0; i < 100; i++)
        {
            var (ms, size, status) = await TimeOneAsync(http, path, county);
            if (status != 200) errors++;
            countyScope.AddMicroseconds((long)(ms * 1000));
            countyBytes = size;
        }
        var cpu = gateway.CpuTime() - cpuBefore;
        var leaderSummary = summitScope.Summarise();
        var countySummary = countyScope.Summarise();

        report.Results = new
        {
            tasksSeeded = tasks,
            startupAndSeedingSeconds = Math.Round(startup.TotalSeconds, 1),
            firstRequestMs = Math.Round(coldMs, 2),
            summitScope = new { latencyMs = leaderSummary, bytes },
            countyScope = new { latencyMs = countySummary, bytes = countyBytes },
            errors,
            gateway = new
            {
                cpuSecondsForRequests = Math.Round(cpu.TotalSeconds, 2),
                rssAfterSeedingMiB = rssAfterSeeding / (1024 * 1024),
                peakRssMiB = ProcStat.PeakRss(gateway.Pid) / (1024 * 1024),
            },
        };
        report.Row("summit seeded", $"{tasks} tasks in {startup.TotalSeconds:0} s (start-up included)");
        report.Row("first request (cold)", Format.Ms(coldMs));
        report.Row("leader snapshot", $"{leaderSummary}, {bytes / 1024.0:0.0} KiB");
        report.Row("county snapshot", $"{countySummary}, {countyBytes / 1024.0:0.0} KiB");
        report.Row("Gateway memory", $"{Format.MiB(rssAfterSeeding)} after seeding, peak {Format.MiB(ProcStat.PeakRss(gateway.Pid))}");
        report.Targets.Add(TargetCheck.AtMost($"snapshot of a {tasks:N0}-task summit, p99", leaderSummary.P99, TargetMs, "ms"));
        if (tasks < 100_000) report.Notes.Add($"Ran with {tasks:N0} tasks, not the 100,000 of the target (--tasks).");
    }

    private static async Task<(double Ms, long Bytes, int Status)> TimeOneAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, body.LongLength, (int)response.StatusCode);
    }

    [GeneratedRegex(@"\d+/\d+ tasks seeded")]
    private static partial Regex SeededLine();
}
