using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Summit.Gateway.Api.Contracts;
using Summit.Notifications;

namespace Summit.Gateway.Live;

/// <summary>
/// This Gateway's observer of stored notifications: registered with the cluster's fan-out grain at start, again on a
/// timer and after a cluster reconnect, it sends each notification to the SignalR group of its target
/// (<see cref="NotificationHub.GroupOf"/>), which <see cref="LiveHub"/> fills from each connection's account.
/// </summary>
public sealed class NotificationFanout(
    IGrainFactory grains,
    IHubContext<LiveHub> hub,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<NotificationFanout> logger) : INotificationObserver, IHostedService, IAsyncDisposable
{
    // Unbounded: notifications are few, and the Orleans thread delivering one must never wait for a SignalR client.
    private readonly Channel<Notification> _queue = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _registering = new(1, 1);
    private INotificationObserver? _reference;
    private ITimer? _refresh;
    private Task _sending = Task.CompletedTask;
    // Set once the Orleans client is up (hosted services start in order, the client first). Until then the client has no
    // cluster manifest and cannot resolve the fan-out grain, so an early call (the gateway count going from 0 to 1 while
    // the client connects) would only fail and log; StartAsync registers anyway.
    private volatile bool _started;

    private INotificationFanoutGrain Fanout => grains.GetGrain<INotificationFanoutGrain>(NotificationHub.FanoutKey);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _sending = SendAsync(_stop.Token);
        _started = true;
        // Registered before the Gateway takes requests, so a connection made once it is up misses nothing.
        await RefreshAsync();
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.ObserverRefreshSeconds));
        _refresh = time.CreateTimer(_ => _ = RefreshAsync(), null, period, period);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
        var reference = _reference;
        if (reference is not null)
        {
            try
            {
                // Let the silos forget this Gateway at once rather than by expiry.
                await Fanout.Unsubscribe(reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Unsubscribing from the notification fan-out failed; it expires the observer.");
            }
        }
        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        await _sending;
    }

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        _stop.Dispose();
        _registering.Dispose();
    }

    public Task OnNotified(Notification notification)
    {
        _queue.Writer.TryWrite(notification);
        return Task.CompletedTask;
    }

    /// <summary>Registers (again) with the fan-out grain, e.g. after the connection to the silos came back. Never throws.</summary>
    public async Task RefreshAsync()
    {
        if (!_started) return;
        try
        {
            await _registering.WaitAsync(_stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        try
        {
            _reference ??= grains.CreateObjectReference<INotificationObserver>(this);
            await Fanout.Subscribe(_reference);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Registering for live notifications failed; trying again in {Seconds} s.", options.Value.ObserverRefreshSeconds);
        }
        finally
        {
            _registering.Release();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await hub.Clients.Group(NotificationHub.GroupOf(notification.Target))
                        .SendAsync(NotificationHub.OnNotification, NotificationResource.From(notification, read: false), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Still in the inbox: the reader sees it on the next list.
                    logger.LogWarning(e, "Pushing notification {Id} to {Target} failed.", notification.Id, notification.Target);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
