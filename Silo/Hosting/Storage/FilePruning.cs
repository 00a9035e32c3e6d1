using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Data.Files;

namespace Summit.Hosting.Storage;

/// <summary>
/// Deletes stored files nothing has attached once <see cref="FileStoreOptions.PruneUnattachedAfter"/> has passed since they
/// were stored, and uploads a crash left incomplete after <see cref="IncompleteAfter"/>, with their chunks, and in an S3
/// bucket any chunk objects whose file is gone: an abandoned upload leaves nothing behind. Once at start and then every <see cref="FileStoreOptions.PruneInterval"/> (timed by
/// <see cref="TimeProvider"/>); ages are measured by the database's clock. Every silo runs one; a delete done twice
/// deletes nothing the second time.
/// </summary>
public sealed class FilePruning(IFileStore store, TimeProvider time, IOptions<FileStoreOptions> options, ILogger<FilePruning> logger)
    : BackgroundService
{
    /// <summary>An upload still incomplete after this long was abandoned by a Gateway that stopped (an upload finishes or is deleted by its request).</summary>
    public static readonly TimeSpan IncompleteAfter = TimeSpan.FromHours(1);

    /// <summary>One pass; returns how many files went.</summary>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken = default)
    {
        var pruned = await store.PruneAsync(options.Value.PruneUnattachedAfter, IncompleteAfter, cancellationToken);
        if (pruned > 0) logger.LogInformation("Pruned {Count} unattached or abandoned files.", pruned);
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
                logger.LogWarning(e, "Could not prune unattached files; will try again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
