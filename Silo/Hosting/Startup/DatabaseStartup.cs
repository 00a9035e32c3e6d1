using Summit.Data;
using Summit.Data.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Summit.Hosting.Storage;
using Summit.Data.Storage;

namespace Summit.Hosting.Startup;

/// <summary>
/// Brings the database schema up to date before the silo starts (register it before <c>UseOrleans</c>:
/// hosted services start in order), and stops with a message naming the setting when there is no database at all.
/// </summary>
public sealed class DatabaseStartup(IConfiguration configuration, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = SummitHostingOptions.RequiredConnectionString(configuration);
        var applied = await DatabaseMigrator.ApplyAsync(connectionString, logger, cancellationToken);
        logger.LogInformation("PostgreSQL storage ready ({Applied} migration(s) applied now).", applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
