using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Summit.Progress;
using Summit.Time;

namespace Summit.Grains.Progress;

/// <summary>The feed's stored state: the highest sequence number it may hand out without writing again.</summary>
[GenerateSerializer, Alias("summit.state.progress-feed")]
public sealed class ProgressFeedState
{
    [Id(0)] public long Reserved { get; set; }
}

/// <remarks>
/// <para>Numbers are reserved in blocks ahead of use: the stored <see cref="ProgressFeedState.Reserved"/> is always at
/// least every number handed out, so an activation starts above it and never repeats one; a restart skips the unused
/// rest of the block. The next block is written in the background when half of the current one is used, so under load
/// <see cref="Publish"/> almost never waits for storage.</para>
/// <para>A summit's first number comes from the wall clock (microseconds), so even storage that forgets everything (the
/// in-memory standalone mode) does not reuse numbers across a restart.</para>
/// </remarks>
[GrainType("summit.progress-feed")]
[CollectionAgeLimit(Hours = 24)]
public sealed class ProgressFeedGrain(
    [PersistentState("progressFeed", StorageNames.Summit)] IPersistentState<ProgressFeedState> state,
    IOptions<ProgressOptions> options,
    WallClock wallClock,
    ILogger<ProgressFeedGrain> logger) : Grain, IProgressFeedGrain
{
    private readonly ProgressOptions _options = options.Value;
    private EventRing _log = null!;
    private ObserverManager<IProgressObserver> _observers = null!;
    private IDashboardGrain _dashboard = null!;
    private string _summit = "";

    private long _last;
    private long _limit;
    // Every number up to this one may have been issued by an earlier activation, and none of those are in the log.
    private long _restartMark;
    private Task? _reserving;

    private long Block => Math.Max(16, _options.SeqBlock);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _summit = this.GetPrimaryKeyString();
        _log = new EventRing(Math.Max(16, _options.LogCapacity));
        _observers = new ObserverManager<IProgressObserver>(TimeSpan.FromSeconds(Math.Max(5, _options.ObserverExpirySeconds)), logger);
        _dashboard = GrainFactory.GetGrain<IDashboardGrain>(_summit);
        var floor = state.RecordExists ? 0 : wallClock.Seed();
        _last = Math.Max(state.State.Reserved, floor);
        _restartMark = _last;
        _limit = _last;
        await ReserveAsync(Block);
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_reserving is { } pending)
        {
            try
            {
                await pending;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reserving sequence numbers for {Summit} failed during deactivation.", _summit);
            }
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task Publish(IReadOnlyList<ProgressEvent> changes)
    {
        if (changes.Count == 0) return;
        while (_limit - _last < changes.Count) await ReserveAsync(Math.Max(Block, changes.Count));

        var numbered = new ProgressEvent[changes.Count];
        for (var i = 0; i < numbered.Length; i++)
        {
            var seq = _last + 1;
            numbered[i] = changes[i] with { Seq = seq, PrevSeq = _last };
            _last = seq;
            _log.Add(numbered[i]);
        }
        if (_limit - _last < Block / 2 && _reserving is null) _ = ReserveInBackgroundAsync();

        // Both calls are one-way: neither the projection nor a Gateway can hold up the next command's event.
        _ = _dashboard.Apply(numbered);
        _observers.Notify(o => { _ = o.OnEvents(_summit, numbered); });
    }

    public Task<FeedCatchUp> Since(long afterSeq)
    {
        if (afterSeq == _last) return Task.FromResult(new FeedCatchUp(_last, []));
        if (afterSeq > _last || afterSeq < _restartMark) return Task.FromResult(new FeedCatchUp(_last, null));
        var events = _log.After(afterSeq);
        return Task.FromResult(new FeedCatchUp(_last, events));
    }

    public Task<FeedCatchUp> Recent(int count) => Task.FromResult(new FeedCatchUp(_last, _log.Latest(Math.Max(0, count))));

    public Task<long> Subscribe(IProgressObserver observer)
    {
        _observers.ClearExpired();
        _observers.Subscribe(observer, observer);
        return Task.FromResult(_last);
    }

    public Task Unsubscribe(IProgressObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task DashboardChanged(long revision)
    {
        _observers.Notify(o => { _ = o.OnDashboardChanged(_summit, revision); });
        return Task.CompletedTask;
    }

    /// <summary>Stores a reservation of <paramref name="count"/> more numbers; concurrent callers share one write.</summary>
    private Task ReserveAsync(long count)
    {
        if (_reserving is { } pending) return pending;
        var write = WriteAsync();
        if (!write.IsCompleted) _reserving = write;
        return write;

        async Task WriteAsync()
        {
            try
            {
                var target = Math.Max(_limit, _last) + count;
                state.State.Reserved = target;
                await state.WriteStateAsync();
                _limit = target;
            }
            finally
            {
                _reserving = null;
            }
        }
    }

    private async Task ReserveInBackgroundAsync()
    {
        try
        {
            await ReserveAsync(Block);
        }
        catch (Exception e)
        {
            // Publish retries the write when the block runs out.
            logger.LogWarning(e, "Reserving sequence numbers for {Summit} failed.", _summit);
        }
    }
}

/// <summary>The newest events of one activation, contiguous by seq, in a fixed-size ring.</summary>
internal sealed class EventRing(int capacity)
{
    private readonly ProgressEvent[] _items = new ProgressEvent[capacity];
    private int _start;
    private int _count;

    public int Count => _count;

    public void Add(ProgressEvent item)
    {
        if (_count < _items.Length)
        {
            _items[(_start + _count) % _items.Length] = item;
            _count++;
        }
        else
        {
            _items[_start] = item;
            _start = (_start + 1) % _items.Length;
        }
    }

    private ProgressEvent At(int index) => _items[(_start + index) % _items.Length];

    /// <summary>The events after <paramref name="seq"/>; null when the one right after it is no longer held.</summary>
    public IReadOnlyList<ProgressEvent>? After(long seq)
    {
        if (_count == 0) return null;
        var oldest = At(0).Seq;
        if (seq < oldest - 1) return null;
        var skip = (int)Math.Min(_count, Math.Max(0, seq - oldest + 1));
        var result = new ProgressEvent[_count - skip];
        for (var i = 0; i < result.Length; i++) result[i] = At(skip + i);
        return result;
    }

    public IReadOnlyList<ProgressEvent> Latest(int count)
    {
        var take = Math.Min(count, _count);
        var result = new ProgressEvent[take];
        for (var i = 0; i < take; i++) result[i] = At(_count - take + i);
        return result;
    }
}
