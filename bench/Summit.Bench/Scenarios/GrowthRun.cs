using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Does a change cost more as history grows? On durable PostgreSQL, one task is given <c>--history</c> earlier changes
/// (10,000 by default) through the API, then the same sequential update is timed on that task and on a task with no
/// earlier changes, with the Gateway's CPU per update; then the fresh-task measurement is repeated in a summit with
/// <c>--tasks</c> times more tasks. A change writes the entity row and one history row and never reads the history, so
/// latency and CPU should stay within 1.2× (the target).
/// </summary>
public static class GrowthRun
{
    public const double GrowthLimit = 1.2;
    private const int Measured = 400;
    private const int Warmup = 50;

    public static async Task RunAsync(int history, int smallSummit, int largeSummit, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        report.Config = new { history, measuredUpdates = Measured, warmupUpdates = Warmup, smallSummit, largeSummit, postgres = context.Postgres.Description };

        var small = await MeasureSummitAsync("small", smallSummit, history, context, ct);
        var large = await MeasureSummitAsync("large", largeSummit, 0, context, ct);

        var fresh = small.Fresh!;
        var old = small.Old!;
        report.Row($"task with no earlier changes ({smallSummit:N0}-task summit)", $"{fresh.Latency}; Gateway CPU {fresh.CpuMsPerUpdate:0.00} ms/update");
        report.Row($"task with {history:N0} earlier changes", $"{old.Latency}; Gateway CPU {old.CpuMsPerUpdate:0.00} ms/update");
        report.Row($"task with no earlier changes ({largeSummit:N0}-task summit)", $"{large.Fresh!.Latency}; Gateway CPU {large.Fresh.CpuMsPerUpdate:0.00} ms/update");
        var historyRatio = (old.Latency.P50 ?? 0) / (fresh.Latency.P50 ?? 1);
        var historyCpuRatio = old.CpuMsPerUpdate / fresh.CpuMsPerUpdate;
        var sizeRatio = (large.Fresh.Latency.P50 ?? 0) / (fresh.Latency.P50 ?? 1);
        var sizeCpuRatio = large.Fresh.CpuMsPerUpdate / fresh.CpuMsPerUpdate;
        report.Targets.Add(TargetCheck.AtMost($"p50 latency, {history:N0} earlier changes vs none", historyRatio, GrowthLimit, "×"));
        report.Targets.Add(TargetCheck.AtMost($"Gateway CPU per update, {history:N0} earlier changes vs none", historyCpuRatio, GrowthLimit, "×"));
        report.Targets.Add(TargetCheck.AtMost($"p50 latency, {largeSummit:N0}-task vs {smallSummit:N0}-task summit", sizeRatio, GrowthLimit, "×"));
        report.Targets.Add(TargetCheck.AtMost($"Gateway CPU per update, {largeSummit:N0}-task vs {smallSummit:N0}-task summit", sizeCpuRatio, GrowthLimit, "×"));
        report.Results = new
        {
            freshTask = fresh,
            taskWithHistory = old,
            freshTaskInLargeSummit = large.Fresh,
            historySeconds = small.HistorySeconds,
            ratios = new { historyLatency = Math.Round(historyRatio, 3), historyCpu = Math.Round(historyCpuRatio, 3), sizeLatency = Math.Round(sizeRatio, 3), sizeCpu = Math.Round(sizeCpuRatio, 3) },
        };
        if (largeSummit < 100_000) report.Notes.Add($"The larger summit had {largeSummit:N0} tasks, not the 100,000 of the target (--tasks).");
        report.Notes.Add("Latency is the HTTP round trip of sequential PATCHes (one at a time), so it is service time, not queueing.");
    }

    public sealed record Measurement(string Task, int VersionBefore, LatencySummary Latency, double CpuMsPerUpdate);

    private sealed record SummitResult(Measurement? Fresh, Measurement? Old, double HistorySeconds);

    private static async Task<SummitResult> MeasureSummitAsync(string label, int tasks, int history, BenchContext context, CancellationToken ct)
    {
        var database = await context.Postgres.CreateDatabaseAsync($"bench_growth_{label}");
        var settings = PushRun.GatewaySettings(database, tasks, null);
        settings["Summit__Demo__Parallelism"] = "64";
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-growth-{label}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[growth] {label}: starting the Gateway with {tasks:N0} tasks; log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(60), elapsed => Console.WriteLine($"[growth]   {elapsed.TotalMinutes:0.0} min"), ct);
        Console.WriteLine($"[growth]   ready after {startup.TotalSeconds:0} s");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        var token = await Counties.SignInAsync(http, "secretariat");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/summits/{PushRun.Summit}/tasks?limit=2&status=inProgress", ct);
        var ids = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray();
        if (ids.Length < 2) throw new InvalidOperationException("The demo summit has fewer than two tasks in progress.");

        Measurement? old = null;
        double historySeconds = 0;
        if (history > 0)
        {
            Console.WriteLine($"[growth]   giving task {ids[1]} {history:N0} earlier changes …");
            var clock = Stopwatch.StartNew();
            await UpdateAsync(http, ids[1], history, null, ct);
            historySeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"[growth]   done in {historySeconds:0} s");
        }

        var fresh = await MeasureTaskAsync(http, gateway, ids[0], ct);
        Console.WriteLine($"[growth]   fresh task: {fresh.Latency}, {fresh.CpuMsPerUpdate:0.00} ms CPU/update");
        if (history > 0)
        {
            old = await MeasureTaskAsync(http, gateway, ids[1], ct);
            Console.WriteLine($"[growth]   task with history: {old.Latency}, {old.CpuMsPerUpdate:0.00} ms CPU/update");
        }
        return new SummitResult(fresh, old, historySeconds);
    }

    private static async Task<Measurement> MeasureTaskAsync(HttpClient http, GatewayProcess gateway, string id, CancellationToken ct)
    {
        var before = await http.GetFromJsonAsync<JsonElement>($"/api/summits/{PushRun.Summit}/tasks/{id}", ct);
        await UpdateAsync(http, id, Warmup, null, ct);
        var latencies = new Latencies(Measured);
        var cpu = gateway.CpuTime();
        await UpdateAsync(http, id, Measured, latencies, ct);
        var cpuMs = (gateway.CpuTime() - cpu).TotalMilliseconds / Measured;
        return new Measurement(id, before.GetProperty("version").GetInt32(), latencies.Summarise(), Math.Round(cpuMs, 3));
    }

    private static async Task UpdateAsync(HttpClient http, string id, int count, Latencies? latencies, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PatchAsJsonAsync($"/api/summits/{PushRun.Summit}/tasks/{id}",
                new { percentComplete = i % 90 + 5, note = $"growth {i}" }, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"PATCH {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            latencies?.Add(started, Stopwatch.GetTimestamp());
        }
    }
}
