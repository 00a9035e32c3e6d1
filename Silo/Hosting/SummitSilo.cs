using Summit.Data;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Summit.Deadlines;
using Summit.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Summit.Data.Audit;
using Summit.Hosting.Notifications;
using Summit.Data.Notifications;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Data.Time;
using Summit.Notifications;
using Summit.Journal;
using Summit.Storage;

namespace Summit.Hosting;

public enum SiloTopology
{
    /// <summary>One silo inside the Gateway process, localhost clustering.</summary>
    Standalone,
    /// <summary>Silos and gateways meet through PostgreSQL membership.</summary>
    Cluster,
}

public static class SummitSilo
{
    public const string Invariant = SummitDataSource.AdoNetInvariant;

    /// <summary>
    /// The one silo configuration shared by the Silo program and the standalone host. Everything lives in PostgreSQL.
    /// </summary>
    public static ISiloBuilder ConfigureSummitSilo(this ISiloBuilder silo, IConfiguration configuration, SiloTopology topology)
    {
        var options = SummitHostingOptions.From(configuration);
        var role = topology == SiloTopology.Standalone ? PoolRole.Standalone : PoolRole.Silo;
        // Grain storage, reminders and membership share this string and so one capped pool (README: Connection pools).
        var connectionString = DatabasePoolOptions.From(configuration)
            .OrleansConnectionString(SummitHostingOptions.RequiredConnectionString(configuration), role);

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        if (topology == SiloTopology.Standalone)
        {
            silo.UseLocalhostClustering(options.Silo.SiloPort, options.Silo.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            ConfigureEndpoints(silo, options.Silo);
            // The operations dashboard's grains run on every silo; a client-mode Gateway shows it at /orleans.
            silo.AddDashboard();
            silo.Services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = (int)ClusterTimings.OrleansDashboardSampling.TotalMilliseconds);
        }

        silo.AddSummitStorage(connectionString);
        silo.UseSummitTimings();
        // Database failures inside a grain call reach the caller as StorageUnavailableException (503 at the Gateway).
        silo.AddIncomingGrainCallFilter<StorageFaultFilter>();
        return silo;
    }

    /// <summary>
    /// Grain state (as Summit's JSON), reminders, the entity store with its history and change stream, the deadline
    /// announcements and the notification store: all in PostgreSQL. Stores registered before this call win (tests share
    /// one store between silos that way); otherwise they use the process's one data source. Also the wall clock that
    /// seeds the grains' sequence numbers and revisions, unless one is registered.
    /// </summary>
    public static ISiloBuilder AddSummitStorage(this ISiloBuilder silo, string connectionString)
    {
        var serializer = new JsonGrainStorageSerializer();
        silo.Services.AddWallClock();
        silo.AddIncomingGrainCallFilter<IdempotencyCallFilter>();
        silo.Services.TryAddSingleton(sp => new PostgresEntityStore(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<PostgresEntityStore>>()));
        silo.Services.TryAddSingleton<IAnnouncementStore>(sp => new PostgresAnnouncementStore(sp.GetRequiredService<NpgsqlDataSource>()));
        silo.Services.TryAddSingleton<INotificationStore>(sp => new PostgresNotificationStore(sp.GetRequiredService<NpgsqlDataSource>()));
        silo.Services.TryAddSingleton<IEscalationStore>(sp => new PostgresEscalationStore(sp.GetRequiredService<NpgsqlDataSource>()));
        silo.Services.TryAddSingleton<ICampaignReminderStore>(sp => new PostgresCampaignReminderStore(sp.GetRequiredService<NpgsqlDataSource>()));
        silo.AddAdoNetGrainStorage(StorageNames.Summit, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = serializer;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.Services.TryAddSingleton<IEntityStore>(sp => sp.GetRequiredService<PostgresEntityStore>());
        silo.Services.TryAddSingleton<IIdempotencyLedger>(sp => (IIdempotencyLedger)sp.GetRequiredService<IEntityStore>());
        silo.Services.TryAddSingleton<IEntityQueries>(sp => (IEntityQueries)sp.GetRequiredService<IEntityStore>());
        silo.Services.TryAddSingleton<IChangeStream>(sp => (IChangeStream)sp.GetRequiredService<IEntityStore>());
        return silo;
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, SiloEndpointOptions endpoints)
    {
        var advertised = endpoints.AdvertisedHost switch
        {
            null or "" => IPAddress.Loopback,
            var host when IPAddress.TryParse(host, out var ip) => ip,
            // Containers know each other by service name; advertise the address that name resolves to.
            var host => Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork),
        };
        silo.ConfigureEndpoints(advertised, endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: true);
    }
}
