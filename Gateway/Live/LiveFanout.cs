using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Summit.Domain;
using Summit.Progress;

namespace Summit.Gateway.Live;

/// <summary>
/// This Gateway's one grain observer: registered with the feed of every summit it has connections for (and refreshed on
/// a timer and after a cluster reconnect), it puts each summit's events in order, fills gaps from the feed, coalesces
/// them per <see cref="LiveOptions.BatchMilliseconds"/> and sends one batch per SignalR group.
/// </summary>
public sealed class LiveFanout(
    IGrainFactory grains,
    IHubContext<LiveHub> hub,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<LiveFanout> logger) : IProgressObserver, IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SummitPipe> _summits = new(StringComparer.Ordinal);
    // connection id → summit → group joined
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _registering = new(1, 1);
    private IProgressObserver? _reference;
    private ITimer? _refresh;

    private IGrainFactory Grains => grains;
    private IHubContext<LiveHub> Hub => hub;
    private TimeProvider Time => time;
    private ILogger Logger => logger;

    private TimeSpan Interval => TimeSpan.FromMilliseconds(Math.Max(0, options.Value.BatchMilliseconds));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.ObserverRefreshSeconds));
        _refresh = time.CreateTimer(_ => _ = RefreshAsync(), null, period, period);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
        await _stop.CancelAsync();
        // Let the silos forget this Gateway at once rather than by expiry.
        var reference = _reference;
        if (reference is null) return;
        try
        {
            await Task.WhenAll(_summits.Keys.Select(s => grains.GetGrain<IProgressFeedGrain>(s).Unsubscribe(reference)))
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Unsubscribing from the progress feeds failed; they expire the observer.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        _stop.Dispose();
        _registering.Dispose();
    }

    /// <summary>
    /// Adds a connection to a group and returns once this Gateway is registered for the summit's events, so that a
    /// catch-up read after it misses nothing.
    /// </summary>
    public async Task JoinAsync(string connectionId, string summit, DashboardScope scope, long revision)
    {
        var group = ProgressHub.GroupOf(summit, scope);
        var joined = _connections.GetOrAdd(connectionId, _ => new(StringComparer.Ordinal));
        if (joined.TryGetValue(summit, out var previous) && previous != group) await LeaveAsync(connectionId, summit);

        var pipe = _summits.GetOrAdd(summit, s => new SummitPipe(this, s));
        pipe.AddMember(group, scope, revision);
        joined[summit] = group;
        await hub.Groups.AddToGroupAsync(connectionId, group);
        await pipe.EnsureRegisteredAsync();
    }

    public async Task LeaveAsync(string connectionId, string summit)
    {
        if (!_connections.TryGetValue(connectionId, out var joined) || !joined.TryRemove(summit, out var group)) return;
        if (_summits.TryGetValue(summit, out var pipe)) pipe.RemoveMember(group);
        await hub.Groups.RemoveFromGroupAsync(connectionId, group);
    }

    /// <summary>SignalR drops a closed connection from its groups itself; this only updates the member counts.</summary>
    public void Forget(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var joined)) return;
        foreach (var (summit, group) in joined)
            if (_summits.TryGetValue(summit, out var pipe)) pipe.RemoveMember(group);
    }

    /// <summary>The group a connection joined for a summit, if any.</summary>
    public string? GroupOf(string connectionId, string summit) =>
        _connections.TryGetValue(connectionId, out var joined) && joined.TryGetValue(summit, out var group) ? group : null;

    public Task OnEvents(string summit, IReadOnlyList<ProgressEvent> events)
    {
        if (_summits.TryGetValue(summit, out var pipe)) pipe.Post(new Item(events, false, false));
        return Task.CompletedTask;
    }

    public Task OnDashboardChanged(string summit, long revision)
    {
        if (_summits.TryGetValue(summit, out var pipe)) pipe.Post(new Item(null, Dashboard: true, Check: false));
        return Task.CompletedTask;
    }

    /// <summary>Re-registers with every feed in use, e.g. after the cluster connection came back.</summary>
    public async Task RefreshAsync()
    {
        foreach (var pipe in _summits.Values)
        {
            if (_stop.IsCancellationRequested) return;
            await pipe.RefreshAsync();
        }
    }

    private async Task<IProgressObserver> ReferenceAsync()
    {
        if (_reference is { } existing) return existing;
        await _registering.WaitAsync(_stop.Token);
        try
        {
            return _reference ??= grains.CreateObjectReference<IProgressObserver>(this);
        }
        finally
        {
            _registering.Release();
        }
    }

    private readonly record struct Item(IReadOnlyList<ProgressEvent>? Events, bool Dashboard, bool Check);

    private sealed class Group(string name, DashboardScope scope, long revision)
    {
        public string Name { get; } = name;
        public DashboardScope Scope { get; } = scope;
        public Actor Viewer { get; } = LiveAccess.ViewerOf(scope);
        public int Members { get; set; }
        public long Revision { get; set; } = revision;
    }

    /// <summary>One summit on this Gateway: its groups here and the single loop that sends to them in seq order.</summary>
    private sealed class SummitPipe(LiveFanout owner, string summit)
    {
        private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _registration = new(1, 1);
        private readonly IProgressFeedGrain _feed = owner.Grains.GetGrain<IProgressFeedGrain>(summit);
        private readonly IDashboardGrain _dashboard = owner.Grains.GetGrain<IDashboardGrain>(summit);
        private bool _registered;
        private long _lastSeq;
        private DateTimeOffset _lastFlush = DateTimeOffset.MinValue;

        public void AddMember(string name, DashboardScope scope, long revision)
        {
            lock (_groups)
            {
                if (!_groups.TryGetValue(name, out var group)) _groups[name] = group = new Group(name, scope, revision);
                group.Members++;
            }
        }

        public void RemoveMember(string name)
        {
            lock (_groups)
            {
                if (_groups.TryGetValue(name, out var group) && --group.Members <= 0) _groups.Remove(name);
            }
        }

        private Group[] Groups()
        {
            lock (_groups) return [.. _groups.Values];
        }

        public void Post(Item item) => _items.Writer.TryWrite(item);

        public async Task EnsureRegisteredAsync()
        {
            if (Volatile.Read(ref _registered)) return;
            await _registration.WaitAsync(owner._stop.Token);
            try
            {
                if (_registered) return;
                _lastSeq = await _feed.Subscribe(await owner.ReferenceAsync());
                Volatile.Write(ref _registered, true);
                _ = Task.Run(RunAsync);
            }
            finally
            {
                _registration.Release();
            }
        }

        public async Task RefreshAsync()
        {
            if (!Volatile.Read(ref _registered)) return;
            try
            {
                var last = await _feed.Subscribe(await owner.ReferenceAsync());
                // Events issued while this Gateway was not registered (a feed restart, a lost connection) are fetched.
                if (last > Interlocked.Read(ref _lastSeq)) Post(new Item(null, Dashboard: true, Check: true));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                owner.Logger.LogWarning(e, "Re-registering for the progress of {Summit} failed; retrying on the next tick.", summit);
            }
        }

        private async Task RunAsync()
        {
            var reader = _items.Reader;
            var stop = owner._stop.Token;
            var fresh = new List<ProgressEvent>();
            var incoming = new List<ProgressEvent>();
            try
            {
                while (await reader.WaitToReadAsync(stop))
                {
                    // The first change after a quiet interval goes out at once; later ones wait for the interval.
                    var wait = _lastFlush + owner.Interval - owner.Time.GetUtcNow();
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, owner.Time, stop);

                    var dashboard = false;
                    var check = false;
                    incoming.Clear();
                    while (reader.TryRead(out var item))
                    {
                        if (item.Events is not null) incoming.AddRange(item.Events);
                        dashboard |= item.Dashboard;
                        check |= item.Check;
                    }
                    try
                    {
                        fresh.Clear();
                        var resync = await OrderAsync(incoming, check, fresh);
                        await FlushAsync(fresh, dashboard || resync, resync);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        owner.Logger.LogWarning(e, "Pushing progress of {Summit} failed.", summit);
                    }
                    _lastFlush = owner.Time.GetUtcNow();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>
        /// Keeps the events that follow the last one sent, in seq order. A gap (an event whose predecessor was not
        /// seen) is filled from the feed; if the feed no longer has it, the clients are told to resync.
        /// </summary>
        private async Task<bool> OrderAsync(List<ProgressEvent> incoming, bool check, List<ProgressEvent> fresh)
        {
            if (incoming.Count > 1) incoming.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            var last = Interlocked.Read(ref _lastSeq);
            var gap = check;
            var expected = last;
            foreach (var e in incoming)
            {
                if (gap) break;
                if (e.Seq <= expected) continue;
                gap = e.PrevSeq != expected;
                expected = e.Seq;
            }
            var resync = false;
            if (gap)
            {
                var missing = await _feed.Since(last);
                if (missing.Events is null)
                {
                    resync = true;
                    last = Math.Max(missing.LastSeq, incoming.Count > 0 ? incoming[^1].Seq : 0);
                    Interlocked.Exchange(ref _lastSeq, last);
                    return true;
                }
                foreach (var e in missing.Events)
                {
                    if (e.Seq <= last) continue;
                    fresh.Add(e);
                    last = e.Seq;
                }
            }
            foreach (var e in incoming)
            {
                if (e.Seq <= last) continue;
                fresh.Add(e);
                last = e.Seq;
            }
            Interlocked.Exchange(ref _lastSeq, last);
            return resync;
        }

        private async Task FlushAsync(List<ProgressEvent> events, bool dashboard, bool resync)
        {
            var groups = Groups();
            if (groups.Length == 0 || (events.Count == 0 && !dashboard)) return;
            var sends = new Task[groups.Length];
            for (var i = 0; i < groups.Length; i++) sends[i] = SendAsync(groups[i], events, dashboard, resync);
            await Task.WhenAll(sends);
        }

        private async Task SendAsync(Group group, List<ProgressEvent> events, bool dashboard, bool resync)
        {
            if (resync)
            {
                await owner.Hub.Clients.Group(group.Name).SendAsync(ProgressHub.OnProgress, new ProgressBatch(summit, [], Resync: true));
                return;
            }
            var visible = LiveAccess.Visible(group.Viewer, events);
            DashboardPatch? patch = null;
            if (dashboard)
            {
                try
                {
                    patch = await _dashboard.GetPatch(group.Scope, group.Revision);
                    if (patch is not null) group.Revision = patch.Revision;
                    patch = LiveAccess.Filter(group.Viewer, patch);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The events still go out; the patch follows with the next dashboard change.
                    owner.Logger.LogWarning(e, "Reading the dashboard patch of {Summit} for {Group} failed.", summit, group.Name);
                }
            }
            if (visible.Count == 0 && patch is null) return;
            await owner.Hub.Clients.Group(group.Name).SendAsync(ProgressHub.OnProgress, new ProgressBatch(summit, visible, patch));
        }
    }
}
