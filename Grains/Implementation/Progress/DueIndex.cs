using NodaTime;

namespace Summit.Grains.Progress;

/// <summary>An open task's place in a <see cref="DueIndex"/>: its due instant, then its id.</summary>
public readonly record struct DueKey(Instant DueAt, string Id) : IComparable<DueKey>
{
    public int CompareTo(DueKey other)
    {
        var byDue = DueAt.CompareTo(other.DueAt);
        return byDue != 0 ? byDue : string.CompareOrdinal(Id, other.Id);
    }
}

/// <summary>
/// Open tasks split by due instant into overdue (due at or before now: DueStates' overdue moment), due within the week
/// and later, each sorted. Adding, removing and moving one task costs O(log n); as time passes, <see cref="Advance"/>
/// moves only the tasks whose boundary was crossed, so counts and the most urgent items are always at hand.
/// </summary>
public sealed class DueIndex(Instant now, Duration week)
{
    private readonly SortedSet<DueKey> _overdue = [];
    private readonly SortedSet<DueKey> _week = [];
    private readonly SortedSet<DueKey> _later = [];

    public Instant Now { get; private set; } = now;

    public int Count => _overdue.Count + _week.Count + _later.Count;

    /// <summary>Most overdue first.</summary>
    public IReadOnlyCollection<DueKey> Overdue => _overdue;

    /// <summary>Soonest first.</summary>
    public IReadOnlyCollection<DueKey> DueThisWeek => _week;

    public void Add(DueKey key) => BucketOf(key.DueAt).Add(key);

    public bool Remove(DueKey key) => _overdue.Remove(key) || _week.Remove(key) || _later.Remove(key);

    /// <summary>Moves the boundaries to <paramref name="now"/> (either way); true when any task changed bucket.</summary>
    public bool Advance(Instant now)
    {
        if (now == Now) return false;
        Now = now;
        var horizon = now + week;
        var moved = false;
        // Forwards: the earliest of a later bucket may now belong to an earlier one.
        while (_week.Count > 0 && _week.Min.DueAt <= now) moved |= Move(_week, _overdue, _week.Min);
        while (_later.Count > 0 && _later.Min.DueAt <= horizon) moved |= Move(_later, BucketOf(_later.Min.DueAt), _later.Min);
        // Backwards (a clock set back): the latest of an earlier bucket may now belong to a later one.
        while (_week.Count > 0 && _week.Max.DueAt > horizon) moved |= Move(_week, _later, _week.Max);
        while (_overdue.Count > 0 && _overdue.Max.DueAt > now) moved |= Move(_overdue, BucketOf(_overdue.Max.DueAt), _overdue.Max);
        return moved;
    }

    private SortedSet<DueKey> BucketOf(Instant dueAt) => dueAt <= Now ? _overdue : dueAt <= Now + week ? _week : _later;

    private static bool Move(SortedSet<DueKey> from, SortedSet<DueKey> to, DueKey key)
    {
        from.Remove(key);
        to.Add(key);
        return true;
    }
}
