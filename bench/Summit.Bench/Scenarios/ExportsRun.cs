using System.Diagnostics;
using System.Net.Http.Headers;
using Summit.Bench.Infrastructure;
using Summit.Bench.Load;
using Summit.Bench.Measurement;

namespace Summit.Bench.Scenarios;

/// <summary>
/// Downloads the task list of a summit seeded with many tasks (100,000 by default) as .xlsx and CSV, as the secretariat
/// (every task) and as a county (its twelfth): time to the last byte, size, the Gateway's CPU and its peak memory. The
/// floor is the same rows read as JSON pages of 1,000 through the list API, in the same run.
/// </summary>
public static class ExportsRun
{
    private const int Repeats = 3;

    private static readonly (string Account, string Path)[] Cases =
    [
        ("secretariat", "tasks/export.csv"),
        ("secretariat", "tasks/export.xlsx"),
        ("county-pingyang", "tasks/export.csv"),
        ("county-pingyang", "tasks/export.xlsx"),
    ];

    public static async Task RunAsync(int tasks, BenchContext context, ScenarioReport report, CancellationToken ct)
    {
        await using var seeded = await SeededSummit.StartAsync("exports", tasks, context, ct);
        var gateway = seeded.Gateway;
        report.Config = new { tasks, repeats = Repeats, cases = Cases.Select(c => $"{c.Account}: {c.Path}"), postgres = seeded.Postgres };

        using var http = Counties.CreateHttpClient(gateway.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(10);
        var tokens = new Dictionary<string, string>();
        foreach (var account in Cases.Select(c => c.Account).Distinct()) tokens[account] = await Counties.SignInAsync(http, account);

        // The floor: every task of the secretariat as JSON pages of 1,000 (the list's largest page).
        var floor = Stopwatch.StartNew();
        long floorBytes = 0;
        for (var offset = 0; ; offset += 1000)
        {
            var (_, bytes, status) = await GetAsync(http, $"/api/summits/{PushRun.Summit}/tasks?limit=1000&offset={offset}", tokens["secretariat"]);
            if (status != 200) { report.Error = $"the list answered {status} at offset {offset}"; return; }
            floorBytes += bytes;
            if (offset + 1000 >= tasks + 1000) break;
        }
        var floorSeconds = floor.Elapsed.TotalSeconds;
        report.Row("floor: secretariat's tasks as JSON pages of 1,000", $"{floorSeconds:0.00} s, {floorBytes / 1048576.0:0.0} MiB");
        Console.WriteLine($"[exports]   floor (JSON pages): {floorSeconds:0.00} s");

        var results = new List<object>();
        foreach (var (account, relative) in Cases)
        {
            ProcStat.ResetPeakRss(gateway.Pid);
            var rssBefore = ProcStat.Rss(gateway.Pid) ?? 0;
            var cpuBefore = gateway.CpuTime();
            var seconds = new List<double>();
            long size = 0;
            for (var i = 0; i < Repeats; i++)
            {
                var (s, bytes, status) = await GetAsync(http, $"/api/summits/{PushRun.Summit}/{relative}", tokens[account]);
                if (status != 200) { report.Error = $"GET {relative} as {account} answered {status}"; return; }
                seconds.Add(s);
                size = bytes;
            }
            var cpu = (gateway.CpuTime() - cpuBefore).TotalSeconds / Repeats;
            var peak = ProcStat.PeakRss(gateway.Pid) ?? 0;
            var median = seconds.Order().ElementAt(seconds.Count / 2);
            results.Add(new
            {
                account, path = relative, medianSeconds = Math.Round(median, 2), seconds = seconds.Select(s => Math.Round(s, 2)),
                bytes = size, gatewayCpuSeconds = Math.Round(cpu, 2),
                gatewayRssBeforeMiB = rssBefore / 1048576, gatewayPeakRssMiB = peak / 1048576,
            });
            report.Row($"{account} {relative}",
                $"median {median:0.00} s of {Repeats}, {size / 1048576.0:0.0} MiB, Gateway CPU {cpu:0.00} s, RSS {rssBefore / 1048576} → peak {peak / 1048576} MiB");
            Console.WriteLine($"[exports]   {account} {relative}: median {median:0.00} s, {size / 1048576.0:0.0} MiB, peak RSS {peak / 1048576} MiB");
        }
        report.Results = new
        {
            tasksSeeded = tasks,
            startupAndSeedingSeconds = Math.Round(seeded.Startup.TotalSeconds, 1),
            floor = new { seconds = Math.Round(floorSeconds, 2), bytes = floorBytes },
            cases = results,
        };
        if (tasks < 100_000) report.Notes.Add($"Ran with {tasks:N0} tasks, not 100,000 (--tasks).");
    }

    private static async Task<(double Seconds, long Bytes, int Status)> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, total, (int)response.StatusCode);
    }
}
