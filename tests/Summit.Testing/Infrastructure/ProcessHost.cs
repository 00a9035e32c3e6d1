using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// Runs one of Summit's programs (Gateway or Silo) as a real OS process, the way an operator would,
/// and stops it gracefully with SIGTERM so it leaves the cluster cleanly (or kills it with SIGKILL to test a crash).
/// </summary>
public sealed partial class ProcessHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ProcessHost(Process process, int httpPort)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public Uri BaseAddress { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>A cluster's Gateway (client mode): needs a connection string and running silos.</summary>
    public static ProcessHost Gateway(IReadOnlyDictionary<string, string?> environment) =>
        Start(RepositoryPaths.ProgramDll("Gateway", "Summit.Gateway"), environment);

    /// <summary>The standalone host: the Gateway with a silo in the same process (the README's run command).</summary>
    public static ProcessHost Standalone(IReadOnlyDictionary<string, string?> environment) =>
        Start(RepositoryPaths.ProgramDll("Standalone", "Summit.Standalone"), environment);

    public static ProcessHost Silo(IReadOnlyDictionary<string, string?> environment) =>
        Start(RepositoryPaths.ProgramDll("Silo/Host", "Summit.Silo"), environment);

    private static ProcessHost Start(string dll, IReadOnlyDictionary<string, string?> environment)
    {
        var httpPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        // Start from a clean slate: nothing from the test runner's environment may leak into the program's configuration.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Summit__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new ProcessHost(process, httpPort);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Polls <c>/healthz</c> until it answers 200; fails with the program's log if it dies or takes too long.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The program exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return clock.Elapsed;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Not healthy after {timeout.TotalSeconds:0} s:\n{Log}");
    }

    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, 15); // SIGTERM: the host shuts down gracefully
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits for the program to end on its own and returns its exit code; fails with its log after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The program did not exit within {timeout}.{Environment.NewLine}{Log}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the program with SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, 9);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>The last <paramref name="lines"/> lines of the program's output, for failure messages.</summary>
    public string LogTail(int lines = 60)
    {
        var all = Log.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
