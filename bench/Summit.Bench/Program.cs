using Summit.Bench;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Scenarios;

// Re-launched by the dashboards scenario as a load client in a process of its own.
if (args is [DashboardClientProcess.Flag, ..]) return await DashboardClientProcess.RunAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var resultsDirectory = options.ResultsDirectory ?? Path.Combine(GatewayProcess.RepositoryRoot(), "bench", "results");
var command = "dotnet run -c Release --project bench/Summit.Bench -- " + string.Join(' ', args);
// A hard stop for the whole run: the benchmark must end by itself.
using var stop = new CancellationTokenSource(TimeSpan.FromHours(2));
// Ctrl+C or SIGTERM end the run through the same path as a finished one, so the Gateway and PostgreSQL are stopped.
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Interrupt);
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Interrupt);
void Interrupt(System.Runtime.InteropServices.PosixSignalContext signal)
{
    signal.Cancel = true;
    Console.WriteLine("Stopping …");
    stop.Cancel();
}

var needsServer = options.Selected.Any(s => s != "critical-path");
PostgresLauncher? pg = null;
string? gatewayDll = null;
if (needsServer)
{
    gatewayDll = GatewayProcess.FindDll(options.GatewayDll);
    Console.WriteLine($"Gateway: {gatewayDll}");
    pg = await PostgresLauncher.StartAsync(options.Postgres, durable: !options.FastPostgres);
    Console.WriteLine($"PostgreSQL {pg.ServerVersion}: {pg.Description}");
}

var failures = 0;
var summaries = new List<string>();
try
{
    foreach (var scenario in options.Selected)
    {
        if (options.QuietLoad is { } quiet) await WaitForQuietAsync(quiet, TimeSpan.FromMinutes(options.QuietWaitMinutes), stop.Token);
        var report = new ScenarioReport(scenario) { Command = command, Machine = MachineInfo.Now(pg) };
        try
        {
            var context = new BenchContext(options, pg!, gatewayDll!);
            switch (scenario)
            {
                case "steady" or "steady-unbatched":
                    await PushRun.RunAsync(new PushConfig(scenario,
                        options.Rate ?? 50, options.DurationSeconds ?? 30, options.WarmupSeconds ?? 5, options.Dashboards ?? 50,
                        400, scenario == "steady-unbatched" ? 0 : options.BatchMilliseconds,
                        P50TargetMs: 5, P99TargetMs: 25, P50FloorMultiple: 3, ZeroErrors: false), context, report, stop.Token);
                    break;
                case "peak":
                    await PushRun.RunAsync(new PushConfig(scenario,
                        options.Rate ?? 1000, options.DurationSeconds ?? 60, options.WarmupSeconds ?? 5, options.Dashboards ?? 200,
                        400, options.BatchMilliseconds,
                        P50TargetMs: null, P99TargetMs: 100, P50FloorMultiple: null, ZeroErrors: true, CapacityConcurrency: 32),
                        context, report, stop.Token);
                    break;
                case "snapshot":
                    await SnapshotRun.RunAsync(options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
                case "tasks-page":
                    await TasksPageRun.RunAsync(options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
                case "search":
                    await SearchRun.RunAsync(options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
                case "exports":
                    await ExportsRun.RunAsync(options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
                case "critical-path":
                    await CriticalPathRun.RunAsync(options.CriticalPathTasks, report);
                    break;
                case "dashboards":
                    await DashboardsRun.RunAsync(options.Rate ?? 50, options.DurationSeconds ?? 60, options.WarmupSeconds ?? 5, options.Dashboards ?? 1000,
                        options.ClientProcesses, context, report, stop.Token);
                    break;
                case "activation":
                    await ActivationRun.RunAsync(options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
                case "soak":
                    await SoakRun.RunAsync(options.Rate ?? 100, options.DurationSeconds ?? 1800, options.WarmupSeconds ?? 5, options.Dashboards ?? 50,
                        context, report, stop.Token);
                    break;
                case "uploads":
                    await UploadsRun.RunAsync(options.Uploads, options.UploadMiB, options.UploadSeconds, context, report, stop.Token);
                    break;
                case "growth":
                    await GrowthRun.RunAsync(options.History, 1_000, options.Tasks ?? 100_000, context, report, stop.Token);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            report.Error = ex.ToString();
            failures++;
        }
        report.FinishedAt = DateTimeOffset.UtcNow;
        report.Machine = report.Machine! with { LoadAverageAfter = ProcStat.LoadAverage() };
        var path = report.Write(resultsDirectory);
        var rendered = report.Render();
        Console.WriteLine(rendered);
        Console.WriteLine($"  → {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        summaries.Add(rendered);
        if (stop.IsCancellationRequested) break;
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("Stopped before the end.");
    failures++;
}
finally
{
    if (pg is not null) await pg.DisposeAsync();
}

if (options.Selected.Count > 1)
{
    Console.WriteLine();
    Console.WriteLine("==== summary");
    foreach (var s in summaries) Console.Write(s);
}
return failures == 0 ? 0 : 1;

// Other work on a shared machine disturbs the figures; wait (bounded) for a calmer moment.
static async Task WaitForQuietAsync(double load, TimeSpan limit, CancellationToken ct)
{
    var waited = System.Diagnostics.Stopwatch.StartNew();
    var said = false;
    while (waited.Elapsed < limit && ProcStat.LoadAverage() is [var now, ..] && now > load)
    {
        if (!said) Console.WriteLine($"Waiting up to {limit.TotalMinutes:0} min for the 1-minute load average ({now}) to fall to {load} …");
        said = true;
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
    }
    if (said) Console.WriteLine($"Load average now {string.Join(" ", ProcStat.LoadAverage())} after {waited.Elapsed.TotalMinutes:0.0} min.");
}

namespace Summit.Bench
{
    public sealed record BenchContext(BenchOptions Options, PostgresLauncher Postgres, string GatewayDll);
}
