using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Summit.Hosting.Storage;

namespace Summit.Hosting.Audit;

/// <summary>What this process is, for sizing its pools (<see cref="DatabasePoolOptions"/>); set by the hosting entry points.</summary>
public sealed record DatabasePoolRole(PoolRole Role);

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> for Summit's own tables (accounts, audit trail, security log, idempotency keys,
/// webhook outbox, data protection keys), with NodaTime mapping so <c>timestamptz</c> columns read and write
/// <see cref="NodaTime.Instant"/>. Its pool is capped per <see cref="DatabasePoolOptions"/>; Orleans' ADO.NET providers
/// use their own, also capped, pool.
/// </summary>
public static class SummitDataSource
{
    /// <summary>
    /// Registers the data source as a singleton when <c>ConnectionStrings:Summit</c> is set.
    /// Safe to call more than once (silo side and Gateway side both do); one process gets one data source.
    /// </summary>
    /// <returns>True when PostgreSQL is configured, false when the caller should keep things in memory.</returns>
    public static bool AddSummitDataSource(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = SummitHostingOptions.ConnectionString(configuration);
        if (connectionString is null) return false;
        var pools = DatabasePoolOptions.From(configuration);
        services.TryAddSingleton(sp =>
        {
            var role = sp.GetService<DatabasePoolRole>()?.Role ?? PoolRole.Standalone;
            return Create(pools.SummitConnectionString(connectionString, role));
        });
        return true;
    }

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "summit" };
        builder.UseNodaTime();
        return builder.Build();
    }
}
