using Orleans.Concurrency;

namespace Summit.Journal;

/// <summary>
/// One per summit: reads the summit's committed changes in order from the store of record and hands them to the
/// <see cref="IChangeListener"/>s (deadline engine, live feed), keeping its position, so a consumer that died catches
/// up from where it was. Entity grains nudge it after each commit; a timer reads anyway while it is active, and a
/// reminder wakes it after a restart.
/// </summary>
[Alias("summit.IChangeStreamGrain")]
public interface IChangeStreamGrain : IGrainWithStringKey
{
    /// <summary>There is something new to read. One-way: the committing grain never waits for the consumers.</summary>
    [OneWay, AlwaysInterleave, Alias("poke")] Task Poke();

    /// <summary>Reads until nothing committed is left unread; for tests and operations.</summary>
    [Alias("drain")] Task<long> Drain();
}
