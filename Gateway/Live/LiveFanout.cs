using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Summit.Domain;
using Summit.Progress;

namespace Summit.Gateway.Live;

/// <summary>
/// This Gateway's one grain observer: registered with the feed of every summit it has connections for (and refreshed on
/// a timer and after a cluster reconnect), it puts each summit's events in order, fills gaps from the feed, coalesces
/// them only in a burst (<see cref="LiveOptions.QuietMilliseconds"/>, <see cref="LiveOptions.BatchMilliseconds"/>) and
/// builds one batch per group.
/// </summary>
/// <remarks>
/// A batch is serialized once per group and handed to the outbox of every connection in the group; each connection has
/// its own sender, so a slow screen delays only itself. A connection whose outbox is full
/// (<see cref="LiveOptions.OutboxCapacity"/>) loses its queued batches and is told to resync instead; one on which no
/// send completes for <see cref="LiveOptions.StalledClientSeconds"/> is disconnected.
/// </remarks>
public sealed class LiveFanout(
    IGrainFactory grains,
    IHubContext<LiveHub> hub,
    IOptions<LiveOptions> options,
    IOptions<JsonHubProtocolOptions> json,
    TimeProvider time,
    ILogger<LiveFanout> logger) : IProgressObserver, IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SummitPipe> _summits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _registering = new(1, 1);
    private IProgressObserver? _reference;
    private ITimer? _refresh;

    private IGrainFactory Grains => grains;
    private IHubContext<LiveHub> Hub => hub;
    private TimeProvider Time => time;
    private ILogger Logger => logger;
    private JsonSerializerOptions JsonOptions => json.Value.PayloadSerializerOptions;

    private TimeSpan Interval => TimeSpan.FromMilliseconds(Math.Max(0, options.Value.BatchMilliseconds));

    private TimeSpan QuietGap => TimeSpan.FromMilliseconds(Math.Max(0, options.Value.QuietMilliseconds));

    private int OutboxCapacity => Math.Max(1, options.Value.OutboxCapacity);

    private TimeSpan StallTimeout => options.Value.StalledClientSeconds > 0
        ? TimeSpan.FromSeconds(options.Value.StalledClientSeconds)
        : Timeout.InfiniteTimeSpan;

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
        foreach (var connection in _connections.Values) connection.Close();
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
    /// Adds a connection to a group (leaving its other group of the summit, if any) and returns once this Gateway is
    /// registered for the summit's events, so that a catch-up read after it misses nothing.
    /// </summary>
    public async Task JoinAsync(HubCallerContext context, string summit, DashboardScope scope, long revision)
    {
        var group = ProgressHub.GroupOf(summit, scope);
        var connection = _connections.GetOrAdd(context.ConnectionId,
            static (_, a) => new LiveConnection(a.Owner, a.Context), (Owner: this, Context: context));
        connection.Start();
        var pipe = _summits.GetOrAdd(summit, s => new SummitPipe(this, s));
        var previous = connection.Join(summit, group);
        if (previous != group)
        {
            if (previous is not null) pipe.RemoveMember(previous, connection);
            pipe.AddMember(group, scope, revision, connection);
            // Closed meanwhile: Forget may have looked before the member was added.
            if (connection.IsClosed) pipe.RemoveMember(group, connection);
        }
        await pipe.EnsureRegisteredAsync();
    }

    public Task LeaveAsync(string connectionId, string summit)
    {
        if (_connections.TryGetValue(connectionId, out var connection) && connection.Leave(summit) is { } group
            && _summits.TryGetValue(summit, out var pipe))
            pipe.RemoveMember(group, connection);
        return Task.CompletedTask;
    }

    /// <summary>A closed connection: stops its sender and takes it out of its groups.</summary>
    public void Forget(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var connection)) return;
        connection.Close();
        foreach (var (summit, group) in connection.Joined())
            if (_summits.TryGetValue(summit, out var pipe)) pipe.RemoveMember(group, connection);
    }

    /// <summary>The group a connection joined for a summit, if any.</summary>
    public string? GroupOf(string connectionId, string summit) =>
        _connections.TryGetValue(connectionId, out var connection) ? connection.GroupOf(summit) : null;

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
        /// <summary>Replaced, never changed in place (under the pipe's lock), so a send can read it without one.</summary>
        public LiveConnection[] Members { get; set; } = [];
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
        // Batches handed to connections and not yet sent (or dropped): while any are, screens are still busy.
        private int _inFlight;
        private DateTimeOffset _lastFlush = DateTimeOffset.MinValue;
        private DateTimeOffset _lastChanges = DateTimeOffset.MinValue;

        public void AddMember(string name, DashboardScope scope, long revision, LiveConnection connection)
        {
            lock (_groups)
            {
                if (!_groups.TryGetValue(name, out var group)) _groups[name] = group = new Group(name, scope, revision);
                if (!group.Members.Contains(connection)) group.Members = [.. group.Members, connection];
            }
        }

        public void RemoveMember(string name, LiveConnection connection)
        {
            lock (_groups)
            {
                if (!_groups.TryGetValue(name, out var group)) return;
                group.Members = Array.FindAll(group.Members, m => m != connection);
                if (group.Members.Length == 0) _groups.Remove(name);
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

        /// <summary>
        /// The summit's one sending loop. A change that finds the channel quiet (no batch still on its way to a screen,
        /// the previous one out at least <see cref="LiveOptions.QuietMilliseconds"/> ago) goes out at once. In a burst the
        /// changes wait, at most <see cref="LiveOptions.BatchMilliseconds"/> after the previous batch, and go out together.
        /// A dashboard change alone always waits for that interval, but never holds back a change that comes meanwhile.
        /// </summary>
        private async Task RunAsync()
        {
            var reader = _items.Reader;
            var stop = owner._stop.Token;
            var fresh = new List<ProgressEvent>();
            var incoming = new List<ProgressEvent>();
            var dashboard = false;
            var check = false;
            DateTimeOffset? due = null;
            var dueForEvents = false;
            Task<bool>? arrival = null;
            try
            {
                while (true)
                {
                    while (reader.TryRead(out var item))
                    {
                        if (item.Events is not null) incoming.AddRange(item.Events);
                        dashboard |= item.Dashboard;
                        check |= item.Check;
                    }
                    var hasEvents = incoming.Count > 0 || check;
                    if (!hasEvents && !dashboard)
                    {
                        arrival ??= reader.WaitToReadAsync(stop).AsTask();
                        if (!await arrival) return;
                        arrival = null;
                        continue;
                    }

                    var now = owner.Time.GetUtcNow();
                    if (due is null || (hasEvents && !dueForEvents))
                    {
                        // A dashboard patch sent just before does not make a burst: only changes do.
                        var quiet = Volatile.Read(ref _inFlight) == 0 && now - _lastChanges >= owner.QuietGap;
                        due = hasEvents && quiet ? now : _lastFlush + owner.Interval;
                        dueForEvents = hasEvents;
                    }
                    if (due > now)
                    {
                        // Wait for the batch's time, or for what comes meanwhile (a change may end a dashboard-only wait).
                        arrival ??= reader.WaitToReadAsync(stop).AsTask();
                        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
                        var timer = Task.Delay(due.Value - now, owner.Time, waiting.Token);
                        if (await Task.WhenAny(arrival, timer) == arrival)
                        {
                            await waiting.CancelAsync();
                            if (!await arrival) return;
                            arrival = null;
                        }
                        else await timer;
                        continue;
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
                    if (hasEvents) _lastChanges = _lastFlush;
                    incoming.Clear();
                    (dashboard, check, due, dueForEvents) = (false, false, null, false);
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

        /// <summary>Hands each group's batch to the outbox of each of its connections; waits for no client.</summary>
        private async Task FlushAsync(List<ProgressEvent> events, bool dashboard, bool resync)
        {
            var groups = Groups();
            if (groups.Length == 0 || (events.Count == 0 && !dashboard)) return;
            if (resync)
            {
                var message = new ProgressBatch(summit, [], Resync: true);
                foreach (var group in groups) Post(group, message);
                return;
            }
            // The dashboard's patch is read from its grain, which may be busy scoring readiness: it follows on its own,
            // so the changes never wait for it.
            if (dashboard) RequestPatch();
            if (events.Count > 0) await PostBatchesAsync(groups, events, dashboard: false);
        }

        private async Task PostBatchesAsync(Group[] groups, List<ProgressEvent> events, bool dashboard)
        {
            var batches = new Task<object?>[groups.Length];
            for (var i = 0; i < groups.Length; i++) batches[i] = BatchAsync(groups[i], events, dashboard);
            await Task.WhenAll(batches);
            for (var i = 0; i < groups.Length; i++)
                if (batches[i].Result is { } batch) Post(groups[i], batch);
        }

        private int _patchWanted;
        private int _patching;

        /// <summary>Sends each group its dashboard patch, one reader at a time; asks made meanwhile fold into one more read.</summary>
        private void RequestPatch()
        {
            Volatile.Write(ref _patchWanted, 1);
            if (Interlocked.CompareExchange(ref _patching, 1, 0) == 0) _ = Task.Run(PatchAsync);
        }

        private async Task PatchAsync()
        {
            try
            {
                while (Interlocked.Exchange(ref _patchWanted, 0) == 1 && !owner._stop.IsCancellationRequested)
                {
                    try
                    {
                        await PostBatchesAsync(Groups(), [], dashboard: true);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        owner.Logger.LogWarning(e, "Pushing the dashboard of {Summit} failed.", summit);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _patching, 0);
                // Asked again after the last look: read once more.
                if (Volatile.Read(ref _patchWanted) == 1 && !owner._stop.IsCancellationRequested) RequestPatch();
            }
        }

        private void Post(Group group, object batch)
        {
            foreach (var connection in group.Members) connection.Post(summit, batch, this);
        }

        /// <summary>Counts a batch handed to a connection, until <see cref="Done"/>.</summary>
        public void Sending() => Interlocked.Increment(ref _inFlight);

        /// <summary>A batch counted by <see cref="Sending"/> was sent, failed or was dropped.</summary>
        public void Done() => Interlocked.Decrement(ref _inFlight);

        /// <summary>The group's batch, serialized once for all its connections; null when it has nothing for them.</summary>
        private async Task<object?> BatchAsync(Group group, List<ProgressEvent> events, bool dashboard)
        {
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
            if (visible.Count == 0 && patch is null) return null;
            return new SerializedJson(JsonSerializer.SerializeToUtf8Bytes(new ProgressBatch(summit, visible, patch), owner.JsonOptions));
        }
    }

    /// <param name="Pipe">The summit pipe counting the batch as in flight; null for a resync request.</param>
    private readonly record struct Outgoing(string Summit, object Batch, SummitPipe? Pipe = null);

    /// <summary>
    /// One connection's outbox and its sender: batches are sent in the order posted, one at a time. A full outbox is
    /// emptied and replaced by a resync request; a send that does not complete within the stall timeout disconnects.
    /// </summary>
    private sealed class LiveConnection(LiveFanout owner, HubCallerContext context)
    {
        // Bounded by Post, which needs the count (a single-reader channel cannot count).
        private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>();
        private readonly ISingleClientProxy _client = owner.Hub.Clients.Client(context.ConnectionId);
        private readonly CancellationTokenSource _closed = new();
        private readonly Dictionary<string, string> _joined = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private int _started;
        private bool _isClosed;

        public string Id => context.ConnectionId;

        public bool IsClosed
        {
            get { lock (_gate) return _isClosed; }
        }

        public void Start()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            _ = Task.Run(SendAsync);
            // Also when the connection dies without OnDisconnectedAsync having run yet.
            context.ConnectionAborted.Register(static state => ((LiveConnection)state!).Forget(), this);
        }

        private void Forget() => owner.Forget(Id);

        /// <summary>Records the group joined for a summit; returns the one it had before, if any.</summary>
        public string? Join(string summit, string group)
        {
            lock (_gate)
            {
                _joined.TryGetValue(summit, out var previous);
                _joined[summit] = group;
                return previous;
            }
        }

        public string? Leave(string summit)
        {
            lock (_gate) return _joined.Remove(summit, out var group) ? group : null;
        }

        public string? GroupOf(string summit)
        {
            lock (_gate) return _joined.GetValueOrDefault(summit);
        }

        public KeyValuePair<string, string>[] Joined()
        {
            lock (_gate) return [.. _joined];
        }

        public void Post(string summit, object batch, SummitPipe? pipe = null)
        {
            var dropped = 0;
            lock (_gate)
            {
                if (_isClosed) return;
                if (_outbox.Reader.Count < owner.OutboxCapacity)
                {
                    pipe?.Sending();
                    _outbox.Writer.TryWrite(new Outgoing(summit, batch, pipe));
                    return;
                }
                // Behind by a whole outbox: what is queued is dropped, and the client catches up by Subscribe instead,
                // which tells it everything after the last seq it applied.
                var behind = new HashSet<string>(StringComparer.Ordinal) { summit };
                while (_outbox.Reader.TryRead(out var queued))
                {
                    behind.Add(queued.Summit);
                    queued.Pipe?.Done();
                    dropped++;
                }
                foreach (var s in behind) _outbox.Writer.TryWrite(new Outgoing(s, new ProgressBatch(s, [], Resync: true)));
            }
            owner.Logger.LogDebug("Connection {Connection} fell {Dropped} batches behind; told it to resync.", Id, dropped + 1);
        }

        public void Close()
        {
            lock (_gate)
            {
                if (_isClosed) return;
                _isClosed = true;
                _outbox.Writer.TryComplete();
                while (_outbox.Reader.TryRead(out var queued)) queued.Pipe?.Done();
            }
            _closed.Cancel();
        }

        private async Task SendAsync()
        {
            var stop = _closed.Token;
            try
            {
                await foreach (var message in _outbox.Reader.ReadAllAsync(stop))
                {
                    try
                    {
                        var send = _client.SendAsync(ProgressHub.OnProgress, message.Batch, stop);
                        if (!send.IsCompleted) await send.WaitAsync(owner.StallTimeout, owner.Time, stop);
                        else await send;
                    }
                    catch (TimeoutException)
                    {
                        owner.Logger.LogWarning("Connection {Connection} has not taken a message for {Seconds} s; disconnecting it.",
                            Id, owner.StallTimeout.TotalSeconds);
                        context.Abort();
                        Forget();
                        return;
                    }
                    catch (Exception e) when (!stop.IsCancellationRequested)
                    {
                        owner.Logger.LogDebug(e, "Sending progress to connection {Connection} failed.", Id);
                    }
                    finally
                    {
                        message.Pipe?.Done();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>A hub argument already in JSON: written as it is, so a batch is serialized once for all its connections.</summary>
    [JsonConverter(typeof(SerializedJsonConverter))]
    internal sealed class SerializedJson(byte[] utf8)
    {
        public byte[] Utf8 { get; } = utf8;
    }

    internal sealed class SerializedJsonConverter : JsonConverter<SerializedJson>
    {
        public override SerializedJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Only ever written.");

        public override void Write(Utf8JsonWriter writer, SerializedJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8, skipInputValidation: true);
    }
}
