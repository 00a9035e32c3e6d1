using System.Text.Json;
using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Hosting.Storage;

/// <summary>
/// The entity store of a process without a database: rows in memory, lost at restart. A commit writes the entity, its
/// history row (into the in-memory audit journal, which the audit API reads) and the idempotency record under one lock,
/// so it is all-or-nothing like the database's transaction.
/// </summary>
public sealed class MemoryEntityStore(IChangeJournal journal) : IEntityStore, IEntityQueries, IIdempotencyLedger, IChangeStream
{
    /// <summary>Changes kept per summit for the stream; a consumer further behind skips the oldest.</summary>
    public const int StreamCapacity = 200_000;

    private readonly Dictionary<string, List<(long Row, ChangeRecord Change)>> _streams = new(StringComparer.Ordinal);
    private long _row;

    private readonly Lock _lock = new();
    private readonly Dictionary<EntityKey, StoredEntity> _entities = [];
    private readonly Dictionary<EntityKey, List<HistoryEntry>> _history = [];
    private readonly Dictionary<(string Account, string Route, string Key), (IdempotencyMark Mark, EntityKey Applied)> _applied = [];

    public Task<StoredEntity?> LoadAsync(EntityKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_entities.GetValueOrDefault(key));
    }

    public async Task<CommitOutcome> CommitAsync(EntityCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_lock)
        {
            var stored = _entities.GetValueOrDefault(commit.Key);
            if ((stored?.Revision ?? 0) != commit.ExpectedRevision) return CommitOutcome.RevisionConflict;
            if (commit.Idempotency is { } mark)
            {
                var scope = (mark.Account, mark.Route, mark.Key);
                // A key is applied once; an expired record is replaced by the next use of the key.
                if (_applied.TryGetValue(scope, out var earlier) && earlier.Mark.ExpiresAt > mark.ExpiresAt - mark.Lifetime)
                    return CommitOutcome.AlreadyApplied;
                _applied[scope] = (mark, commit.Key);
            }
            _entities[commit.Key] = new StoredEntity(commit.Json, commit.ExpectedRevision + 1);
            if (commit.Change is { } change)
            {
                if (!_history.TryGetValue(commit.Key, out var list)) _history[commit.Key] = list = [];
                list.Add(new HistoryEntry(change.Version, change.At, change.Account, change.Role, change.Changes, change.Note, change.Unit));
                if (!_streams.TryGetValue(change.Summit, out var stream)) _streams[change.Summit] = stream = [];
                stream.Add((++_row, change));
                if (stream.Count > StreamCapacity + StreamCapacity / 10) stream.RemoveRange(0, stream.Count - StreamCapacity);
            }
        }
        // The in-memory journal records synchronously and cannot fail; it ignores a change it already has.
        if (commit.Change is { } recorded) await journal.RecordAsync(recorded, cancellationToken);
        return CommitOutcome.Committed;
    }

    public Task<(IReadOnlyList<HistoryEntry> Items, int Total)> HistoryAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var list = _history.GetValueOrDefault(key) ?? [];
            IReadOnlyList<HistoryEntry> page = list.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToArray();
            return Task.FromResult((page, list.Count));
        }
    }

    public Task<byte[]?> FindAppliedAsync(string account, string route, string key, Instant now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_applied.TryGetValue((account, route, key), out var applied) && applied.Mark.ExpiresAt > now
                ? applied.Mark.RequestHash
                : null);
        }
    }

    public Task<IReadOnlyList<string>> ListIdsAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<string> ids = _entities.Keys
                .Where(k => k.Kind == kind && (kind == EntityKind.Summit || k.Summit == summit))
                .Select(k => k.Id)
                .Order(StringComparer.Ordinal)
                .ToArray();
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyList<string>> LoadAllAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<string> all = _entities
                .Where(e => e.Key.Kind == kind && e.Key.Summit == summit)
                .OrderBy(e => e.Key.Id, StringComparer.Ordinal)
                .Select(e => e.Value.Json)
                .ToArray();
            return Task.FromResult(all);
        }
    }

    public Task<IReadOnlyList<StreamedChange>> ReadAsync(string summit, StreamPosition after, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(summit, out var stream)) return Task.FromResult<IReadOnlyList<StreamedChange>>([]);
            // Rows only grow: find the first one after the position by binary search.
            int low = 0, high = stream.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (stream[middle].Row <= after.Row) low = middle + 1;
                else high = middle;
            }
            var result = new List<StreamedChange>();
            for (var i = low; i < stream.Count && result.Count < max; i++)
            {
                var (row, change) = stream[i];
                if (_entities.GetValueOrDefault(new EntityKey(change.Summit, change.Kind, change.EntityId)) is { } entity)
                    result.Add(new StreamedChange(new StreamPosition(0, row), change, entity.Json));
            }
            return Task.FromResult<IReadOnlyList<StreamedChange>>(result);
        }
    }

    public Task<IReadOnlyList<OwningUnit>> ListTaskOwnersAsync(string summit, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OwningUnit> owners = Tasks(summit)
            .Select(t => t.Task.Owner)
            .Distinct()
            .OrderBy(TaskListQuery.OwnerKey, StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult(owners);
    }

    public Task<TaskPage> QueryTasksAsync(TaskListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matches = TaskListQuery.Order(Tasks(query.Summit).Where(t => query.Matches(t.Task)), t => t.Task).ToArray();
        var page = matches.Skip(Math.Max(0, query.Offset));
        if (query.Limit is { } limit) page = page.Take(Math.Max(0, limit));
        return Task.FromResult(new TaskPage(page.Select(t => t.Json).ToArray(), matches.Length));
    }

    /// <summary>The summit's tasks, read from their stored JSON as the database's columns are computed from it.</summary>
    private List<(string Json, PreparationTask Task)> Tasks(string summit)
    {
        string[] stored;
        lock (_lock)
            stored = _entities.Where(e => e.Key.Kind == EntityKind.Task && e.Key.Summit == summit).Select(e => e.Value.Json).ToArray();
        var tasks = new List<(string, PreparationTask)>(stored.Length);
        foreach (var json in stored)
            if (JsonSerializer.Deserialize<PreparationTask>(json, SummitJson.Options) is { } task) tasks.Add((json, task));
        return tasks;
    }
}
