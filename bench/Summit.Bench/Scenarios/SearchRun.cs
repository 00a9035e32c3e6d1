using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Serves <c>GET /api/summits/{summit}/search</c> of a summit seeded with many tasks (100,000 by default), as the
/// secretariat (every owner) and as a county account (its own tasks, units and people), and the task list's <c>q</c>
/// filter: sequential requests per query, after a warm-up, as in the tasks-page scenario. Queries are Chinese of one,
/// two and four characters (a county's name that a twelfth of the tasks hold, a word most titles hold, a rare industry),
/// English, and two words.
/// </summary>
public static class SearchRun
{
    public const double P50TargetMs = 10;
    public const double P99TargetMs = 50;
    private const int Warmup = 20;
    private const int Requests = 300;

    /// <summary>Who asks what; the first of each account is the headline measured against the targets.</summary>
    private static readonly (string Account, string Path)[] Cases =
    [
        ("secretariat", "search?q=平阳"),
        ("secretariat", "search?q=峰"),
        ("secretariat", "search?q=筹备"),
        ("secretariat", "search?q=泵阀"),
        ("secretariat", "search?q=签约仪式"),
        ("secretariat", "search?q=pingyang"),
        ("secretariat", "search?q=平阳 方案"),
        ("secretariat", "search?q=没有这样的任务"),
        ("secretariat", "tasks?q=平阳&limit=50"),
        ("county-pingyang", "search?q=平阳"),
        ("county-pingyang", "search?q=方案"),
        ("county-pingyang", "tasks?q=方案&limit=50"),
    ];

    public static async Task RunAsync(int tasks, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        await using var seeded = await SeededSummit.StartAsync("search", tasks, context, ct);
        var gateway = seeded.Gateway;
        var database = seeded.Database;
        var startup = seeded.Startup;
        report.Config = new { tasks, requests = Requests, warmupRequests = Warmup, cases = Cases.Select(c => $"{c.Account}: {c.Path}"), postgres = seeded.Postgres };

        long indexBytes;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync(ct);
            await using var size = new NpgsqlCommand(
                "SELECT pg_relation_size('ix_summit_search_task') + pg_relation_size('ix_summit_search_other') + pg_relation_size('ix_summit_search_title')",
                connection);
            indexBytes = (long)(await size.ExecuteScalarAsync(ct))!;
        }
        report.Notes.Add("summit_entity was vacuumed and analysed after seeding, as autovacuum does after a bulk load.");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(5);
        var tokens = new Dictionary<string, string>();
        foreach (var account in Cases.Select(c => c.Account).Distinct()) tokens[account] = await Counties.SignInAsync(http, account);

        var results = new List<object>();
        var errors = 0;
        var headlines = new HashSet<string>();
        foreach (var (account, relative) in Cases)
        {
            var path = $"/api/summits/{PushRun.Summit}/{relative}";
            var (firstMs, _, status, found) = await TimeOneAsync(http, path, tokens[account]);
            if (status != 200)
            {
                report.Error = $"GET {path} as {account} answered {status}.";
                return;
            }
            for (var i = 0; i < Warmup; i++) await TimeOneAsync(http, path, tokens[account]);
            var latencies = new Latencies(Requests);
            long bytes = 0;
            for (var i = 0; i < Requests; i++)
            {
                var (ms, size, code, _) = await TimeOneAsync(http, path, tokens[account]);
                if (code != 200) errors++;
                latencies.AddMicroseconds((long)(ms * 1000));
                bytes = size;
            }
            var summary = latencies.Summarise();
            results.Add(new { account, path = relative, found, bytes, firstRequestMs = Math.Round(firstMs, 2), latencyMs = summary });
            report.Row($"{account} {relative}", $"{summary}; {found}, {bytes / 1024.0:0.0} KiB");
            Console.WriteLine($"[search]   {account} {relative}: {summary}; {found}");
            if (relative.StartsWith("search", StringComparison.Ordinal) && headlines.Add(account))
            {
                report.Targets.Add(TargetCheck.AtMost($"{account} {relative}, p50", summary.P50, P50TargetMs, "ms"));
                report.Targets.Add(TargetCheck.AtMost($"{account} {relative}, p99", summary.P99, P99TargetMs, "ms"));
            }
        }

        report.Results = new
        {
            tasksSeeded = tasks,
            startupAndSeedingSeconds = Math.Round(startup.TotalSeconds, 1),
            searchIndexMiB = Math.Round(indexBytes / 1048576.0, 1),
            cases = results,
            errors,
        };
        report.Row("summit seeded", $"{tasks} tasks in {startup.TotalSeconds:0} s (start-up included)");
        report.Row("search indexes", $"{indexBytes / 1048576.0:0.0} MiB");
        if (tasks < 100_000) report.Notes.Add($"Ran with {tasks:N0} tasks, not the 100,000 of the target (--tasks).");
    }

    private static async Task<(double Ms, long Bytes, int Status, string Found)> TimeOneAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) return (ms, body.LongLength, (int)response.StatusCode, "");
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var found = root.TryGetProperty("groups", out var groups)
            ? string.Join(" ", groups.EnumerateArray().Where(g => g.GetProperty("items").GetArrayLength() > 0)
                .Select(g => $"{g.GetProperty("kind").GetString()} {g.GetProperty("items").GetArrayLength()}{(g.GetProperty("more").GetBoolean() ? "+" : "")}"))
            : $"{root.GetProperty("items").GetArrayLength()} of {root.GetProperty("total").GetInt32():N0}";
        return (ms, body.LongLength, (int)response.StatusCode, found.Length == 0 ? "nothing" : found);
    }
}
