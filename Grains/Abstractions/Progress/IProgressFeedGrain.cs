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

/// <summary>What the feed holds after a given seq.</summary>
/// <param name="LastSeq">The newest seq issued so far.</param>
/// <param name="Events">The events after the requested seq, ascending; null when some of them are no longer in the log
/// (or were issued before the feed's last restart): the caller needs a snapshot then.</param>
[GenerateSerializer, Immutable, Alias("summit.feed-catch-up")]
public sealed record FeedCatchUp(long LastSeq, IReadOnlyList<ProgressEvent>? Events);

/// <summary>
/// The per-summit progress feed: numbers every accepted change (<see cref="ProgressEvent.Seq"/>), keeps the latest in
/// memory for catch-up, forwards them to the dashboard projection, and fans them out to the Gateways' observers.
/// Key: the summit code.
/// </summary>
[Alias("summit.IProgressFeedGrain")]
public interface IProgressFeedGrain : IGrainWithStringKey
{
    /// <summary>Numbers and distributes changes (their <c>Seq</c>/<c>PrevSeq</c> are ignored and assigned here).</summary>
    [Alias("publish")] Task Publish(IReadOnlyList<ProgressEvent> changes);

    [Alias("since"), AlwaysInterleave] Task<FeedCatchUp> Since(long afterSeq);

    /// <summary>The newest <paramref name="count"/> events (oldest first) and the last seq.</summary>
    [Alias("recent"), AlwaysInterleave] Task<FeedCatchUp> Recent(int count);

    /// <summary>Registers or refreshes a Gateway's observer; answers the last seq issued.</summary>
    [Alias("subscribe")] Task<long> Subscribe(IProgressObserver observer);

    [Alias("unsubscribe")] Task Unsubscribe(IProgressObserver observer);

    /// <summary>From the dashboard projection: tell the Gateways to pull their patches.</summary>
    [Alias("dashboard-changed"), OneWay] Task DashboardChanged(long revision);
}

/// <summary>
/// The per-summit dashboard projection, kept up to date incrementally from the feed's events and rebuilt from the
/// entity grains when activated. Key: the summit code.
/// </summary>
[Alias("summit.IDashboardGrain")]
public interface IDashboardGrain : IGrainWithStringKey
{
    /// <summary>From the feed, in seq order; gaps are filled from the feed.</summary>
    [Alias("apply"), OneWay] Task Apply(IReadOnlyList<ProgressEvent> events);

    /// <summary>The view of <paramref name="scope"/>; the Gateway still filters it through its access rules.</summary>
    [Alias("snapshot")] Task<DashboardSnapshot> GetSnapshot(DashboardScope scope);

    /// <summary>The parts of <paramref name="scope"/>'s view changed after <paramref name="afterRevision"/>; null when none.</summary>
    [Alias("patch")] Task<DashboardPatch?> GetPatch(DashboardScope scope, long afterRevision);

    /// <summary>Recomputes the readiness scores now instead of on the next refresh tick.</summary>
    [Alias("refresh")] Task RefreshReadiness();
}
