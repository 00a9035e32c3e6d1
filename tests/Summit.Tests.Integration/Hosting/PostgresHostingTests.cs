using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using Summit.Domain;
using Summit.Grains;
using Summit.Hosting;
using Summit.Data;
using Summit.Hosting.Startup;
using Summit.Data.Startup;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Hosting;

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostingTests(PostgresServer postgres)
{
    private static readonly Actor Secretariat = new("secretariat", Role.Secretariat);

    [Fact]
    public async Task Grain_state_survives_a_full_silo_stop_and_start()
    {
        var connectionString = await postgres.CreateDatabaseAsync("restart");
        var summit = "wyss-restart";

        using (var first = await StartSiloAsync(connectionString))
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<ISummitGrain>(summit).Create(ClusterFixture.Draft(), Secretariat);
            var task = grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, "t-1"));
            await task.Create(new TaskDraft("编制峰会总体方案", TaskCategory.Plan, OwningUnit.Department("office"), new Deadline(new LocalDate(2020, 6, 30))), Secretariat);
            var changed = await task.Change(new TaskChange(Status: WorkStatus.InProgress, PercentComplete: 40, Note: "初稿完成"), Secretariat);
            Assert.Equal(2, changed.Version);
            await first.StopAsync();
        }

        using var second = await StartSiloAsync(connectionString);
        var again = second.Services.GetRequiredService<IGrainFactory>();
        var stored = await again.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, "t-1")).Get();
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Version);
        Assert.Equal(WorkStatus.InProgress, stored.Status);
        Assert.Equal(40, stored.PercentComplete);
        var history = await again.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, "t-1")).GetHistory();
        Assert.Equal("初稿完成", history[^1].Note);
        Assert.Equal(["t-1"], await Catalog.ListAsync(again, summit, EntityKind.Task));
        Assert.Contains(summit, await Catalog.ListSummitsAsync(again));

        // The entity is stored as readable JSON in Summit's shape, with no .NET type names, and its history as rows.
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT state::text FROM summit_entity WHERE kind = 'task'", db);
        var json = (string)(await query.ExecuteScalarAsync())!;
        Assert.Contains("\"status\": \"inProgress\"", json);
        Assert.DoesNotContain("history", json);
        Assert.DoesNotContain("$type", json);
        await second.StopAsync();
    }

    [Fact]
    public async Task Two_silo_processes_form_one_cluster_that_a_gateway_serves()
    {
        var connectionString = await postgres.CreateDatabaseAsync("cluster");
        var cluster = $"c{Guid.NewGuid():N}"[..12];
        Dictionary<string, string?> Silo(bool demo) => new()
        {
            ["ConnectionStrings__Summit"] = connectionString,
            ["Summit__ClusterId"] = cluster,
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
            ["Summit__Demo__Enabled"] = demo ? "true" : "false",
            ["Summit__Demo__Tasks"] = "30",
        };

        await using var silo1 = ProcessHost.Silo(Silo(demo: true));
        await silo1.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await using var silo2 = ProcessHost.Silo(Silo(demo: false));
        await silo2.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await using var gateway = ProcessHost.Gateway(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Summit"] = connectionString,
            ["Summit__ClusterId"] = cluster,
            ["Summit__Hosting"] = "Client",
            ["Summit__Demo__Enabled"] = "true",
        });
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(2, await ActiveSilosAsync(connectionString, cluster));

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        await http.AsAsync("secretariat");
        var tasks = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/tasks?limit=100");
        Assert.Equal(30, tasks.GetProperty("total").GetInt32());

        // A silo that leaves gracefully is marked dead; the cluster goes on serving through the other.
        await silo1.StopAsync();
        Assert.Equal(1, await ActiveSilosAsync(connectionString, cluster));
        var again = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/counties");
        Assert.Equal(12, again.GetProperty("total").GetInt32());
    }

    private static async Task<long> ActiveSilosAsync(string connectionString, string cluster)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        // Orleans' SiloStatus.Active is 3.
        await using var query = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = 3", db);
        query.Parameters.AddWithValue("cluster", cluster);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    private static async Task<IHost> StartSiloAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Summit"] = connectionString,
            ["Summit:Silo:SiloPort"] = FreePort.Next().ToString(),
            ["Summit:Silo:GatewayPort"] = FreePort.Next().ToString(),
            [SummitHostBuilder.DemoEnabledKey] = "false",
        });
        builder.AddSummitSilo(SiloTopology.Standalone, demoByDefault: false);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
