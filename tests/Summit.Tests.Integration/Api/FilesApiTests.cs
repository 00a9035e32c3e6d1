using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkiaSharp;
using Summit.Data.Files;
using Summit.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>
/// Files, the same whichever store holds their content (<see cref="FilesApiTests"/>: PostgreSQL's chunk table,
/// <see cref="S3FilesApiTests"/>: an S3 bucket): uploads streamed into the store, the type found in the content, images
/// stored without their EXIF/GPS metadata and with a thumbnail, downloads with safe headers, access by unit, and refusals
/// in Chinese that leave no row and no object behind, including an upload whose connection drops midway.
/// </summary>
/// <param name="bucket">The S3 server holding the content under <see cref="S3GatewayFixture.Prefix"/>, or null for PostgreSQL.</param>
public abstract class FilesApiBehaviour(GatewayFixture gateway, S3Server? bucket)
{
    protected string Files => $"/api/summits/{gateway.Summit}/files";

    protected NpgsqlDataSource Database => gateway.Factory.Services.GetRequiredService<NpgsqlDataSource>();

    // Content made here.

    /// <summary>A 400×300 JPEG (left half red, right half blue) with an EXIF block: orientation 6 (turn 90° clockwise) and a GPS position.</summary>
    private static byte[] JpegWithExif()
    {
        using var bitmap = new SKBitmap(400, 300);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Red);
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(200, 0, 200, 300, blue);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();

        var tiff = new List<byte>();
        void U16(int v) => tiff.AddRange([(byte)v, (byte)(v >> 8)]);
        void U32(int v) => tiff.AddRange([(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)]);
        tiff.AddRange("II"u8.ToArray()); U16(42); U32(8);
        // IFD0 at 8: orientation and the GPS IFD's offset (38).
        U16(2);
        U16(0x0112); U16(3); U32(1); U16(6); U16(0);
        U16(0x8825); U16(4); U32(1); U32(38);
        U32(0);
        // GPS IFD at 38: latitude ref N and latitude 27°59'42" (Wenzhou), its rationals at 68.
        U16(2);
        U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray());
        U16(0x0002); U16(5); U32(3); U32(68);
        U32(0);
        foreach (var (n, d) in new[] { (27, 1), (59, 1), (42, 1) })
        {
            U32(n);
            U32(d);
        }
        var app1 = new List<byte> { 0xFF, 0xE1 };
        var length = 2 + 6 + tiff.Count;
        app1.AddRange([(byte)(length >> 8), (byte)length]);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(tiff);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    private static byte[] Png(int width = 64, int height = 48)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.Green);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    protected static byte[] Pdf(int padding = 0)
    {
        var text = new StringBuilder("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n");
        if (padding > 0) text.Append('%').Append(new string('x', padding)).Append('\n');
        text.Append("trailer << /Root 1 0 R >>\n%%EOF\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    protected static MultipartFormDataContent Form(params (string Name, byte[] Bytes, string DeclaredType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "files", name);
        }
        return form;
    }

    protected async Task<HttpResponseMessage> UploadAsync(string account, MultipartFormDataContent form, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Files) { Content = form };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await (await gateway.As(account)).SendAsync(request);
    }

    protected async Task<System.Text.Json.Nodes.JsonObject> UploadOneAsync(string account, string name, byte[] bytes, string type = "application/octet-stream")
    {
        var response = await Task.FromResult(await UploadAsync(account, Form((name, bytes, type)))).ShouldBe(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["files"]!.AsArray().Single()!.AsObject();
    }

    /// <summary>The file rows, and the pieces of content: chunk rows and, with a bucket, the objects under the store's prefix.</summary>
    protected async Task<(long Files, long Chunks)> RowsAsync()
    {
        await using var command = Database.CreateCommand("SELECT (SELECT count(*) FROM summit_file), (SELECT count(*) FROM summit_file_chunk)");
        long files, chunks;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (files, chunks) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        return (files, chunks + (bucket is null ? 0 : await bucket.CountAsync(S3GatewayFixture.Prefix)));
    }

    /// <summary>Runs a refused upload and checks it left the file tables as they were; answers the refusal.</summary>
    protected async Task<System.Text.Json.Nodes.JsonObject> RefusedAsync(HttpStatusCode status, string account, MultipartFormDataContent form)
    {
        var before = await RowsAsync();
        var response = await Task.FromResult(await UploadAsync(account, form)).ShouldBe(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal(before, await RowsAsync());
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task A_photo_is_stored_upright_without_its_EXIF_and_GPS_with_a_thumbnail()
    {
        var original = JpegWithExif();
        Assert.True(original.AsSpan().IndexOf("Exif"u8) > 0);
        var file = await UploadOneAsync("county-pingyang", "现场照片 2020-06-10.jpg", original, "image/jpeg");
        Assert.Equal("image", file["kind"]!.ToString());
        Assert.Equal("image/jpeg", file["contentType"]!.ToString());
        Assert.Equal("现场照片 2020-06-10.jpg", file["name"]!.ToString());
        Assert.Equal("county", file["owner"]!["kind"]!.ToString());
        Assert.Equal("pingyang", file["owner"]!["code"]!.ToString());
        Assert.Equal("county-pingyang", file["uploadedBy"]!.ToString());
        Assert.Null(file["attachedTo"]);
        Assert.Matches("^f-[0-9a-f]{32}$", file["id"]!.ToString());

        var http = await gateway.As("county-pingyang");
        var download = await http.GetAsync(file["url"]!.ToString()).ShouldBe(HttpStatusCode.OK);
        var stored = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(file["length"]!.GetValue<long>(), stored.Length);
        Assert.Equal(file["sha256"]!.ToString(), Convert.ToHexStringLower(SHA256.HashData(stored)));
        Assert.True(stored.AsSpan().IndexOf("Exif"u8) < 0, "the stored photo still has an EXIF block");
        Assert.True(stored.AsSpan().IndexOf(new byte[] { 27, 0, 0, 0, 1, 0, 0, 0, 59, 0, 0, 0 }) < 0, "the GPS position is still there");
        using (var codec = SKCodec.Create(new MemoryStream(stored)))
        {
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
            // Turned as the orientation said: 300 wide, 400 high, the red half (the original's left) now on top.
            Assert.Equal((300, 400), (codec.Info.Width, codec.Info.Height));
            using var upright = SKBitmap.Decode(stored);
            Assert.True(upright.GetPixel(150, 50).Red > 200 && upright.GetPixel(150, 350).Blue > 200);
        }

        var thumbnail = await http.GetAsync(file["thumbnailUrl"]!.ToString()).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", thumbnail.Headers.GetValues("X-Content-Type-Options").Single());
        using (var small = SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync()))
            Assert.Equal((240, 320), (small.Width, small.Height));

        var info = await (await http.GetAsync($"{Files}/{file["id"]}/info").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(file.ToJsonString(), info.ToJsonString());
    }

    [Fact]
    public async Task A_PDF_downloads_as_it_was_with_safe_headers()
    {
        var pdf = Pdf(600_000);
        var file = await UploadOneAsync("secretariat", "关于召开筹备会议的通知.pdf", pdf, "application/x-whatever");
        Assert.Equal("document", file["kind"]!.ToString());
        Assert.Equal("application/pdf", file["contentType"]!.ToString());
        Assert.Equal("secretariat", file["owner"]!["kind"]!.ToString());
        Assert.Null(file["thumbnailUrl"]);
        Assert.Equal(3, await ChunksOfAsync(file["id"]!.ToString()));

        var http = await gateway.As("leader");
        var response = await http.GetAsync(file["url"]!.ToString()).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf.Length, response.Content.Headers.ContentLength);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("关于召开筹备会议的通知.pdf", disposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''%E5%85%B3", response.Content.Headers.GetValues("Content-Disposition").Single());
        var etag = response.Headers.ETag!;
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(pdf))}\"", etag.Tag);
        Assert.False(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, file["url"]!.ToString());
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
        await http.GetAsync($"{Files}/{file["id"]}/thumbnail").ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>A file's chunk rows and, with a bucket, its objects.</summary>
    protected async Task<long> ChunksOfAsync(string id)
    {
        await using var command = Database.CreateCommand("SELECT count(*) FROM summit_file_chunk WHERE file_id = $1");
        command.Parameters.AddWithValue(id);
        var rows = (long)(await command.ExecuteScalarAsync())!;
        return rows + (bucket is null ? 0 : await bucket.CountAsync($"{S3GatewayFixture.Prefix}{id}/"));
    }

    [Fact]
    public async Task A_county_reads_only_its_own_files_and_leaders_may_not_upload()
    {
        var file = await UploadOneAsync("county-pingyang", "签到表.pdf", Pdf());
        var url = file["url"]!.ToString();
        foreach (var reader in new[] { "county-pingyang", "secretariat", "leader" })
        {
            var http = await gateway.As(reader);
            await http.GetAsync(url).ShouldBe(HttpStatusCode.OK);
            await http.GetAsync(url + "/info").ShouldBe(HttpStatusCode.OK);
        }
        foreach (var outsider in new[] { "county-ouhai", "university-wmu", "admin" })
        {
            var http = await gateway.As(outsider);
            var refused = await http.GetAsync(url).ShouldBe(HttpStatusCode.NotFound);
            await http.GetAsync(url + "/info").ShouldBe(HttpStatusCode.NotFound);
            if (outsider != "admin")
                Assert.Equal($"找不到文件“{file["id"]}”。", (await refused.ReadJsonAsync())["detail"]!.ToString());
        }
        var secretariat = await gateway.As("secretariat");
        await secretariat.GetAsync($"{Files}/f-00000000000000000000000000000000").ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"{Files}/not-an-id/info").ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"/api/summits/no-such-summit/files/{file["id"]}").ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"{url}?download=1").ShouldBe(HttpStatusCode.BadRequest);
        await gateway.Anonymous().GetAsync(url).ShouldBe(HttpStatusCode.Unauthorized);

        var leader = await RefusedAsync(HttpStatusCode.Forbidden, "leader", Form(("讲话稿.pdf", Pdf(), "application/pdf")));
        Assert.Equal("领导账号无权执行此操作。", leader["detail"]!.ToString());
        await RefusedAsync(HttpStatusCode.NotFound, "admin", Form(("x.pdf", Pdf(), "application/pdf")));
        var university = await UploadOneAsync("university-wmu", "论坛议程.pdf", Pdf());
        Assert.Equal("university", university["owner"]!["kind"]!.ToString());
        await (await gateway.As("county-pingyang")).GetAsync(university["url"]!.ToString()).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_program_renamed_as_a_photo_is_refused_by_its_content()
    {
        var exe = new byte[4096];
        Random.Shared.NextBytes(exe);
        "MZ"u8.CopyTo(exe);
        exe[2] = 0x90;
        exe[3] = 0;
        var problem = await RefusedAsync(HttpStatusCode.UnsupportedMediaType, "county-pingyang", Form(("风景.jpg", exe, "image/jpeg")));
        Assert.Equal("文件“风景.jpg”的类型不在允许之列（其内容为 application/octet-stream；允许的类型：图片、文档、视频、表格）。",
            problem["detail"]!.ToString());
        Assert.Equal("风景.jpg", problem["file"]!.ToString());
    }

    [Fact]
    public async Task A_file_over_20_MiB_is_refused_naming_the_file_and_the_limit()
    {
        var large = Pdf(20 * 1024 * 1024 + 1 - Pdf().Length - 2);
        Assert.Equal(20 * 1024 * 1024 + 1, large.Length);
        var problem = await RefusedAsync(HttpStatusCode.RequestEntityTooLarge, "university-wmu", Form(("论坛实录.pdf", large, "application/pdf")));
        Assert.Equal("文件“论坛实录.pdf”超过了单个文件 20 MiB 的大小上限。", problem["detail"]!.ToString());
        Assert.Equal(20 * 1024 * 1024, problem["limit"]!.GetValue<long>());

        using var english = new HttpRequestMessage(HttpMethod.Post, Files) { Content = Form(("论坛实录.pdf", large, "application/pdf")) };
        english.Headers.AcceptLanguage.ParseAdd("en");
        var response = await (await gateway.As("university-wmu")).SendAsync(english);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The file '论坛实录.pdf' is larger than the limit of 20 MiB per file.", (await response.ReadJsonAsync())["detail"]!.ToString());
        // Exactly the limit is fine.
        var fits = Pdf(20 * 1024 * 1024 - Pdf().Length - 2);
        Assert.Equal(20L * 1024 * 1024, (await UploadOneAsync("university-wmu", "刚好.pdf", fits))["length"]!.GetValue<long>());
    }

    [Fact]
    public async Task Truncated_and_damaged_files_are_refused_and_leave_nothing()
    {
        var png = Png();
        var truncated = await RefusedAsync(HttpStatusCode.UnprocessableEntity, "county-pingyang", Form(("布置图.png", png[..(png.Length / 2)], "image/png")));
        Assert.StartsWith("文件“布置图.png”不完整", truncated["detail"]!.ToString());

        byte[] damaged = [0xFF, 0xD8, 0xFF, 0xE0, .. Encoding.ASCII.GetBytes(new string('?', 3000)), 0xFF, 0xD9];
        var broken = await RefusedAsync(HttpStatusCode.UnprocessableEntity, "county-pingyang", Form(("合影.jpg", damaged, "image/jpeg")));
        Assert.StartsWith("文件“合影.jpg”", broken["detail"]!.ToString());

        var pdf = Pdf(1000);
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "county-pingyang", Form(("方案.pdf", pdf[..^10], "application/pdf")));
        var empty = await RefusedAsync(HttpStatusCode.UnprocessableEntity, "county-pingyang", Form(("空.txt", [], "text/plain")));
        Assert.Equal("文件“空.txt”是空文件。", empty["detail"]!.ToString());

        // One refused file refuses the whole upload: the good file sent before it is not kept either.
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "county-pingyang",
            Form(("好的.pdf", Pdf(300_000), "application/pdf"), ("坏的.png", png[..40], "image/png")));
    }

    [Fact]
    public async Task Bad_requests_are_refused_in_Chinese()
    {
        var secretariat = await gateway.As("secretariat");
        var json = await secretariat.PostAsync(Files, new { name = "x" }).ShouldBe(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("请以 multipart/form-data 格式上传文件。", (await json.ReadJsonAsync())["detail"]!.ToString());

        var noFile = new MultipartFormDataContent { { new StringContent("值"), "note" } };
        var field = await RefusedAsync(HttpStatusCode.BadRequest, "secretariat", noFile);
        Assert.Contains("文件（第 1 项）：不是文件", field["detail"]!.ToString());
        using var empty = new ByteArrayContent("--b--\r\n"u8.ToArray());
        empty.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        var none = await secretariat.PostAsync(Files, empty).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("至少须包含一个文件", (await none.ReadJsonAsync())["detail"]!.ToString());

        using var cut = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello"u8.ToArray());
        cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        var before = await RowsAsync();
        var response = await secretariat.PostAsync(Files, cut).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("multipart/form-data", (await response.ReadJsonAsync())["detail"]!.ToString());
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Names_are_sanitised_and_extensions_follow_the_content()
    {
        var file = await UploadOneAsync("county-pingyang", "..\\..\\C:\\桌面\\活动\u202Egpj.exe总结", Pdf());
        Assert.Equal("活动gpj.exe总结.pdf", file["name"]!.ToString());
        var text = await UploadOneAsync("county-pingyang", "报名名单.csv", "姓名,单位\n张三,平阳县科协\n"u8.ToArray(), "text/csv");
        Assert.Equal(("document", "text/plain; charset=utf-8", "报名名单.csv"), (text["kind"]!.ToString(), text["contentType"]!.ToString(), text["name"]!.ToString()));
        var png = await UploadOneAsync("county-pingyang", "示意图.jpg", Png());
        Assert.Equal(("image/png", "示意图.png"), (png["contentType"]!.ToString(), png["name"]!.ToString()));
    }

    [Fact]
    public async Task An_upload_whose_connection_drops_midway_leaves_nothing()
    {
        var before = await RowsAsync();
        var started = new TaskCompletionSource();
        using var drop = new CancellationTokenSource();
        var form = new MultipartFormDataContent { { new StallingContent(Pdf(2 * 1024 * 1024), 1024 * 1024, started), "files", "中断的上传.pdf" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, Files) { Content = form };
        var http = await gateway.As("county-pingyang");
        var upload = Task.Run(async () =>
        {
            try
            {
                return await http.SendAsync(request, drop.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The first chunks are in the database before the connection drops.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await RowsAsync()).Chunks <= before.Chunks && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True((await RowsAsync()).Chunks > before.Chunks, "no chunk was written while the upload was arriving");
        await drop.CancelAsync();
        Assert.Null(await upload.WaitAsync(TimeSpan.FromSeconds(30)));

        deadline = DateTime.UtcNow.AddSeconds(20);
        while (await RowsAsync() != before && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(before, await RowsAsync());
    }

    /// <summary>Sends the first <paramref name="sendBefore"/> bytes of the content, then waits for the rest forever.</summary>
    private sealed class StallingContent(byte[] bytes, int sendBefore, TaskCompletionSource started) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            for (var at = 0; at < sendBefore; at += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(64 * 1024, sendBefore - at)), cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }

    [Fact]
    public async Task An_upload_retried_with_its_Idempotency_Key_is_stored_once()
    {
        var key = Guid.NewGuid().ToString();
        var before = await RowsAsync();
        // The same bytes each time: a retry sends the same body (a new form would have a new boundary).
        var form = Form(("一.pdf", Pdf(), "application/pdf"), ("二.png", Png(), "image/png"));
        var body = await form.ReadAsByteArrayAsync();
        async Task<HttpResponseMessage> SendAsync()
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = form.Headers.ContentType;
            using var request = new HttpRequestMessage(HttpMethod.Post, Files) { Content = content };
            request.Headers.Add("Idempotency-Key", key);
            return await (await gateway.As("county-pingyang")).SendAsync(request);
        }
        var first = await SendAsync().ShouldBe(HttpStatusCode.Created);
        var again = await SendAsync().ShouldBe(HttpStatusCode.Created);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadJsonAsync()).ToJsonString(), (await again.ReadJsonAsync()).ToJsonString());
        Assert.Equal(before.Files + 2, (await RowsAsync()).Files);
    }

    [Fact]
    public async Task The_catalog_attaches_files_and_pruning_removes_only_unattached_ones()
    {
        var catalog = gateway.Factory.Services.GetRequiredService<IFileCatalog>();
        var store = gateway.Factory.Services.GetRequiredService<IFileStore>();
        var kept = (await UploadOneAsync("county-pingyang", "总结.pdf", Pdf()))["id"]!.ToString();
        var dropped = (await UploadOneAsync("county-pingyang", "草稿.pdf", Pdf()))["id"]!.ToString();
        var elsewhere = (await UploadOneAsync("county-pingyang", "别处.pdf", Pdf()))["id"]!.ToString();

        Assert.Equal([elsewhere], await catalog.AttachAsync(gateway.Summit, [elsewhere], "submission:s-other"));
        Assert.Equal([kept], await catalog.AttachAsync(gateway.Summit, [kept, elsewhere, "f-nope"], "submission:s-1"));
        Assert.Equal([kept], await catalog.AttachAsync(gateway.Summit, [kept], "submission:s-1"));
        Assert.Empty(await catalog.AttachAsync("another-summit", [dropped], "submission:s-1"));
        var infos = await catalog.GetAsync(gateway.Summit, [dropped, kept, "f-nope"]);
        Assert.Equal([dropped, kept], infos.Select(f => f.Id));
        Assert.Equal("submission:s-1", infos[1].AttachedTo);
        Assert.Empty(await catalog.GetAsync("another-summit", [kept]));
        await using (var content = await catalog.OpenReadAsync(gateway.Summit, kept))
        {
            using var copy = new MemoryStream();
            await content!.CopyToAsync(copy);
            Assert.Equal(Pdf(), copy.ToArray());
        }

        await store.PruneAsync(TimeSpan.Zero, TimeSpan.FromHours(1));
        Assert.Equal([kept, elsewhere], (await catalog.GetAsync(gateway.Summit, [kept, dropped, elsewhere])).Select(f => f.Id));
        Assert.Equal(0, await ChunksOfAsync(dropped));
        Assert.Equal(1, await catalog.DetachAsync(gateway.Summit, [kept, elsewhere], "submission:s-1"));
        await store.PruneAsync(TimeSpan.Zero, TimeSpan.FromHours(1));
        Assert.Equal([elsewhere], (await catalog.GetAsync(gateway.Summit, [kept, elsewhere])).Select(f => f.Id));
        await (await gateway.As("county-pingyang")).GetAsync($"{Files}/{kept}").ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>The files API with the content in PostgreSQL's chunk table, the default store.</summary>
[Collection(GatewayCollection.Name)]
public sealed class FilesApiTests(GatewayFixture gateway) : FilesApiBehaviour(gateway, bucket: null);
