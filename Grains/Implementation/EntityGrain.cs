using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Rules;

namespace Summit.Grains;

/// <summary>
/// The commit pattern every entity grain shares. Commands replace the stored state object as a whole and never
/// mutate one that was committed, so the interleaving reads can keep answering from the last persisted object
/// while a write is in flight.
/// </summary>
public abstract class EntityGrain<TState, TEntity>(IPersistentState<TState> store, IClock clock, IChangeJournal journal) : Grain
    where TState : class, IEntityState<TEntity>, new()
    where TEntity : class
{
    private TState? _committed;

    // History entries persisted but not yet confirmed by the audit journal. The journal ignores a record it
    // already has, so re-sending is safe; after a crash between persisting and journaling, the activation
    // re-sends the newest entry, which makes the audit trail at-least-once without a distributed transaction.
    private readonly List<HistoryEntry> _unjournaled = [];

    protected IClock Clock { get; } = clock;

    protected abstract EntityKind Kind { get; }

    /// <summary>The id used in errors: the summit code for a summit, the id within the summit otherwise.</summary>
    protected abstract string EntityId { get; }

    protected abstract int VersionOf(TEntity entity);

    /// <summary>The summit the entity belongs to, for the audit trail.</summary>
    protected virtual string SummitOfEntity => EntityId;

    /// <summary>The last persisted entity, null if never created.</summary>
    protected TEntity? Current => Committed.Entity;

    protected IReadOnlyList<HistoryEntry> History => Committed.History;

    private TState Committed => _committed ?? throw new InvalidOperationException("The grain has not been activated.");

    private IChangeListener[] _listeners = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (ServiceProvider?.GetService(typeof(IEnumerable<IChangeListener>)) is IEnumerable<IChangeListener> listeners)
            _listeners = listeners.ToArray();
        // Older or hand-edited JSON may lack the history array.
        store.State.History ??= [];
        _committed = store.State;
        if (store.State.History.Count > 0) _unjournaled.Add(store.State.History[^1]);
        return base.OnActivateAsync(cancellationToken);
    }

    protected void EnsureNew()
    {
        if (Current is not null) throw new EntityExistsException(Kind, EntityId);
    }

    protected TEntity Existing(int? expectedVersion = null)
    {
        var entity = Current ?? throw new EntityNotFoundException(Kind, EntityId);
        var version = VersionOf(entity);
        if (expectedVersion is { } expected && expected != version) throw new VersionConflictException(Kind, EntityId, expected, version);
        return entity;
    }

    /// <summary>Stores an accepted change with its history entry; a result that is not a new version stores nothing.</summary>
    protected async Task<TEntity> Commit(ChangeResult<TEntity> result, Actor actor, Instant now, string? note)
    {
        if (!result.IsNewVersion) return result.Entity;
        var entry = new HistoryEntry(
            VersionOf(result.Entity), now, actor.Account, actor.Role, result.Changes, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), actor.Unit);
        await Persist(result.Entity, entry);
        _unjournaled.Add(entry);
        await FlushJournalAsync();
        if (_listeners.Length > 0) await NotifyListenersAsync(ToRecord(entry), result.Entity);
        return result.Entity;
    }

    private ChangeRecord ToRecord(HistoryEntry entry) =>
        new(SummitOfEntity, Kind, EntityId, entry.Version, entry.At, entry.Account, entry.Role, entry.Unit, entry.Changes, entry.Note);

    private async Task NotifyListenersAsync(ChangeRecord change, TEntity entity)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnChangedAsync(change, entity);
            }
            catch (Exception e)
            {
                Log(logger => logger.LogError(e, "Change listener {Listener} failed for {Kind} {Id} version {Version}.",
                    listener.GetType().Name, Kind, change.EntityId, change.Version));
            }
        }
    }

    // No service provider means the grain runs outside a silo (unit tests): no logger, and no identity to log either.
    private void Log(Action<ILogger> write)
    {
        if (ServiceProvider?.GetService(typeof(ILogger<EntityGrain<TState, TEntity>>)) is ILogger logger) write(logger);
    }

    /// <summary>
    /// Sends pending history entries to the audit journal, oldest first. The change is already stored, so a
    /// journal outage must not fail the command: the entries wait for the next command of this grain.
    /// </summary>
    private async Task FlushJournalAsync()
    {
        while (_unjournaled.Count > 0)
        {
            var entry = _unjournaled[0];
            try
            {
                await journal.RecordAsync(ToRecord(entry));
            }
            catch (Exception e)
            {
                Log(logger => logger.LogError(e, "Audit journal unavailable; {Kind} {Id} version {Version} will be recorded with the next change.",
                    Kind, EntityId, entry.Version));
                return;
            }
            _unjournaled.RemoveAt(0);
        }
    }

    /// <summary>Writes <paramref name="entity"/> (and <paramref name="entry"/>, if any); on failure the previous state is restored.</summary>
    protected async Task Persist(TEntity entity, HistoryEntry? entry)
    {
        var previous = store.State;
        var next = new TState
        {
            Entity = entity,
            History = entry is null ? previous.History : [.. previous.History, entry],
        };
        store.State = next;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State = previous;
            throw;
        }
        _committed = next;
    }
}

/// <summary>An entity that lives inside a summit; its key is <c>{summit}/{id}</c>.</summary>
public abstract class SummitScopedGrain<TState, TEntity>(IPersistentState<TState> store, IClock clock, IChangeJournal journal)
    : EntityGrain<TState, TEntity>(store, clock, journal)
    where TState : class, IEntityState<TEntity>, new()
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

    protected Task RegisterAsync() => Catalog.AddAsync(GrainFactory, SummitCode, Kind, EntityId);

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
