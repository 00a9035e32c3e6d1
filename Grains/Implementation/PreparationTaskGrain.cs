using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;
using Summit.Scheduling;

namespace Summit.Grains;

[GrainType("summit.task")]
public sealed class PreparationTaskGrain(
    IEntityStore store,
    IClock clock)
    : SummitScopedGrain<PreparationTask>(store, clock), IPreparationTaskGrain
{
    protected override EntityKind Kind => EntityKind.Task;

    protected override bool KeepsSummitFacts => true;

    protected override int VersionOf(PreparationTask entity) => entity.Version;

    public Task<PreparationTask?> Get() => Task.FromResult(Current);


    public async Task<PreparationTask> Create(TaskDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Task, ResourceScope.Summit, "tasks");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        return await JudgedAsync(summit => CreateAsync(draft, actor, summit));
    }

    private async Task<PreparationTask> CreateAsync(TaskDraft draft, Actor actor, SummitEdition summit)
    {
        EnsureNew();
        var errors = new FieldErrors();
        // Dependencies must exist when added, so nothing can depend on a task not yet created: a new task closes no cycle.
        await CheckDependenciesAsync(draft.DependsOn, [], errors, lookForCycles: false);
        await CheckSubForumAsync(draft.SubForum, errors);
        // "Due in N working days" counts on the summit's own working calendar, kept by its deadline engine.
        WorkingCalendar? calendar = null;
        if (draft.Due is null && draft.DueInWorkingDays is not null)
            calendar = (await GrainFactory.GetGrain<IDeadlinesGrain>(SummitCode).GetSettings()).BuildCalendar();
        var now = Clock.GetCurrentInstant();
        var result = TaskRules.Create(SummitCode, EntityId, draft, summit, actor, now, errors, calendar);
        return await Commit(result, actor, now, draft.Note);
    }

    public async Task<PreparationTask> Change(TaskChange change, Actor actor, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return (await Patch(AsPatch(change, actor, expectedVersion) with { Fields = [.. AccessRules.TaskFieldsOf(change)] })).Task;
    }

    public async Task<TaskWritten> Patch(PatchCommand<TaskChange> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var written = await PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Fields), ChangeAsync);
        return new TaskWritten(written, (await GetSummitAsync()).TimeZone);
    }

    private async Task<PreparationTask> ChangeAsync(TaskChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var errors = new FieldErrors();
        await CheckDependenciesAsync(change.DependsOn, current.DependsOn, errors);
        await CheckSubForumAsync(change.SubForum, errors);
        var open = change.Status == WorkStatus.Done && current.Status != WorkStatus.Done
            ? await OpenPrerequisitesAsync(change.DependsOn ?? current.DependsOn)
            : null;
        var now = Clock.GetCurrentInstant();
        return await Commit(TaskRules.Apply(current, change, summit, actor, now, errors, open), actor, now, change.Note);
    }

    /// <summary>The prerequisites that are still open (neither done, cancelled nor set aside), for the Done rule.</summary>
    private async Task<IReadOnlyCollection<string>> OpenPrerequisitesAsync(IReadOnlyList<string> dependsOn)
    {
        var ids = dependsOn.Where(id => FieldErrors.IsCode(id) && id != EntityId).Distinct(StringComparer.Ordinal).ToArray();
        var found = await Task.WhenAll(ids.Select(id => TaskGrain(id).Get()));
        return found.OfType<PreparationTask>().Where(t => t.IsOpen).Select(t => t.Id).ToArray();
    }

    private async Task CheckSubForumAsync(string? subForum, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(subForum) || !FieldErrors.IsCode(subForum)) return;
        var forum = await GrainFactory.GetGrain<ISubForumGrain>(GrainKeys.Of(SummitCode, subForum)).Get();
        if (forum is null) errors.Add("subForum", $"sub-forum '{subForum}' does not exist in summit '{SummitCode}'.");
    }

    /// <summary>
    /// Checks that each newly added dependency is a task of this summit and that none of them leads back here.
    /// Edges already stored were checked when they were added, so only new ones can close a cycle.
    /// </summary>
    /// <remarks>
    /// The walk reads the other tasks through their interleaving Get, breadth first so the cycle reported is a
    /// shortest one. Two tasks made to depend on each other at the same moment can both pass; that race is accepted.
    /// </remarks>
    private async Task CheckDependenciesAsync(IReadOnlyList<string>? dependsOn, IReadOnlyList<string> existing, FieldErrors errors, bool lookForCycles = true)
    {
        if (dependsOn is null) return;
        var added = dependsOn
            .Select((id, index) => (Id: id, Index: index))
            .Where(d => FieldErrors.IsCode(d.Id) && d.Id != EntityId && !existing.Contains(d.Id))
            .DistinctBy(d => d.Id)
            .ToArray();
        if (added.Length == 0) return;

        var roots = await Task.WhenAll(added.Select(d => TaskGrain(d.Id).Get()));
        // Each visited task points at the task it was reached from, back to this one.
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var frontier = new List<PreparationTask>();
        for (var i = 0; i < added.Length; i++)
        {
            if (roots[i] is not { } root)
            {
                errors.Add($"dependsOn[{added[i].Index}]", $"task '{added[i].Id}' does not exist in summit '{SummitCode}'.");
                continue;
            }
            cameFrom[root.Id] = EntityId;
            frontier.Add(root);
        }
        if (!lookForCycles) return;

        while (frontier.Count > 0)
        {
            var next = new List<string>();
            foreach (var task in frontier)
            foreach (var dependency in task.DependsOn)
            {
                if (dependency == EntityId)
                {
                    errors.Add("dependsOn", $"would create a cycle: {CyclePath(task.Id, cameFrom)}.");
                    return;
                }
                if (cameFrom.TryAdd(dependency, task.Id)) next.Add(dependency);
            }
            frontier = (await Task.WhenAll(next.Select(id => TaskGrain(id).Get()))).OfType<PreparationTask>().ToList();
        }
    }

    private string CyclePath(string last, Dictionary<string, string> cameFrom)
    {
        var path = new List<string> { EntityId };
        for (var id = last; id != EntityId; id = cameFrom[id]) path.Add(id);
        path.Add(EntityId);
        path.Reverse(1, path.Count - 2);
        return string.Join(" → ", path);
    }

    private IPreparationTaskGrain TaskGrain(string id) => GrainFactory.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(SummitCode, id));
}
