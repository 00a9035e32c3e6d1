using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Summit.Bench.Infrastructure;

/// <summary>
/// Watches another .NET process's memory while a load runs: its RSS (VmRSS from /proc) every 100 ms, with a
/// caller-supplied gauge (e.g. requests in flight) read at the same moment, and its GC heap after every collection the
/// process makes by itself (the GCHeapStats events of an EventPipe session; nothing is induced).
/// </summary>
public sealed class MemoryWatch : IAsyncDisposable
{
    /// <param name="CpuSeconds">The process's CPU time so far (user + system).</param>
    /// <param name="MachineBusySeconds">CPU time every core of the machine has spent on anything but idling so far.</param>
    public sealed record Sample(double Seconds, double RssMiB, int Gauge, double CpuSeconds, double MachineBusySeconds);

    private readonly int _pid;
    private readonly Func<int> _gauge;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly EventPipeSession? _session;
    private readonly Task? _processing;
    private long _peakRss;
    private long _peakGcHeap;
    private int _collections;
    private int _gen2Collections;

    public MemoryWatch(int pid, Func<int> gauge)
    {
        _pid = pid;
        _gauge = gauge;
        try
        {
            var client = new DiagnosticsClient(pid);
            _session = client.StartEventPipeSession(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC)],
                requestRundown: false);
            var source = new EventPipeEventSource(_session.EventStream);
            source.Clr.GCStart += e =>
            {
                Interlocked.Increment(ref _collections);
                if (e.Depth == 2) Interlocked.Increment(ref _gen2Collections);
            };
            source.Clr.GCHeapStats += e =>
            {
                var total = e.TotalHeapSize;
                long seen;
                while (total > (seen = Interlocked.Read(ref _peakGcHeap)) && Interlocked.CompareExchange(ref _peakGcHeap, total, seen) != seen)
                {
                }
            };
            _processing = Task.Run(() =>
            {
                try
                {
                    source.Process();
                }
                catch (Exception)
                {
                    // The stream ends with the session.
                }
                finally
                {
                    source.Dispose();
                }
            });
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
        {
            _session = null;
        }
        var clock = Stopwatch.StartNew();
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            do
            {
                if (ProcStat.Rss(_pid) is not { } rss) continue;
                if (rss > _peakRss) _peakRss = rss;
                var sample = new Sample(Math.Round(clock.Elapsed.TotalSeconds, 1), Math.Round(rss / 1048576.0, 1), _gauge(),
                    (ProcStat.CpuTime(_pid) ?? TimeSpan.Zero).TotalSeconds, ProcStat.MachineBusy().TotalSeconds);
                lock (_samples) _samples.Add(sample);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result));
        });
    }

    /// <summary>False when the diagnostics port could not be reached: no GC figures, RSS only.</summary>
    public bool WatchesGc => _session is not null;

    public long PeakRss => Volatile.Read(ref _peakRss);
    public long PeakGcHeap => Interlocked.Read(ref _peakGcHeap);
    public int Collections => Volatile.Read(ref _collections);
    public int Gen2Collections => Volatile.Read(ref _gen2Collections);

    public IReadOnlyList<Sample> Samples
    {
        get { lock (_samples) return [.. _samples]; }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        if (_session is not null)
        {
            try
            {
                await _session.StopAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // Already stopped (the process ended).
            }
            if (_processing is not null) await Task.WhenAny(_processing, Task.Delay(TimeSpan.FromSeconds(5)));
            _session.Dispose();
        }
        _stop.Dispose();
    }
}
