using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Summit.Bench.Infrastructure;

/// <summary>
/// The real Gateway (standalone: in-process silo, PostgreSQL storage, demo data) as a separate OS process started from
/// its build output, so its CPU time and peak memory can be read from /proc apart from the benchmark's own.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter? _logFile;

    private GatewayProcess(Process process, Uri baseAddress, string? logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogPath = logPath;
        if (logPath is not null) _logFile = new StreamWriter(logPath) { AutoFlush = true };
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public string? LogPath { get; }
    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get { lock (_tail) return string.Join(Environment.NewLine, _tail); }
    }

    /// <param name="dll">Summit.Gateway.dll of a build.</param>
    /// <param name="settings">Configuration as environment variables (<c>Summit__Demo__Tasks</c> etc.).</param>
    public static GatewayProcess Start(string dll, IReadOnlyDictionary<string, string> settings, string? logPath)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        // Nothing from the caller's environment may leak into the Gateway's configuration.
        foreach (var key in info.Environment.Keys.Where(k =>
                     k.StartsWith("Summit__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                     || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        // Private silo ports so a run never collides with another silo on this machine.
        info.Environment["Summit__Silo__SiloPort"] = FreePort().ToString();
        info.Environment["Summit__Silo__GatewayPort"] = FreePort().ToString();
        foreach (var (key, value) in settings) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}"), logPath);
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
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 60) _tail.Dequeue();
            _logFile?.WriteLine(line);
        }
    }

    /// <summary>Polls <c>/healthz</c> (ready once the demo data is in) until it answers 200.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout, Action<TimeSpan>? progress, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The Gateway exited with code {_process.ExitCode}:\n{Tail}");
            try
            {
                if ((await http.GetAsync("/healthz", ct)).IsSuccessStatusCode) return clock.Elapsed;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            if (progress is not null && clock.Elapsed - reported > TimeSpan.FromSeconds(30))
            {
                reported = clock.Elapsed;
                progress(clock.Elapsed);
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"The Gateway was not healthy after {timeout.TotalSeconds:0} s:\n{Tail}");
    }

    public TimeSpan CpuTime() => ProcStat.CpuTime(Pid) ?? TimeSpan.Zero;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
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
        _process.Dispose();
        lock (_tail) _logFile?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <summary>The standalone host (Gateway and silo in one process) built next to this benchmark's (same configuration), or <paramref name="explicitPath"/>.</summary>
    public static string FindDll(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException("No Gateway build there.", explicitPath);
        // This program runs from bench/Summit.Bench/bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "Standalone", "bin", configuration, "net10.0", "Summit.Standalone.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the standalone host first (dotnet build -c {configuration} Standalone).", path);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Summit.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Summit.sln"))) return dir.FullName;
        throw new InvalidOperationException("Summit.sln not found above the benchmark or the working directory.");
    }
}
