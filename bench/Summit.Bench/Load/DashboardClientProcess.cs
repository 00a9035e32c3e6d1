using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Summit.Bench.Measurement;

namespace Summit.Bench.Load;

/// <summary>What a client process reports when told to stop (one JSON line after <c>result </c> on its stdout).</summary>
public sealed record ClientProcessResult(
    int Connections,
    int ConnectedAtStop,
    long Delivered,
    long Duplicates,
    long Batches,
    long Events,
    long Gaps,
    long Resyncs,
    long SubscribeErrors,
    long ConnectionsLost,
    double CpuSeconds,
    string SamplesFile);

/// <summary>
/// The benchmark re-launched as a load client (<c>--dashboard-client</c>): it opens <c>--connections</c> dashboards to the
/// hub as <see cref="DashboardClient"/>s, so their parsing and bookkeeping burn CPU in a process of their own, not in the
/// benchmark's. It talks to the benchmark over stdin/stdout:
/// <list type="bullet">
/// <item>it prints <c>ready N</c> once N connections are up (or <c>failed …</c>), then <c>progress DELIVERED EVENTS</c> every second;</item>
/// <item><c>start T</c> gives the run's first planned send (a <see cref="Stopwatch"/> timestamp: CLOCK_MONOTONIC, shared by
/// every process on the machine), so latencies are taken from the same planned times as in one process;</item>
/// <item><c>stop</c> makes it write the latencies of each window (int32 count, then that many int32 microseconds) to
/// <c>--out</c>, print <c>result {json}</c> (<see cref="ClientProcessResult"/>) and exit.</item>
/// </list>
/// </summary>
public static class DashboardClientProcess
{
    public const string Flag = "--dashboard-client";

    public static async Task<int> RunAsync(string[] args)
    {
        string? hub = null, token = null, summit = null, run = null, output = null;
        int connections = 0, count = 0, warmup = 0, windowUpdates = 0, windows = 0;
        double rate = 0;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
            switch (args[i - 1])
            {
                case "--hub": hub = value; break;
                case "--token": token = value; break;
                case "--summit": summit = value; break;
                case "--run": run = value; break;
                case "--out": output = value; break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--count": count = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--window-updates": windowUpdates = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--windows": windows = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown client option '{args[i - 1]}'.");
            }
        }
        if (hub is null || token is null || summit is null || run is null || output is null || connections < 1 || count < 1 || rate <= 0 || windowUpdates < 1 || windows < 1)
            throw new ArgumentException("A dashboard client needs --hub, --token, --summit, --run, --out, --connections, --count, --rate, --window-updates and --windows.");

        var probe = new Probe(run, count, rate, warmup);
        var tally = new PushTally(probe)
        {
            Windows = Enumerable.Range(0, windows).Select(_ => new Latencies(windowUpdates * connections)).ToArray(),
            WindowUpdates = windowUpdates,
        };
        // The benchmark ends this process by "stop" (or by killing it); this bound only keeps an orphan from living on.
        using var lifetime = new CancellationTokenSource(TimeSpan.FromHours(2));
        List<DashboardClient> clients;
        try
        {
            clients = await DashboardClient.ConnectAllAsync(connections, _ => DashboardClient.Create(new Uri(hub), token, summit, tally), lifetime.Token);
        }
        catch (Exception ex)
        {
            Console.WriteLine($"failed {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        Console.WriteLine($"ready {clients.Count}");

        using var progress = new Timer(_ => Console.WriteLine($"progress {Interlocked.Read(ref tally.Delivered)} {Interlocked.Read(ref tally.Events)}"),
            null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        while (await Console.In.ReadLineAsync(lifetime.Token) is { } line)
        {
            if (line.StartsWith("start ", StringComparison.Ordinal)) probe.Start = long.Parse(line[6..], CultureInfo.InvariantCulture);
            else if (line == "stop") break;
        }
        await progress.DisposeAsync();

        await using (var file = File.Create(output))
        await using (var writer = new BinaryWriter(file))
        {
            foreach (var window in tally.Windows)
            {
                var samples = window.ToArray();
                writer.Write(samples.Length);
                foreach (var s in samples) writer.Write(s);
            }
        }
        var result = new ClientProcessResult(
            clients.Count,
            clients.Count(c => c.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected),
            Interlocked.Read(ref tally.Delivered),
            Interlocked.Read(ref tally.Duplicates),
            Interlocked.Read(ref tally.Batches),
            Interlocked.Read(ref tally.Events),
            Interlocked.Read(ref tally.Gaps),
            Interlocked.Read(ref tally.Resyncs),
            Interlocked.Read(ref tally.SubscribeErrors),
            Interlocked.Read(ref tally.ConnectionsLost),
            Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 2),
            output);
        Console.WriteLine("result " + JsonSerializer.Serialize(result));
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        return 0;
    }

    /// <summary>Reads the windows a client process wrote.</summary>
    public static List<int[]> ReadSamples(string path)
    {
        var windows = new List<int[]>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var n = reader.ReadInt32();
            var samples = new int[n];
            for (var i = 0; i < n; i++) samples[i] = reader.ReadInt32();
            windows.Add(samples);
        }
        return windows;
    }
}
