using NodaTime;
using Summit.Domain;
using Summit.Journal;

namespace Summit.Storage;

/// <summary>Where one entity is stored: its summit, kind and id inside the summit (a summit's id is its own code).</summary>
public readonly record struct EntityKey(string Summit, EntityKind Kind, string Id)
{
    public override string ToString() => $"{Summit}/{Kind}/{Id}";
}

/// <summary>An entity as stored: its JSON (Summit's JSON shape) and the store's revision of it.</summary>
/// <param name="Revision">Counts every write of the row, including writes that are not a new version of the entity
/// (a university's links); a commit names the revision it was computed from, so a second writer cannot overwrite it.</param>
public sealed record StoredEntity(string Json, long Revision);

/// <summary>
/// One accepted change, written in one transaction: the entity's new state, its history (audit) row and, when the
/// request carried an <c>Idempotency-Key</c>, the record that the key was applied.
/// </summary>
/// <param name="ExpectedRevision">The revision the change was computed from; 0 for a new entity.</param>
/// <param name="Change">The history row; null for a write that is not a new version (nothing to audit).</param>
public sealed record EntityCommit(
    EntityKey Key,
    long ExpectedRevision,
    int Version,
    string Json,
    ChangeRecord? Change,
    IdempotencyMark? Idempotency)
{
    /// <summary>
    /// The revision of the summit's own row that the change was judged against (its zone, dates and mode), or null for
    /// none: when the summit has moved on since, nothing is written and the outcome is
    /// <see cref="CommitOutcome.RevisionConflict"/>, so a grain that keeps the summit's facts never commits on stale ones.
    /// </summary>
    public long? SummitRevision { get; init; }

    /// <summary>
    /// An immutable snapshot to keep with the change (a submission's handed-in version), written in the same transaction
    /// into <c>summit_entity_snapshot</c> and only if the state row is; null for none.
    /// </summary>
    public EntitySnapshot? Snapshot { get; init; }
}

/// <summary>A numbered, immutable snapshot of an entity (its JSON), kept beside the entity's history.</summary>
/// <param name="Number">1, 2, … per entity; a number is written once.</param>
[GenerateSerializer, Immutable, Alias("summit.entity-snapshot")]
public sealed record EntitySnapshot([property: Id(0)] int Number, [property: Id(1)] string Json);

public enum CommitOutcome
{
    /// <summary>State, history row and idempotency record are committed together.</summary>
    Committed,
    /// <summary>Nothing was written: the stored revision is not the expected one (another writer was first), or the
    /// summit is not at <see cref="EntityCommit.SummitRevision"/>.</summary>
    RevisionConflict,
    /// <summary>Nothing was written: the request's idempotency key was already applied.</summary>
    AlreadyApplied,
}

/// <summary>
/// The store of record for Summit's entities. Grain state holds only the current entity; its history is rows in the
/// audit table, written in the same transaction as the state.
/// </summary>
public interface IEntityStore
{
    Task<StoredEntity?> LoadAsync(EntityKey key, CancellationToken cancellationToken = default);

    Task<CommitOutcome> CommitAsync(EntityCommit commit, CancellationToken cancellationToken = default);

    /// <summary>The entity's accepted changes, oldest first, a page at a time, and how many there are.</summary>
    Task<(IReadOnlyList<HistoryEntry> Items, int Total)> HistoryAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a keyed API write leaves in its transaction: which account sent which key on which route, the hash of its body
/// and until when the key is kept. The primary key (account, route, key) makes a second application impossible.
/// </summary>
/// <param name="Replay">Set by the Gateway when the store already says this key was applied but its response was
/// lost (a crash between the commit and the answer): the grain answers with the entity as it is and writes nothing.</param>
[GenerateSerializer, Immutable, Alias("summit.idempotency-mark")]
public sealed record IdempotencyMark(
    [property: Id(0)] string Account,
    [property: Id(1)] string Route,
    [property: Id(2)] string Key,
    [property: Id(3)] byte[] RequestHash,
    [property: Id(4)] Instant ExpiresAt,
    [property: Id(5)] bool Replay = false)
{
    /// <summary>How long the key is kept, counted from when the request was received.</summary>
    [Id(6)] public Duration Lifetime { get; init; } = Duration.FromHours(24);
}

/// <summary>
/// Which idempotency keys an entity commit has applied, for the Gateway of a process without a database (with one, the
/// Gateway reads the same table the commit wrote).
/// </summary>
public interface IIdempotencyLedger
{
    /// <summary>The body hash of the request that applied the key, or null when no live record of it exists.</summary>
    Task<byte[]?> FindAppliedAsync(string account, string route, string key, Instant now, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads over the stored entities, answered by the store of record (SQL with PostgreSQL) instead of by activating a grain
/// per entity. A read after an acknowledged change sees it: the change was committed before it was acknowledged.
/// </summary>
public interface IEntityQueries
{
    /// <summary>The ids of one kind of entity in a summit, in ordinal order; for <see cref="EntityKind.Summit"/>, every summit's code.</summary>
    Task<IReadOnlyList<string>> ListIdsAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default);

    /// <summary>Every entity of one kind in a summit as stored JSON, in ordinal order of id.</summary>
    Task<IReadOnlyList<string>> LoadAllAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default);

    /// <summary>The units that own at least one task of the summit, each once, in ordinal order of <see cref="TaskListQuery.OwnerKey"/>.</summary>
    Task<IReadOnlyList<OwningUnit>> ListTaskOwnersAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>A page of the summit's tasks as stored JSON, filtered and ordered as <paramref name="query"/> says, and
    /// the number of matches; reads the page, not the whole summit.</summary>
    Task<TaskPage> QueryTasksAsync(TaskListQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of the summit's county venues, sub-forums, projects or universities as stored JSON, only those of
    /// <see cref="EntityListQuery.Units"/>, in list order, and the number of matches; reads the page, not the summit.</summary>
    Task<EntityPage> QueryEntitiesAsync(EntityListQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of the summit editions as stored JSON, by code in ordinal order, and how many there are.</summary>
    Task<EntityPage> QuerySummitsAsync(int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>A page of one county's sub-events as stored JSON, in the venue's order, and how many it has (of those whose
    /// id, title and venue hold every one of <paramref name="terms"/>, when given); null when the county venue does not exist.</summary>
    Task<EntityPage?> QuerySubEventsAsync(string summit, string county, int offset, int? limit, IReadOnlyList<string>? terms = null, CancellationToken cancellationToken = default);

    /// <summary>A page of one entity's accepted changes, oldest first, read from the audit table by its key.</summary>
    Task<HistoryPage> QueryHistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every recorded change of a task's status or percent complete in the summit, by task and version: what the
    /// earned S-curve is drawn from. Reads the audit rows, not the entities.</summary>
    Task<IReadOnlyList<TaskProgressRow>> ReadTaskProgressAsync(string summit, CancellationToken cancellationToken = default);
}

/// <summary>One audit row of a task that changed its status and/or percent complete (the new values; null when unchanged).</summary>
public sealed record TaskProgressRow(string TaskId, Instant At, WorkStatus? Status, int? Percent);
