using NodaTime;

namespace Summit.Scheduling;

/// <summary>
/// Numbers the working days of a calendar around a fixed anchor so schedule arithmetic is plain integer arithmetic.
/// <see cref="Ordinal"/>(d) is the number of working days in [anchor, d), negated for the days in [d, anchor) when d is
/// before the anchor; so Ordinal(d + 1) − Ordinal(d) is 1 exactly when d is a working day, and the working day with
/// ordinal k is <see cref="WorkingDayAt"/>(k). Grows on demand in both directions; not thread-safe.
/// </summary>
internal sealed class WorkingDayIndex(WorkingCalendar calendar, LocalDate anchor)
{
    // _forwardCount[i]: working days in [anchor, anchor + i). _forwardDays: working days on or after the anchor, in order.
    private readonly List<int> _forwardCount = [0];
    private readonly List<LocalDate> _forwardDays = [];
    // _backwardCount[i]: working days in [anchor − i, anchor). _backwardDays: working days before the anchor, latest first.
    private readonly List<int> _backwardCount = [0];
    private readonly List<LocalDate> _backwardDays = [];

    public LocalDate Anchor { get; } = anchor;

    public int Ordinal(LocalDate date)
    {
        var offset = Period.DaysBetween(Anchor, date);
        if (offset >= 0)
        {
            while (_forwardCount.Count <= offset) ScanForward();
            return _forwardCount[offset];
        }
        while (_backwardCount.Count <= -offset) ScanBackward();
        return -_backwardCount[-offset];
    }

    public LocalDate WorkingDayAt(int ordinal)
    {
        if (ordinal >= 0)
        {
            while (_forwardDays.Count <= ordinal) ScanForward();
            return _forwardDays[ordinal];
        }
        var back = -ordinal - 1;
        while (_backwardDays.Count <= back) ScanBackward();
        return _backwardDays[back];
    }

    private void ScanForward()
    {
        var date = Anchor.PlusDays(_forwardCount.Count - 1);
        var working = calendar.IsWorkingDay(date);
        if (working) _forwardDays.Add(date);
        _forwardCount.Add(_forwardCount[^1] + (working ? 1 : 0));
    }

    private void ScanBackward()
    {
        var date = Anchor.PlusDays(-_backwardCount.Count);
        var working = calendar.IsWorkingDay(date);
        if (working) _backwardDays.Add(date);
        _backwardCount.Add(_backwardCount[^1] + (working ? 1 : 0));
    }
}
