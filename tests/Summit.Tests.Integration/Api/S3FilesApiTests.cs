using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Summit.Data.Files;
using Summit.Domain;

namespace Summit.Tests.Api;

/// <summary>
/// The files API with the content in an S3 bucket (<c>Summit:Files:Store</c> = <c>s3</c>) of a real S3-compatible server:
/// every test of <see cref="FilesApiBehaviour"/> again, counting the bucket's objects beside the rows, and what only a
/// bucket has: its chunk objects' names, an outage of the server, and objects left over for the pruning to sweep.
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class S3FilesApiTests(S3GatewayFixture fixture) : FilesApiBehaviour(fixture.Gateway, fixture.S3)
{
    private GatewayFixture Gateway => fixture.Gateway;

    private IFileStore Store => Gateway.Factory.Services.GetRequiredService<IFileStore>();

    private static string NewId() => $"f-{Guid.NewGuid():N}";

    private async Task<long> FileRowsAsync()
    {
        await using var command = Database.CreateCommand("SELECT count(*) FROM summit_file");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_file_is_stored_as_one_object_per_chunk_and_no_chunk_rows()
    {
        var pdf = Pdf(600_000);
        var id = (await UploadOneAsync("county-pingyang", "会议纪要.pdf", pdf))["id"]!.ToString();
        var listed = await fixture.S3.Client.ListObjectsV2Async(new() { BucketName = Infrastructure.S3Server.Bucket, Prefix = $"{S3GatewayFixture.Prefix}{id}/" });
        Assert.Equal(
            [$"files/{id}/000000", $"files/{id}/000001", $"files/{id}/000002"],
            listed.S3Objects!.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal([256 * 1024, 256 * 1024, pdf.Length - 512 * 1024], listed.S3Objects!.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (int)o.Size!));
        await using var command = Database.CreateCommand("SELECT count(*) FROM summit_file_chunk");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_outage_of_the_bucket_is_a_503_with_Retry_After_that_keeps_no_row()
    {
        var stored = await UploadOneAsync("county-pingyang", "停机前.pdf", Pdf());
        var rows = await FileRowsAsync();
        var http = await Gateway.As("county-pingyang");
        await fixture.S3.StopAsync();
        try
        {
            var upload = await UploadAsync("county-pingyang", Form(("停机时.pdf", Pdf(300_000), "application/pdf"))).ShouldBe(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("5", upload.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
            Assert.Equal("zh-CN", upload.Content.Headers.ContentLanguage.Single());
            Assert.StartsWith("文件存储暂时不可用，请在 5 秒后重试。", (await upload.ReadJsonAsync())["detail"]!.ToString());
            Assert.Equal(rows, await FileRowsAsync());

            var download = await http.GetAsync(stored["url"]!.ToString()).ShouldBe(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("5", download.Headers.GetValues("Retry-After").Single());
            // The catalogue is PostgreSQL's: a file's metadata still answers.
            await http.GetAsync(stored["url"] + "/info").ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await fixture.S3.StartAsync();
        }
        var before = await RowsAsync();
        await UploadOneAsync("county-pingyang", "恢复后.pdf", Pdf());
        Assert.Equal((before.Files + 1, before.Chunks + 1), await RowsAsync());
        await http.GetAsync(stored["url"]!.ToString()).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bucket_the_settings_name_wrongly_is_an_unavailable_store_never_a_missing_chunk()
    {
        // The S3 client is the fixture's: these stores are not disposed, which would dispose it.
        var wrong = new Summit.Data.Files.S3FileContent(fixture.S3.Client, "no-such-bucket", S3GatewayFixture.Prefix);
        var write = await Assert.ThrowsAsync<Summit.Data.Files.FileStoreUnavailableException>(() => wrong.WriteChunkAsync("f-wrong", 0, new byte[] { 1, 2, 3 }));
        Assert.Contains("NoSuchBucket", write.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Summit.Data.Files.FileStoreUnavailableException>(() => wrong.ReadChunkAsync("f-wrong", 0));

        // In the right bucket, a chunk that is not there is just missing.
        var right = new Summit.Data.Files.S3FileContent(fixture.S3.Client, Infrastructure.S3Server.Bucket, S3GatewayFixture.Prefix);
        Assert.Null(await right.ReadChunkAsync($"f-absent-{Guid.NewGuid():N}", 0));
    }

    [Fact]
    public async Task Pruning_sweeps_objects_whose_file_is_gone_or_an_old_incomplete_upload_and_nothing_else()
    {
        var s3 = fixture.S3;
        var owner = new OwningUnit(UnitKind.County, "pingyang");
        var now = SystemClock.Instance.GetCurrentInstant();
        byte[] chunk = [1, 2, 3];

        // Left over: chunks of a file whose row is gone.
        var orphan = NewId();
        await s3.PutAsync($"files/{orphan}/000000", chunk);
        await s3.PutAsync($"files/{orphan}/000001", chunk);
        // Not Summit's chunks: another key under the prefix, and a chunk-like key under another prefix.
        var outside = NewId();
        await s3.PutAsync("files/README.txt", chunk);
        await s3.PutAsync($"elsewhere/{outside}/000000", chunk);
        // An upload abandoned two hours ago, and one still arriving.
        var abandoned = await Store.BeginAsync(Gateway.Summit, owner, "county-pingyang", "旧的.pdf", now);
        await Store.WriteChunkAsync(abandoned, 0, chunk);
        await Store.WriteChunkAsync(abandoned, 1, chunk);
        await using (var age = Database.CreateCommand("UPDATE summit_file SET stored_at = now() - interval '2 hours' WHERE id = $1"))
        {
            age.Parameters.Add(new NpgsqlParameter<string> { TypedValue = abandoned });
            await age.ExecuteNonQueryAsync();
        }
        var arriving = await Store.BeginAsync(Gateway.Summit, owner, "county-pingyang", "新的.pdf", now);
        await Store.WriteChunkAsync(arriving, 0, chunk);
        // A complete file, not attached, stored just now.
        var kept = (await UploadOneAsync("county-pingyang", "留着.pdf", Pdf()))["id"]!.ToString();

        await Store.PruneAsync(TimeSpan.FromHours(24), TimeSpan.FromHours(1));
        Assert.Equal(0, await s3.CountAsync($"files/{orphan}/"));
        Assert.Equal(0, await ChunksOfAsync(abandoned));
        Assert.Equal(1, await s3.CountAsync("files/README.txt"));
        Assert.Equal(1, await s3.CountAsync($"elsewhere/{outside}/"));
        Assert.Equal(1, await ChunksOfAsync(arriving));
        Assert.Equal(1, await ChunksOfAsync(kept));

        // A refused or aborted upload's delete takes its objects with its row.
        await Store.DeleteAsync([arriving]);
        Assert.Equal(0, await ChunksOfAsync(arriving));
        await using var rows = Database.CreateCommand("SELECT count(*) FROM summit_file WHERE id = ANY($1)");
        rows.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [abandoned, arriving] });
        Assert.Equal(0L, await rows.ExecuteScalarAsync());
        await s3.Client.DeleteObjectAsync(Infrastructure.S3Server.Bucket, "files/README.txt");
        await s3.Client.DeleteObjectAsync(Infrastructure.S3Server.Bucket, $"elsewhere/{outside}/000000");
    }
}
