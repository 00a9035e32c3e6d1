using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Summit.Data.Audit;
using Summit.Notifications;
using Summit.Settings;

namespace Summit.Data.Notifications;

public static class NotificationStores
{
    /// <summary>
    /// What both sides need (the Gateway's webhook API, the silo's dispatcher): the options and one
    /// <see cref="IWebhookStore"/> in PostgreSQL. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitWebhookStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (services.Any(d => d.ServiceType == typeof(IWebhookStore))) return services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateSettings(WebhookOptions.SectionName).ValidateOnStart();
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IWebhookStore>(sp => new PostgresWebhookStore(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    /// <summary>
    /// The <see cref="INotificationStore"/> both sides read (the inbox grains write it, the Gateway pages it), in
    /// PostgreSQL. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitNotificationStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(INotificationStore))) return services;
        services.AddSummitDataSource(configuration);
        services.AddSingleton<INotificationStore>(sp => new PostgresNotificationStore(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}
