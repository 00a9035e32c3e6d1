using System.Collections;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Summit.Bench.Measurement;

namespace Summit.Bench.Load;

// Only what the benchmark reads from a ProgressBatch / SubscribeResult (ProgressContracts.cs); the rest of each event,
// entity payload included, is skipped by the parser without being materialised.
public sealed record LiteEvent(long Seq, long PrevSeq, string? Note);

public sealed record LiteBatch(string? Summit, IReadOnlyList<LiteEvent>? Events, bool Resync);

public sealed record LiteSubscribeResult(string? Group, long Seq, IReadOnlyList<LiteEvent>? Events);

/// <summary>Counts what the dashboard clients of one run received.</summary>
public sealed class PushTally(Probe probe)
{
    public Probe Probe { get; } = probe;
    public Latencies Latency { get; } = new(probe.Count * 4);

    /// <summary>Updates some client received (an update whose response timed out may still have been applied).</summary>
    public bool[] SeenAnywhere { get; } = new bool[probe.Count];
    public long Delivered;
    public long Duplicates;
    public long Batches;
    public long Events;
    public long Gaps;
    public long Resyncs;
    public long SubscribeErrors;
    public long LastDelivery;

    /// <summary>Times a connection was lost and the client began to reconnect (the server dropped it, or the network did).</summary>
    public long ConnectionsLost;

    /// <summary>Optional: latencies of the measured updates by window of <see cref="WindowUpdates"/> consecutive updates (the soak's per-minute figures).</summary>
    public Latencies[]? Windows { get; init; }
    public int WindowUpdates { get; init; } = 1;

    public PushTallySummary Summarise(long expected) => new(
        expected,
        Interlocked.Read(ref Delivered),
        Math.Max(0, expected - Interlocked.Read(ref Delivered)),
        Interlocked.Read(ref Duplicates),
        Interlocked.Read(ref Batches),
        Interlocked.Read(ref Events),
        Interlocked.Read(ref Gaps),
        Interlocked.Read(ref Resyncs),
        Interlocked.Read(ref SubscribeErrors),
        Latency.Summarise());
}

/// <param name="Expected">Measured updates accepted × clients that should see them.</param>
/// <param name="Delivered">Distinct (client, update) pairs received, measured part only.</param>
/// <param name="Duplicates">Events received again (dropped by seq, as the protocol says).</param>
/// <param name="Gaps">An event whose prevSeq was not the last applied seq; the client caught up through Subscribe.</param>
public sealed record PushTallySummary(
    long Expected,
    long Delivered,
    long Missing,
    long Duplicates,
    long Batches,
    long Events,
    long Gaps,
    long Resyncs,
    long SubscribeErrors,
    LatencySummary LatencyMs);

/// <summary>
/// One dashboard: a SignalR connection that follows the client protocol of ProgressContracts.cs (subscribe with the last
/// applied seq, drop duplicates, catch up on a gap or a resync) and records, per pushed event of the run, the time
/// from the update's planned send.
/// </summary>
public sealed class DashboardClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly PushTally _tally;
    private readonly BitArray _seen;
    private readonly string? _summit;
    private readonly Lock _gate = new();
    private readonly List<LiteEvent> _pending = [];
    private long _lastSeq;
    private bool _catchingUp;

    private DashboardClient(HubConnection connection, PushTally tally, string? summit)
    {
        _connection = connection;
        _tally = tally;
        _summit = summit;
        _seen = new BitArray(tally.Probe.Count);
        connection.On<LiteBatch>("progress", OnBatch);
    }

    /// <param name="summit">The summit to subscribe to; null for the floor's minimal hub, which needs no subscription.</param>
    public static DashboardClient Create(Uri hub, string? accessToken, string? summit, PushTally tally)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                if (accessToken is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            })
            .WithAutomaticReconnect()
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        var client = new DashboardClient(connection, tally, summit);
        connection.Reconnecting += _ =>
        {
            Interlocked.Increment(ref tally.ConnectionsLost);
            return Task.CompletedTask;
        };
        // A new connection after a reconnect has joined no group: subscribe again with the last applied seq.
        connection.Reconnected += _ =>
        {
            client.BeginCatchUp([]);
            return Task.CompletedTask;
        };
        return client;
    }

    public HubConnectionState State => _connection.State;

    public async Task StartAsync(CancellationToken ct)
    {
        if (_summit is not null) lock (_gate) _catchingUp = true; // hold batches until the first Subscribe result is applied
        await _connection.StartAsync(ct);
        if (_summit is not null) await CatchUpAsync();
    }

    private sealed record SubscribeArgs(string Summit, long? AfterSeq);

    private void OnBatch(LiteBatch batch)
    {
        Interlocked.Increment(ref _tally.Batches);
        var events = batch.Events ?? [];
        Interlocked.Add(ref _tally.Events, events.Count);
        if (_summit is null)
        {
            lock (_gate) foreach (var e in events) Record(e, Stopwatch.GetTimestamp());
            return;
        }
        if (batch.Resync) Interlocked.Increment(ref _tally.Resyncs);
        lock (_gate)
        {
            if (_catchingUp)
            {
                _pending.AddRange(events);
                return;
            }
            var rest = ApplyInOrder(events);
            if (rest is null && !batch.Resync) return;
            _catchingUp = true;
            _pending.AddRange(rest ?? []);
        }
        _ = Task.Run(CatchUpAsync);
    }

    private void BeginCatchUp(IReadOnlyList<LiteEvent> held)
    {
        lock (_gate)
        {
            _pending.AddRange(held);
            if (_catchingUp) return;
            _catchingUp = true;
        }
        _ = Task.Run(CatchUpAsync);
    }

    // Subscribe with the last applied seq, apply what it returns, then the batches held meanwhile; again while gaps remain.
    private async Task CatchUpAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            long after;
            lock (_gate) after = _lastSeq;
            LiteSubscribeResult result;
            try
            {
                result = await _connection.InvokeAsync<LiteSubscribeResult>("Subscribe", new SubscribeArgs(_summit!, after > 0 ? after : null));
            }
            catch (Exception) when (_connection.State != HubConnectionState.Connected)
            {
                // Reconnected will start another catch-up.
                lock (_gate) _catchingUp = false;
                Interlocked.Increment(ref _tally.SubscribeErrors);
                return;
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _tally.SubscribeErrors);
                await Task.Delay(200);
                continue;
            }
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var e in result.Events ?? [])
                {
                    if (e.Seq <= _lastSeq) continue;
                    _lastSeq = e.Seq;
                    Record(e, now);
                }
                if (result.Seq > _lastSeq) _lastSeq = result.Seq;
                var held = _pending.ToArray();
                _pending.Clear();
                var rest = ApplyInOrder(held);
                if (rest is null)
                {
                    _catchingUp = false;
                    return;
                }
                _pending.AddRange(rest);
            }
        }
        lock (_gate) _catchingUp = false;
    }

    // Applies events while they follow on from the last applied seq; returns the events from the first gap on, or null.
    private List<LiteEvent>? ApplyInOrder(IReadOnlyList<LiteEvent> events)
    {
        var now = Stopwatch.GetTimestamp();
        for (var k = 0; k < events.Count; k++)
        {
            var e = events[k];
            if (e.Seq <= _lastSeq)
            {
                Interlocked.Increment(ref _tally.Duplicates);
                continue;
            }
            if (_lastSeq != 0 && e.PrevSeq != _lastSeq)
            {
                Interlocked.Increment(ref _tally.Gaps);
                return [.. events.Skip(k)];
            }
            _lastSeq = e.Seq;
            Record(e, now);
        }
        return null;
    }

    private void Record(LiteEvent e, long now)
    {
        var probe = _tally.Probe;
        var index = probe.IndexOf(e.Note);
        if (index < 0) return;
        if (_seen[index])
        {
            Interlocked.Increment(ref _tally.Duplicates);
            return;
        }
        _seen[index] = true;
        _tally.SeenAnywhere[index] = true;
        if (!probe.Measured(index)) return;
        _tally.Latency.Add(probe.Planned(index), now);
        if (_tally.Windows is { } windows) windows[Math.Min(windows.Length - 1, (index - probe.Warmup) / _tally.WindowUpdates)].Add(probe.Planned(index), now);
        Interlocked.Increment(ref _tally.Delivered);
        Volatile.Write(ref _tally.LastDelivery, now);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _connection.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // Best effort at the end of a run.
        }
        await _connection.DisposeAsync();
    }

    /// <summary>Connects <paramref name="count"/> clients, a few at a time; fails if any cannot connect.</summary>
    public static async Task<List<DashboardClient>> ConnectAllAsync(
        int count, Func<int, DashboardClient> create, CancellationToken ct)
    {
        var clients = new List<DashboardClient>(count);
        for (var i = 0; i < count; i++) clients.Add(create(i));
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (client, token) =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await client.StartAsync(token);
                        return;
                    }
                    catch (HttpRequestException ex) when (attempt < 3 && ex.StatusCode is null or HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(500, token);
                    }
                }
            });
        return clients;
    }
}
