using Summit.Deadlines;

namespace Summit.Hosting.Storage;

/// <summary>
/// The announcement store of a process without a database: rows in memory, lost at restart, with the same rules as
/// <see cref="PostgresAnnouncementStore"/> (one row per task, deadline, kind and lead; appending a stored one is a no-op).
/// </summary>
public sealed class MemoryAnnouncementStore : IAnnouncementStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SummitRows> _summits = new(StringComparer.Ordinal);

    private sealed class SummitRows
    {
        public readonly List<Row> Rows = [];
        public readonly Dictionary<AnnouncementKey, Row> ByKey = [];
    }

    private sealed class Row(DueAnnouncementRecord record)
    {
        public DueAnnouncementRecord Record { get; } = record;
        public bool Delivered { get; set; }
    }

    public Task AppendAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_lock)
        {
            var rows = RowsOf(summit);
            foreach (var record in records)
            {
                var key = AnnouncementKey.Of(record);
                if (rows.ByKey.ContainsKey(key)) continue;
                var row = new Row(record);
                rows.ByKey[key] = row;
                rows.Rows.Add(row);
            }
        }
        return Task.CompletedTask;
    }

    public Task MarkDeliveredAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_lock)
        {
            var rows = RowsOf(summit);
            foreach (var record in records)
                if (rows.ByKey.TryGetValue(AnnouncementKey.Of(record), out var row)) row.Delivered = true;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredAnnouncement>> LoadAsync(string summit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<StoredAnnouncement>>([.. RowsOf(summit).Rows.Select(r => new StoredAnnouncement(r.Record, r.Delivered))]);
    }

    public Task<IReadOnlyList<DueAnnouncementRecord>> UndeliveredAsync(string summit, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<DueAnnouncementRecord>>([.. RowsOf(summit).Rows.Where(r => !r.Delivered).Take(Math.Max(0, max)).Select(r => r.Record)]);
    }

    public Task<IReadOnlyList<DueAnnouncementRecord>> ForTaskAsync(string summit, string taskId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<DueAnnouncementRecord>>([.. RowsOf(summit).Rows.Where(r => r.Record.TaskId == taskId).Select(r => r.Record)]);
    }

    private SummitRows RowsOf(string summit)
    {
        if (!_summits.TryGetValue(summit, out var rows)) _summits[summit] = rows = new SummitRows();
        return rows;
    }
}
