using System.Text.Json;
using NodaTime;
using Summit.Domain;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Serialization;

namespace Summit.Tests.Scheduling;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar China = WorkingCalendar.China2020;

    private static LocalDate D(int month, int day) => new(2020, month, day);

    [Fact]
    public void Dragon_Boat_Festival_is_off_and_the_Sunday_after_is_a_working_day()
    {
        Assert.Equal(IsoDayOfWeek.Saturday, D(6, 27).DayOfWeek);
        Assert.Equal(IsoDayOfWeek.Sunday, D(6, 28).DayOfWeek);
        Assert.True(China.IsWorkingDay(D(6, 24)));
        Assert.False(China.IsWorkingDay(D(6, 25)));
        Assert.False(China.IsWorkingDay(D(6, 26)));
        Assert.False(China.IsWorkingDay(D(6, 27)));
        Assert.True(China.IsWorkingDay(D(6, 28)));
        Assert.True(China.IsMakeUpWorkingDay(D(6, 28)));
        Assert.True(China.IsWorkingDay(D(6, 29)));
    }

    [Fact]
    public void National_Day_and_Mid_Autumn_are_off_with_27_September_and_10_October_working()
    {
        Assert.Equal(IsoDayOfWeek.Sunday, D(9, 27).DayOfWeek);
        Assert.Equal(IsoDayOfWeek.Saturday, D(10, 10).DayOfWeek);
        Assert.False(China.IsWorkingDay(D(9, 26)));
        Assert.True(China.IsWorkingDay(D(9, 27)));
        Assert.True(China.IsWorkingDay(D(9, 30)));
        for (var day = 1; day <= 8; day++) Assert.False(China.IsWorkingDay(D(10, day)), $"{day} October");
        Assert.True(China.IsWorkingDay(D(10, 9)));
        Assert.True(China.IsWorkingDay(D(10, 10)));
        Assert.False(China.IsWorkingDay(D(10, 11)));
    }

    [Fact]
    public void The_other_2020_holidays_follow_the_State_Council_notices()
    {
        Assert.False(China.IsWorkingDay(D(1, 1)));
        Assert.True(China.IsWorkingDay(D(1, 19)));   // Sunday make-up day before the Spring Festival
        Assert.False(China.IsWorkingDay(D(1, 31)));
        Assert.False(China.IsWorkingDay(D(2, 1)));   // the Saturday make-up day was cancelled by the extension
        Assert.False(China.IsWorkingDay(D(2, 2)));
        Assert.True(China.IsWorkingDay(D(2, 3)));
        Assert.False(China.IsWorkingDay(D(4, 6)));
        Assert.True(China.IsWorkingDay(D(4, 26)));
        Assert.False(China.IsWorkingDay(D(5, 5)));
        Assert.True(China.IsWorkingDay(D(5, 9)));

        // 262 weekdays, 19 of them holidays, 6 make-up weekend days.
        Assert.Equal(249, China.WorkingDaysBetween(new LocalDate(2019, 12, 31), D(12, 31)));
    }

    [Theory]
    [InlineData("2020-06-24", 1, "2020-06-28")] // Wed → the Sunday make-up day, over Thu–Sat off
    [InlineData("2020-06-24", 2, "2020-06-29")]
    [InlineData("2020-06-25", 1, "2020-06-28")] // starting on a holiday: the next working day is the first
    [InlineData("2020-06-27", 1, "2020-06-28")]
    [InlineData("2020-09-25", 1, "2020-09-27")] // Fri → the Sunday make-up day
    [InlineData("2020-09-25", 2, "2020-09-28")]
    [InlineData("2020-09-30", 1, "2020-10-09")] // over 1–8 October
    [InlineData("2020-09-30", 2, "2020-10-10")] // the Saturday make-up day
    [InlineData("2020-09-30", 3, "2020-10-12")]
    [InlineData("2020-09-27", 4, "2020-10-09")]
    [InlineData("2020-10-10", -1, "2020-10-09")]
    [InlineData("2020-10-10", -2, "2020-09-30")]
    [InlineData("2020-10-03", -1, "2020-09-30")] // backwards from a holiday
    [InlineData("2020-06-29", -1, "2020-06-28")]
    [InlineData("2020-06-28", -1, "2020-06-24")]
    [InlineData("2020-10-03", 0, "2020-10-03")]  // n = 0 leaves the date alone, holiday or not
    [InlineData("2020-10-09", 0, "2020-10-09")]
    public void Adds_working_days_across_holidays_and_make_up_days(string start, int n, string expected)
    {
        Assert.Equal(Parse(expected), China.AddWorkingDays(Parse(start), n));
    }

    [Theory]
    [InlineData("2020-06-24", "2020-06-29", 2)]
    [InlineData("2020-06-24", "2020-06-27", 0)]
    [InlineData("2020-09-30", "2020-10-12", 3)]
    [InlineData("2020-09-26", "2020-09-27", 1)]
    [InlineData("2020-10-12", "2020-09-30", -3)]
    [InlineData("2020-10-05", "2020-10-05", 0)]
    public void Counts_working_days_after_a_up_to_and_including_b(string a, string b, int expected)
    {
        Assert.Equal(expected, China.WorkingDaysBetween(Parse(a), Parse(b)));
    }

    [Fact]
    public void Counting_matches_walking_day_by_day()
    {
        var from = D(5, 20);
        for (var a = from; a < D(7, 10); a = a.PlusDays(3))
            for (var b = D(5, 1); b < D(11, 1); b = b.PlusDays(1))
            {
                var walked = 0;
                for (var d = Min(a, b).PlusDays(1); d <= Max(a, b); d = d.PlusDays(1))
                    if (China.IsWorkingDay(d)) walked++;
                Assert.Equal(b >= a ? walked : -walked, China.WorkingDaysBetween(a, b));
                if (b >= a && China.IsWorkingDay(b)) Assert.Equal(b, China.AddWorkingDays(a, walked));
            }
        // Before 2000 (the internal reference) as well.
        Assert.Equal(5, WorkingCalendar.WeekendsOnly.WorkingDaysBetween(new LocalDate(1999, 12, 24), new LocalDate(1999, 12, 31)));
    }

    [Fact]
    public void Adding_and_counting_invert_each_other()
    {
        for (var start = D(1, 1); start <= D(12, 31); start = start.PlusDays(1))
            for (var n = -12; n <= 12; n++)
            {
                var end = China.AddWorkingDays(start, n);
                if (n != 0) Assert.True(China.IsWorkingDay(end));
                if (n >= 0 || China.IsWorkingDay(start)) Assert.Equal(n, China.WorkingDaysBetween(start, end));
            }
    }

    [Fact]
    public void Rolls_to_the_nearest_working_day()
    {
        Assert.Equal(D(10, 9), China.NextWorkingDay(D(10, 1)));
        Assert.Equal(D(10, 9), China.NextWorkingDay(D(10, 9)));
        Assert.Equal(D(9, 30), China.PreviousWorkingDay(D(10, 8)));
    }

    [Fact]
    public void A_date_that_is_both_a_holiday_and_a_make_up_day_is_refused()
    {
        var definition = new WorkingCalendarDefinition([D(6, 27), D(6, 28)], [D(6, 28)]);
        var error = Assert.Throws<DomainValidationException>(() => new WorkingCalendar(definition));
        Assert.Contains("calendar.holidays[1]", error.Errors.Keys);
        Assert.Contains("also a make-up working day", error.Errors["calendar.holidays[1]"][0]);
    }

    [Fact]
    public void Make_up_days_must_be_weekend_days_and_dates_not_repeated()
    {
        var errors = new FieldErrors();
        WorkingCalendar.Validate(new WorkingCalendarDefinition([D(6, 25), D(6, 25)], [D(6, 29), D(9, 27)]), errors, "workingCalendar");
        var error = Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
        Assert.Equal(["workingCalendar.holidays[1]", "workingCalendar.makeUpWorkingDays[0]"], error.Errors.Keys.Order());
        Assert.Contains("Monday", error.Errors["workingCalendar.makeUpWorkingDays[0]"][0]);
    }

    [Fact]
    public void The_definition_round_trips_through_the_summit_json()
    {
        var json = JsonSerializer.Serialize(WorkingCalendar.China2020Definition, SummitJson.Options);
        Assert.Contains("\"makeUpWorkingDays\":[\"2020-01-19\"", json);
        var back = JsonSerializer.Deserialize<WorkingCalendarDefinition>(json, SummitJson.Options)!;
        var calendar = new WorkingCalendar(back);
        Assert.Equal(China.Definition.Holidays, calendar.Definition.Holidays);
        Assert.True(calendar.IsWorkingDay(D(10, 10)));
        Assert.False(calendar.IsWorkingDay(D(10, 8)));
    }

    private static LocalDate Parse(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;
    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;
}
