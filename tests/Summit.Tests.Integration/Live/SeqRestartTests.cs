using Summit.Progress;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Live;

/// <summary>Sequence numbers survive a restart of a PostgreSQL-backed standalone Gateway: never reused, never lower.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SeqRestartTests(PostgresServer server)
{
    [Fact]
    public async Task Numbers_are_never_reused_after_a_restart()
    {
        var database = await server.CreateDatabaseAsync("live");
        var seen = new List<long>();
        long before;

        var gateway = new GatewayFactory(database);
        try
        {
            await gateway.StartAsync();
            await using var leader = await LiveClient.ConnectAsync(gateway, "leader");
            var first = await leader.SubscribeAsync(GatewayFactory.Summit);
            using var county = await gateway.SignedInAsync("county-pingyang");
            var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
            for (var i = 0; i < 3; i++)
                await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", i % 2 == 0 ? "done" : "inProgress", $"before {i}");
            await leader.WaitForAsync(e => e.Note == "before 2", what: "last change before the restart");
            seen.Add(first.Seq);
            seen.AddRange(leader.Applied.Select(e => e.Seq));
            before = leader.LastSeq;
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        gateway = new GatewayFactory(database);
        try
        {
            await gateway.StartAsync();
            await using var leader = await LiveClient.ConnectAsync(gateway, "leader");
            // The client last saw `before`; the feed restarted since, so it cannot vouch for what came between.
            var resumed = await leader.SubscribeAsync(GatewayFactory.Summit, afterSeq: before);
            Assert.NotNull(resumed.Snapshot);
            Assert.True(resumed.Seq >= before);

            using var county = await gateway.SignedInAsync("county-pingyang");
            var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", "done", "after restart");
            var next = await leader.WaitForAsync(e => e.Note == "after restart", what: "change after the restart");
            Assert.True(next.Seq > seen.Max(), $"seq {next.Seq} after the restart is not above {seen.Max()} seen before it");
            Assert.All(leader.Applied, e => Assert.True(e.Seq > before));
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
