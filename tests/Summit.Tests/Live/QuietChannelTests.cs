using System.Diagnostics;
using Summit.Tests.Api;

namespace Summit.Tests.Live;

/// <summary>
/// Coalescing only in a burst: with a long coalescing interval, a change that comes to a quiet channel still goes out at
/// once, in a batch of its own, while changes made together go out together.
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
    public async Task A_change_on_a_quiet_channel_is_not_held_for_the_interval_but_a_burst_is_coalesced()
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

        // A burst: the changes after the first wait for the interval and go out together.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "publicity", i % 2 == 0 ? "inProgress" : "done", $"burst {i}")));
        foreach (var i in Enumerable.Range(0, 6))
            await leader.WaitForAsync(e => e.Id == id && e.Note == $"burst {i}", timeout: TimeSpan.FromSeconds(15), what: $"burst {i}");
        var burst = leader.Batches.Where(b => b.Events.Any(e => e.Note?.StartsWith("burst ", StringComparison.Ordinal) == true)).ToArray();
        Assert.True(burst.Length < 6, $"6 changes made together came in {burst.Length} batches");
        Assert.Single(leader.Batches, b => b.Events.Any(e => e.Note == "quiet 1"));
    }
}
