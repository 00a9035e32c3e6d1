using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Summit.Bench.Floors;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// A campaign asks every unit for photos: <c>--uploads</c> uploads (500) of one <c>--upload-mib</c> MiB JPEG (5) each,
/// to <c>POST /api/summits/{summit}/files</c>, open loop over <c>--upload-seconds</c> (60): upload i starts at
/// t0 + i × seconds / uploads whether or not earlier ones were answered, from the demo's county and university accounts
/// in turn (each signed in once, as the demo does), so each upload belongs to the unit that sent it. Durable
/// PostgreSQL. Reports what was stored or refused (status codes), the wall time for all of them, throughput,
/// latency from each upload's planned start (queueing counts), the Gateway's RSS (every 100 ms) and GC heap before,
/// at its peak and after, CPU of the Gateway, PostgreSQL and the benchmark, and the database's growth; then floors on
/// the same PostgreSQL with the same arrival pattern (<see cref="UploadFloors"/>) and the CPU cost of one image's
/// decoding and re-encoding measured on its own.
/// </summary>
public static class UploadsRun
{
    private const int WarmupUploads = 3;
    private const int ProcessingRuns = 5;

    public sealed record MemoryReading(double RssMiB, double? GcHeapMiB);

    public static async Task RunAsync(int uploads, int mib, int seconds, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        var pg = context.Postgres;
        var accounts = Counties.Codes.Select(c => $"county-{c}")
            .Concat(Summit.Data.Demo.DemoReference.Universities.Select(u => $"university-{u.Code}")).ToArray();
        report.Config = new
        {
            uploads,
            uploadMiB = mib,
            uploadSeconds = seconds,
            offeredPerSecond = Math.Round(uploads / (double)seconds, 2),
            accounts,
            warmupUploads = WarmupUploads,
            postgres = pg.Description,
        };

        Console.WriteLine($"[uploads] making a {mib} MiB JPEG ({UploadImage.DefaultWidth}×{UploadImage.DefaultHeight}) …");
        var image = UploadImage.Create(mib * 1048576L);
        var body = image.Bytes;
        Console.WriteLine($"[uploads]   {body.Length:N0} bytes (noise ±{image.NoiseAmplitude}, quality {image.Quality}) in {image.GenerationSeconds} s");
        var (processingMs, processingCpuMs, reencodedBytes) = image.TimeProcessing(ProcessingRuns);
        var processingMedian = processingMs.Order().ElementAt(processingMs.Length / 2);
        var processingCpuMedian = processingCpuMs.Order().ElementAt(processingCpuMs.Length / 2);
        Console.WriteLine($"[uploads]   decode + re-encode + thumbnail on one thread: {string.Join(", ", processingMs)} ms (CPU {string.Join(", ", processingCpuMs)} ms); re-encoded {reencodedBytes:N0} bytes");

        var database = await pg.CreateDatabaseAsync("bench_uploads");
        var settings = PushRun.GatewaySettings(database, 400, null);
        var logPath = Path.Combine(Path.GetTempPath(), $"summit-bench-gateway-uploads-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        Console.WriteLine($"[uploads] starting the Gateway (400-task demo, {pg.Description}); log: {logPath}");
        object? gatewayResults;
        double? gatewayP99;
        MemoryWatch.Sample[] samples;
        await using (var gateway = GatewayProcess.Start(context.GatewayDll, settings, logPath))
        {
            var startup = await gateway.WaitHealthyAsync(TimeSpan.FromMinutes(30),
                e => Console.WriteLine($"[uploads]   still starting after {e.TotalSeconds:0} s"), ct);
            var rssAfterStart = Math.Round((ProcStat.Rss(gateway.Pid) ?? 0) / 1048576.0, 1);
            Console.WriteLine($"[uploads]   ready after {startup.TotalSeconds:0.0} s, RSS {rssAfterStart} MiB");

            using var http = Counties.CreateHttpClient(gateway.BaseAddress);
            http.Timeout = TimeSpan.FromMinutes(10);
            var tokens = new Dictionary<string, string>();
            foreach (var account in accounts) tokens[account] = await Counties.SignInAsync(http, account);

            // Warm the path (JIT, SkiaSharp's native library, pools) with a few uploads one at a time: also the idle
            // service time of one upload, which the wall-time check allows the last upload.
            var warmup = new List<double>();
            for (var i = 0; i < WarmupUploads; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = await UploadAsync(http, tokens[accounts[i % accounts.Length]], body, -1 - i, ct);
                warmup.Add(Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
                if (outcome.Status != "201") throw new InvalidOperationException($"A warm-up upload was answered {outcome.Status}: {outcome.Problem}");
            }
            var idleServiceMs = warmup.Order().ElementAt(warmup.Count / 2);
            Console.WriteLine($"[uploads]   warm-up uploads, one at a time: {string.Join(", ", warmup)} ms");

            await using var sql = NpgsqlDataSource.Create(database);
            var storageBefore = await StorageAsync(sql, ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var before = await ReadMemoryAsync(gateway.Pid);
            Console.WriteLine($"[uploads]   before: RSS {before.RssMiB} MiB, GC heap {before.GcHeapMiB} MiB");

            Console.WriteLine($"[uploads] {uploads} uploads of {body.Length / 1048576.0:0.00} MiB over {seconds} s, open loop …");
            var probe = new Probe(Guid.NewGuid().ToString("N")[..8], uploads, uploads / (double)seconds, 0);
            var outcomes = new Outcome[uploads];
            var tasks = new Task[uploads];
            var latency = new Latencies(uploads);
            int inFlight = 0, maxInFlight = 0;
            long last = 0;
            ProcStat.ResetPeakRss(gateway.Pid);
            var gatewayCpu = gateway.CpuTime();
            var pgCpu = pg.CpuTime();
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
            Latencies lag;
            MemoryWatch watch;
            await using (watch = new MemoryWatch(gateway.Pid, () => Volatile.Read(ref inFlight)))
            {
                lag = await OpenLoop.RunAsync(probe, i =>
                {
                    UploadFloors.InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
                    var account = accounts[i % accounts.Length];
                    tasks[i] = Task.Run(async () =>
                    {
                        var outcome = await UploadAsync(http, tokens[account], body, i, ct);
                        var end = Stopwatch.GetTimestamp();
                        Interlocked.Decrement(ref inFlight);
                        outcomes[i] = outcome with { Account = account, Milliseconds = Math.Round((end - probe.Planned(i)) * 1000.0 / Stopwatch.Frequency, 1) };
                        if (outcome.Status == "201") latency.Add(probe.Planned(i), end);
                        UploadFloors.InterlockedMax(ref last, end);
                    }, ct);
                }, ct);
                await Task.WhenAll(tasks.Where(t => t is not null));
            }
            var wall = (Volatile.Read(ref last) - probe.Start) / (double)Stopwatch.Frequency;
            var gatewayCores = Math.Round((gateway.CpuTime() - gatewayCpu).TotalSeconds / wall, 2);
            var pgCores = pg.CpuTime() is { } pgAfter && pgCpu is { } pgBefore ? Math.Round((pgAfter - pgBefore).TotalSeconds / wall, 2) : (double?)null;
            var benchCores = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - benchCpu).TotalSeconds / wall, 2);
            var peakRss = Math.Max(ProcStat.PeakRss(gateway.Pid) ?? 0, watch.PeakRss);
            var rssAtEnd = Math.Round((ProcStat.Rss(gateway.Pid) ?? 0) / 1048576.0, 1);
            var storageAfter = await StorageAsync(sql, ct);
            Console.WriteLine($"[uploads]   done in {wall:0.0} s; peak RSS {peakRss / 1048576.0:0} MiB; {maxInFlight} in flight at most");

            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            var after = await ReadMemoryAsync(gateway.Pid);
            Console.WriteLine($"[uploads]   after (10 s later): RSS {after.RssMiB} MiB, GC heap {after.GcHeapMiB} MiB");

            // One stored upload, read back: an image with its thumbnail, owned by the unit that sent it.
            var check = outcomes.FirstOrDefault(o => o?.Status == "201");
            string? storedCheck = null;
            if (check?.FileId is { } fileId)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/summits/{PushRun.Summit}/files/{fileId}/thumbnail");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[check.Account!]);
                using var response = await http.SendAsync(request, ct);
                var thumbnail = await response.Content.ReadAsByteArrayAsync(ct);
                storedCheck = $"{fileId} ({check.Account}): thumbnail {(int)response.StatusCode}, {response.Content.Headers.ContentType}, {thumbnail.Length:N0} bytes";
            }

            var ok = outcomes.Count(o => o?.Status == "201");
            var statuses = outcomes.GroupBy(o => o?.Status ?? "not sent").OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
            var problems = outcomes.Where(o => o?.Problem is not null).GroupBy(o => o!.Problem!).OrderByDescending(g => g.Count())
                .Take(5).Select(g => $"{g.Count()}× {g.Key}").ToArray();
            var storedBytes = outcomes.Where(o => o?.Status == "201").Sum(o => o!.StoredBytes);
            var summary = latency.Summarise();
            gatewayP99 = summary.P99;
            var sentMiB = uploads * (long)body.Length / 1048576.0;
            var okMiB = ok * (long)body.Length / 1048576.0;
            samples = [.. watch.Samples];
            // Per second of the run: the highest RSS and number in flight, and the cores the Gateway and the whole machine
            // kept busy (other people's jobs included).
            var seconds1 = samples.GroupBy(s => (int)s.Seconds).Select(g => (Second: g.Key, Last: g.Last(), RssMiB: g.Max(s => s.RssMiB), InFlight: g.Max(s => s.Gauge))).ToArray();
            var perSecond = seconds1.Skip(1).Select((x, k) =>
            {
                var previous = seconds1[k].Last;
                var interval = x.Last.Seconds - previous.Seconds;
                return new
                {
                    second = x.Second,
                    rssMiB = x.RssMiB,
                    inFlight = x.InFlight,
                    gatewayCores = interval > 0 ? Math.Round((x.Last.CpuSeconds - previous.CpuSeconds) / interval, 2) : 0,
                    machineCores = interval > 0 ? Math.Round((x.Last.MachineBusySeconds - previous.MachineBusySeconds) / interval, 2) : 0,
                };
            }).ToArray();
            var machineCores = samples.Length < 2 ? (double?)null
                : Math.Round((samples[^1].MachineBusySeconds - samples[0].MachineBusySeconds) / (samples[^1].Seconds - samples[0].Seconds), 2);
            var peakInFlightSample = samples.Length == 0 ? null : samples.MaxBy(s => s.RssMiB);

            gatewayResults = new
            {
                imageBytes = body.Length,
                imageNoise = image.NoiseAmplitude,
                imageQuality = image.Quality,
                imagePixels = $"{image.Width}x{image.Height}",
                startupSeconds = Math.Round(startup.TotalSeconds, 1),
                warmupMs = warmup,
                completed = ok,
                failed = uploads - ok,
                statuses,
                problems,
                wallSeconds = Math.Round(wall, 2),
                throughput = new
                {
                    offeredMiBPerSecond = Math.Round(sentMiB / seconds, 1),
                    storedMiBPerSecond = Math.Round(okMiB / wall, 1),
                    uploadsPerSecond = Math.Round(ok / wall, 2),
                },
                latencyMs = summary,
                schedulerLagMs = lag.Summarise(),
                maxInFlight,
                storedBytes,
                storedBytesPerUpload = ok == 0 ? 0 : storedBytes / ok,
                memory = new
                {
                    rssAfterStartMiB = rssAfterStart,
                    before,
                    peakRssMiB = Math.Round(peakRss / 1048576.0, 1),
                    peakRssSampledMiB = Math.Round(watch.PeakRss / 1048576.0, 1),
                    inFlightAtPeakRss = peakInFlightSample?.Gauge,
                    peakGcHeapMiB = watch.WatchesGc && watch.Collections > 0 ? Math.Round(watch.PeakGcHeap / 1048576.0, 1) : (double?)null,
                    collections = watch.WatchesGc ? watch.Collections : (int?)null,
                    gen2Collections = watch.WatchesGc ? watch.Gen2Collections : (int?)null,
                    rssAtEndMiB = rssAtEnd,
                    after,
                    perSecond,
                },
                cpuCores = new { gateway = gatewayCores, postgres = pgCores, benchmark = benchCores, wholeMachine = machineCores },
                cpuSecondsPerUpload = new
                {
                    gateway = ok == 0 ? (double?)null : Math.Round(gatewayCores * wall / ok, 3),
                    postgres = ok == 0 || pgCores is null ? (double?)null : Math.Round(pgCores.Value * wall / ok, 3),
                },
                database = new
                {
                    sizeBeforeMiB = MiB(storageBefore.Database),
                    sizeAfterMiB = MiB(storageAfter.Database),
                    growthMiB = MiB(storageAfter.Database - storageBefore.Database),
                    fileTablesGrowthMiB = MiB(storageAfter.FileTables - storageBefore.FileTables),
                    walMiB = MiB(storageAfter.WalBytes - storageBefore.WalBytes),
                    filesStored = storageAfter.Files - storageBefore.Files,
                },
                storedCheck,
                uploads = outcomes.Select((o, i) => o is null ? null : new { i, o.Account, o.Status, ms = o.Milliseconds }),
            };

            report.Row("image", $"{body.Length / 1048576.0:0.00} MiB JPEG, {image.Width}×{image.Height}, quality {image.Quality} (stored re-encoded: {(ok == 0 ? 0 : storedBytes / ok) / 1048576.0:0.00} MiB)");
            report.Row("uploads", $"{ok} of {uploads} stored ({string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}), from {accounts.Length} unit accounts");
            report.Row("wall time, all uploads", $"{wall:0.0} s for uploads offered over {seconds} s ({uploads / (double)seconds:0.00}/s)");
            report.Row("throughput", $"{okMiB / wall:0.0} MiB/s, {ok / wall:0.00} uploads/s (offered {sentMiB / seconds:0.0} MiB/s)");
            report.Row("latency from planned start", summary.ToString());
            report.Row("single upload, idle Gateway (warm-up)", $"{string.Join(", ", warmup)} ms");
            report.Row("in flight at most", $"{maxInFlight} uploads");
            report.Row("Gateway RSS", $"{rssAfterStart:0} MiB after start, {before.RssMiB:0} MiB before, peak {peakRss / 1048576.0:0} MiB ({peakInFlightSample?.Gauge} in flight then), {rssAtEnd:0} MiB at the end, {after.RssMiB:0} MiB 10 s later");
            report.Row("Gateway GC heap", $"{Mi(before.GcHeapMiB)} before, peak after a collection {(!watch.WatchesGc ? "n/a" : watch.Collections == 0 ? "none (no collection during the run)" : $"{watch.PeakGcHeap / 1048576.0:0.0} MiB ({watch.Collections} collections, {watch.Gen2Collections} gen 2)")}, {Mi(after.GcHeapMiB)} after");
            report.Row("CPU, cores", $"Gateway {gatewayCores:0.00}, PostgreSQL {pgCores?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}, benchmark {benchCores:0.00}; whole machine {machineCores?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"} of {Environment.ProcessorCount}");
            report.Row("database growth", $"{(storageAfter.Database - storageBefore.Database) / 1048576.0:0} MiB ({storageAfter.Files - storageBefore.Files} files; WAL {(storageAfter.WalBytes - storageBefore.WalBytes) / 1048576.0:0} MiB)");
            report.Row("image work alone (one thread, this process)", $"median {processingMedian:0} ms per image, CPU {processingCpuMedian:0} ms ({string.Join(", ", processingMs)} ms)");
            if (storedCheck is not null) report.Row("read back", storedCheck);
            report.Targets.Add(new TargetCheck("uploads stored", ok, uploads, "uploads", ok == uploads));
            // The last upload starts just before the end of the window; if the Gateway keeps up, it ends one idle
            // service time later.
            var allowed = seconds + idleServiceMs / 1000.0;
            report.Targets.Add(TargetCheck.AtMost($"all {uploads} answered within {seconds} s + one idle upload's time", Math.Round(wall, 2), Math.Round(allowed, 2), "s"));
            if (problems.Length > 0) report.Notes.Add("Refusals: " + string.Join("; ", problems));
            report.Notes.Add($"Image work: the Gateway's ImageProcessor on the test image, timed on one thread in the benchmark's process before the run: {uploads} images × {processingCpuMedian:0} ms of CPU = {uploads * processingCpuMedian / 1000.0:0} s of CPU for the {seconds} s window on {Environment.ProcessorCount} cores.");
        }
        report.Results = new { gateway = gatewayResults, imageProcessingMs = processingMs, imageProcessingCpuMs = processingCpuMs, reencodedBytes };

        if (!context.Options.Floors) return;
        Console.WriteLine("[uploads] floor: PostgreSQL alone …");
        var pgFloor = await UploadFloors.PostgresAsync(pg, body, uploads, seconds, ct);
        Console.WriteLine($"[uploads]   {pgFloor.Completed} in {pgFloor.WallSeconds} s, {pgFloor.LatencyMs}");
        Console.WriteLine("[uploads] floor: HTTP → PostgreSQL …");
        var httpFloor = await UploadFloors.HttpToPostgresAsync(pg, body, uploads, seconds, ct);
        Console.WriteLine($"[uploads]   {httpFloor.Completed} in {httpFloor.WallSeconds} s, {httpFloor.LatencyMs}");
        report.Floors = new { postgres = pgFloor, httpToPostgres = httpFloor };
        foreach (var floor in new[] { pgFloor, httpFloor })
            report.Row($"floor: {floor.What}", $"{floor.Completed} of {uploads} in {floor.WallSeconds:0.0} s, {floor.MiBPerSecond:0.0} MiB/s; {floor.LatencyMs}; " +
                $"PostgreSQL {floor.PostgresCores?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"} cores, benchmark {floor.BenchCores:0.00} cores; database +{floor.DatabaseGrowthMiB:0} MiB");
        report.Ratios = new
        {
            p99VsPostgresFloor = Format.Divide(gatewayP99, pgFloor.LatencyMs.P99),
            p99VsHttpFloor = Format.Divide(gatewayP99, httpFloor.LatencyMs.P99),
        };
        report.Row("p99 / floor", $"{Format.Ratio(Format.Divide(gatewayP99, pgFloor.LatencyMs.P99))} PostgreSQL, {Format.Ratio(Format.Divide(gatewayP99, httpFloor.LatencyMs.P99))} HTTP → PostgreSQL");
    }

    private static string Mi(double? value) => value is { } v ? $"{v:0.0} MiB" : "n/a";

    private static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 1);

    public sealed record Outcome(string Status, string? Problem, string? FileId, long StoredBytes)
    {
        public string? Account { get; init; }
        public double Milliseconds { get; init; }
    }

    /// <summary>One upload of <paramref name="file"/> as <c>photo-NNN.jpg</c>; never throws for a failed exchange.</summary>
    private static async Task<Outcome> UploadAsync(HttpClient http, string token, byte[] file, int index, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/summits/{PushRun.Summit}/files") { Content = UploadFloors.Multipart(file, index) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if ((int)response.StatusCode != 201) return new Outcome(status, Detail(text), null, 0);
            using var json = JsonDocument.Parse(text);
            var stored = json.RootElement.GetProperty("files")[0];
            return new Outcome(status, null, stored.GetProperty("id").GetString(), stored.GetProperty("length").GetInt64());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome("timeout", null, null, 0);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(ex.HttpRequestError.ToString(), ex.InnerException is { } inner ? $"{ex.Message} ({inner.GetType().Name}: {inner.Message})" : ex.Message, null, 0);
        }
    }

    private static string? Detail(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : problem[..Math.Min(200, problem.Length)];
        }
        catch (JsonException)
        {
            return problem[..Math.Min(200, problem.Length)];
        }
    }

    private sealed record Storage(long Database, long FileTables, long WalBytes, long Files);

    private static async Task<Storage> StorageAsync(NpgsqlDataSource sql, CancellationToken ct)
    {
        await using var command = sql.CreateCommand("""
            SELECT pg_database_size(current_database()),
                   pg_total_relation_size('summit_file') + pg_total_relation_size('summit_file_chunk'),
                   pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                   (SELECT count(*) FROM summit_file WHERE complete)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Storage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>RSS and, over the diagnostics port, the GC heap right after an induced full collection.</summary>
    private static async Task<MemoryReading> ReadMemoryAsync(int pid)
    {
        GcHeapSize? heap = null;
        try
        {
            heap = await GcHeap.CollectAsync(pid, TimeSpan.FromSeconds(60));
        }
        catch (Exception ex)
        {
            Console.WriteLine($"[uploads]   GC heap not readable: {ex.Message}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new MemoryReading(Math.Round((ProcStat.Rss(pid) ?? 0) / 1048576.0, 1), heap is null ? null : Math.Round(heap.Total / 1048576.0, 1));
    }
}
