using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Live;

/// <summary>
/// A Gateway in client mode against a separate silo process: its observer is registered from the Orleans client, and
/// after the silo restarts it registers again and tells its clients to resync.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClientModeLiveTests(PostgresServer server)
{
    [Fact]
    public async Task Events_reach_a_client_mode_gateway_and_survive_a_silo_restart()
    {
        await using var cluster = await ClientModeCluster.StartAsync(server, "livecluster");
        var gateway = cluster.Gateway;
        await using var leader = await LiveClient.ConnectAsync(gateway, "leader");
        await leader.SubscribeAsync(GatewayFactory.Summit);
        using var county = await gateway.SignedInAsync("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", "done", "through the cluster");
        var first = await leader.WaitForAsync(e => e.Note == "through the cluster", TimeSpan.FromSeconds(20), "event through the silo process");

        // The silo goes away and comes back on the same ports; the feed starts afresh on it.
        await cluster.RestartSiloAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var attempt = 0;
        while (!leader.ResyncRequested)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The gateway never asked its clients to resync after the silo restart.");
            try
            {
                await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", attempt++ % 2 == 0 ? "inProgress" : "done", $"after restart {attempt}");
            }
            catch (Exception)
            {
                // The client may still be reconnecting to the new silo.
            }
            await Task.Delay(500);
        }

        var resumed = await leader.SubscribeAsync(GatewayFactory.Summit, afterSeq: leader.LastSeq);
        Assert.NotNull(resumed.Snapshot);
        Assert.True(resumed.Seq > first.Seq);
        await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "guests", "done", "live again");
        var again = await leader.WaitForAsync(e => e.Note == "live again", TimeSpan.FromSeconds(20), "event after the resync");
        Assert.True(again.Seq > first.Seq);
    }
}
