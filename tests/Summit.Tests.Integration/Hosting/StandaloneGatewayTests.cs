using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Summit.Data.Embedded;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Hosting;

/// <summary>
/// The README's run command, as a real process with its defaults: no connection string, so it starts a private
/// PostgreSQL from the installed binaries, migrates it and seeds the demo; the data survives a restart, a server left by
/// a killed run is adopted, and a clean stop stops PostgreSQL too.
/// </summary>
public sealed class StandaloneGatewayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Default_run_keeps_the_demo_in_a_private_postgres_that_survives_restarts_and_kills()
    {
        var root = Path.Combine(Path.GetTempPath(), $"summit-standalone-{Guid.NewGuid():N}");
        var dataDirectory = Path.Combine(root, "postgres");
        var environment = new Dictionary<string, string?>
        {
            ["Summit__Database__DataDirectory"] = dataDirectory,
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
        };
        try
        {
            string changedTask;
            await using (var first = ProcessHost.Standalone(environment))
            {
                var ready = await first.WaitHealthyAsync(TimeSpan.FromSeconds(120));
                output.WriteLine($"first start healthy after {ready.TotalSeconds:0.0} s (initdb, migrations, demo seed)");
                Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")), first.Log);
                Assert.Contains("private PostgreSQL", first.Log);

                using var http = new HttpClient { BaseAddress = first.BaseAddress };
                await http.AsAsync("secretariat");
                var summit = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020");
                Assert.Equal("2020世界青年科学家峰会", summit.GetProperty("name").GetString());
                var tasks = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/tasks?limit=1");
                Assert.Equal(400, tasks.GetProperty("total").GetInt32());
                var counties = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/counties");
                Assert.Equal(12, counties.GetProperty("total").GetInt32());
                var page = await new HttpClient { BaseAddress = first.BaseAddress }.GetStringAsync("/");
                Assert.Contains("<html", page);

                // A change to find again after the restarts.
                var task = tasks.GetProperty("items")[0];
                changedTask = task.GetProperty("id").GetString()!;
                var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/summits/wyss-2020/tasks/{changedTask}")
                {
                    Content = JsonContent.Create(new { assignee = "standalone-restart-check" }),
                };
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{task.GetProperty("version").GetInt32()}\"");
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

                // Killed: no shutdown code runs, so PostgreSQL is left running for the next start to adopt.
                await first.KillAsync();
            }
            Assert.True(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "the killed run's server still runs");

            await using (var second = ProcessHost.Standalone(environment))
            {
                var ready = await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
                output.WriteLine($"start after kill -9 healthy after {ready.TotalSeconds:0.0} s");
                Assert.Contains("Adopted the private PostgreSQL", second.Log);
                using var http = new HttpClient { BaseAddress = second.BaseAddress };
                await http.AsAsync("secretariat");
                var task = await http.GetFromJsonAsync<JsonElement>($"/api/summits/wyss-2020/tasks/{changedTask}");
                Assert.Equal("standalone-restart-check", task.GetProperty("assignee").GetString());
                var tasks = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/tasks?limit=1");
                Assert.Equal(400, tasks.GetProperty("total").GetInt32()); // seeded once, not again

                // A clean stop (SIGTERM) stops PostgreSQL as well.
                await second.StopAsync();
                Assert.Contains("stopped", second.Log);
            }
            Assert.False(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "PostgreSQL stopped with the process");
        }
        finally
        {
            await StopLeftoverAsync(dataDirectory);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task Without_server_binaries_it_stops_at_once_naming_the_package_and_the_setting()
    {
        await using var run = ProcessHost.Standalone(new Dictionary<string, string?>
        {
            // Where the launcher looks for initdb and pg_ctl: a folder without them, as on a machine without the package.
            ["Summit__Database__BinDirectory"] = Path.Combine(Path.GetTempPath(), $"no-postgres-{Guid.NewGuid():N}"),
            ["Summit__Database__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"summit-unused-{Guid.NewGuid():N}"),
        });
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("apt-get install -y postgresql", run.Log);
        Assert.Contains("ConnectionStrings__Summit", run.Log);
    }

    private static async Task StopLeftoverAsync(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")) || PrivatePostgres.FindBinDirectory() is not { } bin) return;
        var info = PrivatePostgres.RunningAsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "stop", "--pgdata", dataDirectory, "--mode", "immediate"])
            : new ProcessStartInfo(Path.Combine(bin, "pg_ctl"), ["stop", "--pgdata", dataDirectory, "--mode", "immediate"]);
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info);
        if (process is not null) await process.WaitForExitAsync();
    }
}
