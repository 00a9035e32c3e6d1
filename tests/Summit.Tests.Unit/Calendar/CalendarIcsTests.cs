using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api;
using IcalCalendar = Ical.Net.Calendar;

namespace Summit.Tests.Calendar;

/// <summary>The iCalendar writer of the calendar feeds: all-day and timed deadlines, the zone's VTIMEZONE, stable output.</summary>
public sealed class CalendarIcsTests
{
    private static readonly Instant Changed = Instant.FromUtc(2020, 6, 9, 2, 30);

    private static FeedEvent Event(string uid, Deadline due) =>
        new(uid, $"截止：{uid}", "状态：进行中", due, 3, Changed, new Uri($"http://localhost:5080/#/tasks/{uid}"));

    [Fact]
    public void Dates_become_all_day_events_and_times_moments_in_the_summits_zone()
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var text = CalendarIcs.Write("峰会 · 本单位截止日期", zone,
            [Event("t-1", new Deadline(new LocalDate(2020, 6, 12))), Event("t-2", new Deadline(new LocalDate(2020, 6, 12), new LocalTime(17, 0)))]);

        Assert.Contains("DTSTART;VALUE=DATE:20200612", text);
        Assert.Contains("DTEND;VALUE=DATE:20200613", text);
        Assert.Contains("DTSTART;TZID=Asia/Shanghai:20200612T170000", text);
        Assert.Contains("X-WR-CALNAME:峰会 · 本单位截止日期", text);
        var calendar = IcalCalendar.Load(text)!;
        var timeZone = Assert.Single(calendar.TimeZones);
        var observance = Assert.Single(timeZone.TimeZoneInfos);
        Assert.Equal("STANDARD", observance.Name);
        Assert.Equal(TimeSpan.FromHours(8), observance.OffsetTo!.Offset);
        Assert.Equal("CST", observance.TimeZoneName);
        Assert.Equal(new DateTime(2020, 6, 12, 9, 0, 0, DateTimeKind.Utc), calendar.Events.Single(e => e.Uid == "t-2").DtStart!.AsUtc);
        // The same state writes the same text: DTSTAMP is the entity's last change, not the moment of writing.
        Assert.Equal(text, CalendarIcs.Write("峰会 · 本单位截止日期", zone,
            [Event("t-1", new Deadline(new LocalDate(2020, 6, 12))), Event("t-2", new Deadline(new LocalDate(2020, 6, 12), new LocalTime(17, 0)))]));
    }

    [Fact]
    public void A_zone_with_summer_time_gets_both_observances()
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var text = CalendarIcs.Write("x", zone, [Event("t-1", new Deadline(new LocalDate(2020, 7, 1), new LocalTime(9, 0)))]);
        var timeZone = Assert.Single(IcalCalendar.Load(text)!.TimeZones);
        Assert.Contains(timeZone.TimeZoneInfos, i => i.Name == "DAYLIGHT" && i.OffsetTo!.Offset == TimeSpan.FromHours(2) && i.OffsetFrom!.Offset == TimeSpan.FromHours(1));
        Assert.Contains(timeZone.TimeZoneInfos, i => i.Name == "STANDARD" && i.OffsetTo!.Offset == TimeSpan.FromHours(1));
        Assert.Equal(new DateTime(2020, 7, 1, 7, 0, 0, DateTimeKind.Utc), IcalCalendar.Load(text)!.Events.Single().DtStart!.AsUtc);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.")]
    public void Anything_but_43_base64url_characters_is_no_secret(string? secret) => Assert.Null(CalendarFeedsApi.DecodeSecret(secret));

    [Fact]
    public void A_secret_round_trips()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(bytes, CalendarFeedsApi.DecodeSecret(CalendarFeedsApi.Base64Url(bytes)));
    }
}
