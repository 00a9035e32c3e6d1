using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Summit.Data.Embedded;

/// <summary>Where and how a <see cref="PrivatePostgres"/> runs.</summary>
public sealed record PrivatePostgresOptions
{
    /// <summary>The cluster's folder; created and initialised (<c>initdb</c>) on first use, reused after.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// False for throwaway clusters (tests): <c>fsync</c>, <c>synchronous_commit</c> and full page writes off.
    /// True keeps PostgreSQL's durable defaults.
    /// </summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 100;

    /// <summary>The database the connection string names; created when missing.</summary>
    public string Database { get; init; } = "summit";

    /// <summary>Where <c>initdb</c> and <c>pg_ctl</c> are; default: found on PATH or under <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>More server settings as <c>name=value</c> (<c>shared_buffers=256MB</c>), given after the ones above, so they win.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
}

/// <summary>PostgreSQL's server binaries are not installed; the message says what to install or configure instead.</summary>
public sealed class PostgresNotInstalledException(string message) : Exception(message);

/// <summary>
/// A PostgreSQL cluster of this process's own, run from the installed server binaries (Debian's <c>postgresql</c>
/// package): <c>initdb</c> once into <see cref="PrivatePostgresOptions.DataDirectory"/>, started on a free loopback port
/// with password authentication (the password is generated at <c>initdb</c> and kept in the folder, readable only by
/// its owner), reused on the next start so the data survives restarts. A server left running by a process that was
/// killed is found through its <c>postmaster.pid</c> and adopted. Run as root, the cluster belongs to the
/// <c>postgres</c> account (PostgreSQL refuses root) and its tools run through <c>runuser</c>.
/// The standalone host and the tests both start PostgreSQL this way.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public const string SuperUser = "summit";
    private const string ServiceAccount = "postgres";
    private const string PasswordFile = "summit-password";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PrivatePostgresOptions _options;
    private readonly string _bin;
    private readonly bool _asServiceAccount;
    private readonly ILogger _logger;
    private readonly string _password;
    private int _port;
    private bool _running;

    private PrivatePostgres(PrivatePostgresOptions options, string bin, bool asServiceAccount, string password, ILogger logger)
    {
        _options = options;
        _bin = bin;
        _asServiceAccount = asServiceAccount;
        _password = password;
        _logger = logger;
    }

    public string DataDirectory => _options.DataDirectory;

    public int Port => _port;

    /// <summary>Connection string to <see cref="PrivatePostgresOptions.Database"/> as the cluster's superuser.</summary>
    public string ConnectionString => ConnectionStringFor(_options.Database);

    /// <summary>Connection string to the <c>postgres</c> maintenance database, to create and drop databases.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = _port,
        Username = SuperUser,
        Password = _password,
        Database = database,
    }.ConnectionString;

    /// <summary>True when this process runs as root (the cluster then belongs to the <c>postgres</c> account).</summary>
    public static bool RunningAsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>
    /// The default folder of a standalone run's cluster: <c>~/.local/share/summit/postgres</c>, or
    /// <c>/var/lib/summit/postgres</c> as root (the <c>postgres</c> account cannot enter <c>/root</c>).
    /// </summary>
    public static string DefaultDataDirectory() => RunningAsRoot
        ? "/var/lib/summit/postgres"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "summit", "postgres");

    /// <summary>Initialises the cluster if needed, starts it (or adopts the one already running there) and creates the database.</summary>
    /// <exception cref="PostgresNotInstalledException">No server binaries.</exception>
    public static async Task<PrivatePostgres> StartAsync(PrivatePostgresOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var bin = (options.BinDirectory is { Length: > 0 } configured ? (HasServerTools(configured) ? configured : null) : FindBinDirectory())
            ?? throw new PostgresNotInstalledException(
                $"PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found {(options.BinDirectory is { Length: > 0 } ? $"in {options.BinDirectory}" : "on PATH or under /usr/lib/postgresql/*/bin")}. " +
                "Install them (Debian: apt-get install -y postgresql), or set ConnectionStrings:Summit " +
                "(environment variable ConnectionStrings__Summit) to a PostgreSQL server of your own.");
        var asServiceAccount = RunningAsRoot;
        var directory = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = directory };

        var password = await InitialiseAsync(bin, directory, asServiceAccount, logger, cancellationToken);
        var server = new PrivatePostgres(options, bin, asServiceAccount, password, logger);
        await server.StartOrAdoptAsync(cancellationToken);
        await server.EnsureDatabaseAsync(options.Database, cancellationToken);
        return server;
    }

    /// <summary>Stops the server (fast: sessions are ended, then a clean shutdown). Safe to call twice.</summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (!_running) return;
        _running = false;
        NpgsqlConnection.ClearAllPools();
        await RunAsync("pg_ctl", ["stop", "--pgdata", DataDirectory, "--mode", immediate ? "immediate" : "fast", "--wait"], CancellationToken.None);
        _logger.LogInformation("Private PostgreSQL in {Directory} stopped.", DataDirectory);
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, on the same port.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => LaunchAsync(_port, cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>The server's log (the last start's), for error messages.</summary>
    public string ReadLog()
    {
        try
        {
            var path = Path.Combine(DataDirectory, "server.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task<string> InitialiseAsync(string bin, string directory, bool asServiceAccount, ILogger logger, CancellationToken cancellationToken)
    {
        var passwordPath = Path.Combine(directory, PasswordFile);
        if (File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            if (!File.Exists(passwordPath) && !asServiceAccount)
                throw new InvalidOperationException($"{directory} holds a PostgreSQL cluster that Summit did not create (no {PasswordFile}); choose another folder.");
            // Root reads the service account's files as they are.
            return (await File.ReadAllTextAsync(passwordPath, cancellationToken)).Trim();
        }

        Directory.CreateDirectory(directory);
        if (Directory.EnumerateFileSystemEntries(directory).Any())
            throw new InvalidOperationException($"{directory} is not empty and holds no PostgreSQL cluster; choose an empty folder.");
        logger.LogInformation("Creating a private PostgreSQL cluster in {Directory} (first start only).", directory);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        // initdb reads the password from a file; it must not stay in the data folder's parent or anywhere else.
        var scratch = Path.Combine(Path.GetTempPath(), $"summit-initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(scratch, password, cancellationToken);
        try
        {
            if (asServiceAccount)
            {
                await RunRawAsync("chown", [$"{ServiceAccount}:{ServiceAccount}", directory, scratch], asServiceAccount: false, bin, cancellationToken);
            }
            else
            {
                OwnerOnly(scratch);
            }
            await RunRawAsync(Path.Combine(bin, "initdb"),
            [
                "--pgdata", directory,
                "--username", SuperUser,
                "--pwfile", scratch,
                "--auth", "scram-sha-256",
                "--encoding", "UTF8",
                "--locale", "C",
            ], asServiceAccount, bin, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }

        // Kept inside the data folder (mode 0700, owned by the server's account), so only its owner can read it.
        await File.WriteAllTextAsync(passwordPath, password, cancellationToken);
        OwnerOnly(passwordPath);
        if (asServiceAccount)
            await RunRawAsync("chown", [$"{ServiceAccount}:{ServiceAccount}", passwordPath], asServiceAccount: false, bin, cancellationToken);
        return password;
    }

    private async Task StartOrAdoptAsync(CancellationToken cancellationToken)
    {
        // A server left behind by a process that was killed: adopt it (same folder, same password).
        if (await RunningPortAsync(cancellationToken) is { } running)
        {
            _port = running;
            _running = true;
            _logger.LogInformation("Adopted the private PostgreSQL already running in {Directory} on port {Port}.", DataDirectory, _port);
            return;
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // A port picked from the OS can be taken before postgres binds it; then try another.
            try
            {
                await LaunchAsync(FreePort(), cancellationToken);
                return;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException($"Could not start the private PostgreSQL in {DataDirectory}.{Environment.NewLine}{ReadLog()}", last);
    }

    private async Task LaunchAsync(int port, CancellationToken cancellationToken)
    {
        var settings = new List<string>
        {
            "-c listen_addresses=127.0.0.1",
            $"-c port={port}",
            // The socket in the data folder: /var/run/postgresql may not exist or belong to someone else.
            $"-c unix_socket_directories={DataDirectory}",
            $"-c max_connections={_options.MaxConnections}",
        };
        if (!_options.Durable)
            settings.AddRange(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=64MB"]);
        settings.AddRange(_options.Settings.Select(setting => $"-c {setting}"));

        await RunAsync("pg_ctl",
        [
            "start",
            "--pgdata", DataDirectory,
            "--log", Path.Combine(DataDirectory, "server.log"),
            "--options", string.Join(' ', settings),
            "--wait",
            "--timeout", ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], cancellationToken);
        _port = port;
        _running = true;
        _logger.LogInformation("Private PostgreSQL in {Directory} listening on 127.0.0.1:{Port}.", DataDirectory, port);
    }

    /// <summary>The port of a live server in the folder, from its <c>postmaster.pid</c>; null when none runs.</summary>
    private async Task<int?> RunningPortAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("pg_ctl", ["status", "--pgdata", DataDirectory], cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null; // not running (a stale postmaster.pid is replaced by the next start)
        }
        var pid = await File.ReadAllTextAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken);
        var lines = pid.Split('\n');
        return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunRawAsync(Path.Combine(_bin, tool), arguments, _asServiceAccount, _bin, cancellationToken);

    private static async Task<string> RunRawAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceAccount, string bin,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's working folder must be readable by the service account, which /root is not.
            WorkingDirectory = Path.GetTempPath(),
            FileName = asServiceAccount ? "runuser" : fileName,
        };
        if (asServiceAccount)
            foreach (var argument in new[] { "-u", ServiceAccount, "--", fileName }) startInfo.ArgumentList.Add(argument);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        process.WaitForExit(); // flushes the asynchronous readers
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode} ({bin}):{Environment.NewLine}{error}{output}");
        }
        lock (output) return output.ToString();
    }

    /// <summary>The newest server binaries: on PATH, else Debian's <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>.</summary>
    private static bool HasServerTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    public static string? FindBinDirectory()
    {
        foreach (var entry in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!HasServerTools(entry)) continue;
            // Distribution packages put symlinks on PATH; the real folder also holds `postgres`.
            var target = new FileInfo(Path.Combine(entry, "initdb")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            return target is null ? entry : Path.GetDirectoryName(target);
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.GetDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => HasServerTools(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
