using Summit.Domain;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>A Startup World Cup finalist: its changes go through the shared commit path of <see cref="EntityGrain{TEntity}"/>.</summary>
[GrainType("summit.finalist")]
public sealed class StartupFinalistGrain(
    IEntityStore store,
    NodaTime.IClock clock)
    : SummitScopedGrain<StartupFinalist>(store, clock), IStartupFinalistGrain
{
    protected override EntityKind Kind => EntityKind.Finalist;

    protected override int VersionOf(StartupFinalist entity) => entity.Version;

    public Task<StartupFinalist?> Get() => Task.FromResult(Current);

    public async Task<StartupFinalist> Create(FinalistDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.Finalist, ResourceScope.Summit, "startup finalists");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        await GetSummitAsync();
        var errors = new FieldErrors();
        await CheckSubForumAsync(draft.SubForum, errors);
        var now = Clock.GetCurrentInstant();
        return await Commit(FinalistRules.Create(SummitCode, EntityId, draft, actor, now, errors), actor, now, note: null);
    }

    public Task<StartupFinalist> Change(FinalistChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<StartupFinalist> Patch(PatchCommand<FinalistChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<StartupFinalist> ChangeAsync(FinalistChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var errors = new FieldErrors();
        if (change.SubForum != current.SubForum) await CheckSubForumAsync(change.SubForum, errors);
        var now = Clock.GetCurrentInstant();
        return await Commit(FinalistRules.Apply(current, change, actor, now, errors), actor, now, change.Note);
    }

    private async Task CheckSubForumAsync(string? subForum, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(subForum) || !FieldErrors.IsCode(subForum.Trim())) return;
        var forum = await GrainFactory.GetGrain<ISubForumGrain>(GrainKeys.Of(SummitCode, subForum.Trim())).Get();
        if (forum is null) errors.Add("subForum", $"sub-forum '{subForum.Trim()}' does not exist in summit '{SummitCode}'.");
    }
}
