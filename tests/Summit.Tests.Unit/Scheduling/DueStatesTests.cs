using NodaTime;
using NodaTime.Testing;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Tests.Scheduling;

public sealed class DueStatesTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly DueStates Due = new(Shanghai);

    // Due date 12 June 2020: end of that day in Shanghai is 16:00 UTC.
    private static readonly Deadline June12 = new(new LocalDate(2020, 6, 12));

    private static Instant Utc(int month, int day, int hour, int minute = 0, int second = 0) =>
        Instant.FromUtc(2020, month, day, hour, minute, second);

    [Fact]
    public void A_due_date_becomes_overdue_at_the_end_of_that_day_in_Shanghai()
    {
        var clock = new FakeClock(Utc(6, 12, 15, 59, 59));
        Assert.Equal(DueKind.DueToday, Due.Classify(June12, WorkStatus.InProgress, clock.GetCurrentInstant()).Kind);

        clock.Advance(Duration.FromSeconds(1));
        var state = Due.Classify(June12, WorkStatus.InProgress, clock.GetCurrentInstant());
        Assert.Equal(new DueState(DueKind.Overdue, null, Instant.FromUtc(2020, 6, 12, 16, 0)), state);
        Assert.Equal(Utc(6, 12, 16), June12.DueInstant(Shanghai));
    }

    [Fact]
    public void States_change_at_09_00_local_on_the_lead_days_and_the_due_day()
    {
        var clock = new FakeClock(Utc(6, 9, 0, 59, 59));
        DueState Now() => Due.Classify(June12, WorkStatus.NotStarted, clock.GetCurrentInstant());

        Assert.Equal(DueState.None, Now());
        clock.Advance(Duration.FromSeconds(1)); // 2020-06-09 09:00 +08
        Assert.Equal(new DueState(DueKind.DueSoon, 3, Utc(6, 9, 1)), Now());

        clock.Reset(Utc(6, 11, 0, 59, 59));
        Assert.Equal(new DueState(DueKind.DueSoon, 3, Utc(6, 9, 1)), Now());
        clock.Advance(Duration.FromSeconds(1)); // 2020-06-11 09:00 +08
        Assert.Equal(new DueState(DueKind.DueSoon, 1, Utc(6, 11, 1)), Now());

        clock.Reset(Utc(6, 12, 0, 59, 59));
        Assert.Equal(DueKind.DueSoon, Now().Kind);
        clock.Advance(Duration.FromSeconds(1)); // 2020-06-12 09:00 +08
        Assert.Equal(new DueState(DueKind.DueToday, null, Utc(6, 12, 1)), Now());

        Assert.Equal(
            [
                new DueMoment(DueKind.DueSoon, 3, Utc(6, 9, 1)),
                new DueMoment(DueKind.DueSoon, 1, Utc(6, 11, 1)),
                new DueMoment(DueKind.DueToday, null, Utc(6, 12, 1)),
                new DueMoment(DueKind.Overdue, null, Utc(6, 12, 16)),
            ],
            Due.Moments(June12));
    }

    [Fact]
    public void A_timed_deadline_is_overdue_at_its_time()
    {
        var deadline = new Deadline(new LocalDate(2020, 6, 12), new LocalTime(17, 30));
        Assert.Equal(Utc(6, 12, 9, 30), Due.DueInstant(deadline));
        Assert.Equal(DueKind.DueToday, Due.Classify(deadline, WorkStatus.InProgress, Utc(6, 12, 9, 29, 59)).Kind);
        Assert.Equal(DueKind.Overdue, Due.Classify(deadline, WorkStatus.InProgress, Utc(6, 12, 9, 30)).Kind);
        Assert.Equal(Utc(6, 12, 1), Due.Moments(deadline).Single(m => m.Kind == DueKind.DueToday).At);
    }

    [Fact]
    public void A_deadline_at_or_before_09_00_is_due_today_from_the_start_of_its_day()
    {
        var early = new Deadline(new LocalDate(2020, 6, 12), new LocalTime(8, 30));
        Assert.Equal(
            [
                new DueMoment(DueKind.DueSoon, 3, Utc(6, 9, 1)),
                new DueMoment(DueKind.DueSoon, 1, Utc(6, 11, 1)),
                new DueMoment(DueKind.DueToday, null, Utc(6, 11, 16)),  // 2020-06-12 00:00 +08
                new DueMoment(DueKind.Overdue, null, Utc(6, 12, 0, 30)),
            ],
            Due.Moments(early));
        Assert.Equal(DueKind.DueToday, Due.Classify(early, WorkStatus.NotStarted, Utc(6, 11, 23)).Kind);

        // At midnight it is overdue the moment the day starts: no due-today state at all.
        var midnight = new Deadline(new LocalDate(2020, 6, 12), LocalTime.Midnight);
        Assert.DoesNotContain(Due.Moments(midnight), m => m.Kind == DueKind.DueToday);
        Assert.Equal(DueKind.Overdue, Due.Classify(midnight, WorkStatus.NotStarted, Utc(6, 11, 16)).Kind);
    }

    [Fact]
    public void Done_and_cancelled_tasks_are_never_due_and_announce_nothing()
    {
        var late = Utc(6, 20, 0);
        foreach (var status in new[] { WorkStatus.Done, WorkStatus.Cancelled })
        {
            Assert.Equal(DueState.None, Due.Classify(June12, status, late));
            Assert.Empty(Due.Reconcile(June12, status, [], late));
            Assert.Null(Due.NextChange(June12, status, Utc(6, 1, 0)));
        }
        Assert.Equal(DueKind.Overdue, Due.Classify(June12, WorkStatus.Blocked, late).Kind);
    }

    [Fact]
    public void Lead_times_and_announcement_time_are_configurable()
    {
        var due = new DueStates(Shanghai, new DueOptions([7, 2], new LocalTime(8, 0)));
        Assert.Equal(
            [Utc(6, 5, 0), Utc(6, 10, 0), Utc(6, 12, 0), Utc(6, 12, 16)],
            due.Moments(June12).Select(m => m.At));
        Assert.Equal(new DueState(DueKind.DueSoon, 7, Utc(6, 5, 0)), due.Classify(June12, WorkStatus.NotStarted, Utc(6, 9, 0)));
    }

    [Fact]
    public void Lead_days_can_count_working_days()
    {
        // Due Monday 29 June 2020; one working day before is the make-up Sunday 28 June, three are back to Tuesday 23 June.
        var due = new DueStates(Shanghai, leadCalendar: WorkingCalendar.China2020);
        var moments = due.Moments(new Deadline(new LocalDate(2020, 6, 29)));
        Assert.Equal(Utc(6, 23, 1), moments[0].At);
        Assert.Equal(Utc(6, 28, 1), moments[1].At);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        var error = Assert.Throws<DomainValidationException>(() => new DueStates(Shanghai, new DueOptions([3, 3, 0], new LocalTime(9, 0))));
        Assert.Equal(["reminders.leadDays[1]", "reminders.leadDays[2]"], error.Errors.Keys.Order());
    }

    [Fact]
    public void Next_change_tells_when_to_wake_up()
    {
        Assert.Equal(Utc(6, 9, 1), Due.NextChange(June12, WorkStatus.NotStarted, Utc(6, 1, 0)));
        Assert.Equal(Utc(6, 11, 1), Due.NextChange(June12, WorkStatus.NotStarted, Utc(6, 9, 1)));
        Assert.Equal(Utc(6, 12, 16), Due.NextChange(June12, WorkStatus.NotStarted, Utc(6, 12, 1)));
        Assert.Null(Due.NextChange(June12, WorkStatus.NotStarted, Utc(6, 12, 16)));
    }

    [Fact]
    public void Hourly_ticks_announce_each_state_once_at_its_moment()
    {
        var clock = new FakeClock(Utc(6, 7, 0));
        var made = new List<(DueAnnouncement Announcement, Instant MadeAt)>();
        while (clock.GetCurrentInstant() < Utc(6, 15, 0))
        {
            var now = clock.GetCurrentInstant();
            foreach (var a in Due.Reconcile(June12, WorkStatus.InProgress, made.Select(m => m.Announcement), now)) made.Add((a, now));
            // A repeated tick at the same instant changes nothing.
            Assert.Empty(Due.Reconcile(June12, WorkStatus.InProgress, made.Select(m => m.Announcement), now));
            clock.Advance(Duration.FromHours(1));
        }

        Assert.Equal(
            [
                (new DueAnnouncement(DueKind.DueSoon, 3, June12, Utc(6, 9, 1)), Utc(6, 9, 1)),
                (new DueAnnouncement(DueKind.DueSoon, 1, June12, Utc(6, 11, 1)), Utc(6, 11, 1)),
                (new DueAnnouncement(DueKind.DueToday, null, June12, Utc(6, 12, 1)), Utc(6, 12, 1)),
                (new DueAnnouncement(DueKind.Overdue, null, June12, Utc(6, 12, 16)), Utc(6, 12, 16)),
            ],
            made);
    }

    [Fact]
    public void After_an_outage_only_the_current_state_is_announced_once()
    {
        var clock = new FakeClock(Utc(6, 9, 2));
        var made = new List<DueAnnouncement>();
        made.AddRange(Due.Reconcile(June12, WorkStatus.InProgress, made, clock.GetCurrentInstant()));
        Assert.Equal([new DueAnnouncement(DueKind.DueSoon, 3, June12, Utc(6, 9, 1))], made);

        // The silo is down from 9 June until the morning after the deadline: "due in 1 day" and "due today" are stale.
        clock.Reset(Utc(6, 13, 3));
        var after = Due.Reconcile(June12, WorkStatus.InProgress, made, clock.GetCurrentInstant());
        Assert.Equal([new DueAnnouncement(DueKind.Overdue, null, June12, Utc(6, 12, 16))], after);
        made.AddRange(after);

        // Late, repeated and replayed ticks find nothing more to say.
        foreach (var tick in new[] { Utc(6, 13, 3), Utc(6, 13, 4), Utc(6, 20, 0) })
            Assert.Empty(Due.Reconcile(June12, WorkStatus.InProgress, made, tick));
        // Nor does a clock set back into an earlier state.
        Assert.Empty(Due.Reconcile(June12, WorkStatus.InProgress, made, Utc(6, 12, 2)));
    }

    [Fact]
    public void An_outage_that_ends_on_the_due_day_announces_due_today_and_later_overdue()
    {
        var made = new List<DueAnnouncement>(Due.Reconcile(June12, WorkStatus.InProgress, [], Utc(6, 9, 5)));
        var resumed = Due.Reconcile(June12, WorkStatus.InProgress, made, Utc(6, 12, 5));
        Assert.Equal([new DueAnnouncement(DueKind.DueToday, null, June12, Utc(6, 12, 1))], resumed);
        made.AddRange(resumed);
        Assert.Equal(DueKind.Overdue, Assert.Single(Due.Reconcile(June12, WorkStatus.InProgress, made, Utc(6, 12, 16))).Kind);
    }

    [Fact]
    public void A_new_deadline_starts_the_announcements_over()
    {
        var made = new List<DueAnnouncement>(Due.Reconcile(June12, WorkStatus.InProgress, [], Utc(6, 13, 0)));
        Assert.Equal(DueKind.Overdue, Assert.Single(made).Kind);

        var June20 = new Deadline(new LocalDate(2020, 6, 20));
        Assert.Empty(Due.Reconcile(June20, WorkStatus.InProgress, made, Utc(6, 13, 1)));
        var soon = Due.Reconcile(June20, WorkStatus.InProgress, made, Utc(6, 17, 1));
        Assert.Equal([new DueAnnouncement(DueKind.DueSoon, 3, June20, Utc(6, 17, 1))], soon);

        // Moving it back to the old date announces nothing twice: that deadline's overdue was already said.
        Assert.Empty(Due.Reconcile(June12, WorkStatus.InProgress, [.. made, .. soon], Utc(6, 17, 2)));
    }

    [Fact]
    public void A_task_created_inside_the_window_hears_only_its_current_state()
    {
        // Created at 10:00 on 11 June, due the next day: "due in 3 days" never applied to it.
        Assert.Equal(
            [new DueAnnouncement(DueKind.DueSoon, 1, June12, Utc(6, 11, 1))],
            Due.Reconcile(June12, WorkStatus.NotStarted, [], Utc(6, 11, 2)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Irregular_ticks_never_repeat_an_announcement_and_always_end_on_the_current_state(int seed)
    {
        var random = new Random(seed);
        var moments = Due.Moments(June12);
        var made = new List<DueAnnouncement>();
        var clock = new FakeClock(Utc(6, 6, 0));
        while (clock.GetCurrentInstant() < Utc(6, 14, 0))
        {
            // Gaps from a minute to two days, sometimes a repeat of the same instant.
            clock.Advance(Duration.FromMinutes(random.Next(4) == 0 ? 0 : random.Next(1, 2 * 24 * 60)));
            var now = clock.GetCurrentInstant();
            made.AddRange(Due.Reconcile(June12, WorkStatus.InProgress, made, now));

            var state = Due.Classify(June12, WorkStatus.InProgress, now);
            if (state.Kind != DueKind.None)
            {
                // What is current has been said, exactly once, and it was the last thing said.
                Assert.Equal((state.Kind, state.LeadDays), (made[^1].Kind, made[^1].LeadDays));
                Assert.Equal(made.Count, made.Select(a => (a.Kind, a.LeadDays)).Distinct().Count());
                // Announcements only ever get more urgent.
                var order = made.Select(a => moments.ToList().FindIndex(m => m.Kind == a.Kind && m.LeadDays == a.LeadDays)).ToList();
                Assert.Equal(order.Order(), order);
            }
            else Assert.Empty(made);
        }
        Assert.Equal(DueKind.Overdue, made[^1].Kind);
    }

    [Fact]
    public void Works_from_a_preparation_task()
    {
        var task = new PreparationTask(
            "wyss-2020", "epidemic-plan", "制定峰会疫情防控方案", TaskCategory.EpidemicPrevention, OwningUnit.Department("logistics"),
            null, new Deadline(new LocalDate(2020, 6, 30)), WorkStatus.InProgress, 40, true, [], 1, Utc(4, 1, 0), Utc(4, 1, 0), "secretariat");
        var due = DueStates.For(new SummitEdition(
            "wyss-2020", "世界青年科学家峰会", "温州", new LocalDate(2020, 10, 18), new LocalDate(2020, 10, 19), "Asia/Shanghai",
            SummitMode.Hybrid, SummitTargets.Wyss2020, new LocalDate(2020, 4, 1), 1, Utc(4, 1, 0), "secretariat"));

        Assert.Equal(DueKind.Overdue, due.Classify(task, Utc(6, 30, 16)).Kind);
        Assert.Equal(DueKind.DueToday, due.Classify(task, Utc(6, 30, 15)).Kind);
        Assert.Equal(DueKind.None, due.Classify(task with { Status = WorkStatus.Done }, Utc(6, 30, 16)).Kind);
        Assert.Equal(DueKind.Overdue, Assert.Single(due.Reconcile(task, [], Utc(7, 1, 0))).Kind);
    }
}
