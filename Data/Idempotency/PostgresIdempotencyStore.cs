using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Summit.Data.Idempotency;

/// <summary>
/// Keyed requests in <c>summit_idempotency</c> (migrations 0110 and 0140), so a retry that reaches another gateway, or
/// this one after a restart, still gets the first result. The entity commit inserts the row in its own transaction
/// (<c>applied_*</c>); this store adds the response, or inserts it for a write that is not an entity commit.
/// </summary>
public sealed class PostgresIdempotencyStore(NpgsqlDataSource dataSource) : IIdempotencyStore
{
    public async Task<KeyLookup> FindAsync(IdempotencyScope scope, Instant now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT request_hash, status, headers::text, body, applied_version IS NOT NULL FROM summit_idempotency
            WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND expires_at > $4
            """);
        AddScope(command.Parameters, scope);
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return new KeyLookup(KeyState.Unused);
        var hash = reader.GetFieldValue<byte[]>(0);
        if (!await reader.IsDBNullAsync(1, cancellationToken))
        {
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
            return new KeyLookup(KeyState.Answered, hash, new StoredResponse(reader.GetInt32(1), headers, reader.GetFieldValue<byte[]>(3)));
        }
        // A row without a response and without an applied change is a claim left by an earlier version: nothing applied.
        return reader.GetBoolean(4) ? new KeyLookup(KeyState.Applied, hash) : new KeyLookup(KeyState.Unused);
    }

    public async Task SaveAsync(IdempotencyScope scope, byte[] requestHash, StoredResponse response, Instant now, Instant keepUntil, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_idempotency (account, route, idempotency_key, request_hash, status, headers, body, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (account, route, idempotency_key) DO UPDATE
                SET status = excluded.status, headers = excluded.headers, body = excluded.body
                WHERE summit_idempotency.status IS NULL AND summit_idempotency.request_hash = excluded.request_hash
            """);
        AddScope(command.Parameters, scope);
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = requestHash });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(response.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Body });
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = keepUntil });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(Instant now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM summit_idempotency WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = now });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddScope(NpgsqlParameterCollection parameters, IdempotencyScope scope)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Account });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Route });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Key });
    }
}
