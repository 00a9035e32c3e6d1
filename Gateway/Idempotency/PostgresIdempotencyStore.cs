using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Summit.Gateway.Idempotency;

/// <summary>
/// Keeps keyed requests in <c>summit_idempotency</c> (migration 0110), so a retry that reaches another gateway, or this
/// one after a restart, still gets the first result. The primary key makes claiming atomic across gateways.
/// </summary>
public sealed class PostgresIdempotencyStore : IIdempotencyStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    public PostgresIdempotencyStore(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNodaTime();
        _dataSource = builder.Build();
        _ownsDataSource = true;
    }

    /// <summary>Uses the process's shared data source (and its capped pool) rather than a pool of its own.</summary>
    public PostgresIdempotencyStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task<Claim> ClaimAsync(IdempotencyScope scope, byte[] requestHash, Instant now, Instant leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // A concurrent claimer may delete the row between our insert and select; one more round settles it.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using (var claim = new NpgsqlBatch(connection))
            {
                claim.BatchCommands.Add(Command("""
                    DELETE FROM summit_idempotency
                    WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND expires_at <= $4
                    """, scope, now));
                claim.BatchCommands.Add(Command("""
                    INSERT INTO summit_idempotency (account, route, idempotency_key, request_hash, created_at, expires_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (account, route, idempotency_key) DO NOTHING
                    """, scope, requestHash, now, leaseUntil));
                await claim.ExecuteNonQueryAsync(cancellationToken);
                if (claim.BatchCommands[1].RecordsAffected == 1) return new Claim(ClaimOutcome.Claimed);
            }

            await using var read = new NpgsqlCommand("""
                SELECT request_hash, status, headers::text, body FROM summit_idempotency
                WHERE account = $1 AND route = $2 AND idempotency_key = $3
                """, connection);
            AddScope(read.Parameters, scope);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) continue;
            var hash = reader.GetFieldValue<byte[]>(0);
            if (await reader.IsDBNullAsync(1, cancellationToken)) return new Claim(ClaimOutcome.InProgress, hash);
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
            var response = new StoredResponse(reader.GetInt32(1), headers, reader.GetFieldValue<byte[]>(3));
            return new Claim(ClaimOutcome.Completed, hash, response);
        }
        return new Claim(ClaimOutcome.InProgress, requestHash);
    }

    public async Task CompleteAsync(IdempotencyScope scope, StoredResponse response, Instant keepUntil, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            UPDATE summit_idempotency SET status = $4, headers = $5, body = $6, expires_at = $7
            WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND status IS NULL
            """);
        AddScope(command.Parameters, scope);
        command.Parameters.Add(new NpgsqlParameter { Value = response.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(response.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Body });
        command.Parameters.Add(new NpgsqlParameter { Value = keepUntil });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(IdempotencyScope scope, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            DELETE FROM summit_idempotency WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND status IS NULL
            """);
        AddScope(command.Parameters, scope);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(Instant now, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM summit_idempotency WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private static NpgsqlBatchCommand Command(string sql, IdempotencyScope scope, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddScope(command.Parameters, scope);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static void AddScope(NpgsqlParameterCollection parameters, IdempotencyScope scope)
    {
        parameters.Add(new NpgsqlParameter { Value = scope.Account });
        parameters.Add(new NpgsqlParameter { Value = scope.Route });
        parameters.Add(new NpgsqlParameter { Value = scope.Key });
    }
}
