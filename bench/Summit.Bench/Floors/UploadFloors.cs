using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Npgsql;
using NpgsqlTypes;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Floors;

/// <summary>
/// Floors of the uploads scenario, each with the same open-loop arrival pattern as the Gateway run (upload i at
/// t0 + i × seconds / count) on the same PostgreSQL:
/// <list type="bullet">
/// <item>PostgreSQL: the image's bytes written by Npgsql as 256 KiB <c>bytea</c> chunk rows under a file row, one
/// transaction per file (tables shaped like migration 0280's, chunks stored out of line uncompressed), from a pool.</item>
/// <item>HTTP → PostgreSQL: the same multipart body POSTed to a minimal Kestrel endpoint hosted in the benchmark, which
/// reads it as it arrives (<see cref="MultipartReader"/>) and writes each 256 KiB into the same chunk rows in one
/// transaction per file: what the Gateway does for a file that is not an image, without Orleans, authentication,
/// sniffing or the image's decoding and re-encoding.</item>
/// </list>
/// </summary>
public static class UploadFloors
{
    public const int ChunkBytes = 256 * 1024;

    public sealed record Result(
        string What,
        int Completed,
        int Failed,
        double WallSeconds,
        double MiBPerSecond,
        double FilesPerSecond,
        LatencySummary LatencyMs,
        int MaxInFlight,
        double? PostgresCores,
        double BenchCores,
        double DatabaseGrowthMiB);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS bench_floor_file (id text COLLATE "C" PRIMARY KEY, name text NOT NULL, length bigint NOT NULL DEFAULT 0, complete boolean NOT NULL DEFAULT false);
        CREATE TABLE IF NOT EXISTS bench_floor_chunk (
            file_id text COLLATE "C" NOT NULL REFERENCES bench_floor_file (id) ON DELETE CASCADE, n integer NOT NULL, bytes bytea NOT NULL,
            PRIMARY KEY (file_id, n));
        ALTER TABLE bench_floor_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;
        """;

    /// <summary>Npgsql alone: each file's chunks and its row in one transaction, open loop.</summary>
    public static async Task<Result> PostgresAsync(PostgresLauncher pg, byte[] file, int count, double seconds, CancellationToken ct)
    {
        var database = await pg.CreateDatabaseAsync("bench_uploads_floor_pg");
        await using var source = NpgsqlDataSource.Create(database);
        await using (var create = source.CreateCommand(Schema)) await create.ExecuteNonQueryAsync(ct);
        var sizeBefore = await DatabaseSizeAsync(source, ct);
        var run = await OpenLoopAsync(count, seconds, async i =>
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await StoreAsync(connection, $"floor-{i}", $"photo-{i:D3}.jpg", file, ct);
            return true;
        }, pg, ct);
        var growth = (await DatabaseSizeAsync(source, ct) - sizeBefore) / 1048576.0;
        return run.ToResult("PostgreSQL: 256 KiB bytea chunk rows by Npgsql, one transaction per file", file.LongLength, growth);
    }

    /// <summary>A minimal endpoint receiving the multipart body and streaming it into chunk rows, one transaction per file, open loop.</summary>
    public static async Task<Result> HttpToPostgresAsync(PostgresLauncher pg, byte[] file, int count, double seconds, CancellationToken ct)
    {
        var database = await pg.CreateDatabaseAsync("bench_uploads_floor_http");
        await using var source = NpgsqlDataSource.Create(database);
        await using (var create = source.CreateCommand(Schema)) await create.ExecuteNonQueryAsync(ct);
        var sizeBefore = await DatabaseSizeAsync(source, ct);

        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            var stored = 0;
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
            {
                await using var connection = await source.OpenConnectionAsync(request.HttpContext.RequestAborted);
                await StoreAsync(connection, $"floor-{Guid.NewGuid():N}", "upload", section.Body, request.HttpContext.RequestAborted);
                stored++;
            }
            return stored > 0 ? Results.StatusCode(StatusCodes.Status201Created) : Results.BadRequest();
        });
        await app.StartAsync(ct);
        try
        {
            using var http = Counties.CreateHttpClient(new Uri($"http://127.0.0.1:{port}"));
            http.Timeout = TimeSpan.FromMinutes(5);
            var run = await OpenLoopAsync(count, seconds, async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = Multipart(file, i) };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                await response.Content.CopyToAsync(Stream.Null, ct);
                return response.StatusCode == HttpStatusCode.Created;
            }, pg, ct);
            var growth = (await DatabaseSizeAsync(source, ct) - sizeBefore) / 1048576.0;
            return run.ToResult("HTTP → PostgreSQL: the same multipart body streamed by a minimal Kestrel endpoint into the same chunk rows", file.LongLength, growth);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The multipart body the Gateway gets: one part <c>files</c> named <c>photo-NNN.jpg</c>, image/jpeg.</summary>
    public static MultipartFormDataContent Multipart(byte[] file, int index)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        content.Add(part, "files", $"photo-{index:D3}.jpg");
        return content;
    }

    public static async Task<long> DatabaseSizeAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var command = source.CreateCommand("SELECT pg_database_size(current_database())");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task StoreAsync(NpgsqlConnection connection, string id, string name, byte[] file, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await InsertFileAsync(connection, id, name, ct);
        var n = 0;
        for (var offset = 0; offset < file.Length; offset += ChunkBytes)
            await InsertChunkAsync(connection, id, n++, file.AsMemory(offset, Math.Min(ChunkBytes, file.Length - offset)), ct);
        await CompleteAsync(connection, id, file.LongLength, ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task StoreAsync(NpgsqlConnection connection, string id, string name, Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await InsertFileAsync(connection, id, name, ct);
            long length = 0;
            int read;
            for (var n = 0; (read = await body.ReadAtLeastAsync(buffer.AsMemory(0, ChunkBytes), ChunkBytes, false, ct)) > 0; n++)
            {
                await InsertChunkAsync(connection, id, n, buffer.AsMemory(0, read), ct);
                length += read;
            }
            await CompleteAsync(connection, id, length, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task InsertFileAsync(NpgsqlConnection connection, string id, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("INSERT INTO bench_floor_file (id, name) VALUES ($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task InsertChunkAsync(NpgsqlConnection connection, string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("INSERT INTO bench_floor_chunk (file_id, n, bytes) VALUES ($1, $2, $3)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = n });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task CompleteAsync(NpgsqlConnection connection, string id, long length, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("UPDATE bench_floor_file SET length = $2, complete = true WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = length });
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed record Run(int Completed, int Failed, double WallSeconds, Latencies Latency, int MaxInFlight, double? PostgresCores, double BenchCores)
    {
        public Result ToResult(string what, long fileBytes, double growthMiB) => new(what, Completed, Failed, Math.Round(WallSeconds, 2),
            Math.Round(Completed * fileBytes / 1048576.0 / WallSeconds, 1), Math.Round(Completed / WallSeconds, 2), Latency.Summarise(), MaxInFlight,
            PostgresCores, BenchCores, Math.Round(growthMiB, 1));
    }

    /// <summary>Starts operation i at t0 + i × seconds / count, each timed from its planned start to its end.</summary>
    private static async Task<Run> OpenLoopAsync(int count, double seconds, Func<int, Task<bool>> operation, PostgresLauncher pg, CancellationToken ct)
    {
        var probe = new Probe("floor", count, count / seconds, 0);
        var latency = new Latencies(count);
        var tasks = new Task[count];
        int completed = 0, failed = 0, inFlight = 0, maxInFlight = 0;
        long last = 0;
        var pgCpu = pg.CpuTime();
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        await OpenLoop.RunAsync(probe, i =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            tasks[i] = Task.Run(async () =>
            {
                bool ok;
                try
                {
                    ok = await operation(i);
                }
                catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or IOException or TaskCanceledException)
                {
                    ok = false;
                }
                var end = Stopwatch.GetTimestamp();
                Interlocked.Decrement(ref inFlight);
                if (ok)
                {
                    Interlocked.Increment(ref completed);
                    latency.Add(probe.Planned(i), end);
                }
                else Interlocked.Increment(ref failed);
                InterlockedMax(ref last, end);
            }, ct);
        }, ct);
        await Task.WhenAll(tasks.Where(t => t is not null));
        var wall = (Volatile.Read(ref last) - probe.Start) / (double)Stopwatch.Frequency;
        var pgCores = pg.CpuTime() is { } after && pgCpu is { } before ? Math.Round((after - before).TotalSeconds / wall, 2) : (double?)null;
        var benchCores = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - benchCpu).TotalSeconds / wall, 2);
        return new Run(completed, failed, wall, latency, maxInFlight, pgCores, benchCores);
    }

    public static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
