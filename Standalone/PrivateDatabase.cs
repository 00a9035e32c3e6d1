using Summit.Data;
using Summit.Data.Embedded;

namespace Summit.Standalone;

/// <summary>Section <c>Summit:Database</c> of the standalone host: where its private PostgreSQL keeps its data.</summary>
public sealed class PrivateDatabaseOptions
{
    public const string Section = "Summit:Database";

    /// <summary>The cluster's folder; default <see cref="PrivatePostgres.DefaultDataDirectory"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Where PostgreSQL's server binaries are; default: on PATH or under <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? BinDirectory { get; set; }
}

public static class PrivateDatabase
{
    /// <summary>
    /// Without <c>ConnectionStrings:Summit</c>: starts (or adopts) the private PostgreSQL, points the connection string
    /// at it, and stops it when the process stops. Returns false, after saying why, when it cannot start one.
    /// </summary>
    public static async Task<bool> UsePrivatePostgresIfNeededAsync(this WebApplicationBuilder builder)
    {
        if (SummitHostingOptions.ConnectionString(builder.Configuration) is not null) return true;

        using var loggers = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("Summit.Standalone.PrivatePostgres");
        var options = builder.Configuration.GetSection(PrivateDatabaseOptions.Section).Get<PrivateDatabaseOptions>() ?? new();
        var directory = string.IsNullOrWhiteSpace(options.DataDirectory) ? PrivatePostgres.DefaultDataDirectory() : options.DataDirectory;
        PrivatePostgres server;
        try
        {
            logger.LogInformation("No ConnectionStrings:Summit given: starting a private PostgreSQL in {Directory}.", directory);
            server = await PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = directory, BinDirectory = options.BinDirectory }, logger);
        }
        catch (PostgresNotInstalledException e)
        {
            logger.LogCritical("{Message}", e.Message);
            return false;
        }

        builder.Configuration[$"ConnectionStrings:{SummitHostingOptions.ConnectionStringName}"] = server.ConnectionString;
        builder.Services.AddSingleton(server);
        builder.Services.AddHostedService<PrivatePostgresLifetime>();
        // Ctrl+C and SIGTERM stop the host (and so the server); this covers an exit that skips the host's shutdown.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Registered first, so it stops last: after the silo and the Gateway have let go of their connections.</summary>
    private sealed class PrivatePostgresLifetime(PrivatePostgres server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
    }
}
