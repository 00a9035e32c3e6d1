using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Summit.Data.Storage;

/// <summary>
/// Brings a PostgreSQL database up to the schema the silo needs: the Orleans ADO.NET provider tables
/// and queries (clustering, grain state, reminders) and Summit's own tables. Scripts are the embedded
/// <c>Storage/Migrations/NNNN_*.sql</c> files, applied once each, in file-name order, and recorded in
/// the journal table <see cref="JournalTable"/>.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>The table that records which scripts have been applied.</summary>
    public const string JournalTable = "summit_schema_versions";

    private const string ResourceMarker = ".Storage.Migrations.";

    // Arbitrary, fixed key; advisory locks are scoped to one database, so it only has to be unique
    // among the locks this application takes.
    private const long MigrationLockKey = 0x5355_4D4D_4954_0001; // "SUMMIT" + 1

    private static readonly TimeSpan LockWaitTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Names of the embedded migration scripts, in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptNames => LoadScripts().Select(s => s.Name).ToArray();

    /// <summary>
    /// Applies every migration not yet recorded in the journal. Safe to call from several processes at
    /// once: they take turns on a PostgreSQL advisory lock, and later ones find nothing left to do.
    /// </summary>
    /// <param name="connectionString">Npgsql connection string to an existing database.</param>
    /// <param name="logger">Receives progress and per-script messages.</param>
    /// <returns>The number of scripts applied by this call (0 when the schema was already current).</returns>
    /// <exception cref="DatabaseMigrationException">The database was unreachable or a script failed;
    /// the failing script's changes are rolled back.</exception>
    public static int Apply(string connectionString, ILogger logger) => Apply(connectionString, logger, upTo: null);

    /// <summary>Applies the migrations up to and including the script whose name starts with <paramref name="upTo"/>
    /// (all of them when null): a database as an earlier version left it, for upgrade tests.</summary>
    public static int Apply(string connectionString, ILogger logger, string? upTo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        var target = Describe(connectionString);
        var scripts = LoadScripts();
        if (upTo is not null)
        {
            var last = scripts.FindIndex(s => s.Name.StartsWith(upTo, StringComparison.Ordinal));
            if (last < 0) throw new ArgumentException($"No migration named {upTo}.", nameof(upTo));
            scripts = scripts[..(last + 1)];
        }

        using var lockConnection = new NpgsqlConnection(LockConnectionString(connectionString));
        try
        {
            lockConnection.Open();
        }
        catch (Exception ex)
        {
            throw new DatabaseMigrationException($"Could not connect to {target} to apply migrations: {ex.Message}", ex);
        }

        AcquireLock(lockConnection, target, logger);
        try
        {
            var engine = DeployChanges.To
                .PostgresqlDatabase(LockConnectionString(connectionString))
                .WithScripts(scripts)
                .JournalToPostgresqlTable(null, JournalTable)
                // One transaction per script keeps a failed script from leaving half a schema
                // behind, and commits it together with its journal row.
                .WithTransactionPerScript()
                // Scripts use $tag$ dollar quoting, which DbUp would otherwise take for variables.
                .WithVariablesDisabled()
                .LogTo(logger)
                .Build();

            var result = engine.PerformUpgrade();
            if (!result.Successful)
            {
                var script = result.ErrorScript?.Name ?? "(none)";
                throw new DatabaseMigrationException(
                    $"Migration of {target} failed in script '{script}': {result.Error?.Message}", result.Error);
            }

            var applied = result.Scripts.Count();
            if (applied > 0)
            {
                logger.LogInformation("Applied {Count} migration script(s) to {Target}", applied, target);
            }
            else
            {
                logger.LogDebug("Schema of {Target} is up to date", target);
            }

            return applied;
        }
        finally
        {
            ReleaseLock(lockConnection, logger);
        }
    }

    /// <inheritdoc cref="Apply(string, ILogger)"/>
    /// <remarks>DbUp is synchronous, so the work runs on a thread-pool thread; cancellation is honoured
    /// only before it starts.</remarks>
    public static Task<int> ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default) =>
        Task.Run(() => Apply(connectionString, logger), cancellationToken);

    // Unpooled, so that closing the connection ends the session and with it the lock, whatever happens. DbUp's own
    // connections use it too: migrations run once at start-up, and pooled ones would sit idle beside the sized pools
    // (README: Connection pools) for minutes.
    private static string LockConnectionString(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseMigrationException($"The database connection string is not valid: {ex.Message}", ex);
        }
    }

    private static void AcquireLock(NpgsqlConnection connection, string target, ILogger logger)
    {
        using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
        {
            tryLock.Parameters.AddWithValue("key", MigrationLockKey);
            if (tryLock.ExecuteScalar() is true)
            {
                return;
            }
        }

        logger.LogInformation("Waiting for another process to finish migrating {Target}", target);
        using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection)
        {
            CommandTimeout = (int)LockWaitTimeout.TotalSeconds,
        };
        waitLock.Parameters.AddWithValue("key", MigrationLockKey);
        try
        {
            waitLock.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            throw new DatabaseMigrationException(
                $"Could not take the migration lock on {target} within {LockWaitTimeout} ({ex.Message}); " +
                "another process may be stuck while migrating.", ex);
        }
    }

    private static void ReleaseLock(NpgsqlConnection connection, ILogger logger)
    {
        try
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            unlock.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            // Closing the session releases the lock anyway.
            logger.LogDebug(ex, "Could not release the migration lock explicitly");
        }
    }

    private static List<SqlScript> LoadScripts()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var scripts = new List<SqlScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var marker = resource.IndexOf(ResourceMarker, StringComparison.Ordinal);
            if (marker < 0 || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Journal by file name only, so renaming the assembly or namespace cannot make every
            // script look new.
            var name = resource[(marker + ResourceMarker.Length)..];
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be read.");
            using var reader = new StreamReader(stream);
            scripts.Add(new SqlScript(name, reader.ReadToEnd()));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException(
                $"No embedded migration scripts found in {assembly.GetName().Name}; expected resources matching *{ResourceMarker}*.sql.");
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return scripts;
    }

    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"database '{builder.Database}' on {builder.Host}:{builder.Port}";
        }
        catch (ArgumentException)
        {
            return "the database";
        }
    }
}

/// <summary>Thrown when <see cref="DatabaseMigrator"/> cannot bring the database schema up to date.</summary>
public sealed class DatabaseMigrationException : Exception
{
    public DatabaseMigrationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
