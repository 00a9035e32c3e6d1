using NodaTime;

namespace Summit.Data.Time;

/// <summary>
/// The demo data is from 2020, so demo mode replays time from a fixed start and lets it run forward at
/// real speed: countdowns tick and due dates pass just as they would have.
/// </summary>
public sealed class DemoClock(Instant start, IClock realClock) : IClock
{
    private readonly Instant _realStart = realClock.GetCurrentInstant();

    public Instant Start { get; } = start;

    public Instant GetCurrentInstant() => Start + (realClock.GetCurrentInstant() - _realStart);
}
