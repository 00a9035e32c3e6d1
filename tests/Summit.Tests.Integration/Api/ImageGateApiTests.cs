using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkiaSharp;
using Summit.Data.Files;

namespace Summit.Tests.Api;

/// <summary>
/// The Gateway's image gate (<see cref="ImageGate"/>) with real uploads into PostgreSQL: with two places and two waiting,
/// no more than two images decode at once, a fifth upload is answered 503 with Retry-After and a Chinese problem and
/// stores nothing, and a queued upload whose client goes away is never decoded. The image work is the real one behind a
/// probe that counts how many run at once and holds each until the test lets go, so every check waits for a state.
/// </summary>
public sealed class ImageGateApiTests(ImageGateApiTests.Fixture gateway) : IClassFixture<ImageGateApiTests.Fixture>
{
    /// <summary>The real image work, counted and held.</summary>
    public sealed class Probe(IImageProcessor inner) : IImageProcessor
    {
        private readonly Lock _lock = new();
        private ManualResetEventSlim _open = new(true);
        private int _running;

        public int Started { get; private set; }

        public int MostAtOnce { get; private set; }

        /// <summary>Counts from zero and holds every image from now until <see cref="Open"/>.</summary>
        public void Hold()
        {
            lock (_lock)
            {
                Started = 0;
                MostAtOnce = _running;
                _open = new ManualResetEventSlim(false);
            }
        }

        public void Open() => _open.Set();

        public (ProcessedImage? Image, ImageProblem Problem) Process(string source, string destination, int thumbnailSize, long maxPixels)
        {
            ManualResetEventSlim open;
            lock (_lock)
            {
                Started++;
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                open = _open;
            }
            try
            {
                if (!open.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("The test never let the image go.");
                return inner.Process(source, destination, thumbnailSize, maxPixels);
            }
            finally
            {
                lock (_lock) _running--;
            }
        }
    }

    /// <summary>A Gateway of its own with two places for images, two waiting, and the probe in front of the image work.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public Probe Probe { get; } = new(new SkiaImageProcessor());

        public GatewayFactory Factory { get; }

        public Fixture() => Factory = new GatewayFactory(
            settings: new Dictionary<string, string?>
            {
                ["Summit:Files:ImageConcurrency"] = "2",
                ["Summit:Files:ImageQueue"] = "2",
                ["Summit:Files:ImageWaitTimeout"] = "00:10:00",
            },
            services: s => s.AddSingleton<IImageProcessor>(Probe));

        public ImageGate Gate => Factory.Services.GetRequiredService<ImageGate>();

        public Task InitializeAsync() => Factory.StartAsync();

        public async Task DisposeAsync()
        {
            Probe.Open();
            await Factory.DisposeAsync();
        }
    }

    private static string Files => $"/api/summits/{GatewayFactory.Summit}/files";

    private static byte[] Photo()
    {
        using var bitmap = new SKBitmap(400, 300);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.SkyBlue);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static HttpRequestMessage Upload(string name)
    {
        var part = new ByteArrayContent(Photo());
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new HttpRequestMessage(HttpMethod.Post, Files) { Content = new MultipartFormDataContent { { part, "files", name } } };
    }

    private async Task<long> FilesStoredAsync()
    {
        await using var command = gateway.Factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM summit_file");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits for a state the Gateway reaches on its own; fails only if it never does.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Never reached: {what}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task No_more_than_two_images_decode_at_once_and_past_the_queue_an_upload_gets_503_and_stores_nothing()
    {
        var http = await gateway.Factory.SignedInAsync("county-pingyang");
        var before = await FilesStoredAsync();
        gateway.Probe.Hold();
        var uploads = Enumerable.Range(1, 4).Select(i => http.SendAsync(Upload($"现场照片{i}.jpg"))).ToArray();
        await Until(() => gateway.Probe.Started == 2 && gateway.Gate.Waiting == 2, "two images decoding and two waiting");
        Assert.Equal(2, gateway.Probe.MostAtOnce);

        var refused = await http.SendAsync(Upload("第五张.jpg"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("zh-CN", refused.Content.Headers.ContentLanguage.Single());
        var problem = await refused.ReadJsonAsync();
        Assert.Equal("服务器繁忙", problem["title"]!.ToString());
        Assert.Equal($"服务器正忙：已有 2 张图片在排队处理，图片“第五张.jpg”未能处理，本次上传的文件均未保存。请在 {problem["retryAfter"]} 秒后重试。",
            problem["detail"]!.ToString());
        Assert.Equal((int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, problem["retryAfter"]!.GetValue<int>());
        Assert.Equal("第五张.jpg", problem["file"]!.ToString());
        Assert.Equal(2, gateway.Probe.Started);
        Assert.Equal(before, await FilesStoredAsync());

        gateway.Probe.Open();
        foreach (var upload in uploads) await Task.FromResult(await upload).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(4, gateway.Probe.Started);
        // Measured inside the image work while all four went through: never more than the two places.
        Assert.Equal(2, gateway.Probe.MostAtOnce);
        Assert.Equal(before + 4, await FilesStoredAsync());
    }

    [Fact]
    public async Task A_queued_upload_whose_client_goes_away_is_never_decoded()
    {
        var http = await gateway.Factory.SignedInAsync("university-wmu");
        var before = await FilesStoredAsync();
        gateway.Probe.Hold();
        var decoding = new[] { http.SendAsync(Upload("一.jpg")), http.SendAsync(Upload("二.jpg")) };
        await Until(() => gateway.Probe.Started == 2, "two images decoding");

        using var leave = new CancellationTokenSource();
        var queued = Task.Run(async () =>
        {
            try
            {
                return await http.SendAsync(Upload("离开的.jpg"), leave.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        });
        await Until(() => gateway.Gate.Waiting == 1, "the third upload waiting");
        await leave.CancelAsync();
        Assert.Null(await queued);
        await Until(() => gateway.Gate.Waiting == 0, "the third upload leaving the queue");

        gateway.Probe.Open();
        foreach (var upload in decoding) await Task.FromResult(await upload).ShouldBe(HttpStatusCode.Created);
        await Until(() => gateway.Gate.Running == 0, "no image decoding");
        Assert.Equal(2, gateway.Probe.Started);
        Assert.Equal(before + 2, await FilesStoredAsync());

        // Its place was not lost: the next upload decodes at once.
        await Task.FromResult(await http.SendAsync(Upload("三.jpg"))).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(3, gateway.Probe.Started);
    }
}
