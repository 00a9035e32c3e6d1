using Summit.Tests.Api;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// A real <c>Summit.Silo</c> process on a private database (demo data on) and a client-mode Gateway in this process
/// that joins it; the silo can be restarted on the same ports while the Gateway keeps running.
/// </summary>
public sealed class ClientModeCluster : IAsyncDisposable
{
    private static readonly TimeSpan SiloStart = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string?> _silo;
    private ProcessHost _process;

    private ClientModeCluster(Dictionary<string, string?> silo, ProcessHost process, GatewayFactory gateway)
    {
        _silo = silo;
        _process = process;
        Gateway = gateway;
    }

    public GatewayFactory Gateway { get; }

    public static async Task<ClientModeCluster> StartAsync(PostgresServer server, string databaseName)
    {
        var database = await server.CreateDatabaseAsync(databaseName);
        var cluster = $"c{Guid.NewGuid():N}"[..12];
        var silo = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Summit"] = database,
            ["Summit__ClusterId"] = cluster,
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
            ["Summit__Demo__Enabled"] = "true",
            ["Summit__Demo__Tasks"] = "30",
        };
        var process = ProcessHost.Silo(silo);
        GatewayFactory? gateway = null;
        try
        {
            await process.WaitHealthyAsync(SiloStart);
            gateway = new GatewayFactory(database, new Dictionary<string, string?>
            {
                ["Summit:Hosting"] = "Client",
                ["Summit:ClusterId"] = cluster,
                ["Summit:Demo:Enabled"] = "true",
                ["Summit:Live:ObserverRefreshSeconds"] = "1",
            });
            await gateway.StartAsync();
            return new ClientModeCluster(silo, process, gateway);
        }
        catch
        {
            if (gateway is not null) await gateway.DisposeAsync();
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the silo and starts a new one on the same ports; the grains activate afresh on it.</summary>
    public async Task RestartSiloAsync()
    {
        await _process.StopAsync();
        await _process.DisposeAsync();
        _process = ProcessHost.Silo(_silo);
        await _process.WaitHealthyAsync(SiloStart);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await _process.DisposeAsync();
    }
}
