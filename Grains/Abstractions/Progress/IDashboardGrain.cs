using Orleans.Concurrency;

namespace Summit.Progress;

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
