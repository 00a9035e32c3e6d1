using System.Diagnostics;
using Summit.Tests.Api;

namespace Summit.Tests.Live;

/// <summary>
/// Coalescing only in a burst: with a long coalescing interval, a change that comes to a quiet channel still goes out at
/// once, in a batch of its own. (That a burst is coalesced is checked by <see cref="LiveHubTests"/>, whose Gateway counts
/// every change within a second of the previous batch as part of a burst.)
/// </summary>
public sealed class QuietChannelTests : IAsyncLifetime
{
    private const string Summit = GatewayFactory.Summit;
    private const int BatchMilliseconds = 3000;

    private readonly GatewayFactory _gateway = new(settings: new Dictionary<string, string?>
    {
        ["Summit:Live:BatchMilliseconds"] = BatchMilliseconds.ToString(),
        ["Summit:Live:QuietMilliseconds"] = "10",
    });

    public async Task InitializeAsync() => await _gateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_change_on_a_quiet_channel_is_not_held_for_the_interval()
    {
        using var county = await _gateway.SignedInAsync("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        var id = LiveChanges.EntityIdOf("pingyang", subEvent);
        await using var leader = await LiveClient.ConnectAsync(_gateway, "leader");
        await leader.SubscribeAsync(Summit);
        // Let the creation's batch go out and the channel fall quiet.
        await Task.Delay(TimeSpan.FromMilliseconds(BatchMilliseconds + 500));

        foreach (var note in new[] { "quiet 1", "quiet 2" })
        {
            var clock = Stopwatch.StartNew();
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", note.EndsWith('1') ? "inProgress" : "done", note);
            await leader.WaitForAsync(e => e.Id == id && e.Note == note, what: note);
            // Well inside the interval: the change was sent as it came, not held for a batch.
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(BatchMilliseconds / 2), $"{note} took {clock.ElapsedMilliseconds} ms");
            await Task.Delay(300);
        }

        Assert.Single(leader.Batches, b => b.Events.Any(e => e.Note == "quiet 1"));
    }
}
