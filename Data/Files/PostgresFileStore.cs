using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Data.Files;

/// <summary>What an upload became, to be recorded when the request's files are all in (<see cref="IFileStore.CompleteAsync"/>).</summary>
public sealed record CompletedUpload(string Id, string Name, DetectedType Type, long Length, byte[] Sha256, byte[]? Thumbnail);

/// <summary>
/// The file store the upload endpoint writes: <see cref="IFileCatalog"/>, and the steps of an upload. An upload's row is
/// written first (not complete), then its chunks as they arrive, each in a short statement of its own, so a slow client
/// holds no connection and no transaction open; the request's files are marked complete together with its
/// Idempotency-Key's record in one transaction. A refused or failed upload is deleted with <see cref="DeleteAsync"/>, and
/// one a crash left incomplete by <see cref="PruneAsync"/>. The catalogue is PostgreSQL's; the chunks are the
/// <see cref="IFileContent"/>'s (PostgreSQL's chunk table, or an S3 bucket).
/// </summary>
public interface IFileStore : IFileCatalog
{
    /// <summary>Bytes per chunk (a row of <c>summit_file_chunk</c> or an object in the bucket): 256 KiB.</summary>
    const int ChunkBytes = 256 * 1024;

    /// <summary>Starts an upload: a new random id and its row, not complete, named <paramref name="name"/> for now.</summary>
    Task<string> BeginAsync(string summit, OwningUnit owner, string uploadedBy, string name, Instant uploadedAt, CancellationToken cancellationToken = default);

    /// <summary>Stores chunk <paramref name="n"/> (0, 1, 2, …) of an upload.</summary>
    Task WriteChunkAsync(string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the request's uploads complete with what they turned out to be, and records its Idempotency-Key (when it has
    /// one), in one transaction. When another attempt of the same key was applied first, the uploads are deleted and that
    /// attempt's files answered instead.
    /// </summary>
    Task<IReadOnlyList<StoredFile>> CompleteAsync(IReadOnlyList<CompletedUpload> uploads, IdempotencyMark? key, CancellationToken cancellationToken = default);

    /// <summary>The files a live Idempotency-Key stored, or null when it names none.</summary>
    Task<IReadOnlyList<StoredFile>?> AppliedAsync(IdempotencyMark key, CancellationToken cancellationToken = default);

    /// <summary>Deletes uploads that are not complete (a refused, failed or aborted request's): their rows, then their chunks.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>One stored file of the summit, or null.</summary>
    Task<StoredFile?> FindAsync(string summit, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes files nothing has attached that were stored more than <paramref name="unattachedAfter"/> ago, and uploads left
    /// incomplete for more than <paramref name="incompleteAfter"/>, by the database's clock, then the content whose file is
    /// gone (theirs, and any a failed delete left behind); answers how many files' rows went.
    /// </summary>
    Task<int> PruneAsync(TimeSpan unattachedAfter, TimeSpan incompleteAfter, CancellationToken cancellationToken = default);
}

/// <summary>
/// The file catalogue in PostgreSQL (<c>summit_file</c>, migration 0280), the content in <paramref name="content"/>
/// (<c>summit_file_chunk</c> unless the settings choose an S3 bucket); see <see cref="IFileStore"/>.
/// </summary>
public sealed class PostgresFileStore(NpgsqlDataSource dataSource, IFileContent content) : IFileStore
{
    private const string Columns =
        "f.id, f.summit, f.owner, f.uploaded_by, f.name, f.content_type, f.kind, f.length, f.sha256, f.thumbnail IS NOT NULL, f.uploaded_at, f.attached_to";

    public async Task<string> BeginAsync(
        string summit, OwningUnit owner, string uploadedBy, string name, Instant uploadedAt, CancellationToken cancellationToken = default)
    {
        var id = $"f-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))}";
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_file (id, summit, owner, uploaded_by, name, content_type, kind, uploaded_at)
            VALUES ($1, $2, $3, $4, $5, 'application/octet-stream', 'other', $6)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = uploadedBy });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = uploadedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public Task WriteChunkAsync(string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        content.WriteChunkAsync(id, n, bytes, cancellationToken);

    public async Task<IReadOnlyList<StoredFile>> CompleteAsync(
        IReadOnlyList<CompletedUpload> uploads, IdempotencyMark? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        var ids = uploads.Select(u => u.Id).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (key is not null)
        {
            // The key's row first, as for comments: a live row (applied, or being applied by a concurrent attempt, which this
            // insert waits for) is left alone and these uploads are not kept.
            await using var claim = new NpgsqlCommand("""
                INSERT INTO summit_idempotency AS i
                    (account, route, idempotency_key, request_hash, created_at, expires_at, applied_kind, applied_id, applied_version)
                VALUES ($1, $2, $3, $4, now(), $5, 'files', $6, 1)
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
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = string.Join(',', ids) });
            if (await claim.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                await DeleteAsync(ids, CancellationToken.None);
                return await AppliedAsync(key, cancellationToken) ?? throw new RequestAlreadyAppliedException(EntityKind.Summit, key.Key);
            }
        }

        await using var update = new NpgsqlCommand("""
            UPDATE summit_file f
            SET name = u.name, content_type = u.content_type, kind = u.kind, length = u.length, sha256 = decode(u.sha256, 'hex'),
                thumbnail = decode(u.thumbnail, 'base64'), complete = true
            FROM jsonb_to_recordset($1) AS u(id text, name text, content_type text, kind text, length bigint, sha256 text, thumbnail text)
            WHERE f.id = u.id AND NOT f.complete
            """, connection, transaction);
        update.Parameters.Add(new NpgsqlParameter<string>
        {
            TypedValue = JsonSerializer.Serialize(uploads.Select(u => new Dictionary<string, object?>
            {
                ["id"] = u.Id, ["name"] = u.Name, ["content_type"] = u.Type.ContentType, ["kind"] = KindName(u.Type.Kind),
                ["length"] = u.Length, ["sha256"] = Convert.ToHexStringLower(u.Sha256),
                ["thumbnail"] = u.Thumbnail is null ? null : Convert.ToBase64String(u.Thumbnail),
            })),
            NpgsqlDbType = NpgsqlDbType.Jsonb,
        });
        var updated = await update.ExecuteNonQueryAsync(cancellationToken);
        // An upload that vanished meanwhile (pruned as abandoned) leaves the request incomplete: nothing of it is kept.
        if (updated != uploads.Count) throw new InvalidOperationException($"{uploads.Count - updated} of the request's uploads are no longer stored.");
        var files = await ReadAsync(connection, transaction, ids, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return files;
    }

    public async Task<IReadOnlyList<StoredFile>?> AppliedAsync(IdempotencyMark key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand("""
            SELECT applied_id FROM summit_idempotency
            WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND applied_kind = 'files'
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Route });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Key });
        if (await command.ExecuteScalarAsync(cancellationToken) is not string applied) return null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, applied.Split(',', StringSplitOptions.RemoveEmptyEntries), cancellationToken);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return;
        // The rows first: content whose row is gone is what the pruning sweeps, should the content's delete fail.
        await using var command = dataSource.CreateCommand("DELETE FROM summit_file WHERE id = ANY($1) AND NOT complete RETURNING id");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray() });
        var deleted = await IdsAsync(command, cancellationToken);
        if (deleted.Count > 0) await content.DeleteAsync(deleted, cancellationToken);
    }

    /// <summary>Which of <paramref name="ids"/> have a row, complete or not.</summary>
    private async Task<IReadOnlySet<string>> ExistingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM summit_file WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray() });
        return await IdsAsync(command, cancellationToken);
    }

    private static async Task<HashSet<string>> IdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<StoredFile?> FindAsync(string summit, string id, CancellationToken cancellationToken = default) =>
        (await GetAsync(summit, [id], cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<StoredFile>> GetAsync(string summit, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return [];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var files = await ReadAsync(connection, null, ids.ToArray(), cancellationToken);
        return files.Where(f => f.Summit == summit).ToArray();
    }

    public async Task<IReadOnlyList<string>> AttachAsync(
        string summit, IReadOnlyCollection<string> ids, string attachedTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(attachedTo);
        await using var command = dataSource.CreateCommand("""
            WITH marked AS (
                UPDATE summit_file SET attached_to = $3
                WHERE summit = $1 AND id = ANY($2) AND complete AND (attached_to IS NULL OR attached_to = $3)
                RETURNING id)
            SELECT id FROM marked
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = attachedTo });
        var attached = await IdsAsync(command, cancellationToken);
        return ids.Where(attached.Contains).Distinct().ToArray();
    }

    public async Task<int> DetachAsync(string summit, IReadOnlyCollection<string> ids, string attachedTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // Detached files are pruned like fresh uploads: their age restarts now.
        await using var command = dataSource.CreateCommand("""
            UPDATE summit_file SET attached_to = NULL, stored_at = now()
            WHERE summit = $1 AND id = ANY($2) AND attached_to = $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = attachedTo });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string summit, string id, CancellationToken cancellationToken = default)
    {
        var file = await FindAsync(summit, id, cancellationToken);
        return file is null ? null : new ChunkReadStream(content, file.Id, file.Length);
    }

    public async Task<byte[]?> ReadThumbnailAsync(string summit, string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT thumbnail FROM summit_file WHERE summit = $1 AND id = $2 AND complete");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<int> PruneAsync(TimeSpan unattachedAfter, TimeSpan incompleteAfter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM summit_file
            WHERE attached_to IS NULL
              AND ((complete AND stored_at < now() - $1) OR (NOT complete AND stored_at < now() - $2))
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = unattachedAfter });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = incompleteAfter });
        var pruned = await command.ExecuteNonQueryAsync(cancellationToken);
        await content.SweepAsync(ExistingAsync, cancellationToken);
        return pruned;
    }

    private static async Task<IReadOnlyList<StoredFile>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM summit_file f WHERE f.id = ANY($1) AND f.complete", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        var found = new Dictionary<string, StoredFile>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var file = new StoredFile(
                    reader.GetString(0),
                    reader.GetString(1),
                    ParseUnit(reader.GetString(2)),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    Enum.Parse<FileKind>(reader.GetString(6), ignoreCase: true),
                    reader.GetInt64(7),
                    reader.IsDBNull(8) ? "" : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(8)),
                    reader.GetBoolean(9),
                    reader.GetFieldValue<Instant>(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11));
                found[file.Id] = file;
            }
        return ids.Where(found.ContainsKey).Distinct().Select(id => found[id]).ToArray();
    }

    private static OwningUnit ParseUnit(string text)
    {
        var colon = text.IndexOf(':');
        return new OwningUnit(Enum.Parse<UnitKind>(text[..colon], ignoreCase: true), text[(colon + 1)..]);
    }

    public static string KindName(FileKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
