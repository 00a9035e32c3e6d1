using Orleans.Configuration;
using static Summit.Data.ClusterTimings;
using Summit.Data;
using Summit.Data.Audit;
using Summit.Data.Storage;
using Summit.Data.Startup;

namespace Summit.Gateway.Hosting;

public static class OrleansHosting
{
    /// <summary>
    /// Joins the silos of a cluster through PostgreSQL membership; the API sees only <see cref="IGrainFactory"/>.
    /// </summary>
    public static WebApplicationBuilder AddSummitOrleansClient(this WebApplicationBuilder builder)
    {
        var options = SummitHostingOptions.From(builder.Configuration);
        var connectionString = SummitHostingOptions.RequiredConnectionString(builder.Configuration);
        // Settings read elsewhere (demo mode's default, the Orleans dashboard) ask which side of the cluster this is.
        builder.Configuration[$"{SummitHostingOptions.Section}:{nameof(SummitHostingOptions.Hosting)}"] = nameof(GatewayHosting.Client);
        builder.Services.AddSingleton(new DatabasePoolRole(PoolRole.ClientGateway));
        // Only the membership table (the list of silo gateways) is read through this string; its pool is small.
        var membership = DatabasePoolOptions.From(builder.Configuration).OrleansConnectionString(connectionString, PoolRole.ClientGateway);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SummitDataSource.AdoNetInvariant;
                o.ConnectionString = membership;
            });
            // Fast failover: 10 s response timeout, the gateway list re-read every 5 s, a 10 s graceful stop.
            client.UseSummitTimings();
        });
        // The client's hosted service finishes starting only once it is connected, so by the time
        // anything asks, the gateway is ready.
        var readiness = new Readiness();
        builder.Services.AddSingleton(readiness);
        builder.Services.AddHostedService(_ => new ReadyWhenStarted(readiness));
        return builder;
    }

    /// <summary>The client side of <see cref="ClusterTimings"/>.</summary>
    private static IClientBuilder UseSummitTimings(this IClientBuilder client)
    {
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefresh);
        client.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return client;
    }

    private sealed class ReadyWhenStarted(Readiness readiness) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            readiness.MarkReady();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
