using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Summit.Deadlines;
using Summit.Grains.Progress;
using Summit.Progress;
using static Summit.Tests.Dashboard.DashboardData;

namespace Summit.Tests.Dashboard;

/// <summary>The dashboard's scheduling on fake clocks: scoring by the summit clock, notifications paced in real time.</summary>
public sealed class DashboardSchedulerTests
{
    private static readonly Duration Interval = Duration.FromMilliseconds(50);

    private readonly FakeClock _clock = new(Now);
    private readonly FakeClock _wallClock = new(Instant.FromUtc(2026, 1, 5, 8, 0));
    private readonly FakeHost _host = new();
    private readonly DashboardProjection _projection = Rebuilt();

    private DashboardScheduler Scheduler(TimeSpan? scheduleWait = null) =>
        new(_projection, _host, _clock, _wallClock, Interval, NullLogger.Instance) { ScheduleWait = scheduleWait ?? TimeSpan.FromSeconds(5) };

    [Fact]
    public void Gateways_are_told_at_most_once_per_interval_of_real_time()
    {
        var scheduler = Scheduler();

        scheduler.RequestNotify();
        Assert.Equal([_projection.Revision], _host.Notified);

        _wallClock.Advance(Duration.FromMilliseconds(20));
        scheduler.RequestNotify();
        scheduler.RequestNotify();
        var (wait, fire) = Assert.Single(_host.Timers);
        Assert.Equal(TimeSpan.FromMilliseconds(30), wait);
        Assert.Single(_host.Notified);

        _projection.NextRevision();
        _wallClock.Advance(Duration.FromMilliseconds(30));
        fire();
        Assert.Equal([_projection.Revision - 1, _projection.Revision], _host.Notified);

        _wallClock.Advance(Interval);
        scheduler.RequestNotify();
        Assert.Equal(3, _host.Notified.Count);
        Assert.Single(_host.Timers);
    }

    [Fact]
    public void The_summit_clock_does_not_pace_notifications()
    {
        var scheduler = Scheduler();
        scheduler.RequestNotify();

        // A demo clock set back a day must not hold notifications back for a day.
        _clock.Advance(Duration.FromDays(-1));
        _wallClock.Advance(Interval);
        scheduler.RequestNotify();

        Assert.Equal(2, _host.Notified.Count);
        Assert.Empty(_host.Timers);
    }

    [Fact]
    public async Task Readiness_is_scored_off_the_turn_as_of_the_summit_clock()
    {
        var scheduler = Scheduler();
        _clock.Advance(Duration.FromMinutes(5));

        await scheduler.ComputeReadinessAsync(force: true);

        Assert.Equal(1, _host.OffTurn);
        var snapshot = _projection.Snapshot(DashboardScope.Summit, _clock.GetCurrentInstant());
        Assert.Equal(Now + Duration.FromMinutes(5), snapshot.ReadinessAsOf);
        Assert.Equal([_projection.Revision], _host.Notified);
    }

    [Fact]
    public async Task A_pass_with_nothing_stale_still_takes_a_new_schedule()
    {
        var scheduler = Scheduler();
        await scheduler.ComputeReadinessAsync(force: true);
        _host.Summary = _ => Task.FromResult<ScheduleSummary?>(Summary(revision: 4));

        await scheduler.ComputeReadinessAsync(force: false);

        Assert.Equal(1, _host.OffTurn);
        Assert.Equal(4, _projection.ScheduleSummaryRevision);
        Assert.Equal([0L, 0L], _host.KnownRevisions);
    }

    [Fact]
    public async Task A_slow_engine_is_asked_once_and_its_answer_taken_by_a_later_pass()
    {
        var scheduler = Scheduler(TimeSpan.FromMilliseconds(10));
        var answer = new TaskCompletionSource<ScheduleSummary?>();
        _host.Summary = _ => answer.Task;

        await scheduler.ComputeReadinessAsync(force: true);
        Assert.Equal(0, _projection.ScheduleSummaryRevision);
        Assert.Equal(1, _host.OffTurn);

        answer.SetResult(Summary(revision: 9));
        await scheduler.ComputeReadinessAsync(force: false);

        Assert.Single(_host.KnownRevisions);
        Assert.Equal(9, _projection.ScheduleSummaryRevision);
    }

    [Fact]
    public async Task A_failing_engine_leaves_the_scores_to_the_last_schedule_known()
    {
        var scheduler = Scheduler();
        _host.Summary = _ => Task.FromResult<ScheduleSummary?>(Summary(revision: 3));
        await scheduler.ComputeReadinessAsync(force: true);
        _host.Summary = _ => Task.FromException<ScheduleSummary?>(new TimeoutException("engine down"));

        await scheduler.ComputeReadinessAsync(force: true);

        Assert.Equal(2, _host.OffTurn);
        Assert.Equal(3, _projection.ScheduleSummaryRevision);
    }

    [Fact]
    public async Task One_pass_runs_at_a_time_and_a_refresh_scores_again_after_it()
    {
        var scheduler = Scheduler();
        var gate = new TaskCompletionSource();
        _host.Gate = gate.Task;

        var running = scheduler.ComputeReadinessAsync(force: true);
        await scheduler.ComputeReadinessAsync(force: true);
        Assert.Equal(1, _host.OffTurn);

        var refresh = scheduler.RefreshAsync();
        Assert.False(refresh.IsCompleted);
        _host.Gate = null;
        gate.SetResult();
        await running;
        await refresh;

        Assert.Equal(2, _host.OffTurn);
    }

    [Fact]
    public async Task A_failed_pass_leaves_the_overall_score_stale()
    {
        var scheduler = Scheduler();
        _host.Fail = true;
        await scheduler.ComputeReadinessAsync(force: true);
        _host.Fail = false;

        await scheduler.ComputeReadinessAsync(force: false);

        Assert.NotNull(_projection.Snapshot(DashboardScope.Summit, Now).Overall);
    }

    private static ScheduleSummary Summary(long revision) => new(
        revision, Now, D(6, 15), Edition.OpeningDate, D(11, 10), D(11, 20), false, 3, 0, 0, [], [], []);

    private sealed class FakeHost : IDashboardHost
    {
        public List<long> Notified { get; } = [];
        public List<(TimeSpan Wait, Action Fire)> Timers { get; } = [];
        public List<long> KnownRevisions { get; } = [];
        public Func<long, Task<ScheduleSummary?>> Summary { get; set; } = _ => Task.FromResult<ScheduleSummary?>(null);
        public Task? Gate { get; set; }
        public bool Fail { get; set; }
        public int OffTurn { get; private set; }

        public Task<ScheduleSummary?> GetScheduleSummary(long knownRevision)
        {
            KnownRevisions.Add(knownRevision);
            return Summary(knownRevision);
        }

        public void Notify(long revision) => Notified.Add(revision);

        public IDisposable After(TimeSpan wait, Action callback)
        {
            Timers.Add((wait, callback));
            return new Timer();
        }

        public async Task RunOffTurn(Action work)
        {
            OffTurn++;
            if (Gate is { } gate) await gate;
            if (Fail) throw new InvalidOperationException("scoring failed");
            work();
        }

        private sealed class Timer : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
