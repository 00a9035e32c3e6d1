using System.Diagnostics;
using System.Globalization;

namespace Summit.Bench.Load;

/// <summary>
/// The planned send times of one run, and the marker every update carries in its note (<c>bench {run}#{index}</c>) so
/// a pushed event can be matched to the update that caused it. Latencies are taken from the planned send time
/// (open loop): a sender that falls behind shows up in the figures instead of hiding them.
/// </summary>
public sealed class Probe
{
    private readonly long _interval;

    public Probe(string run, int count, double ratePerSecond, int warmup)
    {
        Run = run;
        Count = count;
        Warmup = warmup;
        Rate = ratePerSecond;
        _interval = (long)(Stopwatch.Frequency / ratePerSecond);
        Prefix = $"bench {run}#";
    }

    public string Run { get; }
    public int Count { get; }
    public int Warmup { get; }
    public double Rate { get; }
    public string Prefix { get; }

    /// <summary>Stopwatch timestamp of the first send; set by <see cref="OpenLoop"/> when it starts.</summary>
    public long Start { get; set; }

    /// <summary>Closed loop: each operation's time is recorded as it is sent instead of planned.</summary>
    public long[]? SentAt { get; init; }

    public long Planned(int index) => SentAt is { } sent ? sent[index] : Start + index * _interval;

    public string Note(int index) => Prefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The update index in a note of this run, or -1.</summary>
    public int IndexOf(string? note)
    {
        if (note is null || !note.StartsWith(Prefix, StringComparison.Ordinal)) return -1;
        return int.TryParse(note.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < Count ? i : -1;
    }

    public bool Measured(int index) => index >= Warmup;
}

/// <summary>
/// Fires <see cref="Probe.Count"/> operations at a fixed rate on a dedicated thread, each at its planned time,
/// without waiting for earlier ones to finish.
/// </summary>
public static class OpenLoop
{
    /// <param name="fire">Called on the scheduler thread with the index; must return quickly (start async work, don't await it).</param>
    /// <returns>How late each operation was started after its planned time (microseconds), for the measured part.</returns>
    public static Task<Measurement.Latencies> RunAsync(Probe probe, Action<int> fire, CancellationToken ct)
    {
        var lag = new Measurement.Latencies(probe.Count);
        var done = new TaskCompletionSource<Measurement.Latencies>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // A start set beforehand (announced to clients in other processes) is kept.
                if (probe.Start == 0) probe.Start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
                for (var i = 0; i < probe.Count && !ct.IsCancellationRequested;)
                {
                    var planned = probe.Planned(i);
                    var now = Stopwatch.GetTimestamp();
                    if (now < planned)
                    {
                        var waitMs = (planned - now) * 1000 / Stopwatch.Frequency;
                        // Sleep rather than spin: the machine has two cores and the system under test needs them.
                        Thread.Sleep((int)Math.Clamp(waitMs, 1, 50));
                        continue;
                    }
                    if (probe.Measured(i)) lag.Add(planned, now);
                    fire(i);
                    i++;
                }
                done.SetResult(lag);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop scheduler",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }
}
