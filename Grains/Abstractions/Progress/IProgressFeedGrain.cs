using Orleans.Concurrency;

namespace Summit.Progress;

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
