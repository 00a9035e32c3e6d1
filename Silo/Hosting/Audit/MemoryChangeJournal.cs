using Summit.Journal;

namespace Summit.Hosting.Audit;

/// <summary>
/// The audit trail of a Gateway running without a database: kept in memory, lost at restart like the
/// rest of its state. Keeps at most <see cref="MaxRecordsPerSummit"/> per summit, dropping the oldest.
/// </summary>
public sealed class MemoryChangeJournal : IChangeJournal, IAuditReader
{
    public const int MaxRecordsPerSummit = 200_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Entry>> _bySummit = new(StringComparer.Ordinal);
    private readonly HashSet<(string Summit, Domain.EntityKind Kind, string Id, int Version)> _seen = [];
    private long _sequence;

    public Task RecordAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            // Same rule as the table's unique key: a retried record of the same change is not a second change.
            if (!_seen.Add((change.Summit, change.Kind, change.EntityId, change.Version))) return Task.CompletedTask;
            if (!_bySummit.TryGetValue(change.Summit, out var list)) _bySummit[change.Summit] = list = [];
            list.Add(new Entry(++_sequence, change));
            if (list.Count > MaxRecordsPerSummit + MaxRecordsPerSummit / 10)
            {
                var excess = list.Count - MaxRecordsPerSummit;
                foreach (var dropped in list.Take(excess))
                    _seen.Remove((dropped.Record.Summit, dropped.Record.Kind, dropped.Record.EntityId, dropped.Record.Version));
                list.RemoveRange(0, excess);
            }
        }
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<ChangeRecord> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Entry[] matching;
        lock (_lock)
        {
            if (!_bySummit.TryGetValue(query.Summit, out var list)) return Task.FromResult<(IReadOnlyList<ChangeRecord>, int)>(([], 0));
            matching = list.Where(e => Matches(e.Record, query)).ToArray();
        }
        var page = matching
            .OrderByDescending(e => e.Record.At)
            .ThenByDescending(e => e.Sequence)
            .Skip(Math.Max(0, query.Offset))
            .Take(Math.Max(0, query.Limit))
            .Select(e => e.Record)
            .ToArray();
        return Task.FromResult<(IReadOnlyList<ChangeRecord>, int)>((page, matching.Length));
    }

    private static bool Matches(ChangeRecord record, AuditQuery query) =>
        (query.Kind is null || record.Kind == query.Kind)
        && (query.EntityId is null || record.EntityId == query.EntityId)
        && (query.Account is null || record.Account == query.Account)
        && (query.From is null || record.At >= query.From)
        && (query.To is null || record.At < query.To);

    private sealed record Entry(long Sequence, ChangeRecord Record);
}
