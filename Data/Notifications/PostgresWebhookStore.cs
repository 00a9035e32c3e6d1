using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Storage;

namespace Summit.Data.Notifications;

/// <summary>The webhook store in PostgreSQL (migration 0131).</summary>
public sealed class PostgresWebhookStore(NpgsqlDataSource dataSource) : IWebhookStore
{
    private const string ConfigColumns = "summit, unit, url, robot, format, enabled, keyword, updated_at, updated_by";
    private const string DeliveryColumns = "id, summit, unit, notification_id, url, body, attempts, next_attempt_at, last_error, created_at";

    public async Task<WebhookConfig?> GetAsync(string summit, string unit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ConfigColumns} FROM summit_webhooks WHERE summit = @summit AND unit = @unit");
        command.Parameters.Add(new NpgsqlParameter<string>("summit", summit));
        command.Parameters.Add(new NpgsqlParameter<string>("unit", unit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadConfig(reader) : null;
    }

    public async Task<IReadOnlyList<WebhookConfig>> ListAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ConfigColumns} FROM summit_webhooks WHERE summit = @summit ORDER BY unit");
        command.Parameters.Add(new NpgsqlParameter<string>("summit", summit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<WebhookConfig>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadConfig(reader));
        return list;
    }

    public async Task<(IReadOnlyList<WebhookListing> Items, int Total)> PageAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default)
    {
        // The primary key (summit, unit) serves the page in order; each webhook's posts are counted by the outbox's
        // unique key (summit, unit, notification_id), so only the page's units are counted.
        return await CountAndPage.ReadAsync(dataSource,
            "SELECT count(*) FROM summit_webhooks WHERE summit = $1",
            $"""
            SELECT {ConfigColumns},
                   (SELECT count(*) FROM summit_webhook_outbox o WHERE o.summit = w.summit AND o.unit = w.unit)
            FROM summit_webhooks w WHERE w.summit = $1
            ORDER BY w.unit OFFSET $2 LIMIT $3
            """,
            [new NpgsqlParameter<string> { TypedValue = summit }], CountAndPage.PagingParameters(offset, limit),
            reader => new WebhookListing(ReadConfig(reader), checked((int)reader.GetInt64(9))), cancellationToken);
    }

    public async Task PutAsync(WebhookConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_webhooks (summit, unit, url, robot, format, enabled, keyword, updated_at, updated_by)
            VALUES (@summit, @unit, @url, @robot, @format, @enabled, @keyword, @updated_at, @updated_by)
            ON CONFLICT (summit, unit) DO UPDATE SET url = excluded.url, robot = excluded.robot, format = excluded.format,
                enabled = excluded.enabled, keyword = excluded.keyword, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("summit", config.Summit));
        command.Parameters.Add(new NpgsqlParameter<string>("unit", config.Unit));
        command.Parameters.Add(new NpgsqlParameter<string>("url", config.Url));
        command.Parameters.Add(new NpgsqlParameter<string>("robot", Name(config.Robot)));
        command.Parameters.Add(new NpgsqlParameter<string>("format", Name(config.Format)));
        command.Parameters.Add(new NpgsqlParameter<bool>("enabled", config.Enabled));
        command.Parameters.Add(new NpgsqlParameter("keyword", NpgsqlDbType.Text) { Value = (object?)config.Keyword ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<Instant>("updated_at", config.UpdatedAt));
        command.Parameters.Add(new NpgsqlParameter<string>("updated_by", config.UpdatedBy));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task EnqueueAsync(IReadOnlyList<WebhookPost> posts, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posts);
        if (posts.Count == 0) return;
        await using var batch = dataSource.CreateBatch();
        foreach (var post in posts)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO summit_webhook_outbox (summit, unit, notification_id, url, body, next_attempt_at, created_at)
                VALUES (@summit, @unit, @notification_id, @url, @body, @now, @now)
                ON CONFLICT ON CONSTRAINT ux_summit_webhook_outbox_post DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter<string>("summit", post.Summit));
            command.Parameters.Add(new NpgsqlParameter<string>("unit", post.Unit));
            command.Parameters.Add(new NpgsqlParameter<string>("notification_id", post.NotificationId));
            command.Parameters.Add(new NpgsqlParameter<string>("url", post.Url));
            command.Parameters.Add(new NpgsqlParameter<string>("body", post.Body));
            command.Parameters.Add(new NpgsqlParameter<Instant>("now", now));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimAsync(Instant now, int max, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE summit_webhook_outbox SET locked_until = @lease
            WHERE id IN (
                SELECT id FROM summit_webhook_outbox
                WHERE next_attempt_at <= @now AND (locked_until IS NULL OR locked_until <= @now)
                ORDER BY next_attempt_at, id
                LIMIT @max
                FOR UPDATE SKIP LOCKED)
            RETURNING {DeliveryColumns}
            """);
        command.Parameters.Add(new NpgsqlParameter<Instant>("now", now));
        command.Parameters.Add(new NpgsqlParameter<Instant>("lease", leaseUntil));
        command.Parameters.Add(new NpgsqlParameter<int>("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<WebhookDelivery>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadDelivery(reader));
        return list.OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).ToArray();
    }

    public async Task CompleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM summit_webhook_outbox WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RetryAsync(long id, int attempts, Instant nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE summit_webhook_outbox SET attempts = @attempts, next_attempt_at = @next, last_error = @error, locked_until = NULL
            WHERE id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        command.Parameters.Add(new NpgsqlParameter<int>("attempts", attempts));
        command.Parameters.Add(new NpgsqlParameter<Instant>("next", nextAttemptAt));
        command.Parameters.Add(new NpgsqlParameter<string>("error", error));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeadLetterAsync(long id, int attempts, string error, Instant at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH moved AS (DELETE FROM summit_webhook_outbox WHERE id = @id RETURNING id, summit, unit, notification_id, url, body, created_at)
            INSERT INTO summit_webhook_dead_letters (id, summit, unit, notification_id, url, body, attempts, last_error, created_at, dead_at)
            SELECT id, summit, unit, notification_id, url, body, @attempts, @error, created_at, @at FROM moved
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        command.Parameters.Add(new NpgsqlParameter<int>("attempts", attempts));
        command.Parameters.Add(new NpgsqlParameter<string>("error", error));
        command.Parameters.Add(new NpgsqlParameter<Instant>("at", at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DeliveryColumns} FROM summit_webhook_outbox WHERE summit = @summit ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<string>("summit", summit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<WebhookDelivery>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadDelivery(reader));
        return list;
    }

    public async Task<(IReadOnlyList<WebhookDeadLetter> Items, int Total)> DeadLettersAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM summit_webhook_dead_letters WHERE summit = @summit", connection);
        count.Parameters.Add(new NpgsqlParameter<string>("summit", summit));
        var total = checked((int)(long)(await count.ExecuteScalarAsync(cancellationToken))!);

        await using var command = new NpgsqlCommand("""
            SELECT id, summit, unit, notification_id, url, body, attempts, last_error, created_at, dead_at
            FROM summit_webhook_dead_letters WHERE summit = @summit
            ORDER BY dead_at DESC, id DESC OFFSET @offset LIMIT @limit
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("summit", summit));
        command.Parameters.Add(new NpgsqlParameter<int>("offset", Math.Max(0, offset)));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Max(0, limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<WebhookDeadLetter>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new WebhookDeadLetter(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<Instant>(8), reader.GetFieldValue<Instant>(9)));
        return (list, total);
    }

    private static WebhookConfig ReadConfig(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        Enum.Parse<WebhookRobot>(reader.GetString(3), ignoreCase: true),
        Enum.Parse<WebhookFormat>(reader.GetString(4), ignoreCase: true),
        reader.GetBoolean(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetFieldValue<Instant>(7),
        reader.GetString(8));

    private static WebhookDelivery ReadDelivery(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.GetInt32(6), reader.GetFieldValue<Instant>(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetFieldValue<Instant>(9));

    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
