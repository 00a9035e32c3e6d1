using Orleans.Configuration;
using Summit.Hosting;
using Summit.Hosting.Audit;
using Summit.Hosting.Storage;
using Summit.Hosting.Startup;

namespace Summit.Gateway.Hosting;

public static class OrleansHosting
{
    /// <summary>
    /// Standalone (the default): an in-process silo with demo data. Client: join the silos of a cluster
    /// through PostgreSQL membership. Either way the API sees only <see cref="IGrainFactory"/>.
    /// </summary>
    public static WebApplicationBuilder AddSummitOrleans(this WebApplicationBuilder builder)
    {
        var options = SummitHostingOptions.From(builder.Configuration);
        if (options.Hosting == GatewayHosting.Standalone)
        {
            builder.AddSummitSilo(SiloTopology.Standalone, demoByDefault: true);
            return builder;
        }

        var connectionString = SummitHostingOptions.ConnectionString(builder.Configuration)
            ?? throw new InvalidOperationException(
                $"Summit:Hosting=Client needs ConnectionStrings:{SummitHostingOptions.ConnectionStringName} to find the silos.");
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
                o.Invariant = SummitSilo.Invariant;
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
