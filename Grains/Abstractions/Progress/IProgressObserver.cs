using Orleans.Concurrency;

namespace Summit.Progress;

/// <summary>
/// One per Gateway process: receives every event of the summits it serves and pushes them to its SignalR groups.
/// Registered with each summit's <see cref="IProgressFeedGrain"/>, re-registered on a timer, dropped by expiry when
/// the Gateway dies. Calls are one-way so a slow or dead Gateway never holds up the feed.
/// </summary>
[Alias("summit.IProgressObserver")]
public interface IProgressObserver : IGrainObserver
{
    /// <summary>New events of <paramref name="summit"/>, ascending by seq.</summary>
    [OneWay, Alias("events")] Task OnEvents(string summit, IReadOnlyList<ProgressEvent> events);

    /// <summary>The summit's dashboard projection changed up to <paramref name="revision"/>.</summary>
    [OneWay, Alias("dashboard")] Task OnDashboardChanged(string summit, long revision);
}
