using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class TaskRulesTests
{
    private static readonly TaskDraft Draft = new(
        "疫情防控方案 epidemic prevention plan", TaskCategory.EpidemicPrevention, OwningUnit.Department("office"),
        new Deadline(June(15)), Assignee: "Chen", DependsOn: ["t-approval"]);

    private static PreparationTask Create(TaskDraft? draft = null) =>
        TaskRules.Create("wyss-2020", "t-1", draft ?? Draft, Edition, Secretariat, Now).Entity;

    private static ChangeResult<PreparationTask> Apply(PreparationTask task, TaskChange change) =>
        TaskRules.Apply(task, change, Edition, Pingyang, Later);

    [Fact]
    public void Create_starts_not_started_at_version_one()
    {
        var result = TaskRules.Create("wyss-2020", "t-1", Draft with { Title = "  Budget  ", Assignee = " " }, Edition, Secretariat, Now);
        var task = result.Entity;

        Assert.Equal(("wyss-2020", "t-1", 1), (task.Summit, task.Id, task.Version));
        Assert.Equal((WorkStatus.NotStarted, 0), (task.Status, task.PercentComplete));
        Assert.Equal("Budget", task.Title);
        Assert.Null(task.Assignee);
        Assert.Equal((Now, Now, "secretariat"), (task.CreatedAt, task.UpdatedAt, task.UpdatedBy));
        Assert.Contains(new FieldChange("dueDate", null, "2020-06-15"), result.Changes);
        Assert.Contains(new FieldChange("dependsOn", null, "t-approval"), result.Changes);
        Assert.DoesNotContain(result.Changes, c => c.Field == "assignee");
    }

    [Fact]
    public void Text_fields_are_required_and_bounded()
    {
        Invalid(() => Create(Draft with { Title = "" }), "title");
        Invalid(() => Create(Draft with { Title = null! }), "title");
        Invalid(() => Create(Draft with { Title = new string('x', 201) }), "title");
        Invalid(() => Create(Draft with { Assignee = new string('x', 101) }), "assignee");
        Invalid(() => Create(Draft with { Note = new string('x', 2001) }), "note");
        Create(Draft with { Title = new string('x', 200), Assignee = new string('x', 100), Note = "line\nbreak" });
    }

    [Fact]
    public void Id_must_be_a_code() => Invalid(() => TaskRules.Create("wyss-2020", "T 1", Draft, Edition, Secretariat, Now), "id");

    [Fact]
    public void Enums_and_owner_are_checked()
    {
        Invalid(() => Create(Draft with { Category = (TaskCategory)99 }), "category");
        Invalid(() => Create(Draft with { Owner = null! }), "owner");
        Invalid(() => Create(Draft with { Owner = new OwningUnit((UnitKind)7, "office") }), "owner.kind");
        Invalid(() => Create(Draft with { Owner = OwningUnit.County("Ping Yang") }), "owner.code");
        var error = Invalid(() => Apply(Create(), new TaskChange(Status: (WorkStatus)77)), "status");
        Assert.Contains("not a known value", Message(error, "status"));
    }

    [Theory]
    [InlineData(2020, 3, 31)]
    [InlineData(2020, 11, 20)]
    public void Due_date_must_be_inside_the_preparation_window(int year, int month, int day)
    {
        var error = Invalid(() => Create(Draft with { Due = new Deadline(new LocalDate(year, month, day)) }), "dueDate");
        Assert.Contains("2020-04-01 and 2020-11-19", Message(error, "dueDate"));
    }

    [Fact]
    public void Due_date_is_required_and_window_edges_are_inside()
    {
        Invalid(() => Create(Draft with { Due = null! }), "dueDate");
        Create(Draft with { Due = new Deadline(new LocalDate(2020, 4, 1)) });
        Create(Draft with { Due = new Deadline(new LocalDate(2020, 11, 19), new LocalTime(17, 0)) });
    }

    [Fact]
    public void Dependencies_are_bounded_well_formed_distinct_and_not_self()
    {
        Invalid(() => Create(Draft with { DependsOn = Enumerable.Range(0, 51).Select(i => $"t-{i + 10}").ToArray() }), "dependsOn");
        Invalid(() => Create(Draft with { DependsOn = ["t-2", "Not A Code"] }), "dependsOn[1]");
        var repeated = Invalid(() => Create(Draft with { DependsOn = ["t-2", "t-3", "t-2"] }), "dependsOn");
        Assert.Contains("'t-2'", Message(repeated, "dependsOn"));
        var self = Invalid(() => Create(Draft with { DependsOn = ["t-2", "t-1"] }), "dependsOn[1]");
        Assert.Contains("itself", Message(self, "dependsOn[1]"));
        Create(Draft with { DependsOn = Enumerable.Range(0, 50).Select(i => $"t-{i + 10}").ToArray() });
    }

    [Fact]
    public void Errors_found_by_the_caller_are_reported_with_the_rules_errors()
    {
        var found = new FieldErrors().Add("dependsOn[0]", "task 't-approval' does not exist.");
        var error = Assert.Throws<DomainValidationException>(() =>
            TaskRules.Create("wyss-2020", "t-1", Draft with { Title = "" }, Edition, Secretariat, Now, found));
        Assert.Equal(["dependsOn[0]", "title"], error.Errors.Keys.Order());
    }

    [Fact]
    public void Change_bumps_version_by_one_and_lists_what_changed()
    {
        var task = Create();
        var result = Apply(task, new TaskChange(Status: WorkStatus.InProgress, PercentComplete: 40, Due: new Deadline(June(20), new LocalTime(17, 30))));

        Assert.True(result.IsNewVersion);
        Assert.Equal(2, result.Entity.Version);
        Assert.Equal((Later, "county-pingyang"), (result.Entity.UpdatedAt, result.Entity.UpdatedBy));
        Assert.Equal(Now, result.Entity.CreatedAt);
        Assert.Equal(
            [
                new FieldChange("dueDate", "2020-06-15", "2020-06-20 17:30"),
                new FieldChange("status", "NotStarted", "InProgress"),
                new FieldChange("percentComplete", "0", "40"),
            ],
            result.Changes);
    }

    [Fact]
    public void Done_without_a_percentage_sets_100()
    {
        var result = Apply(Create(), new TaskChange(Status: WorkStatus.Done));
        Assert.Equal((WorkStatus.Done, 100), (result.Entity.Status, result.Entity.PercentComplete));
        Assert.Contains(new FieldChange("percentComplete", "0", "100"), result.Changes);
    }

    [Fact]
    public void Done_with_less_than_100_percent_is_refused()
    {
        Invalid(() => Apply(Create(), new TaskChange(Status: WorkStatus.Done, PercentComplete: 80)), "percentComplete");
        Apply(Create(), new TaskChange(Status: WorkStatus.Done, PercentComplete: 100));
    }

    [Fact]
    public void A_done_task_keeps_100_percent_until_reopened()
    {
        var done = Apply(Create(), new TaskChange(Status: WorkStatus.Done)).Entity;
        Invalid(() => Apply(done, new TaskChange(PercentComplete: 60)), "percentComplete");
        var reopened = Apply(done, new TaskChange(Status: WorkStatus.InProgress, PercentComplete: 60)).Entity;
        Assert.Equal((WorkStatus.InProgress, 60), (reopened.Status, reopened.PercentComplete));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Percent_is_0_to_100(int percent) => Invalid(() => Apply(Create(), new TaskChange(PercentComplete: percent)), "percentComplete");

    [Fact]
    public void Status_moves_follow_the_pipeline()
    {
        var blocked = Apply(Create(), new TaskChange(Status: WorkStatus.Blocked)).Entity;
        var error = Invalid(() => Apply(blocked, new TaskChange(Status: WorkStatus.Done)), "status");
        Assert.Contains("cannot move from Blocked to Done", Message(error, "status"));
    }

    [Fact]
    public void Blank_assignee_clears_it()
    {
        var result = Apply(Create(), new TaskChange(Assignee: ""));
        Assert.Null(result.Entity.Assignee);
        Assert.Equal([new FieldChange("assignee", "Chen", null)], result.Changes);
    }

    [Fact]
    public void A_change_that_changes_nothing_is_not_a_new_version()
    {
        var task = Create();
        var result = Apply(task, new TaskChange(Title: $" {task.Title} ", Status: WorkStatus.NotStarted, DependsOn: ["t-approval"]));

        Assert.False(result.IsNewVersion);
        Assert.Same(task, result.Entity);
    }

    [Fact]
    public void A_note_alone_is_a_new_version_without_field_changes()
    {
        var result = Apply(Create(), new TaskChange(Note: "Checked at the coordination meeting: on track."));
        Assert.True(result.IsNewVersion);
        Assert.Equal(2, result.Entity.Version);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Due_dates_are_checked_against_the_window_only_when_they_change()
    {
        var task = Create();
        var moved = Edition with { PreparationStart = new LocalDate(2020, 7, 1) };

        Invalid(() => TaskRules.Apply(task, new TaskChange(Due: new Deadline(June(16))), moved, Secretariat, Later), "dueDate");
        var result = TaskRules.Apply(task, new TaskChange(Due: task.Due, Title: "Epidemic prevention plan"), moved, Secretariat, Later);
        Assert.True(result.IsNewVersion);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            Apply(Create(), new TaskChange(Title: "", PercentComplete: 150, Due: new Deadline(new LocalDate(2021, 1, 1)), DependsOn: ["t-1"])));
        Assert.Equal(["dependsOn[0]", "dueDate", "percentComplete", "title"], error.Errors.Keys.Order());
    }
}
