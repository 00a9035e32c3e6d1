using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Summit.Notifications;
using Summit.Serialization;

namespace Summit.Data.Notifications;

/// <summary>
/// The notification store in PostgreSQL (migration 0170): <c>summit_notification</c>, one row per inbox and id, and
/// <c>summit_notification_read</c>, one row per account and read id. A page takes each inbox's newest offset + limit
/// rows from its index, so it reads that many however many an inbox holds; the counts are index-only counts.
/// </summary>
public sealed class PostgresNotificationStore(NpgsqlDataSource dataSource) : INotificationStore
{
    public async Task<IReadOnlyList<Notification>> AddAsync(string inbox, IReadOnlyList<Notification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var distinct = notifications.DistinctBy(n => n.Id).ToArray();
        if (distinct.Length == 0) return [];
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_notification (inbox, id, summit, created_at, body)
            SELECT @inbox, x.id, x.summit, x.created_at, x.body::jsonb
            FROM unnest(@ids, @summits, @created, @bodies) AS x(id, summit, created_at, body)
            ON CONFLICT ON CONSTRAINT pk_summit_notification DO NOTHING
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("inbox", inbox));
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", distinct.Select(n => n.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("summits", distinct.Select(n => n.Summit).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<NodaTime.Instant[]>("created", distinct.Select(n => n.CreatedAt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("bodies", distinct.Select(n => JsonSerializer.Serialize(n with { Read = false }, SummitJson.Options)).ToArray()));
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) stored.Add(reader.GetString(0));
        }
        return distinct.Where(n => stored.Contains(n.Id)).ToArray();
    }

    public async Task<IReadOnlyList<Notification>> LatestAsync(string inbox, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT body FROM summit_notification WHERE inbox = @inbox ORDER BY created_at DESC, id LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<string>("inbox", inbox));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var list = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Read(reader.GetString(0)));
        list.Reverse();
        return list;
    }

    public async Task<NotificationPage> PageAsync(NotificationPageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Inboxes.Count == 0) return new NotificationPage([], 0, 0);
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand(PageSql(query.Inboxes.Count, query.Summit is { Length: > 0 }, query.Unread));
        AddParameters(page.Parameters, query);
        page.Parameters.Add(new NpgsqlParameter<int>("offset", query.Offset));
        page.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        var counts = new NpgsqlBatchCommand(CountSql(query.Inboxes.Count, query.Summit is { Length: > 0 }, query.Unread));
        AddParameters(counts.Parameters, query);
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(counts);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<NotificationRow>();
        while (await reader.ReadAsync(cancellationToken)) items.Add(new NotificationRow(Read(reader.GetString(0)), reader.GetBoolean(1)));
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new NotificationPage(items, checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)));
    }

    public async Task<Notification?> MarkReadAsync(string account, IReadOnlyList<string> inboxes, string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH found AS (
                SELECT body FROM summit_notification
                WHERE inbox = ANY(@inboxes) AND id = @id
                ORDER BY array_position(@inboxes, inbox)
                LIMIT 1),
            marked AS (
                INSERT INTO summit_notification_read (account, id)
                SELECT @account, @id WHERE EXISTS (SELECT 1 FROM found)
                ON CONFLICT ON CONSTRAINT pk_summit_notification_read DO NOTHING)
            SELECT body FROM found
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("account", account));
        command.Parameters.Add(new NpgsqlParameter<string[]>("inboxes", inboxes.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string>("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? Read(body) : null;
    }

    public async Task<int> MarkAllReadAsync(string account, IReadOnlyList<string> inboxes, string? summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_notification_read (account, id)
            SELECT DISTINCT @account, id FROM summit_notification
            WHERE inbox = ANY(@inboxes) AND (@summit::text IS NULL OR summit = @summit::text)
            ON CONFLICT ON CONSTRAINT pk_summit_notification_read DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("account", account));
        command.Parameters.Add(new NpgsqlParameter<string[]>("inboxes", inboxes.ToArray()));
        command.Parameters.Add(new NpgsqlParameter("summit", NpgsqlDbType.Text) { Value = string.IsNullOrEmpty(summit) ? DBNull.Value : summit });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PruneReadAsync(NodaTime.Instant createdBefore, CancellationToken cancellationToken = default)
    {
        // A notification id is the same notification in every inbox that holds it, so all its rows go together, and its
        // read marks with them (nothing is left for them to mark). Migration 0181's indexes find the old rows and the marks.
        await using var command = dataSource.CreateCommand("""
            WITH gone AS (
                DELETE FROM summit_notification n
                WHERE n.created_at < @before
                  AND EXISTS (SELECT 1 FROM summit_notification_read r WHERE r.id = n.id)
                RETURNING n.id),
            marks AS (
                DELETE FROM summit_notification_read r
                WHERE r.id IN (SELECT id FROM gone))
            SELECT count(*) FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter<NodaTime.Instant>("before", createdBefore));
        return checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>
    /// One page: parameters <c>@account</c>, <c>@i0</c>…, <c>@summit</c> (when filtered), <c>@offset</c>, <c>@limit</c>;
    /// columns body, read. Each inbox is its own branch that takes its newest offset + limit rows from the index, so
    /// a page reads and sorts at most that many rows per inbox.
    /// </summary>
    public static string PageSql(int inboxes, bool bySummit, bool? unread) => $"""
        SELECT v.body::text, EXISTS (SELECT 1 FROM summit_notification_read r WHERE r.account = @account AND r.id = v.id OFFSET 0) AS read
        FROM ({Branches(inboxes, bySummit, unread, "n.id, n.created_at, n.body", "ORDER BY n.created_at DESC, n.id LIMIT @offset + @limit")}) v
        ORDER BY v.created_at DESC, v.id
        OFFSET @offset LIMIT @limit
        """;

    /// <summary>The matches (read filter applied) and every unread one (read filter not applied).</summary>
    public static string CountSql(int inboxes, bool bySummit, bool? unread) => $"""
        SELECT count(*) FILTER (WHERE {unread switch { true => "NOT v.read", false => "v.read", null => "true" }}),
               count(*) FILTER (WHERE NOT v.read)
        FROM (SELECT EXISTS (SELECT 1 FROM summit_notification_read r WHERE r.account = @account AND r.id = u.id) AS read
              FROM ({Branches(inboxes, bySummit, null, "n.id")}) u) v
        """;

    private static string Branches(int inboxes, bool bySummit, bool? unread, string columns, string? tail = null)
    {
        var sql = new StringBuilder();
        for (var k = 0; k < inboxes; k++)
        {
            if (k > 0) sql.Append("\n    UNION ALL\n");
            sql.Append($"(SELECT {columns} FROM summit_notification n WHERE n.inbox = @i{k}");
            if (bySummit) sql.Append(" AND n.summit = @summit");
            // A notification in a more specific inbox is listed from there only. OFFSET 0 keeps these tests per-row key
            // lookups: pulled up into a (hash) join they would cost the branch its index order.
            for (var j = 0; j < k; j++)
                sql.Append($" AND NOT EXISTS (SELECT 1 FROM summit_notification e WHERE e.inbox = @i{j} AND e.id = n.id OFFSET 0)");
            if (unread is { } u)
                sql.Append($" AND {(u ? "NOT " : "")}EXISTS (SELECT 1 FROM summit_notification_read r WHERE r.account = @account AND r.id = n.id OFFSET 0)");
            if (tail is not null) sql.Append(' ').Append(tail);
            sql.Append(')');
        }
        return sql.ToString();
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, NotificationPageQuery query)
    {
        parameters.Add(new NpgsqlParameter<string>("account", query.Account));
        for (var k = 0; k < query.Inboxes.Count; k++) parameters.Add(new NpgsqlParameter<string>($"i{k}", query.Inboxes[k]));
        if (query.Summit is { Length: > 0 } summit) parameters.Add(new NpgsqlParameter<string>("summit", summit));
    }

    private static Notification Read(string json) =>
        JsonSerializer.Deserialize<Notification>(json, SummitJson.Options) ?? throw new InvalidDataException("A stored notification is null.");
}
