using System.Net;
using Npgsql;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Hosting;

/// <summary>Each process stays within its connection pools, so a deployment fits PostgreSQL's default max_connections.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConnectionBudgetTests(PostgresServer server)
{
    [Fact]
    public void The_documented_deployment_fits_max_connections_with_headroom()
    {
        var pools = new DatabasePoolOptions();
        Assert.Equal(12, pools.MaxConnections(PoolRole.Silo));
        Assert.Equal(10, pools.MaxConnections(PoolRole.ClientGateway));
        Assert.Equal(16, pools.MaxConnections(PoolRole.Standalone));
        // README, Connection pools: 2 silos + 2 client-mode Gateways + a standalone Gateway.
        var deployment = 2 * pools.MaxConnections(PoolRole.Silo) + 2 * pools.MaxConnections(PoolRole.ClientGateway) + pools.MaxConnections(PoolRole.Standalone);
        Assert.Equal(60, deployment);
        Assert.True(deployment <= 100 - 3 - 30, "keep 30 connections of headroom under max_connections minus the superuser reserve");
    }

    [Fact]
    public async Task A_standalone_gateway_under_concurrent_load_stays_within_its_pools()
    {
        var database = await server.CreateDatabaseAsync("budget");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var gateway = new GatewayFactory(database);
        await gateway.StartAsync();
        var clients = await Task.WhenAll(new[] { "secretariat", "leader", "county-pingyang", "county-ouhai" }.Select(gateway.SignedInAsync));
        var tasks = $"/api/summits/{GatewayFactory.Summit}/tasks";

        var peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            await using var admin = new NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync();
            while (!sampling.IsCancellationRequested)
            {
                await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db", admin);
                count.Parameters.AddWithValue("db", name);
                peak = Math.Max(peak, (int)(long)(await count.ExecuteScalarAsync())!);
                await Task.Delay(20);
            }
        });

        var load = Enumerable.Range(0, 200).Select(async i =>
        {
            var client = clients[i % clients.Length];
            var response = i % 4 == 0
                ? await client.PostAsync(tasks, new
                {
                    id = $"load-{i}", title = $"Load {i}", category = "logistics",
                    owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-07",
                })
                : await client.GetAsync(tasks);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable,
                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        });
        await Task.WhenAll(load);
        await sampling.CancelAsync();
        await sampler;

        Assert.InRange(peak, 1, new DatabasePoolOptions().MaxConnections(PoolRole.Standalone));
    }
}
