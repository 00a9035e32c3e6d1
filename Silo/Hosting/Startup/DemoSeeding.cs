using Summit.Data.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Data.Comments;
using Summit.Data.Planning;
using Summit.Data.Files;

namespace Summit.Hosting.Startup;

/// <summary>Seeds the demo summit once the silo is up (register after <c>UseOrleans</c>), then reports ready.</summary>
public sealed class DemoSeeding(
    IGrainFactory grains,
    IOptions<DemoDataOptions> options,
    IBaselineStore baselines,
    Readiness readiness,
    ITaskCommentStore comments,
    IFileStore files,
    NodaTime.IClock clock,
    ILogger<DemoSeeding> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Enabled)
        {
            var result = await new DemoDataSeeder(logger, comments).SeedAsync(grains, options.Value, stoppingToken);
            logger.LogInformation("Demo data: {Result}", result);
            if (!result.Skipped)
            {
                var moved = await DemoBaseline.ApproveAndMoveAsync(grains, baselines, result.SummitCode, stoppingToken);
                logger.LogInformation("Demo data: plan baseline approved; {Moved} tasks moved since", moved);
                var handedIn = await DemoCampaigns.SeedAsync(grains, files, result.SummitCode, clock, stoppingToken);
                logger.LogInformation("Demo data: notices published; {Submissions} submissions written", handedIn);
            }
        }
        readiness.MarkReady();
    }
}
