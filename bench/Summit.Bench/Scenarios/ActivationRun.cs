using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Memory per activated task. A summit of <c>--tasks</c> tasks (100,000 by default) is seeded by one Gateway, which is
/// then stopped (seeding leaves every task grain it wrote activated); a second Gateway on the same database starts with
/// none. Its task ids are listed through the API (SQL, no grain), a few hundred tasks are read to warm the path, and
/// the process's RSS and GC heap (after an induced full collection) are taken; then every task is read once through
/// <c>GET /api/summits/{summit}/tasks/{id}</c>, which activates its grain, and both are taken again. The difference
/// divided by the tasks activated is the cost of one activated task (target ≤ 5 KiB).
/// </summary>
public static partial class ActivationRun
{
    public const double TargetKiB = 5;
    private const int WarmupReads = 200;
    private const int Concurrency = 8;

    public sealed record MemoryReading(double RssMiB, double? GcHeapMiB, GcHeapSize? GcHeap, double[] LoadAverage);

    public static async Task RunAsync(int tasks, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        // As in tasks-page: only memory is measured, so seed without durable commits.
        await using var fast = context.Options.Postgres is null && context.Postgres.Durable
            ? await PostgresLauncher.StartAsync(null, durable: false)
            : null;
        var pg = fast ?? context.Postgres;
        report.Config = new { tasks, warmupReads = WarmupReads, concurrency = Concurrency, postgres = pg.Description };
        var database = await pg.CreateDatabaseAsync("bench_activation");
        var settings = PushRun.GatewaySettings(database, tasks, null);
        settings["Summit__Demo__Parallelism"] = "64";

        double seedSeconds;
        {
            var seedLog = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-activation-seed-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
            Console.WriteLine($"[activation] seeding {tasks:N0} tasks through a first Gateway (minutes for 100,000); log: {seedLog}");
            await using var seeder = GatewayProcess.Start(context.GatewayDll, settings, seedLog);
            var seeded = await seeder.WaitHealthyAsync(TimeSpan.FromMinutes(90), elapsed =>
            {
                var line = SeededLine().Matches(seeder.Tail).LastOrDefault()?.Value;
                Console.WriteLine($"[activation]   {elapsed.TotalMinutes:0.0} min{(line is null ? "" : ": " + line)}");
            }, ct);
            seedSeconds = seeded.TotalSeconds;
            Console.WriteLine($"[activation]   seeded after {seedSeconds:0} s; stopping that Gateway");
        }

        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-activation-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[activation] starting a fresh Gateway on the seeded database; log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(10), null, ct);
        var idleAfterStart = Math.Round((ProcStat.Rss(gateway.Pid) ?? 0) / (1024.0 * 1024), 1);

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(2);
        var token = await Counties.SignInAsync(http, "secretariat");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Console.WriteLine("[activation]   listing task ids (SQL pages, no grain) …");
        var ids = new List<string>(tasks);
        for (var offset = 0; ; offset += 1000)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/summits/{PushRun.Summit}/tasks?limit=1000&offset={offset}", ct);
            var items = page.GetProperty("items");
            foreach (var t in items.EnumerateArray()) ids.Add(t.GetProperty("id").GetString()!);
            if (items.GetArrayLength() < 1000) break;
        }
        ids = [.. ids.Distinct()];
        Console.WriteLine($"[activation]   {ids.Count:N0} tasks listed");

        // Warm the read path (JIT, pools, the summit's own grain) on a few tasks, which stay activated.
        var warmup = ids.Take(WarmupReads).ToList();
        var (warmErrors, _) = await ReadAllAsync(http, warmup, ct);
        await Task.Delay(TimeSpan.FromSeconds(15), ct);
        var before = await ReadMemoryAsync(gateway.Pid);
        Console.WriteLine($"[activation]   before: RSS {before.RssMiB} MiB, GC heap {before.GcHeapMiB} MiB");

        var rest = ids.Skip(WarmupReads).ToList();
        var cpu = gateway.CpuTime();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"[activation]   reading {rest.Count:N0} tasks once each, {Concurrency} at a time …");
        var (errors, latency) = await ReadAllAsync(http, rest, ct);
        var activationSeconds = clock.Elapsed.TotalSeconds;
        var activationCpu = (gateway.CpuTime() - cpu).TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(15), ct);
        var after = await ReadMemoryAsync(gateway.Pid);
        Console.WriteLine($"[activation]   after: RSS {after.RssMiB} MiB, GC heap {after.GcHeapMiB} MiB");
        // A second reading a little later: anything still settling (a pending timer, a deferred write) shows up here.
        await Task.Delay(TimeSpan.FromSeconds(30), ct);
        var later = await ReadMemoryAsync(gateway.Pid);

        var activated = rest.Count - errors;
        double? PerTaskKiB(double? beforeMiB, double? afterMiB) =>
            beforeMiB is { } b && afterMiB is { } a && activated > 0 ? Math.Round((a - b) * 1024 / activated, 2) : null;
        var rssPerTask = PerTaskKiB(before.RssMiB, after.RssMiB);
        var gcPerTask = PerTaskKiB(before.GcHeapMiB, after.GcHeapMiB);
        var gcPerTaskLater = PerTaskKiB(before.GcHeapMiB, later.GcHeapMiB);
        var rssPerTaskLater = PerTaskKiB(before.RssMiB, later.RssMiB);

        report.Results = new
        {
            tasksSeeded = tasks,
            tasksListed = ids.Count,
            seedingSeconds = Math.Round(seedSeconds, 1),
            freshGatewayStartupSeconds = Math.Round(startup.TotalSeconds, 1),
            rssAfterStartMiB = idleAfterStart,
            warmupReads = warmup.Count,
            warmupErrors = warmErrors,
            activatedByReads = activated,
            readErrors = errors,
            readSeconds = Math.Round(activationSeconds, 1),
            readLatencyMs = latency.Summarise(),
            gatewayCpuSecondsForReads = Math.Round(activationCpu, 1),
            before,
            after,
            after45s = later,
            perActivatedTaskKiB = new { rss = rssPerTask, gcHeap = gcPerTask, rss45s = rssPerTaskLater, gcHeap45s = gcPerTaskLater },
        };
        report.Row("summit", $"{tasks:N0} tasks seeded in {seedSeconds:0} s; fresh Gateway up in {startup.TotalSeconds:0.0} s with RSS {idleAfterStart:0} MiB");
        report.Row("activation", $"{activated:N0} tasks read once ({errors} errors) in {activationSeconds:0} s, {latency.Summarise()}; Gateway CPU {activationCpu:0} s");
        report.Row("before (after 200 warm-up reads)", $"RSS {before.RssMiB:0.0} MiB, GC heap {Mi(before.GcHeapMiB)}");
        report.Row("after every task activated", $"RSS {after.RssMiB:0.0} MiB, GC heap {Mi(after.GcHeapMiB)}; 45 s later RSS {later.RssMiB:0.0} MiB, GC heap {Mi(later.GcHeapMiB)}");
        report.Row("per activated task", $"GC heap {gcPerTask} KiB, RSS {rssPerTask} KiB (45 s later: {gcPerTaskLater} and {rssPerTaskLater} KiB)");
        report.Targets.Add(TargetCheck.AtMost("GC heap per activated task", gcPerTask, TargetKiB, "KiB"));
        report.Targets.Add(TargetCheck.AtMost("RSS per activated task", rssPerTask, TargetKiB, "KiB"));
        if (before.GcHeapMiB is null || after.GcHeapMiB is null)
            report.Notes.Add("The GC heap could not be read over the diagnostics port; RSS only.");
        if (tasks < 100_000) report.Notes.Add($"Ran with {tasks:N0} tasks, not the 100,000 of the target (--tasks).");
    }

    private static string Mi(double? value) => value is { } v ? $"{v:0.0} MiB" : "n/a";

    private static async Task<MemoryReading> ReadMemoryAsync(int pid)
    {
        GcHeapSize? heap = null;
        try
        {
            heap = await GcHeap.CollectAsync(pid, TimeSpan.FromSeconds(60));
        }
        catch (Exception ex)
        {
            Console.WriteLine($"[activation]   GC heap not readable: {ex.Message}");
        }
        // RSS after the collection: the GC may have given pages back.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new MemoryReading(Math.Round((ProcStat.Rss(pid) ?? 0) / (1024.0 * 1024), 1),
            heap is null ? null : Math.Round(heap.Total / (1024.0 * 1024), 1), heap, ProcStat.LoadAverage());
    }

    private static async Task<(int Errors, Measurement.Latencies Latency)> ReadAllAsync(HttpClient http, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var errors = 0;
        var latency = new Measurement.Latencies(ids.Count);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (id, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"/api/summits/{PushRun.Summit}/tasks/{id}", HttpCompletionOption.ResponseHeadersRead, token);
            await response.Content.CopyToAsync(Stream.Null, token);
            latency.Add(started, Stopwatch.GetTimestamp());
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
        });
        return (errors, latency);
    }

    [GeneratedRegex(@"\d+/\d+ tasks seeded")]
    private static partial Regex SeededLine();
}
