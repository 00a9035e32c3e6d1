using System.Diagnostics;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Soak: the steady load for a long time (100 updates/s for 30 min, 50 leader dashboards, durable PostgreSQL, the
/// Gateway's coalescing as configured). Every 10 s the Gateway's RSS and the CPU of the Gateway and PostgreSQL are
/// sampled; update→push latencies are kept per 10 s of planned send time. Per-minute figures are then fitted by least
/// squares: a slope is what one more minute of running costs. A p99 spike is a 10 s window whose p99 is more than twice
/// the median of the windows' p99s.
/// </summary>
public static class SoakRun
{
    private const int WindowSeconds = 10;

    public sealed record Sample(double Minute, double GatewayRssMiB, double GatewayCores, double? PostgresCores, double BenchCores, double[] LoadAverage);

    public sealed record MinuteFigures(int Minute, long Deliveries, double? P50Ms, double? P99Ms, double? MaxMs, double GatewayRssMiB, double GatewayCores, double? PostgresCores);

    public sealed record Spike(double FromMinute, double P99Ms, double MaxMs, long Deliveries);

    public static async Task RunAsync(double rate, int durationSeconds, int warmupSeconds, int dashboards, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        report.Config = new { rate, durationSeconds, warmupSeconds, dashboards, tasks = 400, windowSeconds = WindowSeconds, postgres = context.Postgres.Description };
        var pg = context.Postgres;
        var database = await pg.CreateDatabaseAsync("bench_soak");
        var settings = PushRun.GatewaySettings(database, 400, context.Options.BatchMilliseconds);
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-soak-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[soak] starting the Gateway (400 demo tasks, PostgreSQL); log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(10), null, ct);
        Console.WriteLine($"[soak]   ready after {startup.TotalSeconds:0.0} s");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        var counties = await Counties.PrepareAsync(http, PushRun.Summit, tasksPerCounty: 20);
        var leaderToken = await Counties.SignInAsync(http, "leader");

        var warmupCount = (int)(rate * warmupSeconds);
        var measuredCount = (int)(rate * durationSeconds);
        var windowUpdates = (int)(rate * WindowSeconds);
        var windowCount = (measuredCount + windowUpdates - 1) / windowUpdates;
        var probe = new Probe(Guid.NewGuid().ToString("N")[..8], warmupCount + measuredCount, rate, warmupCount);
        var updates = new UpdateTally(probe);
        var pushes = new PushTally(probe)
        {
            Windows = Enumerable.Range(0, windowCount).Select(_ => new Latencies(windowUpdates * dashboards)).ToArray(),
            WindowUpdates = windowUpdates,
        };

        Console.WriteLine($"[soak] connecting {dashboards} leader dashboards …");
        var hub = new Uri(gateway.BaseAddress, "/hubs/progress");
        var clients = await DashboardClient.ConnectAllAsync(dashboards, _ => DashboardClient.Create(hub, leaderToken, PushRun.Summit, pushes), ct);
        var samples = new List<Sample>();
        try
        {
            var rssAtStart = ProcStat.Rss(gateway.Pid);
            ProcStat.ResetPeakRss(gateway.Pid);
            Console.WriteLine($"[soak] {warmupCount} warm-up + {measuredCount} measured updates at {rate}/s ({durationSeconds / 60.0:0.#} min) …");
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sampler = Task.Run(async () =>
            {
                while (probe.Start == 0) await Task.Delay(1, sampling.Token);
                var begin = probe.Planned(probe.Warmup);
                var wait = (begin - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 0) await Task.Delay((int)wait, sampling.Token);
                var last = (At: Stopwatch.GetTimestamp(), Gateway: gateway.CpuTime(), Postgres: pg.CpuTime(), Bench: Process.GetCurrentProcess().TotalProcessorTime);
                for (var k = 1; ; k++)
                {
                    var due = begin + k * WindowSeconds * Stopwatch.Frequency;
                    var delay = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                    if (delay > 0) await Task.Delay((int)delay, sampling.Token);
                    var now = (At: Stopwatch.GetTimestamp(), Gateway: gateway.CpuTime(), Postgres: pg.CpuTime(), Bench: Process.GetCurrentProcess().TotalProcessorTime);
                    var seconds = (now.At - last.At) / (double)Stopwatch.Frequency;
                    var sample = new Sample(
                        Math.Round((now.At - begin) / (double)Stopwatch.Frequency / 60, 3),
                        Math.Round((ProcStat.Rss(gateway.Pid) ?? 0) / (1024.0 * 1024), 1),
                        Math.Round((now.Gateway - last.Gateway).TotalSeconds / seconds, 3),
                        now.Postgres is { } p && last.Postgres is { } q ? Math.Round((p - q).TotalSeconds / seconds, 3) : null,
                        Math.Round((now.Bench - last.Bench).TotalSeconds / seconds, 3),
                        ProcStat.LoadAverage());
                    lock (samples) samples.Add(sample);
                    if (k % 6 == 0)
                        Console.WriteLine($"[soak]   {sample.Minute:0} min: Gateway RSS {sample.GatewayRssMiB:0} MiB, {sample.GatewayCores:0.00} cores; PostgreSQL {sample.PostgresCores:0.00} cores; " +
                                          $"delivered {Interlocked.Read(ref pushes.Delivered):N0}; load {string.Join(" ", sample.LoadAverage)}");
                    last = now;
                }
            }, sampling.Token);

            var lag = await OpenLoop.RunAsync(probe, i => _ = counties.SendAsync(probe, i, updates), ct);
            var responsesBy = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
            while (Volatile.Read(ref updates.Completed) < probe.Count && Stopwatch.GetTimestamp() < responsesBy) await Task.Delay(20, ct);
            var applied = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(i => updates.Accepted(i) || pushes.SeenAnywhere[i]);
            await PushRun.WaitForDeliveriesAsync(pushes, (long)applied * dashboards, ct);
            applied = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(i => updates.Accepted(i) || pushes.SeenAnywhere[i]);
            await sampling.CancelAsync();
            try
            {
                await sampler;
            }
            catch (OperationCanceledException)
            {
            }

            var accepted = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(updates.Accepted);
            var push = pushes.Summarise((long)applied * dashboards);
            List<Sample> taken;
            lock (samples) taken = [.. samples];

            // Per minute: the latencies of the updates planned in that minute, the samples taken within it.
            var perMinute = new List<MinuteFigures>();
            var windowsPerMinute = 60 / WindowSeconds;
            for (var m = 0; m * windowsPerMinute < windowCount; m++)
            {
                var merged = new Latencies(windowUpdates * dashboards * windowsPerMinute);
                for (var w = m * windowsPerMinute; w < Math.Min(windowCount, (m + 1) * windowsPerMinute); w++) merged.AddRange(pushes.Windows![w]);
                var s = merged.Summarise();
                var inMinute = taken.Where(x => x.Minute > m && x.Minute <= m + 1.001).ToList();
                if (inMinute.Count == 0) continue;
                perMinute.Add(new MinuteFigures(m + 1, s.Count, s.P50, s.P99, s.Max,
                    inMinute[^1].GatewayRssMiB,
                    Math.Round(inMinute.Average(x => x.GatewayCores), 3),
                    inMinute.All(x => x.PostgresCores is not null) ? Math.Round(inMinute.Average(x => x.PostgresCores!.Value), 3) : null));
            }
            var windows = pushes.Windows!.Select((l, w) => (From: w * WindowSeconds / 60.0, Summary: l.Summarise())).Where(x => x.Summary.Count > 0).ToList();
            var medianWindowP99 = Median(windows.Select(w => w.Summary.P99!.Value));
            var spikes = windows.Where(w => w.Summary.P99 > 2 * medianWindowP99)
                .Select(w => new Spike(Math.Round(w.From, 2), w.Summary.P99!.Value, w.Summary.Max!.Value, w.Summary.Count)).ToList();

            double? Slope(Func<MinuteFigures, double?> y)
            {
                var points = perMinute.Where(p => y(p) is not null).Select(p => ((double)p.Minute, y(p)!.Value)).ToList();
                return LeastSquaresSlope(points) is { } v ? Math.Round(v, 4) : null;
            }
            var slopes = new
            {
                gatewayRssMiBPerMinute = Slope(p => p.GatewayRssMiB),
                p99MsPerMinute = Slope(p => p.P99Ms),
                p50MsPerMinute = Slope(p => p.P50Ms),
                gatewayCoresPerMinute = Slope(p => p.GatewayCores),
                postgresCoresPerMinute = Slope(p => p.PostgresCores),
            };
            var errors = updates.Errors;
            var peakRss = ProcStat.PeakRss(gateway.Pid);
            report.Results = new
            {
                startupSeconds = Math.Round(startup.TotalSeconds, 1),
                updates = new { planned = measuredCount, accepted, errors = measuredCount - accepted, errorsByKind = errors, httpLatencyMs = updates.Latency.Summarise() },
                push,
                gateway = new { rssAtStartMiB = rssAtStart / (1024 * 1024), peakRssMiB = peakRss / (1024 * 1024) },
                slopes,
                medianWindowP99Ms = medianWindowP99,
                spikes,
                perMinute,
                samples = taken,
                schedulerLagMs = lag.Summarise(),
            };
            report.Row("updates", $"{accepted:N0}/{measuredCount:N0} accepted, {measuredCount - accepted} errors{(errors.Count > 0 ? " (" + string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}")) + ")" : "")}");
            report.Row("update HTTP latency", updates.Latency.Summarise().ToString());
            report.Row("update→push latency", $"{push.LatencyMs}; delivered {push.Delivered:N0}/{push.Expected:N0}, missing {push.Missing}, gaps {push.Gaps}, resyncs {push.Resyncs}");
            if (perMinute.Count > 0)
            {
                report.Row("Gateway RSS", $"{perMinute[0].GatewayRssMiB:0} MiB after minute 1 → {perMinute[^1].GatewayRssMiB:0} MiB after minute {perMinute[^1].Minute}; slope {slopes.gatewayRssMiBPerMinute} MiB/min; peak {Format.MiB(peakRss)}");
                report.Row("update→push p99 per minute", $"{perMinute.Min(p => p.P99Ms):0.0}–{perMinute.Max(p => p.P99Ms):0.0} ms; slope {slopes.p99MsPerMinute} ms/min");
                report.Row("PostgreSQL CPU", $"{perMinute.Average(p => p.PostgresCores ?? 0):0.000} cores on average; slope {slopes.postgresCoresPerMinute} cores/min");
                report.Row("Gateway CPU", $"{perMinute.Average(p => p.GatewayCores):0.000} cores on average; slope {slopes.gatewayCoresPerMinute} cores/min");
            }
            report.Row("p99 spikes", $"{spikes.Count} of {windows.Count} windows of {WindowSeconds} s above 2× the median window p99 ({medianWindowP99:0.0} ms)" +
                                     (spikes.Count > 0 ? $"; worst {spikes.Max(s => s.P99Ms):0} ms at minute {spikes.MaxBy(s => s.P99Ms)!.FromMinute:0.0}" : ""));
            report.Row("scheduler lag", lag.Summarise().ToString());
            if (lag.Summarise().P99 is > 5)
                report.Notes.Add($"The benchmark's own scheduler ran late (p99 {lag.Summarise().P99:0.0} ms): the machine was short of CPU; latencies include that delay.");
        }
        finally
        {
            await Task.WhenAll(clients.Select(d => d.DisposeAsync().AsTask()));
        }
    }

    public static double? LeastSquaresSlope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return null;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? null : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return 0;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
