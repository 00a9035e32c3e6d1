using System.Text.Json;
using NodaTime;
using Npgsql;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Scheduling;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Data.Storage;

/// <summary>
/// The deadline engines' announcements in PostgreSQL (<c>summit_announcement</c>, migration 0160): one row each, unique
/// per summit, task, deadline, kind and lead, so appending one twice is a no-op. Records travel to the database as
/// Summit's JSON and are unpacked by the same expressions the migration uses for the announcements it moved.
/// Instants are kept to the microsecond (PostgreSQL's precision).
/// </summary>
public sealed class PostgresAnnouncementStore(NpgsqlDataSource dataSource) : IAnnouncementStore
{
    private const string Columns = "task_id, kind, lead_days, deadline_date, deadline_time, state_since, announced_at";

    public async Task AppendAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO summit_announcement (summit, {Columns})
            SELECT $1, r ->> 'taskId', r ->> 'kind', (r ->> 'leadDays')::integer, (r -> 'deadline' ->> 'date')::date,
                   (r -> 'deadline' ->> 'time')::time, (r ->> 'stateSince')::timestamptz, (r ->> 'announcedAt')::timestamptz
            FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS a(r, n)
            ORDER BY n
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(records, SummitJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkDeliveredAsync(string summit, IReadOnlyList<DueAnnouncementRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        // Matched on the unique key's expressions, so each record finds its row through the index.
        await using var command = dataSource.CreateCommand("""
            UPDATE summit_announcement a SET delivered = true
            FROM jsonb_array_elements($2::jsonb) r
            WHERE a.summit = $1
              AND a.task_id = r ->> 'taskId'
              AND a.deadline_date = (r -> 'deadline' ->> 'date')::date
              AND coalesce(a.deadline_time, '24:00'::time) = coalesce((r -> 'deadline' ->> 'time')::time, '24:00'::time)
              AND a.kind = r ->> 'kind'
              AND coalesce(a.lead_days, -1) = coalesce((r ->> 'leadDays')::integer, -1)
              AND NOT a.delivered
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(records, SummitJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredAnnouncement>> LoadAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, delivered FROM summit_announcement WHERE summit = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        var result = new List<StoredAnnouncement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(new StoredAnnouncement(Read(reader), reader.GetBoolean(7)));
        return result;
    }

    public async Task<IReadOnlyList<DueAnnouncementRecord>> UndeliveredAsync(string summit, int max, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM summit_announcement WHERE summit = $1 AND NOT delivered ORDER BY seq LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, max) });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<DueAnnouncementRecord>> ForTaskAsync(string summit, string taskId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM summit_announcement WHERE summit = $1 AND task_id = $2 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taskId });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<AnnouncementPage> QueryAsync(AnnouncementListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Owners is { Count: 0 }) return new AnnouncementPage([], 0);
        var (from, filter) = QueryFilter(query);
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) {from}",
            $"SELECT {Qualified("a")} {from} ORDER BY a.seq OFFSET ${filter.Count + 1} LIMIT ${filter.Count + 2}",
            filter, CountAndPage.PagingParameters(query.Offset, query.Limit), Read, cancellationToken);
        return new AnnouncementPage(items, total);
    }

    /// <summary>
    /// The FROM and WHERE of <see cref="QueryAsync"/> and their parameters. Oldest first is the primary key's order
    /// (summit, seq); a task's announcements are found by the unique key, which starts with (summit, task_id); owners join
    /// the task rows, whose owner index leads to the owners' tasks and from each to its announcements.
    /// </summary>
    public static (string From, IReadOnlyList<NpgsqlParameter> Parameters) QueryFilter(AnnouncementListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<NpgsqlParameter> { new NpgsqlParameter<string> { TypedValue = query.Summit } };
        var from = "FROM summit_announcement a";
        var where = "WHERE a.summit = $1";
        if (query.Owners is { } owners)
        {
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = owners.Select(TaskListQuery.OwnerKey).ToArray() });
            from += " JOIN summit_entity e ON e.summit = a.summit AND e.kind = 'task' AND e.id = a.task_id";
            where += $" AND e.task_owner = ANY(${parameters.Count})";
        }
        if (query.TaskId is { } taskId)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = taskId });
            where += $" AND a.task_id = ${parameters.Count}";
        }
        return ($"{from} {where}", parameters);
    }

    private static string Qualified(string alias) => string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    private static async Task<IReadOnlyList<DueAnnouncementRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<DueAnnouncementRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(Read(reader));
        return result;
    }

    private static DueAnnouncementRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        Enum.Parse<DueKind>(reader.GetString(1), ignoreCase: true),
        reader.IsDBNull(2) ? null : reader.GetInt32(2),
        new Deadline(reader.GetFieldValue<LocalDate>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<LocalTime>(4)),
        reader.GetFieldValue<Instant>(5),
        reader.GetFieldValue<Instant>(6));
}
