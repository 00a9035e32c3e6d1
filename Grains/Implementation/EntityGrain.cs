using System.Text.Json;
using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>A grain that commits changes through <see cref="IEntityStore"/> and so can take a request's idempotency key.</summary>
public interface IIdempotentCommitter;

/// <summary>
/// The commit path every entity grain shares. The grain keeps only the current entity; a change is written by
/// <see cref="IEntityStore"/> in one transaction with its history (audit) row and, for a keyed request, the record that
/// the key was applied, and is acknowledged only after that commit. The deadline engine and the live feed read it
/// afterwards from the summit's change stream (<see cref="IChangeStreamGrain"/>); the command only nudges the stream. Commands replace the entity object as a whole and never mutate
/// one that was committed, so interleaving reads keep answering from the last committed object while a write is in flight.
/// </summary>
public abstract class EntityGrain<TEntity>(IEntityStore store, IClock clock) : Grain, IIdempotentCommitter
    where TEntity : class
{
    private TEntity? _current;
    private long _revision;

    protected IClock Clock { get; } = clock;

    protected abstract EntityKind Kind { get; }

    /// <summary>The id used in errors: the summit code for a summit, the id within the summit otherwise.</summary>
    protected abstract string EntityId { get; }

    protected abstract int VersionOf(TEntity entity);

    /// <summary>The summit the entity belongs to, for the audit trail.</summary>
    protected virtual string SummitOfEntity => EntityId;

    /// <summary>The last committed entity, null if never created.</summary>
    protected TEntity? Current => _current;

    private EntityKey Key => new(SummitOfEntity, Kind, EntityId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(Key, cancellationToken) is { } stored)
        {
            _current = JsonSerializer.Deserialize<TEntity>(stored.Json, SummitJson.Options);
            _revision = stored.Revision;
        }
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>The entity's accepted changes, oldest first: rows of the audit trail, not grain state.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistory()
    {
        var (items, _) = await store.HistoryAsync(Key, 0, int.MaxValue);
        return items;
    }

    /// <summary>True while the Gateway replays a keyed request whose change is already stored.</summary>
    protected static bool Replaying => IdempotencyContext.Current?.Replay == true;

    protected void EnsureNew()
    {
        // A replayed create finds its own entity: the command goes on and answers with it, writing nothing.
        if (Current is not null && !Replaying) throw new EntityExistsException(Kind, EntityId);
    }

    protected TEntity Existing(int? expectedVersion = null)
    {
        var entity = Current ?? throw new EntityNotFoundException(Kind, EntityId);
        if (Replaying) return entity;
        var version = VersionOf(entity);
        if (expectedVersion is { } expected && expected != version) throw new VersionConflictException(Kind, EntityId, expected, version);
        return entity;
    }

    /// <summary>Stores an accepted change with its history row; a result that is not a new version stores nothing.</summary>
    /// <param name="snapshot">An immutable snapshot to keep in the same transaction (a submission's handed-in version).</param>
    protected async Task<TEntity> Commit(ChangeResult<TEntity> result, Actor actor, Instant now, string? note, EntitySnapshot? snapshot = null)
    {
        var mark = IdempotencyContext.Current;
        if (mark?.Replay == true) return Current ?? throw new RequestAlreadyAppliedException(Kind, EntityId);
        if (!result.IsNewVersion) return result.Entity;
        var change = new ChangeRecord(
            SummitOfEntity, Kind, EntityId, VersionOf(result.Entity), now, actor.Account, actor.Role, actor.Unit, result.Changes,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        // One key, one application: whatever else this request changes afterwards does not carry the key.
        IdempotencyContext.Current = null;
        var outcome = await WriteAsync(result.Entity, change, mark, snapshot: snapshot);
        if (outcome == CommitOutcome.AlreadyApplied)
            return Current ?? throw new RequestAlreadyAppliedException(Kind, EntityId);
        // The deadline engine and the live feed read the change from the stream; the request does not wait for them.
        if (ServiceProvider is not null) _ = GrainFactory.GetGrain<IChangeStreamGrain>(SummitOfEntity).Poke();
        return result.Entity;
    }

    /// <summary>
    /// Writes <paramref name="entity"/> without a new version (nothing to audit), e.g. a university's links. Such a write
    /// judges nothing on the summit's facts, so it is not refused when the summit changed since they were last read.
    /// </summary>
    protected async Task Persist(TEntity entity) => await WriteAsync(entity, change: null, mark: null, judgedOnSummit: false);

    private async Task<CommitOutcome> WriteAsync(TEntity entity, ChangeRecord? change, IdempotencyMark? mark, bool judgedOnSummit = true, EntitySnapshot? snapshot = null)
    {
        var json = JsonSerializer.Serialize(entity, SummitJson.Options);
        CommitOutcome outcome;
        try
        {
            outcome = await store.CommitAsync(new EntityCommit(Key, _revision, VersionOf(entity), json, change, mark) { SummitRevision = judgedOnSummit ? JudgedOnSummitRevision : null, Snapshot = snapshot });
        }
        catch
        {
            // The outcome is unknown: the connection can fail after the database committed. This activation may now be a
            // change behind the store, and a retry of the same request (its key found applied) would be answered from it
            // as if that were the change's result. Drop the activation, so the next call loads what is stored.
            if (ServiceProvider is not null) DeactivateOnIdle();
            throw;
        }
        switch (outcome)
        {
            case CommitOutcome.Committed:
                _current = entity;
                _revision++;
                return outcome;
            case CommitOutcome.AlreadyApplied:
                return outcome;
            default:
                // Another activation wrote first (possible for a moment after a silo failure), or the summit changed since
                // its facts were read: take what is stored and let the caller retry with it. This is no stale If-Match
                // (that was checked against this grain's version), so it is a conflict worth retrying, not a 412.
                await ReloadAsync();
                throw new ConcurrentChangeException(Kind, EntityId);
        }
    }

    /// <summary>Reads the entity as stored again, and forgets what else was cached from the store.</summary>
    protected async Task ReloadAsync()
    {
        var stored = await store.LoadAsync(Key);
        _current = stored is null ? null : JsonSerializer.Deserialize<TEntity>(stored.Json, SummitJson.Options);
        _revision = stored?.Revision ?? 0;
        OnReloaded();
    }

    /// <summary>Called when the entity was read again after a refused commit; cached facts may be stale too.</summary>
    protected virtual void OnReloaded()
    {
    }

    /// <summary>The revision of the summit row the change was judged by, checked by the commit; null for none.</summary>
    protected virtual long? JudgedOnSummitRevision => null;

    /// <summary>Loads an entity of another kind straight from the store (no grain call), e.g. the summit's facts.</summary>
    protected Task<StoredEntity?> LoadOtherAsync(EntityKey key) => store.LoadAsync(key);
}

/// <summary>An entity that lives inside a summit; its key is <c>{summit}/{id}</c>.</summary>
public abstract class SummitScopedGrain<TEntity>(IEntityStore store, IClock clock) : EntityGrain<TEntity>(store, clock)
    where TEntity : class
{
    private (string Summit, string Id)? _key;

    private (string Summit, string Id) Key => _key ??= GrainKeys.Parse(this.GetPrimaryKeyString());

    protected string SummitCode => Key.Summit;

    protected override string EntityId => Key.Id;

    protected override string SummitOfEntity => Key.Summit;

    // The summit's facts this entity's rules read (zone, preparation window, mode), kept here so a change needs no call
    // to the summit grain: read from the store on first use, and read again after a refused commit. Every commit names the
    // summit revision they came from and the store refuses it if the summit has moved on (CommitOutcome.RevisionConflict),
    // so a change is never committed on stale facts; the grain then reloads both and the caller retries.
    private SummitEdition? _summit;
    private long _summitRevision;

    protected async Task<SummitEdition> GetSummitAsync()
    {
        // A caller that knows the summit has moved on (the contingency switch, after changing the mode) says so.
        if (_summit is not null && RequestContext.Get(SummitFacts.MinimumVersionKey) is int minimum && _summit.Version < minimum) _summit = null;
        // Grains whose commands do not yet run through JudgedAsync read the facts afresh (from the store) each time.
        if (!KeepsSummitFacts) _summit = null;
        if (_summit is not null) return _summit;
        var stored = await LoadOtherAsync(new EntityKey(SummitCode, EntityKind.Summit, SummitCode));
        // A summit that does not exist is not remembered: it may be created later.
        var summit = stored is null ? null : JsonSerializer.Deserialize<SummitEdition>(stored.Json, SummitJson.Options);
        if (summit is null || stored is null) throw new EntityNotFoundException(EntityKind.Summit, SummitCode);
        (_summit, _summitRevision) = (summit, stored.Revision);
        return summit;
    }

    /// <summary>Whether the summit's facts are kept between commands; only for grains whose commands run through <see cref="JudgedAsync{T}"/>.</summary>
    protected virtual bool KeepsSummitFacts => false;

    protected override long? JudgedOnSummitRevision => _summit is null ? null : _summitRevision;

    /// <summary>
    /// Runs a command on the summit's facts as kept here, and once more on fresh ones when that was not conclusive: the
    /// store refused the commit (another writer, or the summit changed; the entity and the facts are reloaded), or the rules
    /// refused the input on facts that were not just read (a window the summit has since widened).
    /// </summary>
    protected async Task<T> JudgedAsync<T>(Func<SummitEdition, Task<T>> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var wasKept = _summit is not null;
        try
        {
            return await command(await GetSummitAsync());
        }
        catch (ConcurrentChangeException)
        {
            return await command(await GetSummitAsync());
        }
        catch (DomainValidationException) when (wasKept)
        {
            _summit = null;
            return await command(await GetSummitAsync());
        }
    }

    protected override void OnReloaded() => _summit = null;

    /// <summary>
    /// Runs a PATCH as the API orders its refusals: the summit (404), then <paramref name="judge"/> on the entity as held
    /// here (404 when missing or unreadable, 403 for a refused change; it answers the version If-Match is compared with and
    /// the id a conflict names), then the body's own errors (400), If-Match (412), then <paramref name="change"/> on the
    /// version judged, so the access decision and the change see the same state in one turn of this grain.
    /// </summary>
    protected Task<TResult> PatchAsync<TChange, TResult>(
        PatchCommand<TChange> command,
        Func<TEntity, (int Version, string Id)> judge,
        Func<SummitEdition, int, Task<TResult>> change)
    {
        ArgumentNullException.ThrowIfNull(command);
        return JudgedAsync(async summit =>
        {
            var judged = judge(Current ?? throw new EntityNotFoundException(Kind, EntityId));
            if (command.InputErrors is { Count: > 0 } input) throw new DomainValidationException(input);
            // A replayed request answers with its stored change, whatever version it was conditional on.
            if (!Replaying && command.IfMatch is { Any: false } condition && !condition.Matches(judged.Version))
            {
                // A client that names a newer version than this activation holds has seen a change made elsewhere.
                if (condition.Versions.Any(v => v > judged.Version))
                {
                    await ReloadAsync();
                    judged = judge(Current ?? throw new EntityNotFoundException(Kind, EntityId));
                    summit = await GetSummitAsync();
                }
                if (!condition.Matches(judged.Version)) throw new VersionConflictException(Kind, judged.Id, condition.Named, judged.Version);
            }
            return await change(summit, judged.Version);
        });
    }

    /// <summary><see cref="PatchAsync{TChange,TResult}"/> for a change of the entity itself, judged by <paramref name="judge"/> on its own version.</summary>
    protected Task<TEntity> PatchEntityAsync<TChange>(
        PatchCommand<TChange> command,
        Action<TEntity> judge,
        Func<TChange, Actor, int, SummitEdition, Task<TEntity>> change) =>
        PatchAsync(command,
            current =>
            {
                judge(current);
                return (VersionOf(current), EntityId);
            },
            (summit, version) => change(command.Change, command.Actor, version, summit));

    /// <summary>A change made without a request (another grain's, the demo's): judged like a PATCH with no body errors.</summary>
    protected static PatchCommand<TChange> AsPatch<TChange>(TChange change, Actor actor, int? expectedVersion) =>
        new(change, actor, [], IfMatch: expectedVersion is { } version ? new WriteCondition(false, [version]) : null);


    protected IPartnerUniversityGrain University(string code) =>
        GrainFactory.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(SummitCode, code));

    /// <summary>Adds an error for each well-formed university code that is not a partner of this summit.</summary>
    protected async Task CheckUniversitiesAsync(FieldErrors errors, IEnumerable<(string Field, string Code)> wanted)
    {
        var checks = wanted.Where(w => FieldErrors.IsCode(w.Code)).ToArray();
        var found = await Task.WhenAll(checks.Select(w => University(w.Code).Get()));
        for (var i = 0; i < checks.Length; i++)
            if (found[i] is null) errors.Add(checks[i].Field, $"university '{checks[i].Code}' is not a partner of summit '{SummitCode}'.");
    }
}

/// <summary>
/// Grain-side filter: takes a keyed request's idempotency mark out of the request context before any grain runs, and
/// hands it only to the entity grain the call is for, so nested calls never carry it.
/// </summary>
public sealed class IdempotencyCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var mark = IdempotencyContext.TakeIncoming();
        IdempotencyContext.Current = mark is not null && context.Grain is IIdempotentCommitter ? mark : null;
        await context.Invoke();
    }
}
