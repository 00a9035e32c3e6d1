using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Summit.Journal;
using Summit.Progress;

namespace Summit.Grains.Progress;

/// <summary>
/// The grains' change listener for the live feed: it only queues the event, so a command is not held up by the feed;
/// <see cref="ProgressPump"/> delivers the queue.
/// </summary>
public sealed class ProgressListener(ProgressPump pump) : IChangeListener
{
    public Task OnChangedAsync(ChangeRecord change, object entity)
    {
        pump.Enqueue(ProgressEvents.From(change, entity));
        return Task.CompletedTask;
    }
}

/// <summary>
/// One per silo: sends queued events to their summit's <see cref="IProgressFeedGrain"/>, in order, in batches of
/// whatever accumulated while the previous call was in flight (one call per event when quiet, few calls under load).
/// </summary>
public sealed class ProgressPump(IGrainFactory grains, ILogger<ProgressPump> logger) : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int Attempts = 5;

    private readonly Channel<ProgressEvent> _queue = Channel.CreateUnbounded<ProgressEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;

    public void Enqueue(ProgressEvent change)
    {
        _queue.Writer.TryWrite(change);
        // Started on first use: the listener runs inside grains, so the silo is up by then.
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
            _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<ProgressEvent>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var change)) batch.Add(change);
                if (batch.Count == 0) continue;
                var perSummit = batch.GroupBy(e => e.Summit, StringComparer.Ordinal).ToArray();
                if (perSummit.Length == 1) await PublishAsync(perSummit[0].Key, batch.ToArray());
                else await Task.WhenAll(perSummit.Select(g => PublishAsync(g.Key, g.ToArray())));
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(string summit, ProgressEvent[] changes)
    {
        var feed = grains.GetGrain<IProgressFeedGrain>(summit);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await feed.Publish(changes);
                return;
            }
            catch (Exception e) when (attempt < Attempts && !_stop.IsCancellationRequested)
            {
                logger.LogWarning(e, "Publishing {Count} progress events of {Summit} failed (attempt {Attempt}); retrying.", changes.Length, summit, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception e)
            {
                // The changes themselves are stored; dashboards catch up from a snapshot when they see the gap.
                logger.LogError(e, "Dropped {Count} progress events of {Summit}.", changes.Length, summit);
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Give what is queued a moment to go out before the silo stops.
        if (_loop is not null) await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(2)));
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
