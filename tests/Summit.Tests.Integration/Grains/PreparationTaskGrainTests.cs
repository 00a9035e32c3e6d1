using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class PreparationTaskGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    private static TaskDraft Draft(string title = "会务保障 logistics and services", params string[] dependsOn) => new(
        title, TaskCategory.Logistics, OwningUnit.Department("office"), new Deadline(new LocalDate(2020, 6, 30)),
        Assignee: "Chen", DependsOn: dependsOn);

    private IPreparationTaskGrain TaskGrain(SummitEdition summit, string id) =>
        fixture.Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit.Code, id));

    [Fact]
    public async Task Create_get_change_with_versions_and_history()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = TaskGrain(summit, "t-logistics");
        var t0 = fixture.Clock.GetCurrentInstant();

        var created = await grain.Create(Draft() with { Owner = OwningUnit.County("pingyang"), Note = "From the 2 April meeting" }, Secretariat);
        Assert.Equal((1, WorkStatus.NotStarted, summit.Code), (created.Version, created.Status, created.Summit));

        fixture.Clock.Advance(Duration.FromDays(1));
        var started = await grain.Change(new TaskChange(Status: WorkStatus.InProgress, PercentComplete: 30), Pingyang, expectedVersion: 1);
        fixture.Clock.Advance(Duration.FromDays(1));
        var done = await grain.Change(new TaskChange(Status: WorkStatus.Done, Note: "Venue contracts signed"), Secretariat, expectedVersion: 2);

        Assert.Equal((2, 3), (started.Version, done.Version));
        Assert.Equal((WorkStatus.Done, 100), (done.Status, done.PercentComplete));
        Assert.Equal(t0 + Duration.FromDays(2), done.UpdatedAt);
        Assert.Equal(t0, done.CreatedAt);
        Unchanged(done, await grain.Get());

        var history = await grain.GetHistory();
        Assert.Equal([1, 2, 3], history.Select(h => h.Version));
        Assert.Equal(("secretariat", t0, "From the 2 April meeting"), (history[0].Account, history[0].At, history[0].Note));
        Assert.Contains(new FieldChange("title", null, "会务保障 logistics and services"), history[0].Changes);
        Assert.Equal(("county-pingyang", Role.County, t0 + Duration.FromDays(1)), (history[1].Account, history[1].Role, history[1].At));
        Assert.Equal([new FieldChange("status", "NotStarted", "InProgress"), new FieldChange("percentComplete", "0", "30")], history[1].Changes);
        Assert.Equal("Venue contracts signed", history[2].Note);
        Assert.Equal([new FieldChange("status", "InProgress", "Done"), new FieldChange("percentComplete", "30", "100")], history[2].Changes);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_leaves_the_task_unchanged()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = TaskGrain(summit, "t-1");
        var created = await grain.Create(Draft(), Secretariat);

        var error = await Invalid(() => grain.Change(new TaskChange(Due: new Deadline(new LocalDate(2020, 12, 1)), Title: " "), Secretariat), "dueDate");
        Assert.True(error.Errors.ContainsKey("title"));
        await Invalid(() => grain.Change(new TaskChange(Status: WorkStatus.Done, PercentComplete: 90), Secretariat), "percentComplete");
        await Invalid(() => TaskGrain(summit, "t-2").Create(Draft() with { Due = new Deadline(new LocalDate(2020, 3, 1)) }, Secretariat), "dueDate");

        Unchanged(created, await grain.Get());
        Assert.Single(await grain.GetHistory());
        Assert.Null(await TaskGrain(summit, "t-2").Get());
    }

    [Fact]
    public async Task Forbidden_status_moves_are_refused()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = TaskGrain(summit, "t-1");
        await grain.Create(Draft(), Secretariat);
        var blocked = await grain.Change(new TaskChange(Status: WorkStatus.Blocked), Secretariat);

        var error = await Invalid(() => grain.Change(new TaskChange(Status: WorkStatus.Done), Secretariat), "status");

        Assert.Contains("Blocked to Done", error.Errors["status"][0]);
        Unchanged(blocked, await grain.Get());
    }

    [Fact]
    public async Task Change_that_changes_nothing_keeps_the_version_unless_it_has_a_note()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = TaskGrain(summit, "t-1");
        var created = await grain.Create(Draft(), Secretariat);

        var same = await grain.Change(new TaskChange(Title: created.Title, Assignee: "Chen"), Secretariat);
        Assert.Equal(1, same.Version);
        Assert.Single(await grain.GetHistory());

        var noted = await grain.Change(new TaskChange(Note: "Still on track"), Secretariat);
        Assert.Equal(2, noted.Version);
        var entry = (await grain.GetHistory())[1];
        Assert.Equal(("Still on track", 0), (entry.Note, entry.Changes.Count));
    }

    [Fact]
    public async Task Wrong_expected_version_conflicts()
    {
        var summit = await fixture.CreateSummitAsync();
        var grain = TaskGrain(summit, "t-1");
        var created = await grain.Create(Draft(), Secretariat);

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => grain.Change(new TaskChange(PercentComplete: 10), Secretariat, expectedVersion: 0));

        Assert.Equal((EntityKind.Task, "t-1", 0, 1), (conflict.Kind, conflict.Id, conflict.Expected, conflict.Current));
        Unchanged(created, await grain.Get());
    }

    [Fact]
    public async Task Missing_existing_and_missing_summit()
    {
        var summit = await fixture.CreateSummitAsync();
        var missing = TaskGrain(summit, "t-none");
        Assert.Null(await missing.Get());
        var notFound = await Assert.ThrowsAsync<EntityNotFoundException>(() => missing.Change(new TaskChange(PercentComplete: 5), Secretariat));
        Assert.Equal((EntityKind.Task, "t-none"), (notFound.Kind, notFound.Id));

        await TaskGrain(summit, "t-1").Create(Draft(), Secretariat);
        var exists = await Assert.ThrowsAsync<EntityExistsException>(() => TaskGrain(summit, "t-1").Create(Draft("again"), Secretariat));
        Assert.Equal((EntityKind.Task, "t-1"), (exists.Kind, exists.Id));

        var noSummit = await Assert.ThrowsAsync<EntityNotFoundException>(() =>
            fixture.Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of("no-such-summit", "t-1")).Create(Draft(), Secretariat));
        Assert.Equal((EntityKind.Summit, "no-such-summit"), (noSummit.Kind, noSummit.Id));
    }

    [Fact]
    public async Task Dependencies_must_exist_in_the_same_summit()
    {
        var summit = await fixture.CreateSummitAsync();
        var other = await fixture.CreateSummitAsync();
        await TaskGrain(other, "t-elsewhere").Create(Draft(), Secretariat);
        await TaskGrain(summit, "t-approval").Create(Draft("报批 approvals"), Secretariat);

        var error = await Invalid(() => TaskGrain(summit, "t-plan").Create(Draft("方案 plan", "t-approval", "t-elsewhere"), Secretariat), "dependsOn[1]");
        Assert.Contains("t-elsewhere", error.Errors["dependsOn[1]"][0]);
        await Invalid(() => TaskGrain(summit, "t-plan").Create(Draft("方案 plan", "t-plan"), Secretariat), "dependsOn[0]");
        await Invalid(() => TaskGrain(summit, "t-plan").Create(Draft("方案 plan", "t-approval", "t-approval"), Secretariat), "dependsOn");

        var plan = await TaskGrain(summit, "t-plan").Create(Draft("方案 plan", "t-approval"), Secretariat);
        Assert.Equal(["t-approval"], plan.DependsOn);
    }

    [Fact]
    public async Task A_dependency_cycle_is_refused_and_named()
    {
        var summit = await fixture.CreateSummitAsync();
        var first = await TaskGrain(summit, "t-1").Create(Draft("approvals"), Secretariat);
        await TaskGrain(summit, "t-2").Create(Draft("plan", "t-1"), Secretariat);

        var error = await Invalid(() => TaskGrain(summit, "t-1").Change(new TaskChange(DependsOn: ["t-2"]), Secretariat), "dependsOn");

        Assert.Contains("would create a cycle: t-1 → t-2 → t-1", error.Errors["dependsOn"][0]);
        Unchanged(first, await TaskGrain(summit, "t-1").Get());
    }

    [Fact]
    public async Task A_longer_cycle_is_found_through_the_other_tasks()
    {
        var summit = await fixture.CreateSummitAsync();
        await TaskGrain(summit, "t-a").Create(Draft("a"), Secretariat);
        await TaskGrain(summit, "t-side").Create(Draft("side"), Secretariat);
        await TaskGrain(summit, "t-b").Create(Draft("b", "t-side", "t-a"), Secretariat);
        await TaskGrain(summit, "t-c").Create(Draft("c", "t-b"), Secretariat);

        var error = await Invalid(() => TaskGrain(summit, "t-a").Change(new TaskChange(DependsOn: ["t-side", "t-c"]), Secretariat), "dependsOn");

        Assert.Contains("t-a → t-c → t-b → t-a", error.Errors["dependsOn"][0]);
        // Without the closing edge the same graph is fine.
        var ok = await TaskGrain(summit, "t-a").Change(new TaskChange(DependsOn: ["t-side"]), Secretariat);
        Assert.Equal(2, ok.Version);
    }

    [Fact]
    public async Task Tasks_are_listed_in_the_sharded_catalog_and_survive_reactivation()
    {
        var summit = await fixture.CreateSummitAsync();
        string[] ids = ["t-1", "t-2", "t-3", "t-4", "t-5"];
        foreach (var id in ids) await TaskGrain(summit, id).Create(Draft(id), Secretariat);
        await Assert.ThrowsAsync<DomainValidationException>(() => TaskGrain(summit, "t-bad").Create(Draft(""), Secretariat));

        Assert.Equal(ids, await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.Task));

        var grain = TaskGrain(summit, "t-3");
        var changed = await grain.Change(new TaskChange(Due: new Deadline(new LocalDate(2020, 7, 1), new LocalTime(17, 0)), Milestone: true), Secretariat);
        await Reactivate(fixture.Grains);
        Unchanged(changed, await grain.Get());
        Assert.Equal(2, (await grain.GetHistory()).Count);
    }
}
