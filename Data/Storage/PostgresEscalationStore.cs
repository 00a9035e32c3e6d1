using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Data.Storage;

/// <summary>
/// The escalation ladders' tasks in PostgreSQL (<c>summit_escalation</c>, migration 0190): one row per summit and task,
/// the record as Summit's JSON beside the columns the queries order by. Reads that need the task's current state join
/// its row in <c>summit_entity</c>, so neither a reconciliation nor the red list activates a task grain.
/// </summary>
public sealed class PostgresEscalationStore(NpgsqlDataSource dataSource) : IEscalationStore
{
    public async Task<EscalationRecord?> GetAsync(string summit, string taskId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT entry::text FROM summit_escalation WHERE summit = $1 AND task_id = $2");
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(taskId));
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Read(json) : null;
    }

    public async Task<IReadOnlyList<LadderedTask>> PageAsync(string summit, string? afterTaskId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.entry::text, e.state::text
            FROM summit_escalation r
            LEFT JOIN summit_entity e ON e.summit = r.summit AND e.kind = 'task' AND e.id = r.task_id
            WHERE r.summit = $1 AND ($2::text IS NULL OR r.task_id COLLATE "C" > $2)
            ORDER BY r.task_id COLLATE "C"
            LIMIT $3
            """);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(afterTaskId));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, limit) });
        var result = new List<LadderedTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new LadderedTask(Read(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return result;
    }

    public async Task SaveAsync(string summit, IReadOnlyList<EscalationRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_escalation AS s (summit, task_id, overdue_since, red_listed_at, entry)
            SELECT $1, r ->> 'taskId', (r ->> 'overdueSince')::timestamptz, (r ->> 'redListedAt')::timestamptz, r
            FROM jsonb_array_elements($2::jsonb) AS a(r)
            ON CONFLICT ON CONSTRAINT pk_summit_escalation DO UPDATE
                SET overdue_since = excluded.overdue_since, red_listed_at = excluded.red_listed_at, entry = excluded.entry
            """);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(records, SummitJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveAsync(string summit, IReadOnlyList<string> taskIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        if (taskIds.Count == 0) return;
        await using var command = dataSource.CreateCommand("DELETE FROM summit_escalation WHERE summit = $1 AND task_id = ANY($2)");
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = taskIds.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> CountAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM summit_escalation WHERE summit = $1");
        command.Parameters.Add(Text(summit));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<(IReadOnlyList<RedListRow> Items, int Total)> RedListAsync(
        string summit, IReadOnlyList<string>? owners, int offset, int limit, CancellationToken cancellationToken = default)
    {
        // Still open, and still due as laddered: the same deadline JSON on both sides.
        const string from = """
            FROM summit_escalation r
            JOIN summit_entity e ON e.summit = r.summit AND e.kind = 'task' AND e.id = r.task_id
            WHERE r.summit = $1 AND r.red_listed_at IS NOT NULL
              AND e.task_open AND e.state -> 'due' = r.entry -> 'due'
              AND ($2::text[] IS NULL OR e.task_owner = ANY($2))
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var count = new NpgsqlBatchCommand($"SELECT count(*) {from}");
        var page = new NpgsqlBatchCommand($"""
            SELECT r.entry::text, e.state::text {from}
            ORDER BY r.overdue_since, r.task_id COLLATE "C"
            OFFSET $3 LIMIT $4
            """);
        foreach (var command in new[] { count, page })
        {
            command.Parameters.Add(Text(summit));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)owners?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, offset) });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, limit) });
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<RedListRow>();
        while (await reader.ReadAsync(cancellationToken)) items.Add(new RedListRow(Read(reader.GetString(0)), reader.GetString(1)));
        return (items, total);
    }

    private static EscalationRecord Read(string json) =>
        JsonSerializer.Deserialize<EscalationRecord>(json, SummitJson.Options) ?? throw new InvalidOperationException("An escalation row holds no record.");

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
