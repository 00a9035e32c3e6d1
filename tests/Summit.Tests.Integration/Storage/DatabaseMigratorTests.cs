using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class DatabaseMigratorTests(PostgresServer server)
{
    // Every key Orleans 10.4 reads from OrleansQuery for clustering, grain storage and reminders.
    public static readonly string[] RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Applies_all_scripts_to_an_empty_database_and_nothing_the_second_time()
    {
        var cs = await server.CreateDatabaseAsync("migrate_twice");

        var first = DatabaseMigrator.Apply(cs, NullLogger.Instance);
        Assert.Equal(DatabaseMigrator.ScriptNames.Count, first);
        Assert.True(first >= 4);

        var schemaAfterFirst = await DescribeSchemaAsync(cs);

        var second = await DatabaseMigrator.ApplyAsync(cs, NullLogger.Instance);
        Assert.Equal(0, second);
        Assert.Equal(schemaAfterFirst, await DescribeSchemaAsync(cs));

        var journal = await QueryListAsync(cs, $"SELECT scriptname FROM {DatabaseMigrator.JournalTable} ORDER BY scriptname");
        Assert.Equal(DatabaseMigrator.ScriptNames, journal);

        var keys = await QueryListAsync(cs, "SELECT QueryKey FROM OrleansQuery");
        Assert.Empty(RequiredQueryKeys.Except(keys));
    }

    [Fact]
    public async Task Concurrent_applies_take_turns_and_apply_each_script_once()
    {
        var cs = await server.CreateDatabaseAsync("migrate_concurrent");

        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() =>
            {
                start.Wait();
                return DatabaseMigrator.Apply(cs, NullLogger.Instance);
            }))
            .ToArray();
        start.Set();
        var applied = await Task.WhenAll(runs);

        Assert.Equal(DatabaseMigrator.ScriptNames.Count, applied.Sum());
        Assert.Equal(DatabaseMigrator.ScriptNames.Count,
            int.Parse((await QueryListAsync(cs, $"SELECT count(*) FROM {DatabaseMigrator.JournalTable}")).Single()));
    }

    [Fact]
    public async Task Reports_an_unreachable_database_clearly()
    {
        var cs = new NpgsqlConnectionStringBuilder(server.AdminConnectionString)
        {
            Database = "summit_database_that_does_not_exist",
        }.ConnectionString;

        var error = Assert.Throws<DatabaseMigrationException>(() => DatabaseMigrator.Apply(cs, NullLogger.Instance));
        Assert.Contains("summit_database_that_does_not_exist", error.Message);
    }

    [Fact]
    public async Task A_failing_script_is_named_in_the_error_and_leaves_nothing_behind()
    {
        var cs = await server.CreateDatabaseAsync("migrate_failure");
        // A table that 0002 creates after its first statement makes it fail half-way.
        await ExecuteAsync(cs, "CREATE TABLE OrleansMembershipTable (x int)");

        var error = Assert.Throws<DatabaseMigrationException>(() => DatabaseMigrator.Apply(cs, NullLogger.Instance));
        Assert.Contains("0002_orleans_clustering.sql", error.Message);

        // 0001 stays applied; 0002 rolled back completely, including its version table.
        Assert.Equal(new[] { "0001_orleans_query.sql" },
            await QueryListAsync(cs, $"SELECT scriptname FROM {DatabaseMigrator.JournalTable}"));
        Assert.Equal(new[] { "" },
            await QueryListAsync(cs, "SELECT coalesce(to_regclass('orleansmembershipversiontable')::text, '')"));

        // Once the obstacle is gone the remaining scripts apply.
        await ExecuteAsync(cs, "DROP TABLE OrleansMembershipTable");
        Assert.Equal(DatabaseMigrator.ScriptNames.Count - 1, DatabaseMigrator.Apply(cs, NullLogger.Instance));
    }

    [Fact]
    public void Scripts_are_ordered_by_their_number()
    {
        var names = DatabaseMigrator.ScriptNames;
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(names, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
        Assert.Equal("0001_orleans_query.sql", names[0]);
    }

    /// <summary>A textual fingerprint of every table, column, index, function and Orleans query.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(string cs)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
            FROM information_schema.columns WHERE table_schema = current_schema()
            UNION ALL
            SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL
            SELECT 'function ' || p.proname || ' ' || md5(p.prosrc)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
            UNION ALL
            SELECT 'query ' || QueryKey || ' ' || md5(QueryText) FROM OrleansQuery
            ORDER BY 1
            """;
        return await QueryListAsync(cs, sql);
    }

    internal static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<List<string>> QueryListAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
