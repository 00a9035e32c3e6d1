using Summit.Settings;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Summit.Data.Storage;

/// <summary>What a process is, for sizing its connection pools.</summary>
public enum PoolRole
{
    /// <summary>A clustered silo: grain state, reminders and membership, plus the audit journal and webhook outbox.</summary>
    Silo,
    /// <summary>A client-mode Gateway: membership reads only on the Orleans side; accounts, security log, idempotency, keys.</summary>
    ClientGateway,
    /// <summary>The standalone Gateway: a silo and a Gateway in one process, sharing one Summit data source.</summary>
    Standalone,
}

/// <summary>
/// Section <c>Summit:Database</c>: the size of each PostgreSQL connection pool a process opens. Every process has exactly
/// two pools: one for Orleans' ADO.NET providers (grain storage, reminders and membership use the same connection string,
/// so Npgsql gives them one pool) and the one <see cref="NpgsqlDataSource"/> for Summit's own tables. Migrations use
/// unpooled connections at start-up only. The defaults keep the documented deployment (2 silos, 2 client-mode
/// Gateways, and a standalone Gateway beside them) at 60 connections, well under PostgreSQL's default
/// <c>max_connections</c> of 100 (README: Connection pools has the arithmetic).
/// </summary>
public sealed class DatabasePoolOptions
{
    public const string Section = "Summit:Database";

    /// <summary>Orleans' pool on a silo or standalone Gateway: the state of the per-summit grains (deadlines, escalation,
    /// inboxes, live feed), reminders, membership. Entities go through Summit's data source.</summary>
    public const int DefaultSiloOrleansPool = 4;
    /// <summary>Orleans' pool on a client-mode Gateway: reading the membership table for the gateway list.</summary>
    public const int DefaultClientOrleansPool = 2;
    /// <summary>Summit's data source on a silo: the entity store (its group-commit writers and reads), webhook outbox.</summary>
    public const int DefaultSiloSummitPool = 8;
    /// <summary>Summit's data source on a Gateway (client or standalone): accounts, security log, idempotency, audit reads, keys.</summary>
    public const int DefaultGatewaySummitPool = 8;
    /// <summary>Summit's data source on a standalone Gateway: the silo's entity store and the Gateway's stores share it.</summary>
    public const int DefaultStandaloneSummitPool = 12;

    /// <summary>Maximum Pool Size of Orleans' ADO.NET providers; default by role.</summary>
    [AtLeast(1)]
    public int? OrleansPoolSize { get; set; }

    /// <summary>Maximum Pool Size of Summit's data source; default by role.</summary>
    [AtLeast(1)]
    public int? PoolSize { get; set; }

    public static DatabasePoolOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DatabasePoolOptions>() ?? new DatabasePoolOptions();

    public int OrleansPool(PoolRole role) => Positive(OrleansPoolSize) ?? (role == PoolRole.ClientGateway ? DefaultClientOrleansPool : DefaultSiloOrleansPool);

    public int SummitPool(PoolRole role) => Positive(PoolSize) ?? role switch
    {
        PoolRole.Silo => DefaultSiloSummitPool,
        PoolRole.Standalone => DefaultStandaloneSummitPool,
        _ => DefaultGatewaySummitPool,
    };

    /// <summary>The most connections one process of this role opens (both pools full).</summary>
    public int MaxConnections(PoolRole role) => OrleansPool(role) + SummitPool(role);

    /// <summary>The connection string Orleans' providers use in this process: the configured one with its pool capped.</summary>
    public string OrleansConnectionString(string connectionString, PoolRole role) =>
        WithPool(connectionString, OrleansPool(role), "summit-orleans");

    /// <summary>The connection string behind Summit's data source in this process.</summary>
    public string SummitConnectionString(string connectionString, PoolRole role) =>
        WithPool(connectionString, SummitPool(role), "summit");

    private static string WithPool(string connectionString, int max, string application)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = max };
        if (builder.MinPoolSize > max) builder.MinPoolSize = max;
        // Names the pool in pg_stat_activity, unless the operator named the application themselves.
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = application;
        return builder.ConnectionString;
    }

    private static int? Positive(int? value) => value is > 0 ? value : null;
}
