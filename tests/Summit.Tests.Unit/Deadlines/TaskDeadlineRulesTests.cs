using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Rules;
using Summit.Scheduling;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Deadlines;

/// <summary>The task rules the deadline engine adds: remaining work, "due in N working days", and Done after prerequisites.</summary>
public class TaskDeadlineRulesTests
{
    private static readonly TaskDraft Draft = new(
        "会场 venue", TaskCategory.Venue, OwningUnit.County("pingyang"), new Deadline(June(30)), DependsOn: ["t-plan"]);

    private static PreparationTask Create(TaskDraft? draft = null) =>
        TaskRules.Create("wyss-2020", "t-1", draft ?? Draft, Edition, Secretariat, Now).Entity;

    [Fact]
    public void Remaining_days_default_to_one_until_estimated_and_to_zero_when_closed()
    {
        var task = Create();
        Assert.Null(task.RemainingDays);
        Assert.Equal(PreparationTask.DefaultRemainingDays, task.EstimatedRemainingDays());
        Assert.Equal(0, (task with { PercentComplete = 100 }).EstimatedRemainingDays());
        Assert.Equal(5, (task with { RemainingDays = 5 }).EstimatedRemainingDays());
        Assert.Equal(0, (task with { RemainingDays = 5, Status = WorkStatus.Done }).EstimatedRemainingDays());
        Assert.Equal(0, (task with { RemainingDays = 5, SetAside = true }).EstimatedRemainingDays());
    }

    [Fact]
    public void Remaining_days_and_sub_forum_are_checked_and_kept_in_history()
    {
        Invalid(() => Create(Draft with { RemainingDays = -1 }), "remainingDays");
        Invalid(() => Create(Draft with { RemainingDays = 1001 }), "remainingDays");
        Invalid(() => Create(Draft with { SubForum = "Not A Code" }), "subForum");

        var created = TaskRules.Create("wyss-2020", "t-1", Draft with { RemainingDays = 4, SubForum = "health" }, Edition, Secretariat, Now);
        Assert.Equal((4, "health"), (created.Entity.RemainingDays, created.Entity.SubForum));
        Assert.Contains(new FieldChange("remainingDays", null, "4"), created.Changes);
        Assert.Contains(new FieldChange("subForum", null, "health"), created.Changes);

        var changed = TaskRules.Apply(created.Entity, new TaskChange { RemainingDays = 2, SubForum = "" }, Edition, Pingyang, Later);
        Assert.Equal((2, (string?)null), (changed.Entity.RemainingDays, changed.Entity.SubForum));
        Assert.Equal([new FieldChange("remainingDays", "4", "2"), new FieldChange("subForum", "health", null)], changed.Changes);
        Invalid(() => TaskRules.Apply(created.Entity, new TaskChange { RemainingDays = 1001 }, Edition, Pingyang, Later), "remainingDays");
    }

    [Fact]
    public void Due_in_working_days_counts_from_the_summit_clocks_today_on_the_given_calendar()
    {
        // 24 June 2020, 23:30 in Wenzhou (15:30 UTC): today is still the 24th there.
        var lateEvening = Instant.FromUtc(2020, 6, 24, 15, 30);
        var draft = Draft with { Due = null!, DueInWorkingDays = 1 };

        Assert.Equal(new Deadline(new LocalDate(2020, 6, 28)),
            TaskRules.Create("wyss-2020", "t-1", draft, Edition, Secretariat, lateEvening).Entity.Due);
        Assert.Equal(new Deadline(new LocalDate(2020, 6, 25)),
            TaskRules.Create("wyss-2020", "t-1", draft, Edition, Secretariat, lateEvening, calendar: WorkingCalendar.WeekendsOnly).Entity.Due);
        // Tuesday 23 June, 23:30 in Wenzhou: tomorrow; an hour later it is the 24th there (still the 23rd in UTC).
        var tuesdayNight = Instant.FromUtc(2020, 6, 23, 15, 30);
        Assert.Equal(new Deadline(new LocalDate(2020, 6, 24)),
            TaskRules.Create("wyss-2020", "t-1", draft, Edition, Secretariat, tuesdayNight).Entity.Due);
        Assert.Equal(new Deadline(new LocalDate(2020, 6, 28)),
            TaskRules.Create("wyss-2020", "t-1", draft, Edition, Secretariat, tuesdayNight + Duration.FromHours(1)).Entity.Due);

        Invalid(() => Create(draft with { DueInWorkingDays = 0 }), "dueInWorkingDays");
        Invalid(() => Create(draft with { DueInWorkingDays = 501 }), "dueInWorkingDays");
        Invalid(() => Create(draft with { Due = new Deadline(June(30)) }), "dueInWorkingDays");
        var outside = Invalid(() => Create(draft with { DueInWorkingDays = 200 }), "dueInWorkingDays");
        Assert.Contains("2020-11-19", Message(outside, "dueInWorkingDays"));
    }

    [Fact]
    public void Done_waits_for_open_prerequisites_unless_the_secretariat_overrides_with_a_note()
    {
        var task = Create();
        string[] open = ["t-plan", "t-approval"];
        var done = new TaskChange(Status: WorkStatus.Done);
        var overriding = done with { Note = "Approved on site.", OverrideOpenPrerequisites = true };

        var refused = Invalid(() => TaskRules.Apply(task, done, Edition, Pingyang, Later, openPrerequisites: open), "status");
        Assert.Contains("t-approval, t-plan", Message(refused, "status"));
        Invalid(() => TaskRules.Apply(task, done, Edition, Secretariat, Later, openPrerequisites: open), "status");
        Invalid(() => TaskRules.Apply(task, overriding, Edition, Pingyang, Later, openPrerequisites: open), "overrideOpenPrerequisites");
        Invalid(() => TaskRules.Apply(task, overriding with { Note = " " }, Edition, Secretariat, Later, openPrerequisites: open), "note");

        Assert.Equal(WorkStatus.Done, TaskRules.Apply(task, overriding, Edition, Secretariat, Later, openPrerequisites: open).Entity.Status);
        Assert.Equal(WorkStatus.Done, TaskRules.Apply(task, done, Edition, Pingyang, Later, openPrerequisites: []).Entity.Status);
        // The platform's own replays (demo seeding) are not held to the order in which prerequisites close.
        Assert.Equal(WorkStatus.Done, TaskRules.Apply(task, done, Edition, Actor.System("seed"), Later, openPrerequisites: open).Entity.Status);
        // A task that is already done is not judged again.
        var finished = TaskRules.Apply(task, done, Edition, Secretariat, Later).Entity;
        Assert.False(TaskRules.Apply(finished, done, Edition, Pingyang, Later, openPrerequisites: open).IsNewVersion);
    }

    [Fact]
    public void Due_lists_classify_by_the_summits_settings_and_skip_work_set_aside()
    {
        var due = DeadlineSettings.Default.DueStates(Edition.Zone);
        var task = Create(Draft with { Due = new Deadline(June(11)) });
        // 10 June, 09:00 in Wenzhou: one day ahead.
        Assert.True(DueLists.Matches(DueFilter.Soon, DueLists.Classify(due, task, Now)));
        Assert.False(DueLists.Matches(DueFilter.Today, DueLists.Classify(due, task, Now)));
        Assert.True(DueLists.Matches(DueFilter.Today, DueLists.Classify(due, task, Now + Duration.FromDays(1))));
        Assert.True(DueLists.Matches(DueFilter.Overdue, DueLists.Classify(due, task, Now + Duration.FromDays(2))));
        Assert.Equal(DueKind.None, DueLists.Classify(due, task with { SetAside = true }, Now + Duration.FromDays(2)).Kind);

        var errors = new FieldErrors();
        Assert.Equal(DueFilter.Overdue, DueLists.Parse(errors, "due", "Overdue"));
        Assert.Null(DueLists.Parse(errors, "due", "late"));
        Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
    }
}

/// <summary>The deadline engine's stored state comes back from Summit's JSON exactly as it went in.</summary>
public class DeadlineStateJsonTests
{
    [Fact]
    public void Deadline_state_round_trips()
    {
        var at = Instant.FromUtc(2020, 6, 12, 16, 0);
        var record = new DueAnnouncementRecord("t-1", DueKind.DueSoon, 3, new Deadline(new LocalDate(2020, 6, 15), new LocalTime(17, 30)), at, at + Duration.FromMinutes(5));
        var state = new Summit.Grains.Deadlines.DeadlineState
        {
            Calendar = new WorkingCalendarDefinition([new LocalDate(2020, 6, 25)], [new LocalDate(2020, 6, 28)], "test"),
            Reminders = new DueOptions([3, 1], new LocalTime(9, 0)),
            LeadsInWorkingDays = true,
            Version = 2,
            UpdatedAt = at,
            UpdatedBy = "secretariat",
            LastReconciledAt = at,
        };

        var json = System.Text.Json.JsonSerializer.Serialize(state, Summit.Serialization.SummitJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<Summit.Grains.Deadlines.DeadlineState>(json, Summit.Serialization.SummitJson.Options);

        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, Summit.Serialization.SummitJson.Options));
        Assert.Equal(at, back!.LastReconciledAt);

        // Announcements are rows of the announcement store now, in the same JSON shape the migration reads.
        var recordJson = System.Text.Json.JsonSerializer.Serialize(record, Summit.Serialization.SummitJson.Options);
        Assert.Contains("\"kind\":\"dueSoon\"", recordJson);
        Assert.Equal(record, System.Text.Json.JsonSerializer.Deserialize<DueAnnouncementRecord>(recordJson, Summit.Serialization.SummitJson.Options));

        // A state stored by an earlier version, with its announcement lists, still reads: the lists are ignored.
        var old = json.Insert(json.Length - 1, $",\"announced\":[{recordJson}],\"undelivered\":[{recordJson}]");
        var fromOld = System.Text.Json.JsonSerializer.Deserialize<Summit.Grains.Deadlines.DeadlineState>(old, Summit.Serialization.SummitJson.Options);
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(fromOld, Summit.Serialization.SummitJson.Options));
    }
}
