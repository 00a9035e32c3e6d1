using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Summit.Grains.Progress;
using Summit.Journal;
using Summit.Settings;

namespace Summit.Hosting.Progress;

public static class ProgressRegistration
{
    /// <summary>
    /// The live progress feed on the silo side: the change listener that queues every accepted change, the pump that
    /// numbers them through the per-summit feed grain, and the options of section <c>Summit:Live</c>. A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitProgress(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ProgressPump))) return services;
        services.AddOptions<ProgressOptions>().BindConfiguration(ProgressOptions.Section).ValidateSettings(ProgressOptions.Section).ValidateOnStart();
        services.AddSingleton<ProgressPump>();
        services.AddSingleton<IChangeListener, ProgressListener>();
        return services;
    }
}
