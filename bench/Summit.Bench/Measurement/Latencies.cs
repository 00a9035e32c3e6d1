using System.Diagnostics;

namespace Summit.Bench.Measurement;

/// <summary>Latency samples in microseconds; thread-safe to add to, summarised once at the end.</summary>
public sealed class Latencies
{
    private readonly Lock _gate = new();
    private int[] _samples;
    private int _count;

    public Latencies(int capacity = 1024) => _samples = new int[Math.Max(16, capacity)];

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>Records the time from <paramref name="fromTimestamp"/> (a <see cref="Stopwatch"/> timestamp) to <paramref name="toTimestamp"/>.</summary>
    public void Add(long fromTimestamp, long toTimestamp) =>
        AddMicroseconds((toTimestamp - fromTimestamp) * 1_000_000 / Stopwatch.Frequency);

    public void AddMicroseconds(long microseconds)
    {
        var value = (int)Math.Clamp(microseconds, 0, int.MaxValue);
        lock (_gate)
        {
            if (_count == _samples.Length) Array.Resize(ref _samples, _samples.Length * 2);
            _samples[_count++] = value;
        }
    }

    public void AddRange(Latencies other)
    {
        int[] copy;
        int count;
        lock (other._gate)
        {
            count = other._count;
            copy = other._samples;
        }
        lock (_gate)
        {
            if (_count + count > _samples.Length) Array.Resize(ref _samples, Math.Max(_samples.Length * 2, _count + count));
            Array.Copy(copy, 0, _samples, _count, count);
            _count += count;
        }
    }

    /// <summary>The samples so far, in microseconds.</summary>
    public int[] ToArray()
    {
        lock (_gate) return _samples[.._count];
    }

    public LatencySummary Summarise()
    {
        int[] sorted;
        lock (_gate) sorted = _samples[.._count];
        Array.Sort(sorted);
        if (sorted.Length == 0) return new LatencySummary(0, null, null, null, null, null, null, null, null);
        double Ms(int us) => Math.Round(us / 1000.0, 3);
        double P(double q) => Ms(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)]);
        var mean = sorted.Average(v => (double)v) / 1000.0;
        return new LatencySummary(sorted.Length, Ms(sorted[0]), P(0.50), P(0.90), P(0.95), P(0.99), P(0.999), Ms(sorted[^1]), Math.Round(mean, 3));
    }
}

/// <summary>Milliseconds; null when there were no samples.</summary>
public sealed record LatencySummary(
    long Count,
    double? Min,
    double? P50,
    double? P90,
    double? P95,
    double? P99,
    double? P999,
    double? Max,
    double? Mean)
{
    public override string ToString() => Count == 0
        ? "no samples"
        : $"p50 {P50:0.00} ms, p95 {P95:0.00} ms, p99 {P99:0.00} ms, max {Max:0.00} ms (n={Count})";
}
