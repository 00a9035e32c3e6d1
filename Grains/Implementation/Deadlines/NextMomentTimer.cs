using NodaTime;

namespace Summit.Grains.Deadlines;

/// <summary>
/// The one grain timer of a grain that acts at moments by the summit clock (the deadline engine, the campaign
/// reminders): set for the next moment, never later than <see cref="MaxDelay"/> (a grain timer's due time must stay well
/// inside what a System.Threading.Timer accepts; the grain's durable reminder covers the rest).
/// </summary>
internal sealed class NextMomentTimer(Grain grain, Func<CancellationToken, Task> callback)
{
    public static readonly Duration MaxDelay = Duration.FromHours(12);

    /// <summary>Fire a little after the moment, so the clock read in the callback is past it.</summary>
    public static readonly Duration Slack = Duration.FromMilliseconds(50);

    private IGrainTimer? _timer;

    /// <summary>When the timer fires next (clock time), or null once it has fired.</summary>
    public Instant? DueAt { get; private set; }

    /// <summary>Sets the timer for <paramref name="at"/> (clock time), unless it is already due sooner or <paramref name="force"/>.</summary>
    public void Arm(Instant at, Instant now, bool force = false)
    {
        if (!force && _timer is not null && DueAt is { } armed && armed <= at) return;
        var delay = at - now;
        if (delay < Duration.Zero) delay = Duration.Zero;
        if (delay > MaxDelay) delay = MaxDelay;
        DueAt = now + delay;
        if (_timer is null)
            _timer = grain.RegisterGrainTimer(FireAsync, new GrainTimerCreationOptions(delay.ToTimeSpan(), Timeout.InfiniteTimeSpan));
        else
            _timer.Change(delay.ToTimeSpan(), Timeout.InfiniteTimeSpan);
    }

    private Task FireAsync(CancellationToken cancellationToken)
    {
        DueAt = null;
        return callback(cancellationToken);
    }
}
