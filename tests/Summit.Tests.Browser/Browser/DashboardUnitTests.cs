using System.Diagnostics;
using System.Text.RegularExpressions;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Browser;

/// <summary>
/// The dashboard's own unit tests (vitest, Dashboard/src/**/*.test.ts), run as part of the .NET test run so that
/// `dotnet test` covers the UI logic too. Needs Dashboard/node_modules, which every build of the Gateway installs.
/// </summary>
public sealed partial class DashboardUnitTests(ITestOutputHelper output)
{
    private static readonly string Dashboard = Path.Combine(RepositoryPaths.Root, "Dashboard");

    [Fact]
    public async Task The_dashboards_vitest_suite_passes()
    {
        Assert.True(Directory.Exists(Path.Combine(Dashboard, "node_modules", "vitest")),
            "Dashboard/node_modules has no vitest: build the Gateway (dotnet build Summit.sln), which runs npm ci, first.");

        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npx.cmd" : "npx")
        {
            WorkingDirectory = Dashboard,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--no-install", "vitest", "run" }) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        start.Environment["CI"] = "true";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vitest did not finish in 5 minutes:\n{await stdout}\n{await stderr}");
        }
        var text = await stdout + "\n" + await stderr;

        var passed = PassedPattern().Match(text);
        var failed = FailedPattern().Match(text);
        var summary = $"vitest exited with {process.ExitCode}; output:\n{text}";
        Assert.True(process.ExitCode == 0, summary);
        Assert.True(passed.Success, summary);
        Assert.False(failed.Success, summary);
        var count = int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 0, summary);
        output.WriteLine($"vitest: {count} tests passed");
    }

    [GeneratedRegex(@"^\s*Tests\s+(\d+) passed", RegexOptions.Multiline)]
    private static partial Regex PassedPattern();

    [GeneratedRegex(@"^\s*Tests\s+.*\b\d+ failed", RegexOptions.Multiline)]
    private static partial Regex FailedPattern();
}
