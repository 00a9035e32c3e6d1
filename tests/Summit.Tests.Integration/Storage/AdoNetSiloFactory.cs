using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// Builds in-process silos and clients on the Orleans ADO.NET providers (invariant Npgsql):
/// clustering, two grain storages and reminders, all on one migrated database.
/// </summary>
public sealed class AdoNetSiloFactory(string connectionString)
{
    public const string Invariant = "Npgsql";

    // A session time zone far from UTC (and not a whole hour off) makes any timestamp that is
    // converted through local time show up as a wrong value in the tests.
    public string ConnectionString { get; } =
        new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "Asia/Kathmandu" }.ConnectionString;
    public string ClusterId { get; } = "cluster-" + Guid.NewGuid().ToString("N")[..8];
    public string ServiceId { get; } = "service-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts a silo; <see cref="StopAsync"/> shuts it down completely.</summary>
    public async Task<IHost> StartSiloAsync()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = ClusterId;
                        o.ServiceId = ServiceId;
                    })
                    .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
                    .UseAdoNetClustering(o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = ConnectionString;
                    })
                    .AddAdoNetGrainStorage(StorageProviders.Default, o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = ConnectionString;
                    })
                    .AddAdoNetGrainStorage(StorageProviders.DeleteOnClear, o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = ConnectionString;
                        o.DeleteStateOnClear = true;
                    })
                    .UseAdoNetReminderService(o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = ConnectionString;
                    })
                    // Orleans rejects periods under a minute by default; tests need ticks within seconds.
                    .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
            })
            .Build();

        await host.StartAsync();
        return host;
    }

    /// <summary>Starts an external client that finds the silos' gateways through the membership table.</summary>
    public async Task<IHost> StartClientAsync()
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = ConnectionString;
                }))
            .Build();

        await host.StartAsync();
        return host;
    }

    /// <summary>Graceful shutdown (the silo leaves the membership table as Dead), then disposal.</summary>
    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    public static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
