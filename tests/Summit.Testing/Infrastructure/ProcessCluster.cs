using System.Text;
using Npgsql;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// The documented cluster as real OS processes on one database: <c>Summit.Silo</c> processes (the first seeds the demo
/// summit once) and client-mode <c>Summit.Gateway</c> processes sharing a signing key, so a token from one Gateway is
/// good on the other. Silos can be killed (SIGKILL), stopped (SIGTERM) and started again on the same ports.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>Shared by every Gateway of the cluster (README: Summit__Auth__SigningKey).</summary>
    public const string SigningKey = "process-cluster-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, string?>[] _siloSettings;
    private readonly ProcessHost?[] _silos;
    private readonly ProcessHost[] _gateways;

    private ProcessCluster(string connectionString, string clusterId, Dictionary<string, string?>[] siloSettings, ProcessHost?[] silos, ProcessHost[] gateways)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
        _siloSettings = siloSettings;
        _silos = silos;
        _gateways = gateways;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public IReadOnlyList<ProcessHost> Gateways => _gateways;

    public int SiloCount => _silos.Length;

    public bool IsSiloRunning(int index) => _silos[index] is { HasExited: false };

    /// <summary>Starts the silos, then the Gateways; returns once every process answers <c>/healthz</c>.</summary>
    /// <param name="siloConnectionString">How the silos reach the database, if not as the Gateways do (e.g. through a <see cref="TcpProxy"/>).</param>
    public static async Task<ProcessCluster> StartAsync(string connectionString, int silos = 2, int gateways = 2, int demoTasks = 60, string? siloConnectionString = null)
    {
        var clusterId = $"c{Guid.NewGuid():N}"[..12];
        var siloSettings = Enumerable.Range(0, silos).Select(i => new Dictionary<string, string?>
        {
            ["ConnectionStrings__Summit"] = siloConnectionString ?? connectionString,
            ["Summit__ClusterId"] = clusterId,
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
            // Seeded once, by the first silo.
            ["Summit__Demo__Enabled"] = i == 0 ? "true" : "false",
            ["Summit__Demo__Tasks"] = demoTasks.ToString(),
        }).ToArray();
        var siloHosts = new ProcessHost?[silos];
        var gatewayHosts = new List<ProcessHost>();
        try
        {
            // The first silo migrates the schema and seeds the demo summit; the others and the Gateways start together.
            siloHosts[0] = ProcessHost.Silo(siloSettings[0]);
            await siloHosts[0]!.WaitHealthyAsync(StartTimeout);
            siloSettings[0]["Summit__Demo__Enabled"] = "false";
            for (var i = 1; i < silos; i++) siloHosts[i] = ProcessHost.Silo(siloSettings[i]);
            for (var i = 0; i < gateways; i++)
                gatewayHosts.Add(ProcessHost.Gateway(new Dictionary<string, string?>
                {
                    ["ConnectionStrings__Summit"] = connectionString,
                    ["Summit__ClusterId"] = clusterId,
                    ["Summit__Hosting"] = "Client",
                    ["Summit__Demo__Enabled"] = "true",
                    ["Summit__Auth__SigningKey"] = SigningKey,
                    // The load comes from a handful of accounts; per-account write limits would answer it 429.
                    ["Summit__RateLimits__WritesPerUser"] = "0",
                }));
            await Task.WhenAll(siloHosts.Skip(1).Select(s => s!.WaitHealthyAsync(StartTimeout)).Concat(gatewayHosts.Select(g => g.WaitHealthyAsync(StartTimeout))));
            return new ProcessCluster(connectionString, clusterId, siloSettings, siloHosts, [.. gatewayHosts]);
        }
        catch
        {
            foreach (var gateway in gatewayHosts) await gateway.DisposeAsync();
            foreach (var silo in siloHosts) if (silo is not null) await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: the silo dies without leaving the cluster; the others must find out and take over its grains.</summary>
    /// <returns>The killed silo's generation in the membership table, for <see cref="WaitDeclaredDeadAsync"/>.</returns>
    public async Task<long> KillSiloAsync(int index)
    {
        var generation = await ActiveGenerationAsync(index);
        if (_silos[index] is { } silo) await silo.KillAsync();
        return generation;
    }

    /// <summary>Waits until the membership table says the silo of that generation is dead; false on timeout.</summary>
    public async Task<bool> WaitDeclaredDeadAsync(int index, long generation, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = new NpgsqlConnection(ConnectionString);
            await db.OpenAsync();
            // Orleans' SiloStatus.Dead is 6.
            await using var query = new NpgsqlCommand(
                "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND port = @port AND generation = @generation AND status = 6", db);
            query.Parameters.AddWithValue("cluster", ClusterId);
            query.Parameters.AddWithValue("port", int.Parse(_siloSettings[index]["Summit__Silo__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture));
            query.Parameters.AddWithValue("generation", (int)generation);
            if ((long)(await query.ExecuteScalarAsync())! > 0) return true;
            await Task.Delay(200);
        }
        return false;
    }

    private async Task<long> ActiveGenerationAsync(int index)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT max(generation) FROM orleansmembershiptable WHERE deploymentid = @cluster AND port = @port AND status = 3", db);
        query.Parameters.AddWithValue("cluster", ClusterId);
        query.Parameters.AddWithValue("port", int.Parse(_siloSettings[index]["Summit__Silo__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SIGTERM: the silo hands its grains off and leaves the cluster within its shutdown timeout.</summary>
    public Task StopSiloAsync(int index) => _silos[index]?.StopAsync() ?? Task.CompletedTask;

    /// <summary>Starts a stopped or killed silo again on its ports; returns how long it took to be healthy.</summary>
    public async Task<TimeSpan> StartSiloAsync(int index)
    {
        if (_silos[index] is { } old)
        {
            await old.StopAsync();
            await old.DisposeAsync();
        }
        _silos[index] = ProcessHost.Silo(_siloSettings[index]);
        return await _silos[index]!.WaitHealthyAsync(StartTimeout);
    }

    /// <summary>Silos marked Active in the membership table.</summary>
    public async Task<long> ActiveSilosAsync()
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        // Orleans' SiloStatus.Active is 3.
        await using var query = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = 3", db);
        query.Parameters.AddWithValue("cluster", ClusterId);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>The end of every process's output, for a failure message.</summary>
    public string LogTails(int lines = 40)
    {
        var text = new StringBuilder();
        for (var i = 0; i < _silos.Length; i++)
            text.AppendLine($"--- silo {i} ---").AppendLine(_silos[i]?.LogTail(lines) ?? "(not running)");
        for (var i = 0; i < _gateways.Length; i++)
            text.AppendLine($"--- gateway {i} ---").AppendLine(_gateways[i].LogTail(lines));
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Gateways first, so they do not spend the silos' shutdown reconnecting.
        await Task.WhenAll(_gateways.Select(g => g.DisposeAsync().AsTask()));
        await Task.WhenAll(_silos.Where(s => s is not null).Select(s => s!.DisposeAsync().AsTask()));
    }
}
