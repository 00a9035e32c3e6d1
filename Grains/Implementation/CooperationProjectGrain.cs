using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <remarks>
/// The project owns its university links, kept in step after each persisted change the same way as a
/// sub-forum's host (see <see cref="SubForumGrain"/>).
/// </remarks>
[GrainType("summit.project")]
public sealed class CooperationProjectGrain(
    IEntityStore store,
    IClock clock)
    : SummitScopedGrain<CooperationProject>(store, clock), ICooperationProjectGrain
{
    protected override EntityKind Kind => EntityKind.Project;

    protected override int VersionOf(CooperationProject entity) => entity.Version;

    public Task<CooperationProject?> Get() => Task.FromResult(Current);


    public async Task<CooperationProject> Create(ProjectDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Project, ResourceScope.Summit, "cooperation projects");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        var summit = await GetSummitAsync();
        var errors = new FieldErrors();
        await CheckUniversitiesAsync(errors, Added(draft.Universities, []));
        var now = Clock.GetCurrentInstant();
        var result = ProjectRules.Create(SummitCode, EntityId, draft, summit, actor, now, errors);
        var created = await Commit(result, actor, now, note: null);
        await SyncUniversitiesAsync([], created.Universities);
        return created;
    }

    public Task<CooperationProject> Change(ProjectChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<CooperationProject> Patch(PatchCommand<ProjectChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<CooperationProject> ChangeAsync(ProjectChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var errors = new FieldErrors();
        await CheckUniversitiesAsync(errors, Added(change.Universities, current.Universities));
        var now = Clock.GetCurrentInstant();
        var changed = await Commit(ProjectRules.Apply(current, change, summit, actor, now, errors), actor, now, change.Note);
        await SyncUniversitiesAsync(current.Universities, changed.Universities);
        return changed;
    }

    private static IEnumerable<(string Field, string Code)> Added(IReadOnlyList<string>? requested, IReadOnlyList<string> current) =>
        (requested ?? [])
            .Select((code, index) => (Field: $"universities[{index}]", Code: code))
            .Where(u => u.Code is not null && !current.Contains(u.Code));

    private Task SyncUniversitiesAsync(IReadOnlyList<string> previous, IReadOnlyList<string> universities) =>
        Task.WhenAll(
            previous.Except(universities).Select(code => University(code).Link(EntityKind.Project, EntityId, false))
                .Concat(universities.Select(code => University(code).Link(EntityKind.Project, EntityId, true))));
}
