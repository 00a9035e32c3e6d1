using Summit.Settings;
namespace Summit.Grains.Progress;

/// <summary>Section <c>Summit:Live</c>, silo side: the progress feed and the dashboard projection.</summary>
public sealed class ProgressOptions
{
    public const string Section = "Summit:Live";

    /// <summary>Events kept in memory per summit for catch-up; a client further behind gets a snapshot.</summary>
    [AtLeast(1)]
    public int LogCapacity { get; set; } = 10_000;

    /// <summary>
    /// Sequence numbers reserved per storage write. A restart skips at most this many numbers; a larger block means
    /// fewer writes under load.
    /// </summary>
    [AtLeast(1)]
    public int SeqBlock { get; set; } = 1_000;

    /// <summary>How long a Gateway's observer stays registered without a refresh (Gateways refresh every 10 s by default).</summary>
    [Positive]
    public int ObserverExpirySeconds { get; set; } = 60;

    /// <summary>How often the projection recomputes readiness scores that changes made stale.</summary>
    [Positive]
    public int ReadinessRefreshMilliseconds { get; set; } = 1_000;

    /// <summary>The projection tells Gateways about dashboard changes at most this often.</summary>
    [NotNegative]
    public int NotifyMilliseconds { get; set; } = 50;

    /// <summary>Events the projection keeps for activity lists (scoped views filter them, so more than one screenful).</summary>
    [AtLeast(1)]
    public int ActivityCapacity { get; set; } = 1_000;

    /// <summary>Entity reads in flight while the projection rebuilds itself.</summary>
    [AtLeast(1)]
    public int RebuildConcurrency { get; set; } = 256;
}
