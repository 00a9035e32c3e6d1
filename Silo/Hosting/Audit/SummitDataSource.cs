using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Summit.Hosting.Audit;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> for Summit's own tables (accounts, audit trail, security log),
/// with NodaTime mapping so <c>timestamptz</c> columns read and write <see cref="NodaTime.Instant"/>.
/// Orleans' ADO.NET providers keep using the connection string on their own.
/// </summary>
public static class SummitDataSource
{
    /// <summary>
    /// Registers the data source as a singleton when <c>ConnectionStrings:Summit</c> is set.
    /// Safe to call more than once (silo side and Gateway side both do).
    /// </summary>
    /// <returns>True when PostgreSQL is configured, false when the caller should keep things in memory.</returns>
    public static bool AddSummitDataSource(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = SummitHostingOptions.ConnectionString(configuration);
        if (connectionString is null) return false;
        services.TryAddSingleton(_ => Create(connectionString));
        return true;
    }

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "summit" };
        builder.UseNodaTime();
        return builder.Build();
    }
}
