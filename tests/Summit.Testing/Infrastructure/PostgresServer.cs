using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Summit.Data.Embedded;
using Summit.Data.Storage;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for tests, started by the same launcher as the standalone host (<see cref="PrivatePostgres"/>), in a
/// throwaway folder with durability off. One cluster serves the whole test run (<see cref="Shared"/>; a new
/// <see cref="PostgresServer"/> is a view of it); a test that stops the server makes one of its own with
/// <see cref="Private"/>. Each test class asks for its own database: empty (<see cref="CreateDatabaseAsync"/>) or
/// migrated, copied from a template migrated once per cluster (<see cref="CreateMigratedDatabaseAsync"/>).
/// <c>SUMMIT_TEST_POSTGRES</c>, a connection string, uses an existing server instead.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "SUMMIT_TEST_POSTGRES";
    private const string TemplateName = "summit_test_template";

    private static readonly Lazy<PostgresServer> SharedServer = new(() =>
    {
        var server = new PostgresServer(owned: true);
        server.StartAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.ShutDownAsync().GetAwaiter().GetResult();
        return server;
    });

    private readonly bool _owned;
    private readonly List<string> _createdDatabases = [];
    private readonly SemaphoreSlim _templateGate = new(1, 1);
    private PostgresServer? _cluster;
    private PrivatePostgres? _private;
    private string? _root;
    private string? _adminConnectionString;
    private bool _templateReady;

    /// <summary>A view of the shared cluster (what xunit creates for the collection fixture).</summary>
    public PostgresServer() : this(owned: false)
    {
    }

    private PostgresServer(bool owned) => _owned = owned;

    /// <summary>The test run's one cluster, started on first use and stopped when the test process exits.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    /// <summary>A cluster of the caller's own, which it may stop and start; dispose it when done.</summary>
    public static async Task<PostgresServer> Private()
    {
        var server = new PostgresServer(owned: true);
        await server.StartAsync();
        return server;
    }

    /// <summary>Connection string to the <c>postgres</c> maintenance database with rights to create databases.</summary>
    public string AdminConnectionString =>
        _cluster?.AdminConnectionString ?? _adminConnectionString ?? throw new InvalidOperationException("The PostgreSQL server has not been started.");

    public async Task InitializeAsync()
    {
        if (_owned) return; // started by Private() or Shared
        _cluster = await Task.Run(() => Shared);
    }

    private async Task StartAsync()
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

        _root = Path.Combine(Path.GetTempPath(), $"summit-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        try
        {
            _private = await PrivatePostgres.StartAsync(new PrivatePostgresOptions
            {
                DataDirectory = Path.Combine(_root, "data"),
                Durable = false,
                // Tests hold many small pools (one per database and process).
                MaxConnections = 300,
                Database = "postgres",
            });
        }
        catch (PostgresNotInstalledException e) when (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"CI requires PostgreSQL for the tests. {e.Message}", e);
        }
        _adminConnectionString = new NpgsqlConnectionStringBuilder(_private.AdminConnectionString)
        {
            ConnectionIdleLifetime = 10,
            MaxPoolSize = 20,
        }.ConnectionString;
    }

    /// <summary>Stops a private server (fast mode), to test how Summit answers a database outage. Never the shared one.</summary>
    public Task StopAsync()
    {
        if (_private is null || ReferenceEquals(this, SharedServer.IsValueCreated ? SharedServer.Value : null))
            throw new InvalidOperationException("Only a private PostgreSQL server can be stopped.");
        return _private.StopAsync();
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again on the same port.</summary>
    public Task StartAgainAsync() =>
        (_private ?? throw new InvalidOperationException("Only a private PostgreSQL server can be started again.")).StartAgainAsync();

    /// <summary>Creates an empty, uniquely named database and returns a connection string to it.</summary>
    public Task<string> CreateDatabaseAsync(string? prefix = null) => CreateAsync(prefix, template: null);

    /// <summary>Creates a database with Summit's schema (a copy of a template migrated once) and returns a connection string to it.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string? prefix = null)
    {
        if (_cluster is not null) return await _cluster.CreateMigratedDatabaseAsync(prefix);
        await _templateGate.WaitAsync();
        try
        {
            if (!_templateReady)
            {
                await using (var connection = new NpgsqlConnection(AdminConnectionString))
                {
                    await connection.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{TemplateName}\"", connection);
                    await create.ExecuteNonQueryAsync();
                }
                var template = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = TemplateName, Pooling = false }.ConnectionString;
                DatabaseMigrator.Apply(template, NullLogger.Instance);
                _templateReady = true;
            }
        }
        finally
        {
            _templateGate.Release();
        }
        return await CreateAsync(prefix, TemplateName);
    }

    private async Task<string> CreateAsync(string? prefix, string? template)
    {
        if (_cluster is not null)
        {
            var created = await _cluster.CreateAsync(prefix, template);
            lock (_createdDatabases) _createdDatabases.Add(new NpgsqlConnectionStringBuilder(created).Database!);
            return created;
        }
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            var from = template is null ? "" : $" TEMPLATE \"{template}\"";
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_createdDatabases) _createdDatabases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null || _private is null)
        {
            // A view of the shared cluster, or an external server: leave it as it was found.
            await DropCreatedDatabasesAsync();
            return;
        }
        if (!_owned || ReferenceEquals(this, SharedServer.IsValueCreated ? SharedServer.Value : null)) return;
        await ShutDownAsync();
    }

    private async Task ShutDownAsync()
    {
        if (_private is not null)
        {
            try
            {
                // Immediate mode: the data is thrown away, so a clean checkpoint would only cost time.
                await _private.StopAsync(immediate: true);
            }
            catch (InvalidOperationException)
            {
                // Best effort; the folder removal below still runs.
            }
            _private = null;
        }
        if (_root is null) return;
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        _root = null;
    }

    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (_createdDatabases)
        {
            names = [.. _createdDatabases];
            _createdDatabases.Clear();
        }
        if (names.Length == 0) return;
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                // FORCE ends sessions still left over from silos of the test.
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover uniquely named database harms no later run.
        }
    }

    private static string UniqueDatabaseName(string? prefix)
    {
        var clean = InvalidNameCharacters().Replace((prefix ?? "test").ToLowerInvariant(), "_").Trim('_');
        if (clean.Length == 0) clean = "test";
        if (clean.Length > 40) clean = clean[..40];
        // At most 40 + 1 + 20 characters: PostgreSQL truncates identifiers beyond 63.
        return $"{clean}_{Guid.NewGuid().ToString("N")[..20]}";
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex InvalidNameCharacters();
}
