using NodaTime;
using Npgsql;
using Summit.Storage;

namespace Summit.Data.Idempotency;

/// <summary>
/// The key's record of a write the Gateway commits through a store of its own (the plan baseline, a calendar feed), in
/// that write's transaction: which kind, id and version it applied.
/// </summary>
public static class IdempotencyClaim
{
    /// <summary>Records the key as applied, unless a live record of it exists (then false, and nothing is written).</summary>
    public static async Task<bool> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IdempotencyMark mark, string kind, string id, int version,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        await using var command = new NpgsqlCommand("""
            INSERT INTO summit_idempotency (account, route, idempotency_key, request_hash, created_at, expires_at,
                                            applied_kind, applied_id, applied_version)
            VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8)
            ON CONFLICT (account, route, idempotency_key) DO UPDATE
                SET request_hash = excluded.request_hash, status = NULL, headers = NULL, body = NULL,
                    created_at = excluded.created_at, expires_at = excluded.expires_at,
                    applied_kind = excluded.applied_kind, applied_id = excluded.applied_id,
                    applied_version = excluded.applied_version
                WHERE summit_idempotency.expires_at <= now()
                   OR (summit_idempotency.status IS NULL AND summit_idempotency.applied_version IS NULL)
            RETURNING 1
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Route });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Key });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = mark.RequestHash });
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = mark.ExpiresAt });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
