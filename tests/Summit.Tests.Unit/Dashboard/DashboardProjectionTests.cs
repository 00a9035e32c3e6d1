using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains.Progress;
using Summit.Progress;
using static Summit.Tests.Dashboard.DashboardData;

namespace Summit.Tests.Dashboard;

/// <summary>The dashboard projection on its own: events in, snapshots and patches out, time passed in.</summary>
public sealed class DashboardProjectionTests
{
    [Fact]
    public void A_snapshot_counts_and_lists_the_tasks_as_of_the_time_passed_in()
    {
        var projection = Rebuilt();

        var snapshot = projection.Snapshot(DashboardScope.Summit, Now);

        Assert.Equal(Now, snapshot.GeneratedAt);
        Assert.Equal(10, snapshot.Seq);
        Assert.Equal(BaseRevision + 1, snapshot.Revision);
        Assert.Equal(new TaskTotals(4, 3, 1, 0, 0, 1, 1), snapshot.Tasks);
        Assert.Equal(["t1"], snapshot.Overdue.Items.Select(t => t.Id));
        Assert.Equal(["t2"], snapshot.DueThisWeek.Items.Select(t => t.Id));
        Assert.Equal("ouhai", Assert.Single(snapshot.Counties).County);
        Assert.Null(snapshot.Overall);
    }

    [Fact]
    public void An_event_moves_its_task_and_an_older_version_changes_nothing()
    {
        var projection = Rebuilt();
        var done = PrepTask("t2", Ouhai, WorkStatus.Done, D(6, 18), version: 2);

        projection.Apply(Event(11, 10, done), projection.NextRevision());
        projection.Apply(Event(12, 11, PrepTask("t2", Ouhai, WorkStatus.NotStarted, D(6, 18))), projection.NextRevision());

        var snapshot = projection.Snapshot(DashboardScope.County("ouhai"), Now);
        Assert.Equal(12, snapshot.Seq);
        Assert.Equal(new TaskTotals(4, 2, 2, 0, 0, 1, 0), snapshot.Tasks);
        Assert.Empty(snapshot.DueThisWeek.Items);
        Assert.Equal([12L, 11L], snapshot.Activity.Select(e => e.Seq));
        Assert.All(snapshot.Activity, e => Assert.Null(e.Entity));
    }

    [Fact]
    public void Events_after_a_gap_are_told_apart_from_the_next_one()
    {
        var projection = Rebuilt();
        var task = PrepTask("t2", Ouhai, WorkStatus.Done, D(6, 18), version: 2);

        Assert.False(projection.MissedBefore(Event(11, 10, task)));
        Assert.True(projection.MissedBefore(Event(13, 12, task)));
        Assert.False(projection.MissedBefore(Event(9, 8, task)));
    }

    [Fact]
    public void A_patch_holds_only_what_changed_after_the_revision()
    {
        var projection = Rebuilt();
        var seen = projection.Revision;
        Assert.Null(projection.Patch(DashboardScope.Summit, seen));

        projection.Apply(Event(11, 10, PrepTask("t3", Ouhai, WorkStatus.InProgress, D(7, 30), version: 2)), projection.NextRevision());

        var patch = projection.Patch(DashboardScope.Summit, seen);
        Assert.NotNull(patch);
        Assert.Equal(projection.Revision, patch.Revision);
        Assert.NotNull(patch.Tasks);
        Assert.Null(patch.Edition);
        Assert.Null(patch.Funnel);
        // Ouhai's tasks changed, so its row did too.
        Assert.Equal("ouhai", Assert.Single(patch.Counties!).County);
    }

    [Fact]
    public void A_revision_from_an_earlier_projection_gets_everything()
    {
        var projection = Rebuilt();

        var patch = projection.Patch(DashboardScope.Summit, BaseRevision - 5);

        Assert.NotNull(patch);
        Assert.NotNull(patch.Edition);
        Assert.NotNull(patch.Tasks);
        Assert.NotNull(patch.Funnel);
        Assert.NotNull(patch.Overdue);
    }

    [Fact]
    public void Time_passing_a_due_moment_moves_the_task_to_overdue()
    {
        var projection = Rebuilt();
        var before = projection.Revision;

        // Nothing falls due within the next hour.
        Assert.False(projection.AdvanceClock(Now + Duration.FromHours(1)));
        Assert.Equal(before, projection.Revision);
        // t2 is due by the end of 18 June in Wenzhou.
        Assert.True(projection.AdvanceClock(Instant.FromUtc(2020, 6, 18, 16, 0)));

        var snapshot = projection.Snapshot(DashboardScope.Summit, Instant.FromUtc(2020, 6, 18, 16, 0));
        Assert.Equal(["t1", "t2"], snapshot.Overdue.Items.Select(t => t.Id));
        Assert.True(projection.Revision > before);
    }

    [Fact]
    public void Readiness_is_scored_from_a_copy_as_of_the_time_passed_in()
    {
        var projection = Rebuilt();
        var work = projection.BeginReadiness(force: false, schedule: null, Now);
        Assert.NotNull(work);
        // Nothing is stale once the copy is taken.
        Assert.Null(projection.BeginReadiness(force: false, schedule: null, Now));

        work.Score();
        Assert.True(projection.CompleteReadiness(work));

        var snapshot = projection.Snapshot(DashboardScope.Summit, Now);
        Assert.NotNull(snapshot.Overall);
        Assert.Equal(Now, snapshot.ReadinessAsOf);
        Assert.NotNull(Assert.Single(snapshot.Counties).Readiness);

        projection.Apply(Event(11, 10, PrepTask("t3", Ouhai, WorkStatus.InProgress, D(7, 30), version: 2)), projection.NextRevision());
        Assert.NotNull(projection.BeginReadiness(force: false, schedule: null, Now));
    }

    [Fact]
    public void Scores_that_come_out_the_same_change_no_revision()
    {
        var projection = Scored();
        var revision = projection.Revision;

        var again = projection.BeginReadiness(force: true, schedule: null, Now)!;
        again.Score();

        Assert.False(projection.CompleteReadiness(again));
        Assert.Equal(revision, projection.Revision);
    }

    [Fact]
    public void The_schedule_is_held_and_cut_to_each_scope()
    {
        var projection = Rebuilt();
        var summary = Summary(revision: 7);

        Assert.True(projection.ApplySchedule(summary));
        Assert.False(projection.ApplySchedule(summary));

        Assert.Equal(7, projection.ScheduleSummaryRevision);
        var summit = projection.Snapshot(DashboardScope.Summit, Now).Schedule!;
        Assert.Null(summit.NegativeSlack);
        Assert.Equal(2, summit.Counties.Count);
        var county = projection.Snapshot(DashboardScope.County("ouhai"), Now).Schedule!;
        Assert.Equal("ouhai", Assert.Single(county.Counties).Key);
        Assert.Equal(["t1"], county.CriticalTasks.Select(t => t.Id));
    }

    [Fact]
    public void New_negative_slack_makes_every_score_stale()
    {
        var projection = Scored();

        var work = projection.BeginReadiness(force: false, Summary(revision: 8, negativeSlack: ["t3"]), Now);

        Assert.NotNull(work);
        Assert.True(work.ComputeOverall);
        Assert.Equal(["t3"], work.Signals.NegativeSlack!);
    }

    private static DashboardProjection Scored()
    {
        var projection = Rebuilt();
        var work = projection.BeginReadiness(force: true, schedule: null, Now)!;
        work.Score();
        projection.CompleteReadiness(work);
        return projection;
    }

    private static ScheduleSummary Summary(long revision, IReadOnlyList<string>? negativeSlack = null) => new(
        revision, Now, D(6, 15), Edition.OpeningDate, D(11, 10), D(11, 20), false, 3, negativeSlack?.Count ?? 0, 2,
        [
            new CriticalTask("t1", "t1", Ouhai, new Deadline(D(6, 12)), D(6, 20), -8),
            new CriticalTask("x", "x", OwningUnit.County("lucheng"), new Deadline(D(6, 30)), D(6, 30), 0),
        ],
        [new ScheduleRollup("ouhai", 3, D(11, 10), -8), new ScheduleRollup("lucheng", 1, D(6, 30), 0)],
        [],
        negativeSlack);
}
