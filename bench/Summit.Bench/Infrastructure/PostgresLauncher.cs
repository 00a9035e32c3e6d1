using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Summit.Bench.Infrastructure;

/// <summary>
/// The PostgreSQL server the benchmark runs against: the one named by <c>--pg</c>, or a private throwaway cluster
/// started from the installed binaries (initdb/pg_ctl, as the <c>postgres</c> user when run as root) on a loopback
/// port and deleted afterwards.
/// </summary>
public sealed partial class PostgresLauncher : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private string? _root;
    private string? _data;
    private string? _bin;
    private bool _asServiceUser;
    private readonly List<string> _databases = [];

    private PostgresLauncher(string adminConnectionString, string description)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
    }

    public string AdminConnectionString { get; private set; }

    /// <summary>"private cluster (PostgreSQL 16.x, durable commits)" or "external".</summary>
    public string Description { get; private set; }

    public string? ServerVersion { get; private set; }

    /// <summary>The postmaster's process id (private cluster only), for CPU accounting.</summary>
    public int? PostmasterPid { get; private set; }

    public bool Durable { get; private set; } = true;

    /// <param name="external">A connection string with rights to create databases, or null for a private cluster.</param>
    /// <param name="durable">Private cluster: keep fsync and synchronous commit on (a production-like commit).</param>
    public static async Task<PostgresLauncher> StartAsync(string? external, bool durable)
    {
        if (external is not null)
        {
            var launcher = new PostgresLauncher(external, "external server");
            await launcher.ReadVersionAsync();
            launcher.Durable = await launcher.ReadDurableAsync();
            return launcher;
        }

        var own = new PostgresLauncher("", "private cluster") { Durable = durable };
        // A last resort if the run ends without disposing (an unhandled exception).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => own.StopNow();
        try
        {
            await own.StartClusterAsync(durable);
            await own.ReadVersionAsync();
            own.Description = $"private cluster on loopback, {(durable ? "fsync and synchronous_commit on" : "fsync off")}";
            return own;
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Total CPU time of the postmaster and its children (private cluster only).</summary>
    public TimeSpan? CpuTime()
    {
        if (PostmasterPid is not { } pid) return null;
        var total = ProcStat.CpuTime(pid) ?? TimeSpan.Zero;
        foreach (var child in ProcStat.Children(pid)) total += ProcStat.CpuTime(child) ?? TimeSpan.Zero;
        return total;
    }

    private async Task ReadVersionAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        ServerVersion = connection.PostgreSqlVersion.ToString();
    }

    private async Task<bool> ReadDurableAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('fsync') = 'on' AND current_setting('synchronous_commit') <> 'off'", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task StartClusterAsync(bool durable)
    {
        _bin = FindBinDirectory();
        _asServiceUser = IsRoot();
        _root = Path.Combine(Path.GetTempPath(), $"summit-bench-pg-{Guid.NewGuid():N}");
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        if (_asServiceUser) await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", _root], false);
        await RunAsync(Path.Combine(_bin, "initdb"),
            ["--pgdata", _data, "--username", ServiceUser, "--auth", "trust", "--encoding", "UTF8", "--no-locale", "--no-sync"], _asServiceUser);

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1",
                $"-c port={port}",
                $"-c unix_socket_directories={_root}",
                durable ? "-c fsync=on" : "-c fsync=off",
                durable ? "-c synchronous_commit=on" : "-c synchronous_commit=off",
                "-c max_connections=300",
                "-c shared_buffers=256MB");
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"),
                    ["start", "--pgdata", _data, "--log", Path.Combine(_root, "server.log"), "--options", options, "--wait", "--timeout", "60"],
                    _asServiceUser);
                AdminConnectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = ServiceUser,
                    Database = "postgres",
                    MaxPoolSize = 200,
                }.ConnectionString;
                var pidFile = Path.Combine(_data, "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid)) PostmasterPid = pid;
                return;
            }
            catch (Exception ex)
            {
                last = ex;
            }
        }
        throw new InvalidOperationException("Could not start a private PostgreSQL server.", last);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_data is null)
        {
            await DropDatabasesAsync();
            return;
        }
        await Task.Run(StopNow);
    }

    private void StopNow()
    {
        var data = Interlocked.Exchange(ref _data, null);
        if (data is null) return;
        try
        {
            RunAsync(Path.Combine(_bin!, "pg_ctl"), ["stop", "--pgdata", data, "--mode", "immediate", "--wait"], _asServiceUser)
                .GetAwaiter().GetResult();
        }
        catch
        {
            // Best effort; the folder is removed below regardless.
        }
        try
        {
            Directory.Delete(_root!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // An external server outlives the run: leave it as it was found.
    private async Task DropDatabasesAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            foreach (var name in _databases)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinDirectory()
    {
        static bool HasTools(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
        foreach (var entry in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!HasTools(entry)) continue;
            var target = new FileInfo(Path.Combine(entry, "initdb")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            return target is null ? entry : Path.GetDirectoryName(target)!;
        }
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => HasTools(x.Dir))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null) return newest.Dir;
        }
        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. " +
            "Install them (apt-get install -y postgresql) or pass --pg \"Host=...;Username=...;Database=postgres\".");
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && geteuid() == 0;

    [LibraryImport("libc")]
    private static partial uint geteuid();

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asServiceUser)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            FileName = asServiceUser ? "runuser" : file,
        };
        if (asServiceUser) foreach (var a in new[] { "-u", ServiceUser, "--", file }) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
