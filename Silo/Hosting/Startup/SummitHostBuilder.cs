using Summit.Data.Files;
using Summit.Data.Planning;
using Summit.Data;
using Summit.Data.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Summit.Grains.Deadlines;
using Summit.Data.Audit;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Hosting.Progress;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Hosting.Notifications;
using Summit.Data.Notifications;
using Summit.Data.Time;
using Summit.Settings;

namespace Summit.Hosting.Startup;

public static class SummitHostBuilder
{
    public const string DemoEnabledKey = SummitHostingOptions.DemoEnabledKey;

    /// <summary>
    /// Adds a Summit silo to a host: schema migration first, then the silo, then demo seeding, plus the
    /// clock and the readiness flag behind <c>/healthz</c>. Demo mode defaults to on only where
    /// <paramref name="demoByDefault"/> says so (the standalone Gateway).
    /// </summary>
    public static IHostApplicationBuilder AddSummitSilo(this IHostApplicationBuilder builder, SiloTopology topology, bool demoByDefault)
    {
        var demo = builder.Configuration.GetValue<bool?>(DemoEnabledKey) ?? demoByDefault;
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.SectionName)
            .ValidateSettings(DemoDataOptions.SectionName).ValidateOnStart();
        builder.Services.PostConfigure<DemoDataOptions>(o => o.Enabled = demo);
        builder.Services.AddSummitClock(builder.Configuration, demo);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton(new DatabasePoolRole(topology == SiloTopology.Standalone ? PoolRole.Standalone : PoolRole.Silo));
        builder.Services.AddSummitJournal(builder.Configuration);
        builder.Services.AddSummitProgress(builder.Configuration);
        builder.Services.AddSummitDeadlines(builder.Configuration);

        builder.Services.AddHostedService<DatabaseStartup>();
        builder.UseOrleans(silo => silo.ConfigureSummitSilo(builder.Configuration, topology));
        builder.Services.AddSummitBaselineStore(builder.Configuration);
        builder.Services.AddHostedService<DemoSeeding>();
        // After the migrations: the webhook dispatcher reads its outbox table.
        builder.Services.AddSummitNotifications(builder.Configuration);
        // After the migrations too: unattached and abandoned uploads are deleted from the file tables.
        builder.Services.AddSummitFiles(builder.Configuration);
        builder.Services.AddHostedService<FilePruning>();
        return builder;
    }
}
