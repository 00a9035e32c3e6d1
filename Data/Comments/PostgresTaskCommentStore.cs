using System.Text.Json;
using NodaTime;
using Npgsql;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Data.Comments;

/// <summary>Task comments in PostgreSQL (<c>summit_task_comment</c>, migration 0240); see <see cref="ITaskCommentStore"/>.</summary>
public sealed class PostgresTaskCommentStore(NpgsqlDataSource dataSource) : ITaskCommentStore
{
    private const string Columns =
        "c.summit, c.task_id, c.id, c.parent_id, c.author, c.author_role, c.author_unit, c.body, c.mentions, c.created_at";

    public async Task<TaskComment> AddAsync(TaskComment comment, IdempotencyMark? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (key is not null)
        {
            // The key's row first: a live row (this key already applied, or being applied by a concurrent attempt, which
            // this insert waits for) leaves it as it is, and the comment is not written.
            await using var claim = new NpgsqlCommand("""
                INSERT INTO summit_idempotency AS i
                    (account, route, idempotency_key, request_hash, created_at, expires_at, applied_kind, applied_id, applied_version)
                VALUES ($1, $2, $3, $4, now(), $5, 'comment', $6, 1)
                ON CONFLICT (account, route, idempotency_key) DO UPDATE
                    SET request_hash = excluded.request_hash, status = NULL, headers = NULL, body = NULL,
                        created_at = excluded.created_at, expires_at = excluded.expires_at,
                        applied_kind = excluded.applied_kind, applied_id = excluded.applied_id, applied_version = excluded.applied_version
                    WHERE i.expires_at <= now()
                RETURNING 1
                """, connection, transaction);
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Account });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Route });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Key });
            claim.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.RequestHash });
            claim.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = key.ExpiresAt });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Id });
            if (await claim.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await AppliedAsync(key, comment, cancellationToken)
                    ?? throw new RequestAlreadyAppliedException(EntityKind.Task, comment.TaskId);
            }
        }

        await using var insert = new NpgsqlCommand("""
            WITH s AS (SELECT nextval('summit_task_comment_seq') AS seq)
            INSERT INTO summit_task_comment
                (summit, task_id, id, seq, thread, parent_id, author, author_role, author_unit, body, mentions, created_at, notify_pending)
            SELECT $1, $2, $3, s.seq,
                   COALESCE((SELECT p.seq FROM summit_task_comment p WHERE p.summit = $1 AND p.task_id = $2 AND p.id = $4), s.seq),
                   $4, $5, $6, $7, $8, $9, $10, cardinality($9) > 0
            FROM s
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Summit });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.TaskId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)comment.Parent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Author });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RoleName(comment.Role) });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)comment.Unit?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Text });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = comment.Mentions.Select(m => m.ToString()).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = comment.CreatedAt });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return comment;
    }

    /// <summary>The comment a live key applied, if it names one of this task.</summary>
    private async Task<TaskComment?> AppliedAsync(IdempotencyMark key, TaskComment comment, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM summit_idempotency i
            JOIN summit_task_comment c ON c.summit = $4 AND c.task_id = $5 AND c.id = i.applied_id
            WHERE i.account = $1 AND i.route = $2 AND i.idempotency_key = $3 AND i.applied_kind = 'comment'
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Route });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.Summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = comment.TaskId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<TaskComment?> GetAsync(string summit, string taskId, string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM summit_task_comment c WHERE c.summit = $1 AND c.id = $2 AND c.task_id = $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taskId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<(IReadOnlyList<TaskComment> Items, int Total)> PageAsync(
        string summit, string taskId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var (items, total) = await CountAndPage.ReadAsync(
            dataSource,
            "SELECT count(*) FROM summit_task_comment c WHERE c.summit = $1 AND c.task_id = $2",
            $"SELECT {Columns} FROM summit_task_comment c WHERE c.summit = $1 AND c.task_id = $2 ORDER BY c.thread, c.seq OFFSET $3 LIMIT $4",
            [new NpgsqlParameter<string> { TypedValue = summit }, new NpgsqlParameter<string> { TypedValue = taskId }],
            CountAndPage.PagingParameters(offset, limit),
            Read,
            cancellationToken);
        return (items, total);
    }

    public async Task<IReadOnlyList<PendingMention>> ClaimMentionsAsync(int max, Duration lease, CancellationToken cancellationToken = default)
    {
        // One short statement: pending comments no other dispatcher holds are leased, with the task's title and the
        // author's unit's name as stored now.
        await using var command = dataSource.CreateCommand($"""
            WITH claimed AS (
                UPDATE summit_task_comment c SET claimed_until = now() + $2
                FROM (SELECT summit, id FROM summit_task_comment
                      WHERE notify_pending AND (claimed_until IS NULL OR claimed_until < now())
                      ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) p
                WHERE c.summit = p.summit AND c.id = p.id
                RETURNING c.*)
            SELECT {Columns},
                   (SELECT t.state ->> 'title' FROM summit_entity t WHERE t.summit = c.summit AND t.kind = 'task' AND t.id = c.task_id),
                   (SELECT u.state ->> 'name' FROM summit_entity u
                    WHERE u.summit = c.summit AND c.author_unit IS NOT NULL
                      AND u.kind = split_part(c.author_unit, ':', 1) AND u.id = split_part(c.author_unit, ':', 2))
            FROM claimed c
            ORDER BY c.seq
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(1, max) });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease.ToTimeSpan() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingMention>();
        while (await reader.ReadAsync(cancellationToken))
            pending.Add(new PendingMention(Read(reader), reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11)));
        return pending;
    }

    public async Task CompleteMentionsAsync(IReadOnlyCollection<TaskComment> comments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comments);
        if (comments.Count == 0) return;
        await using var command = dataSource.CreateCommand("""
            UPDATE summit_task_comment c SET notify_pending = false, claimed_until = NULL
            FROM unnest($1::text[], $2::text[]) AS done(summit, id)
            WHERE c.summit = done.summit AND c.id = done.id
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = comments.Select(c => c.Summit).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = comments.Select(c => c.Id).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static TaskComment Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4),
        Enum.TryParse<Role>(reader.GetString(5), ignoreCase: true, out var role) ? role : Role.System,
        reader.IsDBNull(6) ? null : ParseUnit(reader.GetString(6)),
        reader.GetString(7),
        reader.GetFieldValue<string[]>(8).Select(ParseUnit).OfType<OwningUnit>().ToArray(),
        reader.GetFieldValue<Instant>(9));

    /// <summary><c>county:pingyang</c> as a unit; null for anything else.</summary>
    public static OwningUnit? ParseUnit(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || !Enum.TryParse<UnitKind>(text[..colon], ignoreCase: true, out var kind)) return null;
        return new OwningUnit(kind, text[(colon + 1)..]);
    }

    private static string RoleName(Role role) => JsonNamingPolicy.CamelCase.ConvertName(role.ToString());
}
