using Summit.Data.Comments;
using Summit.Data.Demo;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Summit.Domain;
using Summit.Grains;

namespace Summit.Hosting.DemoData;

/// <summary>
/// Writes a <see cref="DemoPlan"/> through the grains, as the seeding system account. Entities are created at
/// their initial status and then moved step by step, so every move passes the same rules as a user's would and
/// shows up in history. Runs once per summit: if the summit already exists, nothing is written. With a comment store,
/// a few comments on the curated tasks follow (<see cref="DemoComments"/>).
/// </summary>
public sealed class DemoDataSeeder(ILogger? logger = null, ITaskCommentStore? comments = null)
{
    public static readonly Actor SeedActor = Actor.System("seed");

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Generates the plan for <paramref name="options"/> and seeds it, unless the summit already exists.</summary>
    public async Task<DemoSeedResult> SeedAsync(IGrainFactory grains, DemoDataOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        // Checked before generating, so a restart of a silo over a seeded database costs one call.
        if (await grains.GetGrain<ISummitGrain>(options.SummitCode).Get() is not null)
            return Skipped(options.SummitCode, started);

        var plan = DemoDataGenerator.Generate(options);
        _logger.LogInformation("Demo data: planned summit {Summit} with {Tasks} tasks in {Elapsed:0.0} s",
            plan.SummitCode, plan.Tasks.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return await SeedAsync(grains, plan, options.Parallelism, ct);
    }

    /// <summary>Seeds a plan made earlier (the benchmark generates once and seeds into several summits).</summary>
    /// <param name="parallelism">Grain calls in flight at once.</param>
    public async Task<DemoSeedResult> SeedAsync(IGrainFactory grains, DemoPlan plan, int parallelism = 32, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var started = Stopwatch.GetTimestamp();
        var code = plan.SummitCode;

        var summit = grains.GetGrain<ISummitGrain>(code);
        if (await summit.Get() is not null) return Skipped(code, started);
        try
        {
            await summit.Create(plan.Summit, SeedActor);
        }
        catch (EntityExistsException)
        {
            // Another silo started seeding the same summit a moment earlier.
            return Skipped(code, started);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };

        // Hosts and linked universities must exist before sub-forums and projects refer to them.
        await Parallel.ForEachAsync(plan.Universities, options, async (university, _) =>
            await grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(code, university.Code)).Create(university.Draft, SeedActor));

        await Parallel.ForEachAsync(plan.Counties, options, async (county, _) => await SeedCountyAsync(grains, code, county));
        await Parallel.ForEachAsync(plan.SubForums, options, async (forum, _) => await SeedSubForumAsync(grains, code, forum));
        await Parallel.ForEachAsync(plan.Projects, options, async (project, _) => await SeedProjectAsync(grains, code, project));
        await DemoOutcomes.SeedAsync(grains, code, plan.SubForums.Any(f => f.Id == DemoOutcomes.FinalSubForum), options, SeedActor);
        _logger.LogInformation(
            "Demo data: summit {Summit} with {Universities} universities, {Counties} counties ({SubEvents} sub-events), {SubForums} sub-forums, {Projects} projects in {Elapsed:0.0} s",
            code, plan.Universities.Count, plan.Counties.Count, plan.SubEventCount, plan.SubForums.Count, plan.Projects.Count,
            Stopwatch.GetElapsedTime(started).TotalSeconds);

        await SeedTasksAsync(grains, plan, options);
        if (comments is not null) await DemoComments.SeedAsync(comments, plan, ct);

        var result = new DemoSeedResult(code, false, plan.Universities.Count, plan.Counties.Count, plan.SubEventCount,
            plan.SubForums.Count, plan.Projects.Count, plan.Tasks.Count, Stopwatch.GetElapsedTime(started));
        _logger.LogInformation("Demo data: seeded summit {Summit} with {Tasks} tasks in {Elapsed:0.0} s",
            code, result.Tasks, result.Elapsed.TotalSeconds);
        return result;
    }

    private DemoSeedResult Skipped(string code, long started)
    {
        _logger.LogInformation("Demo data: summit {Summit} already exists; nothing seeded", code);
        return DemoSeedResult.SkippedFor(code, Stopwatch.GetElapsedTime(started));
    }

    private static async Task SeedCountyAsync(IGrainFactory grains, string summit, CountyPlan county)
    {
        var grain = grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, county.Code));
        await grain.Create(county.Draft, SeedActor);
        foreach (var subEvent in county.SubEvents)
        {
            await grain.AddSubEvent(subEvent.Id, subEvent.Draft, SeedActor);
            foreach (var change in SubEventSteps(subEvent))
                await grain.ChangeSubEvent(subEvent.Id, change, SeedActor);
        }
    }

    private static async Task SeedSubForumAsync(IGrainFactory grains, string summit, SubForumPlan forum)
    {
        var grain = grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, forum.Id));
        await grain.Create(forum.Draft, SeedActor);
        foreach (var change in SubForumSteps(forum)) await grain.Change(change, SeedActor);
    }

    private static async Task SeedProjectAsync(IGrainFactory grains, string summit, ProjectPlan project)
    {
        var grain = grains.GetGrain<ICooperationProjectGrain>(GrainKeys.Of(summit, project.Id));
        await grain.Create(InitialDraft(project), SeedActor);
        foreach (var change in ProjectSteps(project)) await grain.Change(change, SeedActor);
    }

    // The steps below are pure so tests can replay them through the domain rules without a cluster.

    /// <summary>The changes that take a new sub-event (Planned, every item Open) to its planned status and checklist.</summary>
    public static IEnumerable<SubEventChange> SubEventSteps(SubEventPlan subEvent)
    {
        if (subEvent.Status == SubEventStatus.Cancelled)
        {
            yield return new SubEventChange(Status: SubEventStatus.Cancelled, Note: subEvent.Note);
            yield break;
        }
        // Only the items that moved: a change lists just what it changes.
        var progressed = subEvent.Checklist.Where(c => c.Value != ChecklistState.Open).ToDictionary(c => c.Key, c => c.Value);
        var preparing = subEvent.Status >= SubEventStatus.Preparing;
        if (preparing || progressed.Count > 0 || subEvent.Note is not null)
            yield return new SubEventChange(Status: preparing ? SubEventStatus.Preparing : null, Checklist: progressed, Note: subEvent.Note);
        // Ready needs the whole checklist Done, which the change above has just recorded.
        if (subEvent.Status >= SubEventStatus.Ready) yield return new SubEventChange(Status: SubEventStatus.Ready);
        if (subEvent.Status >= SubEventStatus.Held) yield return new SubEventChange(Status: SubEventStatus.Held);
    }

    /// <summary>Sub-forums are created Planned and advance one stage at a time.</summary>
    public static IEnumerable<SubForumChange> SubForumSteps(SubForumPlan forum)
    {
        for (var stage = SubForumStatus.Planned + 1; stage <= forum.Status; stage++)
            yield return new SubForumChange(Status: stage);
    }

    /// <summary>The project as first identified: no stage reached yet, no signature.</summary>
    public static ProjectDraft InitialDraft(ProjectPlan project) =>
        project.Draft with { Stage = ProjectStage.Identified, SigningDate = null };

    /// <summary>One stage at a time, so history shows the deal's progress; the signing date comes with the signature.</summary>
    public static IEnumerable<ProjectChange> ProjectSteps(ProjectPlan project)
    {
        for (var stage = ProjectStage.Identified + 1; stage <= project.Draft.Stage; stage++)
            yield return new ProjectChange(Stage: stage, SigningDate: stage == ProjectStage.Signed ? project.Draft.SigningDate : null);
    }

    /// <summary>The one change that takes a new (NotStarted) task to its planned status, or null if it stays NotStarted.</summary>
    public static TaskChange? TaskStep(TaskPlan task) => task.Status == WorkStatus.NotStarted
        ? null
        // Done sets 100 % by itself; Cancelled keeps whatever was recorded.
        : new TaskChange(
            Status: task.Status,
            PercentComplete: task.Status is WorkStatus.InProgress or WorkStatus.Blocked ? task.PercentComplete : null,
            Note: task.StatusNote);

    /// <summary>
    /// Creates tasks with bounded parallelism; each waits only for its own prerequisites. Items are handed out
    /// in plan order and prerequisites come earlier in the plan, so every awaited task has already been started
    /// by another worker and the wait always ends.
    /// </summary>
    private async Task SeedTasksAsync(IGrainFactory grains, DemoPlan plan, ParallelOptions options)
    {
        var tasks = plan.Tasks;
        var position = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++) position[tasks[i].Id] = i;
        var created = new TaskCompletionSource[tasks.Count];
        for (var i = 0; i < created.Length; i++) created[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var done = 0;
        var reportEvery = Math.Max(10_000, tasks.Count / 10);
        await Parallel.ForEachAsync(Enumerable.Range(0, tasks.Count), options, async (i, token) =>
        {
            var task = tasks[i];
            var grain = grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(plan.SummitCode, task.Id));
            try
            {
                foreach (var dependency in task.Draft.DependsOn ?? [])
                {
                    if (!position.TryGetValue(dependency, out var at) || at >= i)
                        throw new InvalidOperationException($"Task {task.Id} depends on {dependency}, which is not planned before it.");
                    await created[at].Task.WaitAsync(token);
                }
                await grain.Create(task.Draft, SeedActor);
                created[i].TrySetResult();
            }
            catch (Exception ex)
            {
                created[i].TrySetException(ex);
                throw;
            }

            if (TaskStep(task) is { } change) await grain.Change(change, SeedActor);

            var count = Interlocked.Increment(ref done);
            if (count % reportEvery == 0)
                _logger.LogInformation("Demo data: {Done}/{Total} tasks seeded", count, tasks.Count);
        });
    }
}
