using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Many dashboards: <c>--dashboards</c> (1,000) leader dashboards, spread over <c>--client-processes</c> copies of this
/// program started in <see cref="DashboardClientProcess"/> mode so their work is not the benchmark's, follow 50
/// updates/s on durable PostgreSQL. Phase A measures update→push latency and dropped connections; at the start of phase
/// B one more client (<see cref="StalledClient"/>) subscribes and stops reading, and the others' latency is measured
/// again. The Gateway's RSS is read idle (no dashboard), with the dashboards connected and idle, and at its peak under load.
/// </summary>
public static class DashboardsRun
{
    public const double P99TargetMs = 250;
    public const double StallShiftLimit = 0.10;
    public const double RssTargetMiB = 200;
    private const int WindowSeconds = 10;

    public sealed record ClientProcessFigures(int Pid, int Connections, double CpuSecondsPhaseA, double CpuSecondsPhaseB, double CpuSecondsTotal, ClientProcessResult? Result);

    public static async Task RunAsync(double rate, int phaseSeconds, int warmupSeconds, int dashboards, int processes, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        phaseSeconds = (phaseSeconds + WindowSeconds - 1) / WindowSeconds * WindowSeconds;
        report.Config = new { rate, phaseSeconds, warmupSeconds, dashboards, clientProcesses = processes, tasks = 400, windowSeconds = WindowSeconds, postgres = context.Postgres.Description };
        var pg = context.Postgres;
        var database = await pg.CreateDatabaseAsync("bench_dashboards");
        var settings = PushRun.GatewaySettings(database, 400, context.Options.BatchMilliseconds);
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-dashboards-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[dashboards] starting the Gateway (400 demo tasks, PostgreSQL); log: {logPath}");
        await using var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath);
        var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(10), null, ct);
        Console.WriteLine($"[dashboards]   ready after {startup.TotalSeconds:0.0} s");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        var counties = await Counties.PrepareAsync(http, PushRun.Summit, tasksPerCounty: 20);
        var leaderToken = await Counties.SignInAsync(http, "leader");
        // Idle: started, demo data in, counties signed in, no dashboard, no update.
        await Task.Delay(TimeSpan.FromSeconds(15), ct);
        var idleRss = ProcStat.Rss(gateway.Pid);
        var idleCpu = gateway.CpuTime();
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var idleCores = Math.Round((gateway.CpuTime() - idleCpu).TotalSeconds / 5, 3);
        Console.WriteLine($"[dashboards]   idle: RSS {Format.MiB(idleRss)}, {idleCores} cores");

        var warmupCount = (int)(rate * warmupSeconds);
        var phaseCount = (int)(rate * phaseSeconds);
        var windowUpdates = (int)(rate * WindowSeconds);
        var windowsPerPhase = phaseSeconds / WindowSeconds;
        var probe = new Probe(Guid.NewGuid().ToString("N")[..8], warmupCount + 2 * phaseCount, rate, warmupCount);
        var updates = new UpdateTally(probe);

        var folder = Path.Combine(Path.GetTempPath(), $"summit-bench-dashboards-{probe.Run}");
        Directory.CreateDirectory(folder);
        var hub = new Uri(gateway.BaseAddress, "/hubs/progress");
        var children = new List<ClientChild>();
        Console.WriteLine($"[dashboards] connecting {dashboards} dashboards from {processes} client processes …");
        var connectClock = Stopwatch.StartNew();
        try
        {
            for (var p = 0; p < processes; p++)
            {
                var connections = dashboards / processes + (p < dashboards % processes ? 1 : 0);
                if (connections == 0) continue;
                children.Add(ClientChild.Start(p, connections, hub, leaderToken, probe, windowUpdates, 2 * windowsPerPhase, Path.Combine(folder, $"client-{p}.bin")));
            }
            await Task.WhenAll(children.Select(c => c.Ready.WaitAsync(TimeSpan.FromMinutes(5), ct)));
            var connectSeconds = connectClock.Elapsed.TotalSeconds;
            Console.WriteLine($"[dashboards]   {children.Sum(c => c.Connections)} connected in {connectSeconds:0.0} s");

            await Task.Delay(TimeSpan.FromSeconds(15), ct);
            var connectedRss = ProcStat.Rss(gateway.Pid);
            var connectedCpu = gateway.CpuTime();
            var clientsIdleCpu = children.Select(c => c.CpuTime()).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var connectedIdleCores = Math.Round((gateway.CpuTime() - connectedCpu).TotalSeconds / 5, 3);
            var clientsIdleCores = Math.Round(children.Select((c, i) => (c.CpuTime() - clientsIdleCpu[i]).TotalSeconds).Sum() / 5, 3);
            Console.WriteLine($"[dashboards]   connected, no updates: Gateway RSS {Format.MiB(connectedRss)}, {connectedIdleCores} cores; client processes {clientsIdleCores} cores");

            ProcStat.ResetPeakRss(gateway.Pid);
            using var memory = new RssSampler(gateway.Pid);
            probe.Start = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
            foreach (var child in children) child.Send("start " + probe.Start.ToString(CultureInfo.InvariantCulture));

            // CPU of every process at the phase boundaries; the stalled client joins when phase B begins.
            var marks = new List<(string Name, TimeSpan Gateway, TimeSpan? Postgres, TimeSpan[] Clients, long At)>();
            StalledClient? stalled = null;
            string? stalledError = null;
            var phases = Task.Run(async () =>
            {
                async Task At(long timestamp)
                {
                    var ms = (timestamp - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                    if (ms > 0) await Task.Delay((int)ms, ct);
                }
                void Mark(string name) => marks.Add((name, gateway.CpuTime(), pg.CpuTime(), children.Select(c => c.CpuTime()).ToArray(), Stopwatch.GetTimestamp()));
                await At(probe.Planned(warmupCount));
                Mark("A");
                await At(probe.Planned(warmupCount + phaseCount));
                Mark("B");
                try
                {
                    stalled = await StalledClient.ConnectAsync(gateway.BaseAddress, leaderToken, PushRun.Summit, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    stalledError = ex.Message;
                }
                await At(probe.Planned(probe.Count - 1) + Stopwatch.Frequency / (long)rate);
                Mark("end");
            }, ct);

            Console.WriteLine($"[dashboards] {warmupCount} warm-up + {phaseCount} (phase A) + {phaseCount} (phase B, one stalled client) updates at {rate}/s …");
            var lag = await OpenLoop.RunAsync(probe, i => _ = counties.SendAsync(probe, i, updates), ct);
            await phases;
            var responsesBy = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
            while (Volatile.Read(ref updates.Completed) < probe.Count && Stopwatch.GetTimestamp() < responsesBy) await Task.Delay(20, ct);
            var accepted = Enumerable.Range(probe.Warmup, probe.Count - probe.Warmup).Count(updates.Accepted);
            var expected = (long)accepted * dashboards;
            await WaitForChildrenAsync(children, expected, ct);
            var peakRss = ProcStat.PeakRss(gateway.Pid);

            foreach (var child in children) child.Send("stop");
            var results = await Task.WhenAll(children.Select(c => c.Result.WaitAsync(TimeSpan.FromMinutes(2), ct)));
            var stalledOutcome = stalled is null ? default : await stalled.DrainAsync(TimeSpan.FromSeconds(20));
            if (stalled is not null) await stalled.DisposeAsync();

            // Merge each phase's windows over every client process.
            var phaseA = new Latencies(phaseCount * dashboards);
            var phaseB = new Latencies(phaseCount * dashboards);
            var perWindow = new List<object>();
            var windowLatencies = Enumerable.Range(0, 2 * windowsPerPhase).Select(_ => new Latencies(windowUpdates * dashboards)).ToArray();
            foreach (var r in results)
            {
                var windows = DashboardClientProcess.ReadSamples(r.SamplesFile);
                for (var w = 0; w < windows.Count; w++)
                    foreach (var us in windows[w])
                    {
                        windowLatencies[w].AddMicroseconds(us);
                        (w < windowsPerPhase ? phaseA : phaseB).AddMicroseconds(us);
                    }
            }
            for (var w = 0; w < windowLatencies.Length; w++)
                perWindow.Add(new { fromSecond = w * WindowSeconds, phase = w < windowsPerPhase ? "A" : "B", latencyMs = windowLatencies[w].Summarise() });
            var a = phaseA.Summarise();
            var b = phaseB.Summarise();
            var shift = a.P99 is { } pa && b.P99 is { } pb && pa > 0 ? Math.Round((pb - pa) / pa, 4) : (double?)null;

            TimeSpan Between(Func<(string Name, TimeSpan Gateway, TimeSpan? Postgres, TimeSpan[] Clients, long At), TimeSpan> f, int from, int to) => f(marks[to]) - f(marks[from]);
            double Seconds(int from, int to) => (marks[to].At - marks[from].At) / (double)Stopwatch.Frequency;
            var processFigures = children.Select((c, i) => new ClientProcessFigures(c.Pid, c.Connections,
                Math.Round((marks[1].Clients[i] - marks[0].Clients[i]).TotalSeconds, 2),
                Math.Round((marks[2].Clients[i] - marks[1].Clients[i]).TotalSeconds, 2),
                results[i].CpuSeconds, results[i])).ToList();
            var gatewayCoresA = Math.Round(Between(m => m.Gateway, 0, 1).TotalSeconds / Seconds(0, 1), 3);
            var gatewayCoresB = Math.Round(Between(m => m.Gateway, 1, 2).TotalSeconds / Seconds(1, 2), 3);
            var pgCoresA = marks[0].Postgres is { } p0 && marks[1].Postgres is { } p1 ? Math.Round((p1 - p0).TotalSeconds / Seconds(0, 1), 3) : (double?)null;
            var clientCoresA = Math.Round(processFigures.Sum(f => f.CpuSecondsPhaseA) / Seconds(0, 1), 3);
            var clientCoresB = Math.Round(processFigures.Sum(f => f.CpuSecondsPhaseB) / Seconds(1, 2), 3);
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var delivered = results.Sum(r => r.Delivered);
            var lost = results.Sum(r => r.ConnectionsLost);
            var connectedAtStop = results.Sum(r => r.ConnectedAtStop);

            report.Results = new
            {
                startupSeconds = Math.Round(startup.TotalSeconds, 1),
                connectSeconds = Math.Round(connectSeconds, 1),
                gateway = new
                {
                    idleRssMiB = Mib(idleRss),
                    idleCores,
                    connectedIdleRssMiB = Mib(connectedRss),
                    connectedIdleCores,
                    peakRssUnderLoadMiB = Mib(peakRss),
                    peakRssSampledMiB = Mib(memory.Peak),
                    coresPhaseA = gatewayCoresA,
                    coresPhaseB = gatewayCoresB,
                },
                postgres = new { coresPhaseA = pgCoresA },
                clientProcesses = new { idleCores = clientsIdleCores, coresPhaseA = clientCoresA, coresPhaseB = clientCoresB, processes = processFigures },
                benchCpuSeconds = Math.Round(benchCpu, 1),
                updates = new { planned = probe.Count - probe.Warmup, accepted, errors = probe.Count - probe.Warmup - accepted, errorsByKind = updates.Errors, httpLatencyMs = updates.Latency.Summarise() },
                deliveries = new
                {
                    expected,
                    delivered,
                    missing = Math.Max(0, expected - delivered),
                    duplicates = results.Sum(r => r.Duplicates),
                    gaps = results.Sum(r => r.Gaps),
                    resyncs = results.Sum(r => r.Resyncs),
                    subscribeErrors = results.Sum(r => r.SubscribeErrors),
                    batches = results.Sum(r => r.Batches),
                },
                connectionsLost = lost,
                connectedAtStop,
                phaseA = a,
                phaseB = b,
                p99ShiftWithStalledClient = shift,
                stalledClient = new
                {
                    connected = stalled is not null,
                    error = stalledError,
                    closedByServer = stalledOutcome.ClosedByServer,
                    bytesQueuedForIt = stalledOutcome.BytesQueued,
                    closeReason = stalledOutcome.CloseReason,
                },
                perWindow,
                schedulerLagMs = lag.Summarise(),
            };

            report.Row("Gateway RSS", $"idle {Format.MiB(idleRss)}; {dashboards} dashboards connected, no updates {Format.MiB(connectedRss)}; peak under load {Format.MiB(peakRss)}");
            report.Row("updates", $"{accepted:N0}/{probe.Count - probe.Warmup:N0} accepted at {rate}/s; HTTP {updates.Latency.Summarise()}");
            report.Row("phase A: update→push", a.ToString());
            report.Row("phase B (+1 stalled client): update→push", $"{b}; p99 {(shift is { } s ? (s >= 0 ? "+" : "") + (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a")}");
            report.Row("deliveries", $"{delivered:N0}/{expected:N0}, missing {Math.Max(0, expected - delivered):N0}, gaps {results.Sum(r => r.Gaps)}, resyncs {results.Sum(r => r.Resyncs)}");
            report.Row("connections", $"{lost} lost (client began to reconnect), {connectedAtStop}/{dashboards} connected at the end");
            report.Row("stalled client", stalled is null ? $"could not connect: {stalledError}" : $"closed by the server: {stalledOutcome.ClosedByServer} ({stalledOutcome.CloseReason}); {stalledOutcome.BytesQueued:N0} bytes were queued for it");
            report.Row("CPU (cores)", $"Gateway {gatewayCoresA} (A) / {gatewayCoresB} (B), idle {idleCores}, connected idle {connectedIdleCores}; PostgreSQL {pgCoresA} (A); " +
                                      $"{children.Count} client processes {clientCoresA} (A) / {clientCoresB} (B), idle {clientsIdleCores}");
            report.Targets.Add(TargetCheck.AtMost($"phase A update→push p99, {dashboards} dashboards", a.P99, P99TargetMs, "ms"));
            report.Targets.Add(TargetCheck.AtMost("connections dropped", lost, 0, "connections"));
            report.Targets.Add(TargetCheck.AtMost("p99 shift with one stalled client", shift is { } v ? Math.Round(Math.Abs(v) * 100, 1) : null, StallShiftLimit * 100, "%"));
            report.Targets.Add(TargetCheck.AtMost($"Gateway peak RSS with {dashboards} dashboards", Mib(peakRss), RssTargetMiB, "MiB"));
            if (lag.Summarise().P99 is > 5)
                report.Notes.Add($"The benchmark's own scheduler ran late (p99 {lag.Summarise().P99:0.0} ms): the machine was short of CPU; latencies include that delay.");
            report.Notes.Add("The dashboard clients ran in processes of their own on the same two cores as the Gateway and PostgreSQL; their CPU is reported.");
        }
        finally
        {
            foreach (var child in children) await child.DisposeAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static long? Mib(long? bytes) => bytes / (1024 * 1024);

    private static async Task WaitForChildrenAsync(List<ClientChild> children, long expected, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        var last = -1L;
        var lastChange = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (children.Sum(c => c.Delivered) >= expected) return;
            var events = children.Sum(c => c.Events);
            if (events != last)
            {
                last = events;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetTimestamp() - lastChange > Stopwatch.Frequency * 5) return;
            await Task.Delay(100, ct);
        }
    }

    /// <summary>One client process: started, told when the run starts and when to stop, and read for its progress and result.</summary>
    private sealed class ClientChild : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ClientProcessResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Queue<string> _errors = new();
        private long _delivered, _events;

        private ClientChild(Process process, int connections)
        {
            _process = process;
            Connections = connections;
        }

        public int Connections { get; }
        public int Pid => _process.Id;
        public Task Ready => _ready.Task;
        public Task<ClientProcessResult> Result => _result.Task;
        public long Delivered => Interlocked.Read(ref _delivered);
        public long Events => Interlocked.Read(ref _events);

        public TimeSpan CpuTime() => ProcStat.CpuTime(_process.Id) ?? TimeSpan.Zero;

        public static ClientChild Start(int index, int connections, Uri hub, string token, Probe probe, int windowUpdates, int windows, string output)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Summit.Bench.dll");
            var info = new ProcessStartInfo("dotnet",
            [
                dll, DashboardClientProcess.Flag, "--hub", hub.ToString(), "--token", token, "--summit", PushRun.Summit,
                "--run", probe.Run, "--connections", connections.ToString(CultureInfo.InvariantCulture),
                "--count", probe.Count.ToString(CultureInfo.InvariantCulture), "--warmup", probe.Warmup.ToString(CultureInfo.InvariantCulture),
                "--rate", probe.Rate.ToString(CultureInfo.InvariantCulture), "--window-updates", windowUpdates.ToString(CultureInfo.InvariantCulture),
                "--windows", windows.ToString(CultureInfo.InvariantCulture), "--out", output,
            ])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var child = new ClientChild(process, connections);
            process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (child._errors)
                {
                    child._errors.Enqueue(e.Data);
                    while (child._errors.Count > 20) child._errors.Dequeue();
                }
            };
            process.Exited += (_, _) =>
            {
                string errors;
                lock (child._errors) errors = string.Join(Environment.NewLine, child._errors);
                var failure = new InvalidOperationException($"Dashboard client process {index} exited with code {process.ExitCode}:\n{errors}");
                child._ready.TrySetException(failure);
                child._result.TrySetException(failure);
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        private void OnLine(string? line)
        {
            if (line is null) return;
            if (line.StartsWith("ready ", StringComparison.Ordinal)) _ready.TrySetResult();
            else if (line.StartsWith("failed ", StringComparison.Ordinal)) _ready.TrySetException(new InvalidOperationException("A dashboard client process could not connect: " + line[7..]));
            else if (line.StartsWith("progress ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Interlocked.Exchange(ref _delivered, long.Parse(parts[1], CultureInfo.InvariantCulture));
                Interlocked.Exchange(ref _events, long.Parse(parts[2], CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("result ", StringComparison.Ordinal))
                _result.TrySetResult(JsonSerializer.Deserialize<ClientProcessResult>(line[7..])!);
        }

        public void Send(string line)
        {
            try
            {
                _process.StandardInput.WriteLine(line);
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // The process is gone; its Exited handler reports why.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.StandardInput.Close();
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
                }
                catch (Exception)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }
    }
}
