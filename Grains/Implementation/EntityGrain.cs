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
    private static bool Replaying => IdempotencyContext.Current?.Replay == true;

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
    protected async Task<TEntity> Commit(ChangeResult<TEntity> result, Actor actor, Instant now, string? note)
    {
        var mark = IdempotencyContext.Current;
        if (mark?.Replay == true) return Current ?? throw new RequestAlreadyAppliedException(Kind, EntityId);
        if (!result.IsNewVersion) return result.Entity;
        var change = new ChangeRecord(
            SummitOfEntity, Kind, EntityId, VersionOf(result.Entity), now, actor.Account, actor.Role, actor.Unit, result.Changes,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        // One key, one application: whatever else this request changes afterwards does not carry the key.
        IdempotencyContext.Current = null;
        var outcome = await WriteAsync(result.Entity, change, mark);
        if (outcome == CommitOutcome.AlreadyApplied)
            return Current ?? throw new RequestAlreadyAppliedException(Kind, EntityId);
        // The deadline engine and the live feed read the change from the stream; the request does not wait for them.
        if (ServiceProvider is not null) _ = GrainFactory.GetGrain<IChangeStreamGrain>(SummitOfEntity).Poke();
        return result.Entity;
    }

    /// <summary>Writes <paramref name="entity"/> without a new version (nothing to audit), e.g. a university's links.</summary>
    protected async Task Persist(TEntity entity) => await WriteAsync(entity, change: null, mark: null);

    private async Task<CommitOutcome> WriteAsync(TEntity entity, ChangeRecord? change, IdempotencyMark? mark)
    {
        var json = JsonSerializer.Serialize(entity, SummitJson.Options);
        CommitOutcome outcome;
        try
        {
            outcome = await store.CommitAsync(new EntityCommit(Key, _revision, VersionOf(entity), json, change, mark));
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
                // Another activation wrote first (possible for a moment after a silo failure): take what is stored and
                // let the caller retry with it.
                var stored = await store.LoadAsync(Key);
                _current = stored is null ? null : JsonSerializer.Deserialize<TEntity>(stored.Json, SummitJson.Options);
                _revision = stored?.Revision ?? 0;
                var version = _current is null ? 0 : VersionOf(_current);
                throw new VersionConflictException(Kind, EntityId, VersionOf(entity) - 1, version);
        }
    }
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

    protected async Task<SummitEdition> GetSummitAsync() =>
        await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get()
        ?? throw new EntityNotFoundException(EntityKind.Summit, SummitCode);

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
