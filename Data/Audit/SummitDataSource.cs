using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Summit.Data.Storage;
using Summit.Settings;

namespace Summit.Data.Audit;

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
    /// <summary>The ADO.NET invariant Orleans' providers (membership, grain state, reminders) are configured with.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Registers the data source as a singleton (<c>ConnectionStrings:Summit</c> must be set).
    /// Safe to call more than once (silo side and Gateway side both do); one process gets one data source.
    /// </summary>
    public static IServiceCollection AddSummitDataSource(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = SummitHostingOptions.RequiredConnectionString(configuration);
        var pools = DatabasePoolOptions.From(configuration);
        if (!services.Any(d => d.ServiceType == typeof(NpgsqlDataSource)))
        {
            // Checked at start like every other section; both are also read while the process is composed.
            services.AddOptions<DatabasePoolOptions>().BindConfiguration(DatabasePoolOptions.Section)
                .ValidateSettings(DatabasePoolOptions.Section).ValidateOnStart();
            services.AddOptions<SummitHostingOptions>().BindConfiguration(SummitHostingOptions.Section)
                .ValidateSettings(SummitHostingOptions.Section).ValidateOnStart();
        }
        services.TryAddSingleton(sp =>
        {
            var role = sp.GetService<DatabasePoolRole>()?.Role ?? PoolRole.Standalone;
            return Create(pools.SummitConnectionString(connectionString, role));
        });
        return services;
    }

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "summit" };
        builder.UseNodaTime();
        return builder.Build();
    }
}
