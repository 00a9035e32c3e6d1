using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Summit.Hosting.Audit;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

public static class NotificationRegistration
{
    /// <summary>
    /// Silo side: the listener that passes each stored notification on to the Gateways' live push, the webhook store,
    /// the listener that queues a post for each stored notification, and the background dispatcher that sends them.
    /// A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSummitWebhookStore(configuration);
        services.AddSummitNotificationStore(configuration);
        if (services.Any(d => d.ImplementationType == typeof(WebhookDispatcher))) return services;
        // First: it never waits, so the live push does not queue behind the outbox write.
        services.AddSingleton<INotificationListener, LivePushListener>();
        services.AddSingleton<INotificationListener, WebhookOutboxListener>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>
    /// What both sides need (the Gateway's webhook API, the silo's dispatcher): the options and one
    /// <see cref="IWebhookStore"/>, PostgreSQL when <c>ConnectionStrings:Summit</c> is set, else memory shared by a
    /// standalone Gateway and its in-process silo. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitWebhookStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSignal>();
        if (services.Any(d => d.ServiceType == typeof(IWebhookStore))) return services;
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.SectionName));
        if (services.AddSummitDataSource(configuration))
            services.AddSingleton<IWebhookStore>(sp => new PostgresWebhookStore(sp.GetRequiredService<NpgsqlDataSource>()));
        else
            services.AddSingleton<IWebhookStore, MemoryWebhookStore>();
        return services;
    }

    /// <summary>
    /// The <see cref="INotificationStore"/> both sides read (the inbox grains write it, the Gateway pages it):
    /// PostgreSQL when <c>ConnectionStrings:Summit</c> is set, else memory shared by a standalone Gateway and its
    /// in-process silo. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitNotificationStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(INotificationStore))) return services;
        if (services.AddSummitDataSource(configuration))
            services.AddSingleton<INotificationStore>(sp => new PostgresNotificationStore(sp.GetRequiredService<NpgsqlDataSource>()));
        else
            services.AddSingleton<INotificationStore, MemoryNotificationStore>();
        return services;
    }
}
