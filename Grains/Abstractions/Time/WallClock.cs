using NodaTime;

namespace Summit.Time;

/// <summary>
/// Real time, for what must follow the real clock even while the summit clock (the <see cref="IClock"/> everything else
/// reads) replays the demo's 2020: token lifetimes, account and security records, the pacing of notifications, and
/// numbers that must keep growing across restarts.
/// </summary>
public sealed class WallClock(IClock clock) : IClock
{
    public Instant GetCurrentInstant() => clock.GetCurrentInstant();

    /// <summary>
    /// The current time in microseconds (at millisecond precision): a starting number above any that an earlier process
    /// started from, so revisions and sequence numbers keep growing across restarts.
    /// </summary>
    public long Seed() => GetCurrentInstant().ToUnixTimeMilliseconds() * 1000;
}
