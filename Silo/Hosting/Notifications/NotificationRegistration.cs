using Summit.Data.Comments;
using Summit.Data.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Summit.Data.Audit;
using Summit.Notifications;
using Summit.Settings;

namespace Summit.Hosting.Notifications;

public static class NotificationRegistration
{
    /// <summary>
    /// Silo side: the listener that passes each stored notification on to the Gateways' live push, the webhook store,
    /// the listener that queues a post for each stored notification, the background dispatcher that sends them, the
    /// dispatcher that notifies the units task comments mention, and the pruning of old read notifications.
    /// A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSummitWebhookStore(configuration);
        services.TryAddSingleton<WebhookSignal>();
        services.AddSummitNotificationStore(configuration);
        if (services.Any(d => d.ImplementationType == typeof(WebhookDispatcher))) return services;
        // First: it never waits, so the live push does not queue behind the outbox write.
        services.AddSingleton<INotificationListener, LivePushListener>();
        services.AddSingleton<INotificationListener, WebhookOutboxListener>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddHostedService<WebhookDispatcher>();
        services.AddSummitTaskComments(configuration);
        services.AddHostedService<MentionDispatcher>();
        services.AddOptions<NotificationPruningOptions>().BindConfiguration(NotificationPruningOptions.SectionName)
            .ValidateSettings(NotificationPruningOptions.SectionName).ValidateOnStart();
        services.AddHostedService<NotificationPruning>();
        return services;
    }
}
