using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Deadlines;

namespace Summit.Grains.Progress;

/// <summary>What a <see cref="DashboardScheduler"/> asks of the grain that hosts it.</summary>
public interface IDashboardHost
{
    /// <summary>The deadline engine's summary if newer than <paramref name="knownRevision"/>, else null.</summary>
    Task<ScheduleSummary?> GetScheduleSummary(long knownRevision);

    /// <summary>Tells the Gateways that the dashboard is at <paramref name="revision"/>.</summary>
    void Notify(long revision);

    /// <summary>Calls <paramref name="callback"/> once, <paramref name="wait"/> from now, on the host's turn.</summary>
    IDisposable After(TimeSpan wait, Action callback);

    /// <summary>Runs <paramref name="work"/> off the host's turn.</summary>
    Task RunOffTurn(Action work);
}

/// <summary>
/// When a <see cref="DashboardProjection"/>'s background work runs: one readiness pass at a time, each with the deadline
/// engine's latest summary, and the Gateways told of changes at most once per <paramref name="notifyInterval"/>.
/// </summary>
/// <remarks>
/// <para>Readiness is scored by the summit clock (<paramref name="clock"/>); notifications are paced in real time
/// (<paramref name="wallClock"/>), whatever the summit clock does.</para>
/// <para>The summary is polled on every pass (the engine answers null while nothing changed). A call that takes longer
/// than <see cref="ScheduleWait"/> is left running and picked up by a later pass; while the engine does not answer, the
/// last summary known is used.</para>
/// </remarks>
public sealed class DashboardScheduler(
    DashboardProjection projection, IDashboardHost host, IClock clock, IClock wallClock, Duration notifyInterval, ILogger logger)
{
    private bool _computing;
    private Task _computation = Task.CompletedTask;

    private Task<ScheduleSummary?>? _scheduleCall;
    private bool _scheduleFailing;

    private Instant _lastNotified;
    private bool _notifyScheduled;
    private IDisposable? _notifyTimer;

    /// <summary>How long a pass waits for the deadline engine's summary.</summary>
    public TimeSpan ScheduleWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Fetches the schedule summary, then scores what is stale (everything when <paramref name="force"/>) off the host's
    /// turn. Does nothing while a pass is running.
    /// </summary>
    public Task ComputeReadinessAsync(bool force)
    {
        if (_computing) return Task.CompletedTask;
        _computing = true;
        return _computation = ComputeCoreAsync(force);
    }

    /// <summary>Scores everything now; a pass that may be scoring older data is let finish first.</summary>
    public async Task RefreshAsync()
    {
        while (_computing) await _computation;
        await ComputeReadinessAsync(force: true);
    }

    private async Task ComputeCoreAsync(bool force)
    {
        try
        {
            var schedule = await FetchScheduleAsync();
            var work = projection.BeginReadiness(force, schedule, clock.GetCurrentInstant());
            if (work is null)
            {
                if (schedule is not null && projection.ApplySchedule(schedule)) RequestNotify();
                return;
            }
            await host.RunOffTurn(work.Score);
            if (projection.CompleteReadiness(work)) RequestNotify();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Computing readiness of {Summit} failed.", projection.Summit);
            projection.ReadinessFailed();
        }
        finally
        {
            _computing = false;
        }
    }

    /// <summary>
    /// The deadline engine's summary if it changed since the one applied; null if not, or if the engine did not answer
    /// in time (the call is then left running and picked up by a later pass) or failed (logged once per outage).
    /// </summary>
    private async Task<ScheduleSummary?> FetchScheduleAsync()
    {
        if (!projection.HasEdition) return null;
        var call = _scheduleCall ??= host.GetScheduleSummary(projection.ScheduleSummaryRevision);
        try
        {
            var fresh = await call.WaitAsync(ScheduleWait);
            _scheduleCall = null;
            if (_scheduleFailing) logger.LogInformation("Dashboard of {Summit}: the deadline engine answers again.", projection.Summit);
            _scheduleFailing = false;
            return fresh;
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return null;
        }
        catch (Exception e)
        {
            _scheduleCall = null;
            if (!_scheduleFailing)
                logger.LogWarning(e, "Dashboard of {Summit}: no schedule from the deadline engine; scoring with the last one known.", projection.Summit);
            _scheduleFailing = true;
            return null;
        }
    }

    /// <summary>Tells the Gateways of the projection's revision now, or once the interval since the last time has passed.</summary>
    public void RequestNotify()
    {
        if (_notifyScheduled) return;
        var wait = _lastNotified + notifyInterval - wallClock.GetCurrentInstant();
        if (wait <= Duration.Zero)
        {
            Notify();
            return;
        }
        _notifyScheduled = true;
        _notifyTimer?.Dispose();
        _notifyTimer = host.After(wait.ToTimeSpan(), () =>
        {
            _notifyScheduled = false;
            _notifyTimer?.Dispose();
            _notifyTimer = null;
            Notify();
        });
    }

    private void Notify()
    {
        _lastNotified = wallClock.GetCurrentInstant();
        host.Notify(projection.Revision);
    }
}
