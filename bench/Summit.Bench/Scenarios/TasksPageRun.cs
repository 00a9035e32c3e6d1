using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Serves <c>GET /api/summits/{summit}/tasks</c> with filters of a summit seeded with many tasks (100,000 by default),
/// as the secretariat (every owner) and as a county account (its own tasks): sequential requests per filter
/// combination, after a warm-up. The list is one indexed query per page (migration 0150), so a page should cost the
/// same whatever the summit's size.
/// </summary>
public static partial class TasksPageRun
{
    public const double P50TargetMs = 10;
    public const double P99TargetMs = 50;
    private const int Warmup = 20;
    private const int Requests = 300;

    /// <summary>Who asks what; the first of each account is the headline measured against the targets.</summary>
    private static readonly (string Account, string Query)[] Cases =
    [
        ("secretariat", "unit=county:pingyang&status=inProgress&limit=50"),
        ("secretariat", "limit=50"),
        ("secretariat", "status=blocked&offset=500&limit=50"),
        ("secretariat", "category=publicity&dueFrom=2020-06-01&dueTo=2020-06-30&limit=50"),
        ("secretariat", "overdue=true&limit=50"),
        ("secretariat", "due=soon&limit=50"),
        ("county-pingyang", "status=inProgress&limit=50"),
        ("county-pingyang", "limit=50"),
        ("county-pingyang", "overdue=true&limit=50"),
    ];

    public static async Task RunAsync(int tasks, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        await using var seeded = await SeededSummit.StartAsync("tasks-page", tasks, context, ct);
        var gateway = seeded.Gateway;
        var database = seeded.Database;
        var startup = seeded.Startup;
        report.Config = new { tasks, requests = Requests, warmupRequests = Warmup, cases = Cases.Select(c => $"{c.Account}: ?{c.Query}"), postgres = seeded.Postgres };
        report.Notes.Add("summit_entity was vacuumed and analysed after seeding, as autovacuum does after a bulk load.");

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(5);
        var tokens = new Dictionary<string, string>();
        foreach (var account in Cases.Select(c => c.Account).Distinct()) tokens[account] = await Counties.SignInAsync(http, account);

        var cpuBefore = gateway.CpuTime();
        var results = new List<object>();
        var errors = 0;
        var headlines = new HashSet<string>();
        foreach (var (account, query) in Cases)
        {
            var path = $"/api/summits/{PushRun.Summit}/tasks?{query}";
            var (firstMs, _, status, total, items) = await TimeOneAsync(http, path, tokens[account]);
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
                var (ms, size, code, _, _) = await TimeOneAsync(http, path, tokens[account]);
                if (code != 200) errors++;
                latencies.AddMicroseconds((long)(ms * 1000));
                bytes = size;
            }
            var summary = latencies.Summarise();
            results.Add(new { account, query, total, items, bytes, firstRequestMs = Math.Round(firstMs, 2), latencyMs = summary });
            report.Row($"{account} ?{query}", $"{summary}; {items} of {total:N0}, {bytes / 1024.0:0.0} KiB");
            Console.WriteLine($"[tasks-page]   {account} ?{query}: {summary}");
            if (headlines.Add(account))
            {
                report.Targets.Add(TargetCheck.AtMost($"{account} ?{query}, p50", summary.P50, P50TargetMs, "ms"));
                report.Targets.Add(TargetCheck.AtMost($"{account} ?{query}, p99", summary.P99, P99TargetMs, "ms"));
            }
        }
        var cpu = gateway.CpuTime() - cpuBefore;
        var states = await LargestGrainStatesAsync(database, ct);

        report.Results = new
        {
            tasksSeeded = tasks,
            startupAndSeedingSeconds = Math.Round(startup.TotalSeconds, 1),
            cases = results,
            errors,
            largestGrainStates = states.Select(s => new { grainType = s.Type, key = s.Key, bytes = s.Bytes }),
            gateway = new
            {
                cpuSecondsForRequests = Math.Round(cpu.TotalSeconds, 2),
                peakRssMiB = ProcStat.PeakRss(gateway.Pid) / (1024 * 1024),
            },
        };
        report.Row("summit seeded", $"{tasks} tasks in {startup.TotalSeconds:0} s (start-up included)");
        if (states.Count > 0)
        {
            report.Row("largest grain state", $"{states[0].Type} ({states[0].Key}), {states[0].Bytes:N0} bytes, of {states.Count} rows in OrleansStorage");
            report.Targets.Add(TargetCheck.AtMost("largest grain state", states[0].Bytes / 1024.0, 64, "KiB"));
        }
        if (tasks < 100_000) report.Notes.Add($"Ran with {tasks:N0} tasks, not the 100,000 of the target (--tasks).");
    }

    /// <summary>
    /// The grain states in <c>OrleansStorage</c>, largest first, once the deadline engine, the escalation ladder and the
    /// notifications have had a minute with the seeded summit: no per-summit grain may keep a collection in its state.
    /// </summary>
    private static async Task<IReadOnlyList<(string Type, string Key, int Bytes)>> LargestGrainStatesAsync(string database, CancellationToken ct)
    {
        Console.WriteLine("[tasks-page]   letting deadlines, escalation and notifications run for 60 s, then reading grain state sizes");
        await Task.Delay(TimeSpan.FromSeconds(60), ct);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT GrainTypeString, coalesce(GrainIdExtensionString, ''), coalesce(length(PayloadBinary), 0)
            FROM OrleansStorage ORDER BY 3 DESC LIMIT 10
            """, connection);
        var rows = new List<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        foreach (var (type, key, bytes) in rows) Console.WriteLine($"[tasks-page]   grain state {type} {key}: {bytes:N0} bytes");
        return rows;
    }

    private static async Task<(double Ms, long Bytes, int Status, int Total, int Items)> TimeOneAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) return (ms, body.LongLength, (int)response.StatusCode, 0, 0);
        using var json = JsonDocument.Parse(body);
        return (ms, body.LongLength, (int)response.StatusCode, json.RootElement.GetProperty("total").GetInt32(),
            json.RootElement.GetProperty("items").GetArrayLength());
    }
}
