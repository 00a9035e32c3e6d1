using NodaTime;
using Npgsql;
using Summit.Storage;

namespace Summit.Data.Idempotency;

/// <summary>
/// Records a request's <c>Idempotency-Key</c> as applied to a change written in the same transaction (a baseline
/// approval, a 催报, a calendar feed), for the stores whose changes are not entity commits.
/// </summary>
internal static class IdempotencyClaims
{
    /// <summary>The columns of a key recorded as applied to a change, in the order its insert gives them.</summary>
    internal const string AppliedColumns =
        "(account, route, idempotency_key, request_hash, created_at, expires_at, applied_kind, applied_id, applied_version)";

    /// <summary>
    /// When a key's row may be taken by a new request: it has expired, or it holds neither an answer nor an applied
    /// change (a claim an earlier version left). Everything else is a key in use, which the lookup reports as answered or
    /// applied.
    /// </summary>
    internal const string Abandoned =
        "(summit_idempotency.expires_at <= now() OR (summit_idempotency.status IS NULL AND summit_idempotency.applied_version IS NULL))";

    /// <summary>Whether the key $a/$r/$k (account, route, key parameters) is free to apply: no row of it is in use.</summary>
    internal static string Free(string account, string route, string key) => $"""
        NOT EXISTS (SELECT 1 FROM summit_idempotency
                    WHERE account = {account} AND route = {route} AND idempotency_key = {key} AND NOT {Abandoned})
        """;

    /// <summary>The conflict clause of an applied key's insert: it takes an abandoned row over and leaves one in use alone.</summary>
    internal const string TakeOver = $"""
        ON CONFLICT (account, route, idempotency_key) DO UPDATE
            SET request_hash = excluded.request_hash, status = NULL, headers = NULL, body = NULL,
                created_at = excluded.created_at, expires_at = excluded.expires_at,
                applied_kind = excluded.applied_kind, applied_id = excluded.applied_id,
                applied_version = excluded.applied_version
            WHERE {Abandoned}
        """;

    /// <summary>
    /// Records the key as applied to <paramref name="kind"/> <paramref name="id"/> at <paramref name="version"/>, unless a
    /// live record of it exists (then false: the key was applied, or is being applied by a concurrent attempt).
    /// </summary>
    public static async Task<bool> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IdempotencyMark mark, string kind, string id, int version,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO summit_idempotency {AppliedColumns}
            VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8)
            {TakeOver}
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
