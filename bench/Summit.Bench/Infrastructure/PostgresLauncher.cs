using Npgsql;
using Summit.Data.Embedded;

namespace Summit.Bench.Infrastructure;

/// <summary>
/// The PostgreSQL server the benchmark runs against: the one named by <c>--pg</c>, or a throwaway cluster in a temporary
/// folder started by the same launcher as the standalone host and the tests (<see cref="PrivatePostgres"/>), deleted
/// afterwards.
/// </summary>
public sealed class PostgresLauncher : IAsyncDisposable
{
    private readonly List<string> _databases = [];
    private PrivatePostgres? _server;
    private string? _root;

    private PostgresLauncher(string adminConnectionString, string description)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
    }

    public string AdminConnectionString { get; private set; }

    /// <summary>"private cluster on loopback, …" or "external server".</summary>
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

    /// <summary>
    /// Total CPU time of the postmaster and its children, those still running and those that have ended (a backend
    /// ends with its connection), so the total never falls (private cluster only).
    /// </summary>
    public TimeSpan? CpuTime()
    {
        if (PostmasterPid is not { } pid) return null;
        var total = (ProcStat.CpuTime(pid) ?? TimeSpan.Zero) + (ProcStat.ReapedChildrenCpuTime(pid) ?? TimeSpan.Zero);
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
        _root = Path.Combine(Path.GetTempPath(), $"summit-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        try
        {
            _server = await PrivatePostgres.StartAsync(new PrivatePostgresOptions
            {
                DataDirectory = Path.Combine(_root, "data"),
                Durable = durable,
                MaxConnections = 300,
                Database = "postgres",
                Settings = ["shared_buffers=256MB"],
            });
        }
        catch (PostgresNotInstalledException e)
        {
            throw new InvalidOperationException($"{e.Message} Or pass --pg \"Host=...;Username=...;Database=postgres\".", e);
        }
        AdminConnectionString = new NpgsqlConnectionStringBuilder(_server.AdminConnectionString) { MaxPoolSize = 200 }.ConnectionString;
        var pidFile = Path.Combine(_server.DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid)) PostmasterPid = pid;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root is null)
        {
            await DropDatabasesAsync();
            return;
        }
        await Task.Run(StopNow);
    }

    private void StopNow()
    {
        var root = Interlocked.Exchange(ref _root, null);
        if (root is null) return;
        try
        {
            _server?.StopAsync(immediate: true).GetAwaiter().GetResult();
        }
        catch
        {
            // Best effort; the folder is removed below regardless.
        }
        try
        {
            Directory.Delete(root, recursive: true);
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
}
