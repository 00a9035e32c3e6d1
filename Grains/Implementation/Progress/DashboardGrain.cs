using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Storage;
using Summit.Progress;
using Summit.Time;

namespace Summit.Grains.Progress;

/// <summary>
/// The dashboard of one summit: hosts its <see cref="DashboardProjection"/> and <see cref="DashboardScheduler"/>.
/// </summary>
/// <remarks>
/// <para>On activation it reads everything once from the store and the feed; then progress events update the
/// projection, and a missed stretch the feed no longer holds means reading everything again.</para>
/// <para>Readiness is recomputed on a timer (<see cref="ProgressOptions.ReadinessRefreshMilliseconds"/>) only when
/// something it depends on changed, with the deadline engine's summary polled on the same tick; the O(n) work happens
/// at most once per refresh interval, whatever the update rate.</para>
/// <para>Revisions start from the wall clock at activation, so a revision from an earlier activation is recognisably
/// older and gets a full patch.</para>
/// </remarks>
[GrainType("summit.dashboard")]
[CollectionAgeLimit(Hours = 24)]
public sealed class DashboardGrain(
    IOptions<ProgressOptions> options, IClock clock, WallClock wallClock, IEntityQueries entities, ILogger<DashboardGrain> logger)
    : Grain, IDashboardGrain
{
    private readonly ProgressOptions _options = options.Value;
    private string _summit = "";
    private IProgressFeedGrain _feed = null!;
    private DashboardProjection _projection = null!;
    private DashboardScheduler _scheduler = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _summit = this.GetPrimaryKeyString();
        _feed = GrainFactory.GetGrain<IProgressFeedGrain>(_summit);
        _projection = new DashboardProjection(_summit, wallClock.Seed(), _options.ActivityCapacity);
        _scheduler = new DashboardScheduler(_projection, new Host(this), clock, wallClock,
            Duration.FromMilliseconds(Math.Max(1, _options.NotifyMilliseconds)), logger);
        await RebuildAsync();
        // The first snapshot already carries scores.
        await _scheduler.ComputeReadinessAsync(force: true);
        var period = TimeSpan.FromMilliseconds(Math.Max(50, _options.ReadinessRefreshMilliseconds));
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = false });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Reads everything once from the feed and the store (O(n), on activation or after a lost gap).</summary>
    private async Task RebuildAsync()
    {
        // Changes up to this seq are stored before their events were issued, so the reads below include them; later
        // events arrive through Apply and are applied only when newer than what was read.
        var recent = await _feed.Recent(Math.Max(1, _options.ActivityCapacity));
        var edition = await GrainFactory.GetGrain<ISummitGrain>(_summit).Get();
        var tasks = await ReadAllAsync<PreparationTask>(EntityKind.Task);
        var counties = await ReadAllAsync<CountyVenue>(EntityKind.County);
        var forums = await ReadAllAsync<SubForum>(EntityKind.SubForum);
        var projects = await ReadAllAsync<CooperationProject>(EntityKind.Project);
        var alliances = await ReadAllAsync<InnovationAlliance>(EntityKind.Alliance);
        var finalists = await ReadAllAsync<StartupFinalist>(EntityKind.Finalist);

        // In one turn, so nothing interleaved sees a half-built projection.
        _projection.Rebuild(recent, edition, tasks, counties, forums, projects, clock.GetCurrentInstant(), alliances, finalists);
        logger.LogInformation("Dashboard of {Summit} rebuilt at seq {Seq}: {Tasks} tasks, {Counties} counties, {Forums} sub-forums, {Projects} projects.",
            _summit, _projection.Seq, tasks.Count, counties.Count, forums.Count, projects.Count);
    }

    private Task<List<TEntity>> ReadAllAsync<TEntity>(EntityKind kind) where TEntity : class => entities.LoadAllAsync<TEntity>(_summit, kind);

    public async Task Apply(IReadOnlyList<ProgressEvent> events)
    {
        // Patches cannot interleave with this turn, so taking the revision up front is safe even across the awaits.
        var revision = _projection.NextRevision();
        foreach (var e in events)
        {
            if (_projection.MissedBefore(e) && !await FillGapAsync(revision)) return;
            _projection.Apply(e, revision);
        }
        _scheduler.RequestNotify();
    }

    /// <summary>Applies events missed between the last applied seq and the next one; false when a rebuild replaced them.</summary>
    private async Task<bool> FillGapAsync(long revision)
    {
        var missing = await _feed.Since(_projection.Seq);
        if (missing.Events is null)
        {
            logger.LogInformation("Dashboard of {Summit} lost events after seq {Seq}; rebuilding.", _summit, _projection.Seq);
            await RebuildAsync();
            _scheduler.RequestNotify();
            return false;
        }
        foreach (var e in missing.Events) _projection.Apply(e, revision);
        return true;
    }

    private void AdvanceClock()
    {
        if (_projection.AdvanceClock(clock.GetCurrentInstant())) _scheduler.RequestNotify();
    }

    public Task<DashboardSnapshot> GetSnapshot(DashboardScope scope)
    {
        AdvanceClock();
        return Task.FromResult(_projection.Snapshot(scope, clock.GetCurrentInstant()));
    }

    public Task<DashboardPatch?> GetPatch(DashboardScope scope, long afterRevision)
    {
        AdvanceClock();
        return Task.FromResult(_projection.Patch(scope, afterRevision));
    }

    public async Task RefreshReadiness()
    {
        AdvanceClock();
        await _scheduler.RefreshAsync();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        AdvanceClock();
        await _scheduler.ComputeReadinessAsync(force: false);
    }

    /// <summary>The scheduler's way to the deadline engine, the feed and the grain's timers.</summary>
    private sealed class Host(DashboardGrain grain) : IDashboardHost
    {
        public Task<ScheduleSummary?> GetScheduleSummary(long knownRevision) =>
            grain.GrainFactory.GetGrain<IDeadlinesGrain>(grain._summit).GetScheduleSummary(knownRevision);

        public void Notify(long revision) => _ = grain._feed.DashboardChanged(revision);

        public IDisposable After(TimeSpan wait, Action callback) => grain.RegisterGrainTimer(() =>
        {
            callback();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });

        public Task RunOffTurn(Action work) => Task.Run(work);
    }
}
