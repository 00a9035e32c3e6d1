using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// Shares one <see cref="PostgresServer"/> between every test class marked <c>[Collection(PostgresCollection.Name)]</c>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A real PostgreSQL server for tests. Uses the server named by the <c>SUMMIT_TEST_POSTGRES</c> connection
/// string when set; otherwise runs a private throwaway cluster from the locally installed binaries.
/// Each test class asks for its own database through <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "SUMMIT_TEST_POSTGRES";

    private const string ServiceUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private string? _rootDirectory;
    private string? _dataDirectory;
    private string? _binDirectory;
    private bool _runAsServiceUser;
    private bool _started;
    private string? _adminConnectionString;
    private readonly List<string> _createdDatabases = [];

    /// <summary>Connection string to the <c>postgres</c> maintenance database with rights to create databases.</summary>
    public string AdminConnectionString =>
        _adminConnectionString ?? throw new InvalidOperationException("The PostgreSQL server has not been started.");

    /// <summary>True when the server is a private cluster owned (and deleted) by this fixture.</summary>
    public bool IsPrivateCluster => _dataDirectory is not null;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            try
            {
                await using var connection = new NpgsqlConnection(external);
                await connection.OpenAsync();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"{ConnectionStringVariable} is set but the PostgreSQL server it names cannot be reached: {ex.Message}", ex);
            }

            return;
        }

        _binDirectory = FindBinDirectory();
        _runAsServiceUser = IsRoot();
        _rootDirectory = Path.Combine(Path.GetTempPath(), $"summit-pg-{Guid.NewGuid():N}");
        _dataDirectory = Path.Combine(_rootDirectory, "data");
        Directory.CreateDirectory(_rootDirectory);

        // Leaves no orphaned postmaster behind if the test host dies without disposing fixtures.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        try
        {
            await CreateAndStartClusterAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task CreateAndStartClusterAsync()
    {
        if (_runAsServiceUser)
        {
            // PostgreSQL refuses to run as root, so the whole cluster belongs to the service account.
            await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", _rootDirectory!], asServiceUser: false);
        }

        await RunAsync(Tool("initdb"),
        [
            "--pgdata", _dataDirectory!,
            "--username", ServiceUser,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--no-locale",
            "--no-sync",
        ], _runAsServiceUser);

        // A port picked from the OS can be taken by someone else before postgres binds it; retry on a new one.
        Exception? lastError = null;
        for (var attempt = 0; attempt < 3 && !_started; attempt++)
        {
            var port = FreePort.Next();
            try
            {
                await StartClusterAsync(port);
                _started = true;
                _adminConnectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = ServiceUser,
                    Database = "postgres",
                    // Tests hold many small pools (one per database); keep idle connections short-lived.
                    ConnectionIdleLifetime = 10,
                    MaxPoolSize = 20,
                }.ConnectionString;
            }
            catch (Exception ex)
            {
                lastError = ex;
            }
        }

        if (!_started)
        {
            throw new InvalidOperationException(
                $"Could not start a private PostgreSQL server.{Environment.NewLine}{ReadServerLog()}", lastError);
        }
    }

    /// <summary>
    /// Stops a private server (fast mode: sessions are ended at once), to test how Summit answers a database outage.
    /// Start it again with <see cref="StartAgainAsync"/>. Only for a server a test owns alone, never the shared one.
    /// </summary>
    public async Task StopAsync()
    {
        if (_dataDirectory is null) throw new InvalidOperationException("Only a private PostgreSQL server can be stopped.");
        await RunAsync(Tool("pg_ctl"), ["stop", "--pgdata", _dataDirectory, "--mode", "fast", "--wait"], _runAsServiceUser);
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again on the same port.</summary>
    public Task StartAgainAsync() => StartClusterAsync(new NpgsqlConnectionStringBuilder(AdminConnectionString).Port);

    /// <summary>Creates an empty, uniquely named database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();

        if (_dataDirectory is null || _rootDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        if (_started)
        {
            try
            {
                // Immediate mode: the data is thrown away, so a clean checkpoint would only cost time.
                await RunAsync(Tool("pg_ctl"), ["stop", "--pgdata", _dataDirectory, "--mode", "immediate", "--wait"], _runAsServiceUser);
            }
            catch
            {
                // Best effort; the directory removal below still runs.
            }

            _started = false;
        }

        try
        {
            Directory.Delete(_rootDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _dataDirectory = null;
        _rootDirectory = null;
    }

    // A shared server outlives the test run, so leave it as it was found.
    private async Task DropCreatedDatabasesAsync()
    {
        if (_adminConnectionString is null)
        {
            return;
        }

        string[] names;
        lock (_createdDatabases)
        {
            names = [.. _createdDatabases];
            _createdDatabases.Clear();
        }

        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                // FORCE (PostgreSQL 13+) ends sessions still left over from silos of the test.
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover uniquely named database harms no later run.
        }
    }

    private async Task StartClusterAsync(int port)
    {
        var options = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-c port={port}",
            $"-c unix_socket_directories={_rootDirectory}",
            // Durability is worthless for a throwaway test cluster; these make it fast.
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300",
            "-c shared_buffers=64MB");

        await RunAsync(Tool("pg_ctl"),
        [
            "start",
            "--pgdata", _dataDirectory!,
            "--log", Path.Combine(_rootDirectory!, "server.log"),
            "--options", options,
            "--wait",
            "--timeout", ((int)StartTimeout.TotalSeconds).ToString(),
        ], _runAsServiceUser);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_started && _dataDirectory is not null)
        {
            try
            {
                RunAsync(Tool("pg_ctl"), ["stop", "--pgdata", _dataDirectory, "--mode", "immediate", "--wait"], _runAsServiceUser)
                    .GetAwaiter().GetResult();
                Directory.Delete(_rootDirectory!, recursive: true);
            }
            catch
            {
            }
        }
    }

    private string ReadServerLog()
    {
        try
        {
            var path = Path.Combine(_rootDirectory ?? "", "server.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch
        {
            return "";
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory!, name);

    private static string UniqueDatabaseName(string? prefix)
    {
        var clean = InvalidNameCharacters().Replace((prefix ?? "test").ToLowerInvariant(), "_").Trim('_');
        if (clean.Length == 0)
        {
            clean = "test";
        }

        if (clean.Length > 40)
        {
            clean = clean[..40];
        }

        // At most 40 + 1 + 20 characters: PostgreSQL truncates identifiers beyond 63.
        return $"{clean}_{Guid.NewGuid().ToString("N")[..20]}";
    }

    private static string FindBinDirectory()
    {
        static bool HasServerTools(string directory) =>
            File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        var pathEntries = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in pathEntries)
        {
            if (HasServerTools(entry))
            {
                // Distribution packages put symlinks on PATH; the real directory also holds `postgres`.
                var initdb = new FileInfo(Path.Combine(entry, "initdb"));
                var target = initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                return target is null ? entry : Path.GetDirectoryName(target)!;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => HasServerTools(x.Dir))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        var howTo =
            $"PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under {debianRoot}/*/bin. " +
            "Install them (Debian/Ubuntu: `apt-get install -y postgresql`) or point the tests at an existing server with " +
            $"{ConnectionStringVariable}=\"Host=...;Username=...;Password=...;Database=postgres\".";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("CI requires PostgreSQL for the storage tests. " + howTo);
        }

        throw new InvalidOperationException(howTo);
    }

    private static bool IsRoot() =>
        OperatingSystem.IsLinux() && (Environment.UserName == "root" || geteuid() == 0);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's cwd must be readable by the service account, which /root is not.
            WorkingDirectory = Path.GetTempPath(),
        };

        if (asServiceUser)
        {
            startInfo.FileName = "runuser";
            foreach (var argument in new[] { "-u", ServiceUser, "--", fileName })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");

        // Drain both pipes while waiting so a chatty tool cannot block on a full buffer.
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartTimeout + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time.{Environment.NewLine}{output}");
        }

        if (process.ExitCode != 0)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException(
                $"`{fileName} {string.Join(' ', arguments)}` failed with exit code {process.ExitCode}.{Environment.NewLine}{text}");
        }
    }

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex InvalidNameCharacters();
}
