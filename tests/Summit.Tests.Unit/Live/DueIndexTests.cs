using NodaTime;
using Summit.Domain;
using Summit.Grains.Progress;
using Summit.Scheduling;

namespace Summit.Tests.Live;

/// <summary>The projection's due index puts each open task where DueStates says it is, as time moves either way.</summary>
public sealed class DueIndexTests
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly Instant Start = Instant.FromUtc(2020, 6, 10, 1, 0);

    [Fact]
    public void Buckets_follow_the_clock_forwards_and_back()
    {
        var due = new DueStates(Zone);
        var deadlines = Enumerable.Range(-10, 30)
            .Select(d => new Deadline(new LocalDate(2020, 6, 10).PlusDays(d), d % 3 == 0 ? new LocalTime(8, 30) : null))
            .ToArray();
        var index = new DueIndex(Start, Duration.FromDays(7));
        for (var i = 0; i < deadlines.Length; i++) index.Add(new DueKey(due.DueInstant(deadlines[i]), $"t{i:00}"));

        foreach (var hours in new[] { 0, 5, 30, 200, -100, 3, 400, 0 })
        {
            var now = Start + Duration.FromHours(hours);
            index.Advance(now);
            var overdue = deadlines.Select((d, i) => (d, i)).Where(x => due.Classify(x.d, WorkStatus.InProgress, now).Kind == DueKind.Overdue)
                .Select(x => $"t{x.i:00}").Order().ToArray();
            Assert.Equal(overdue, index.Overdue.Select(k => k.Id).Order().ToArray());
            var week = deadlines.Select((d, i) => (At: due.DueInstant(d), Id: $"t{i:00}"))
                .Where(x => x.At > now && x.At <= now + Duration.FromDays(7)).Select(x => x.Id).Order().ToArray();
            Assert.Equal(week, index.DueThisWeek.Select(k => k.Id).Order().ToArray());
            Assert.Equal(index.Overdue.Select(k => k.DueAt).Order(), index.Overdue.Select(k => k.DueAt));
        }
        Assert.Equal(deadlines.Length, index.Count);
        Assert.True(index.Remove(new DueKey(due.DueInstant(deadlines[0]), "t00")));
        Assert.Equal(deadlines.Length - 1, index.Count);
    }
}
