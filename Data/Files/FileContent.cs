using Npgsql;
using NpgsqlTypes;

namespace Summit.Data.Files;

/// <summary>
/// Where stored files' content lives, in chunks of <see cref="IFileStore.ChunkBytes"/> numbered 0, 1, 2, …: PostgreSQL's
/// <c>summit_file_chunk</c> (<see cref="PostgresFileContent"/>, the default) or an S3-compatible bucket
/// (<see cref="S3FileContent"/>), chosen by <see cref="FileContentOptions.Store"/>. The catalogue (<c>summit_file</c>) is
/// PostgreSQL's either way and is written first: content is only ever written for a file whose row exists, and a file's
/// row is deleted before its content, so content whose row is gone is left over and may be swept.
/// </summary>
public interface IFileContent
{
    /// <summary>Stores chunk <paramref name="n"/> of file <paramref name="id"/>.</summary>
    Task WriteChunkAsync(string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Chunk <paramref name="n"/> of file <paramref name="id"/>, or null when there is none (the file was deleted while it
    /// was read). One chunk at a time: a download never holds the whole file.
    /// </summary>
    Task<byte[]?> ReadChunkAsync(string id, int n, CancellationToken cancellationToken = default);

    /// <summary>Removes the content of files whose rows were just deleted.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes content whose file row is gone (a delete that could not reach the content, a write that landed after its
    /// file was deleted); <paramref name="existing"/> answers which of some ids still have a row. Answers how many files'
    /// content went.
    /// </summary>
    Task<int> SweepAsync(Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing, CancellationToken cancellationToken = default);
}

/// <summary>
/// The content in PostgreSQL (<c>summit_file_chunk</c>, migration 0280): each chunk a row written in a short statement of
/// its own; chunk rows go with their file's row (<c>ON DELETE CASCADE</c>), so there is never anything to sweep.
/// </summary>
public sealed class PostgresFileContent(NpgsqlDataSource dataSource) : IFileContent
{
    public async Task WriteChunkAsync(string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO summit_file_chunk (file_id, n, bytes) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = n });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<byte[]?> ReadChunkAsync(string id, int n, CancellationToken cancellationToken = default)
    {
        // On a pooled connection taken for this query only, so a slow reader holds no connection between chunks.
        await using var command = dataSource.CreateCommand("SELECT bytes FROM summit_file_chunk WHERE file_id = $1 AND n = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = n });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<int> SweepAsync(
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing, CancellationToken cancellationToken = default) =>
        Task.FromResult(0);
}

/// <summary>
/// The store that holds files' content could not be reached or failed transiently (the S3 endpoint down, refusing
/// connections, timing out, answering 5xx or "slow down"). The Gateway answers it with 503 and <c>Retry-After</c>; an upload
/// that met it keeps nothing.
/// </summary>
public sealed class FileStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A stored file's content, read one chunk at a time from its <see cref="IFileContent"/>, so one chunk is in memory and
/// nothing is held open between reads.
/// </summary>
public sealed class ChunkReadStream(IFileContent content, string id, long length) : Stream
{
    private byte[] _chunk = [];
    private int _offset;
    private int _next;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _chunk.Length)
        {
            if (_position >= length) return 0;
            // A file deleted while it is read (pruned) ends early; the response's length tells the client.
            if (await content.ReadChunkAsync(id, _next, cancellationToken) is not { Length: > 0 } chunk) return 0;
            _chunk = chunk;
            _offset = 0;
            _next++;
        }
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
