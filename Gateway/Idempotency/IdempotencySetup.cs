using Summit.Data.Idempotency;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Summit.Data.Audit;
using Summit.Settings;
using Summit.Storage;

namespace Summit.Gateway.Idempotency;

public static class IdempotencySetup
{
    /// <summary>Keys live in PostgreSQL (<c>summit_idempotency</c>), beside the changes they guard.</summary>
    public static IServiceCollection AddSummitIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section).ValidateSettings(IdempotencyOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // The process's one Summit data source: a pool of its own would add to the connection budget (README: Connection pools).
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IIdempotencyStore>(sp => new PostgresIdempotencyStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddHostedService<IdempotencyPurge>();
        return services;
    }

    /// <summary>Place after authentication (keys are per account) and before the endpoints.</summary>
    public static IApplicationBuilder UseSummitIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}

/// <summary>Deletes expired keys now and then, so the store stays the size of one lifetime's writes.</summary>
public sealed class IdempotencyPurge(IIdempotencyStore store, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencyPurge> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(Instant.FromDateTimeOffset(time.GetUtcNow()), stoppingToken);
                if (purged > 0) logger.LogDebug("Purged {Count} expired idempotency keys.", purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not purge expired idempotency keys; will try again.");
            }
        }
    }
}
