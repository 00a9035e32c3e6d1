using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Grains;

/// <remarks>
/// The sub-forum owns its host link: after each persisted change it tells the old host to drop it and the current
/// host to list it. Link is idempotent, so every command (even one that changes nothing) re-asserts the current
/// link, which repairs a link call that failed after an earlier write.
/// </remarks>
[GrainType("summit.subforum")]
public sealed class SubForumGrain(
    IEntityStore store,
    IClock clock)
    : SummitScopedGrain<SubForum>(store, clock), ISubForumGrain
{
    protected override EntityKind Kind => EntityKind.SubForum;

    protected override int VersionOf(SubForum entity) => entity.Version;

    public Task<SubForum?> Get() => Task.FromResult(Current);


    public async Task<SubForum> Create(SubForumDraft draft, Actor actor)
    {
        AccessRules.EnsureCreate(actor, EntityKind.SubForum, ResourceScope.Summit, "sub-forums");
        ArgumentNullException.ThrowIfNull(draft);
        EnsureNew();
        var summit = await GetSummitAsync();
        var errors = new FieldErrors();
        if (NewHost(draft.HostUniversity, null) is { } host) await CheckUniversitiesAsync(errors, [("hostUniversity", host)]);
        var now = Clock.GetCurrentInstant();
        var result = SubForumRules.Create(SummitCode, EntityId, draft, summit, actor, now, errors);
        var created = await Commit(result, actor, now, note: null);
        await SyncHostAsync(null, created.HostUniversity);
        return created;
    }

    public Task<SubForum> Change(SubForumChange change, Actor actor, int? expectedVersion = null) => Patch(AsPatch(change, actor, expectedVersion));

    public Task<SubForum> Patch(PatchCommand<SubForumChange> command) =>
        PatchEntityAsync(command, current => AccessRules.EnsureChange(command.Actor, current, command.Change), ChangeAsync);

    private async Task<SubForum> ChangeAsync(SubForumChange change, Actor actor, int expectedVersion, SummitEdition summit)
    {
        var current = Existing(expectedVersion);
        var errors = new FieldErrors();
        if (NewHost(change.HostUniversity, current.HostUniversity) is { } host) await CheckUniversitiesAsync(errors, [("hostUniversity", host)]);
        var now = Clock.GetCurrentInstant();
        var changed = await Commit(SubForumRules.Apply(current, change, summit, actor, now, errors), actor, now, change.Note);
        await SyncHostAsync(current.HostUniversity, changed.HostUniversity);
        return changed;
    }

    private static string? NewHost(string? requested, string? current) =>
        string.IsNullOrWhiteSpace(requested) || requested.Trim() == current ? null : requested.Trim();

    private async Task SyncHostAsync(string? previous, string? host)
    {
        if (previous is not null && previous != host) await University(previous).Link(EntityKind.SubForum, EntityId, false);
        if (host is not null) await University(host).Link(EntityKind.SubForum, EntityId, true);
    }
}
