using Summit.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Journal;

namespace Summit.Grains.Deadlines;

/// <summary>Section <c>Summit:Deadlines</c> of the silo's configuration.</summary>
public sealed class DeadlineEngineOptions
{
    public const string Section = "Summit:Deadlines";

    /// <summary>
    /// Period of each summit's one durable reminder: the longest a lost timer (a restart, a moved activation) can delay
    /// an announcement. Orleans refuses periods under <c>ReminderOptions.MinimumReminderPeriod</c> (one minute by default).
    /// </summary>
    [Positive]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a task change (or an activation) the engine reconciles, so a burst of changes costs one pass.</summary>
    [NotNegative]
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Announcements passed to the escalation grain per turn; the rest follow at once in later turns.</summary>
    [AtLeast(1)]
    public int DeliveryBatch { get; set; } = 50;

    /// <summary>When the escalation grain refused an announcement, the next attempt comes after this long at the latest.</summary>
    [Positive]
    public TimeSpan DeliveryRetry { get; set; } = TimeSpan.FromMinutes(1);
}

public static class DeadlineRegistration
{
    /// <summary>
    /// Feeds every accepted task and summit change to the summit's <see cref="IDeadlinesGrain"/>, every campaign and
    /// submission change to its <see cref="Summit.Notifications.ICampaignRemindersGrain"/>, and binds
    /// <see cref="DeadlineEngineOptions"/> from <paramref name="configuration"/> when given. A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitDeadlines(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, DeadlineChangeListener>());
        // Campaigns' reminders follow the same stream and settings (Summit.Notifications.CampaignRemindersGrain).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, Notifications.CampaignReminderChangeListener>());
        var options = services.AddOptions<DeadlineEngineOptions>().ValidateSettings(DeadlineEngineOptions.Section).ValidateOnStart();
        if (configuration is not null) options.BindConfiguration(DeadlineEngineOptions.Section);
        return services;
    }
}

/// <summary>Passes accepted changes of tasks and summits to the summit's deadline engine.</summary>
public sealed class DeadlineChangeListener(IGrainFactory grains) : IChangeListener
{
    public Task OnChangedAsync(ChangeRecord change, object entity) => entity switch
    {
        PreparationTask task => grains.GetGrain<IDeadlinesGrain>(task.Summit).TaskChanged(task),
        // A new summit has no tasks yet; its engine starts with the first one.
        SummitEdition summit when change.Version > 1 => grains.GetGrain<IDeadlinesGrain>(summit.Code).SummitChanged(summit),
        _ => Task.CompletedTask,
    };
}
