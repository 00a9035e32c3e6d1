using Summit.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>Section <c>Summit:Notifications</c>: how long read notifications are kept. See the README's table of keys.</summary>
public sealed class NotificationPruningOptions
{
    public const string SectionName = "Summit:Notifications";

    /// <summary>A read notification older than this (by its creation time on the summit clock) is deleted.</summary>
    [NotNegative]
    public TimeSpan PruneAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often each silo prunes; zero or less switches pruning off.</summary>
    [NotNegative]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes read notifications older than <see cref="NotificationPruningOptions.PruneAfter"/>, once at start and then every
/// <see cref="NotificationPruningOptions.PruneInterval"/> (timed by <see cref="TimeProvider"/>). Ages are measured on the
/// summit clock (<see cref="IClock"/>), which stamped the notifications. Every silo runs one; a delete done twice deletes
/// nothing the second time.
/// </summary>
public sealed class NotificationPruning(
    INotificationStore store,
    IClock clock,
    TimeProvider time,
    IOptions<NotificationPruningOptions> options,
    ILogger<NotificationPruning> logger) : BackgroundService
{
    /// <summary>One pass: deletes what is old enough now; returns how many notification rows went.</summary>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken = default)
    {
        var before = clock.GetCurrentInstant() - Duration.FromTimeSpan(options.Value.PruneAfter);
        var pruned = await store.PruneReadAsync(before, cancellationToken);
        if (pruned > 0) logger.LogInformation("Pruned {Count} read notifications created before {Before}.", pruned, before);
        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PruneInterval;
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not prune read notifications; will try again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
