using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using Summit.Domain;
using IcalCalendar = Ical.Net.Calendar;

namespace Summit.Gateway.Api;

/// <summary>
/// One event of a calendar feed: a deadline (a task's, a milestone's, a campaign's) on a date, or at a time of day in
/// the summit's zone. <see cref="Uid"/> stays the same for the entity whatever changes, and <see cref="Sequence"/> is
/// its version, so a calendar program updates the event in place.
/// </summary>
public sealed record FeedEvent(
    string Uid, string Summary, string? Description, Deadline Due, int Sequence, Instant LastModified, Uri? Url);

/// <summary>
/// Writes a calendar feed as iCalendar text (RFC 5545) with Ical.Net: date-only deadlines as all-day events (DTSTART
/// and DTEND as dates, the day after as the exclusive end), timed deadlines as moments in the summit's zone (DTSTART
/// with its TZID and no DTEND, an event of no length), and a VTIMEZONE for that zone written from the time zone
/// database (<see cref="TimeZoneOf"/>). DTSTAMP is the entity's last change, so the same state gives the same text.
/// </summary>
public static class CalendarIcs
{
    public const string ContentType = "text/calendar; charset=utf-8";
    public const string ProductId = "-//Summit//Calendar feeds//ZH";

    /// <summary>The feed as iCalendar text.</summary>
    /// <param name="name">The calendar's name as calendar programs show it (<c>X-WR-CALNAME</c>).</param>
    public static string Write(string name, DateTimeZone zone, IReadOnlyList<FeedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(events);
        var calendar = new IcalCalendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-WR-TIMEZONE", zone.Id);
        calendar.AddTimeZone(TimeZoneOf(zone, events));
        foreach (var item in events)
        {
            var stamp = new CalDateTime(item.LastModified.ToDateTimeUtc(), CalDateTime.UtcTzId);
            var evt = new CalendarEvent
            {
                Uid = item.Uid,
                Summary = item.Summary,
                Description = item.Description,
                Sequence = item.Sequence,
                LastModified = stamp,
                DtStamp = stamp,
                Url = item.Url,
                Transparency = "TRANSPARENT",
            };
            var date = new DateOnly(item.Due.Date.Year, item.Due.Date.Month, item.Due.Date.Day);
            if (item.Due.Time is { } time)
            {
                evt.DtStart = new CalDateTime(date, new TimeOnly(time.Hour, time.Minute, time.Second), zone.Id);
            }
            else
            {
                evt.DtStart = new CalDateTime(date);
                evt.DtEnd = new CalDateTime(date.AddDays(1));
            }
            calendar.Events.Add(evt);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>
    /// The zone's VTIMEZONE over the feed's dates (a year either side): one observance per offset in force, each with
    /// the onset, the offsets from and to and its abbreviation, without rules, so it says exactly what the time zone
    /// database says (Asia/Shanghai: +08:00, CST, since 1991).
    /// </summary>
    public static VTimeZone TimeZoneOf(DateTimeZone zone, IReadOnlyList<FeedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(events);
        var dates = events.Select(e => e.Due.Date).DefaultIfEmpty(new LocalDate(2020, 1, 1)).ToArray();
        var from = dates.Min().PlusYears(-1).AtStartOfDayInZone(zone).ToInstant();
        var to = dates.Max().PlusYears(1).AtStartOfDayInZone(zone).ToInstant();
        var timeZone = new VTimeZone(zone.Id);
        Offset? previous = null;
        foreach (var interval in zone.GetZoneIntervals(from, to))
        {
            var onset = interval.HasStart ? interval.IsoLocalStart : new LocalDateTime(1970, 1, 1, 0, 0);
            var observance = new Ical.Net.VTimeZoneInfo(interval.Savings == Offset.Zero ? Components.Standard : Components.Daylight)
            {
                TimeZoneName = interval.Name,
                OffsetFrom = new UtcOffset((previous ?? (interval.HasStart
                    ? zone.GetZoneInterval(interval.Start - NodaTime.Duration.Epsilon).WallOffset
                    : interval.WallOffset)).ToTimeSpan()),
                OffsetTo = new UtcOffset(interval.WallOffset.ToTimeSpan()),
                DtStart = new CalDateTime(onset.Year, onset.Month, onset.Day, onset.Hour, onset.Minute, onset.Second, null),
            };
            timeZone.TimeZoneInfos.Add(observance);
            previous = interval.WallOffset;
        }
        return timeZone;
    }

    private static class Components
    {
        public const string Standard = "STANDARD";
        public const string Daylight = "DAYLIGHT";
    }
}
