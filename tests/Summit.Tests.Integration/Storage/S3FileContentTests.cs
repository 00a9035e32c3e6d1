using Summit.Data.Files;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// The S3 store of files' content on its own, against a real S3-compatible server (<see cref="S3Server"/>), with listings
/// of two keys a page so that deleting and sweeping go through several pages: chunks written and read back, a file's
/// objects deleted, left-over objects swept and other keys left alone, and an outage reported as one.
/// </summary>
public sealed class S3FileContentTests : IAsyncLifetime
{
    private const string Prefix = "content-tests/";

    private readonly S3Server _server = new();
    private S3FileContent _content = null!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _content = S3FileContent.Create(new S3FileStoreSettings
        {
            ServiceUrl = _server.ServiceUrl,
            Bucket = S3Server.Bucket,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
            ForcePathStyle = true,
            Prefix = Prefix,
        }, pageSize: 2);
    }

    public async Task DisposeAsync()
    {
        _content.Dispose();
        await _server.DisposeAsync();
    }

    private static string NewId() => $"f-{Guid.NewGuid():N}";

    private static byte[] Chunk(int n) => Enumerable.Range(0, 1000 + n).Select(i => (byte)(i * 7 + n)).ToArray();

    [Fact]
    public async Task Chunks_are_read_back_and_a_files_objects_are_deleted_through_every_page()
    {
        var id = NewId();
        for (var n = 0; n < 5; n++) await _content.WriteChunkAsync(id, n, Chunk(n));
        Assert.Equal(5, await _server.CountAsync($"{Prefix}{id}/"));
        Assert.Equal(Chunk(4), await _content.ReadChunkAsync(id, 4));
        Assert.Null(await _content.ReadChunkAsync(id, 5));

        // Read as a download reads it: chunk after chunk, ending where the length says.
        var length = Enumerable.Range(0, 5).Sum(n => Chunk(n).Length);
        await using (var stream = new ChunkReadStream(_content, id, length))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(Enumerable.Range(0, 5).SelectMany(Chunk).ToArray(), copy.ToArray());
        }

        await _content.DeleteAsync([id]);
        Assert.Equal(0, await _server.CountAsync($"{Prefix}{id}/"));
        Assert.Null(await _content.ReadChunkAsync(id, 0));
    }

    [Fact]
    public async Task The_sweep_removes_chunks_of_files_without_a_row_and_nothing_else()
    {
        var (kept, gone1, gone2) = (NewId(), NewId(), NewId());
        foreach (var (id, chunks) in new[] { (kept, 3), (gone1, 3), (gone2, 1) })
            for (var n = 0; n < chunks; n++) await _content.WriteChunkAsync(id, n, Chunk(n));
        await _server.PutAsync($"{Prefix}notes.txt", [1]);
        await _server.PutAsync($"{Prefix}{gone1}/not-a-chunk", [1]);
        await _server.PutAsync($"elsewhere/{gone2}/000000", [1]);

        var asked = new List<string>();
        var swept = await _content.SweepAsync((ids, _) =>
        {
            asked.AddRange(ids);
            return Task.FromResult<IReadOnlySet<string>>(ids.Where(id => id == kept).ToHashSet());
        });

        Assert.Equal(2, swept);
        Assert.Equal(3, await _server.CountAsync($"{Prefix}{kept}/"));
        Assert.Equal(1, await _server.CountAsync($"{Prefix}{gone1}/"));
        Assert.Equal(0, await _server.CountAsync($"{Prefix}{gone2}/"));
        Assert.Equal(1, await _server.CountAsync($"{Prefix}notes.txt"));
        Assert.Equal(1, await _server.CountAsync($"elsewhere/{gone2}/"));
        Assert.Equal(new[] { gone1, gone2, kept }.Order(StringComparer.Ordinal), asked.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_is_an_outage()
    {
        var id = NewId();
        await _content.WriteChunkAsync(id, 0, Chunk(0));
        await _server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<FileStoreUnavailableException>(() => _content.WriteChunkAsync(id, 1, Chunk(1)));
            await Assert.ThrowsAsync<FileStoreUnavailableException>(() => _content.ReadChunkAsync(id, 0));
            await Assert.ThrowsAsync<FileStoreUnavailableException>(() => _content.DeleteAsync([id]));
        }
        finally
        {
            await _server.StartAsync();
        }
        Assert.Equal(Chunk(0), await _content.ReadChunkAsync(id, 0));
    }
}
