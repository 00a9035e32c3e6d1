using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Summit.Gateway.Live;
using Summit.Progress;
using Summit.Serialization;
using Summit.Tests.Api;

namespace Summit.Tests.Live;

/// <summary>
/// A Gateway whose leaders' screens include ones that stop reading: every change is pushed at once, outboxes are small
/// and a stalled connection is dropped after a few seconds. Long polling's own idle timeout is pushed out of the way,
/// so only the hub's stall rule can disconnect a client that stops polling.
/// </summary>
public sealed class SlowClientGatewayFixture : IAsyncLifetime
{
    public const int OutboxCapacity = 4;
    // Long enough for the healthy screens' round of changes (each a PostgreSQL commit) to finish first.
    public const int StalledClientSeconds = 30;

    public GatewayFactory Factory { get; } = new(
        settings: new Dictionary<string, string?>
        {
            ["Summit:Live:BatchMilliseconds"] = "0",
            ["Summit:Live:OutboxCapacity"] = OutboxCapacity.ToString(),
            ["Summit:Live:StalledClientSeconds"] = StalledClientSeconds.ToString(),
        },
        services: s => s.Configure<ConnectionOptions>(o => o.DisconnectTimeout = TimeSpan.FromMinutes(10)));

    public async Task InitializeAsync() => await Factory.StartAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class SlowClientTests(SlowClientGatewayFixture fixture) : IClassFixture<SlowClientGatewayFixture>
{
    private const string Summit = GatewayFactory.Summit;
    /// <summary>What the server buffers for a long-polling connection that does not poll (HttpConnectionDispatcherOptions).</summary>
    private const int TransportBuffer = 64 * 1024;
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(3);

    private GatewayFactory Gateway => fixture.Factory;

    [Fact]
    public async Task A_screen_that_stops_reading_delays_no_one_is_told_to_resync_and_is_dropped_when_stalled()
    {
        await using var websocket = await LiveClient.ConnectAsync(Gateway, "leader", webSockets: true);
        await using var polling = await LiveClient.ConnectAsync(Gateway, "leader");
        await websocket.SubscribeAsync(Summit);
        await polling.SubscribeAsync(Summit);
        using var lagging = await ManualClient.ConnectAsync(Gateway, "leader");
        using var stalled = await ManualClient.ConnectAsync(Gateway, "leader");
        await lagging.SubscribeAsync(Summit);
        await stalled.SubscribeAsync(Summit);
        var fanout = Gateway.Services.GetRequiredService<LiveFanout>();
        Assert.Equal(ProgressHub.SummitGroup(Summit), fanout.GroupOf(stalled.ConnectionId, Summit));

        using var county = await Gateway.SignedInAsync("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        var id = LiveChanges.EntityIdOf("pingyang", subEvent);
        var startSeq = (await websocket.WaitForAsync(e => e.Id == id, what: "the new sub-event")).Seq;
        bool IsChange(ProgressEvent e) => e.Id == id && e.Note?.StartsWith("change ", StringComparison.Ordinal) == true;

        // Changes until the two that do not read have far more than their transport buffer and outbox waiting; each
        // must reach both healthy screens within the bound, well before the stalled ones could be disconnected.
        var slowest = TimeSpan.Zero;
        var changes = 0;
        long pushed = 0;
        var counted = 0;
        while (changes < 20 || pushed < 2 * TransportBuffer)
        {
            Assert.True(changes < 400, $"{changes} changes pushed only {pushed} bytes.");
            var note = $"change {changes}";
            var clock = Stopwatch.StartNew();
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "logistics", changes % 2 == 0 ? "inProgress" : "done", note);
            await websocket.WaitForAsync(e => e.Id == id && e.Note == note, DeliveryBound, $"{note} on the WebSocket screen");
            await polling.WaitForAsync(e => e.Id == id && e.Note == note, DeliveryBound, $"{note} on the long-polling screen");
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
            changes++;
            var batches = websocket.Batches;
            for (; counted < batches.Count; counted++)
                pushed += JsonSerializer.SerializeToUtf8Bytes(batches[counted], SummitJson.Options).Length;
        }

        // All of that happened while the connection that reads nothing was still connected and stuck.
        Assert.Equal(ProgressHub.SummitGroup(Summit), fanout.GroupOf(stalled.ConnectionId, Summit));

        // Nothing lost and nothing out of order for the healthy screens: one unbroken chain of seq numbers.
        foreach (var healthy in new[] { websocket, polling })
        {
            Assert.False(healthy.ResyncRequested);
            var applied = healthy.Applied.Where(e => e.Seq >= startSeq).ToArray();
            for (var i = 1; i < applied.Length; i++) Assert.Equal(applied[i - 1].Seq, applied[i].PrevSeq);
            Assert.Equal(Enumerable.Range(0, changes).Select(i => $"change {i}"), applied.Where(IsChange).Select(e => e.Note));
        }

        // The one that reads late finds part of what was sent, then the request to resync instead of the rest.
        var received = new List<ProgressBatch>();
        var resync = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!resync)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No resync request after {received.Count} batches.");
            var messages = await lagging.PollAsync();
            Assert.NotNull(messages);
            foreach (var batch in ManualClient.Batches(messages))
            {
                received.Add(batch);
                resync |= batch.Resync && batch.Summit == Summit;
            }
        }
        var before = received.TakeWhile(b => !b.Resync).SelectMany(b => b.Events).ToArray();
        var seen = before.Where(IsChange).Select(e => e.Note!).ToArray();
        Assert.True(seen.Length < changes, $"The lagging screen got all {changes} changes and was still told to resync.");
        Assert.NotEmpty(before);
        // Its catch-up from the last number it saw brings the rest.
        var caughtUp = await lagging.SubscribeAsync(Summit, before[^1].Seq);
        Assert.Null(caughtUp.Snapshot);
        Assert.Equal(before[^1].Seq, caughtUp.Events[0].PrevSeq);
        Assert.Equal(
            Enumerable.Range(0, changes).Select(i => $"change {i}"),
            seen.Concat(caughtUp.Events.Where(IsChange).Select(e => e.Note!)));

        // The one that never reads is disconnected once no send has completed for the stall timeout.
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(SlowClientGatewayFixture.StalledClientSeconds + 20);
        while (fanout.GroupOf(stalled.ConnectionId, Summit) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stalled connection was never disconnected.");
            await Task.Delay(100);
        }
        // What the server had buffered may still come out; then the connection is closed.
        for (var polls = 0; await stalled.PollAsync() is not null; polls++)
            Assert.True(polls < 50, "The stalled connection is still open.");

        // Healthy screens keep getting changes after all that.
        await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "logistics", changes % 2 == 0 ? "inProgress" : "done", "after");
        await websocket.WaitForAsync(e => e.Id == id && e.Note == "after", DeliveryBound, "the last change");
        await polling.WaitForAsync(e => e.Id == id && e.Note == "after", DeliveryBound, "the last change");
        Assert.True(slowest < DeliveryBound, $"slowest delivery {slowest.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Subscribing_again_on_the_same_connection_leaves_it_in_one_group_once()
    {
        await using var leader = await LiveClient.ConnectAsync(Gateway, "leader");
        await leader.SubscribeAsync(Summit);
        await leader.SubscribeAsync(Summit, afterSeq: leader.LastSeq);
        var result = await leader.SubscribeAsync(Summit, afterSeq: leader.LastSeq);

        using var county = await Gateway.SignedInAsync("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        var id = LiveChanges.EntityIdOf("pingyang", subEvent);
        await leader.WaitForAsync(e => e.Id == id, what: "the new sub-event");
        await Task.Delay(300);
        // One connection, one copy of each batch, however often it subscribed.
        Assert.Single(leader.Batches, b => b.Events.Any(e => e.Id == id));
        Assert.True(leader.LastSeq > result.Seq);
    }
}

/// <summary>
/// A hub client over long polling driven by hand: it handshakes and subscribes like any client, and then reads only
/// when told to, so the server's buffer for it fills up as it would for a screen that stopped reading.
/// </summary>
public sealed class ManualClient : IDisposable
{
    private const char Separator = '\u001e';
    private readonly HttpClient _http;
    private readonly string _token;
    private int _invocations;

    private ManualClient(HttpClient http, string connectionId, string token)
    {
        _http = http;
        ConnectionId = connectionId;
        _token = token;
    }

    public string ConnectionId { get; }

    private string Url => $"{ProgressHub.Path}?id={Uri.EscapeDataString(_token)}";

    public static async Task<ManualClient> ConnectAsync(GatewayFactory gateway, string account)
    {
        var http = await gateway.SignedInAsync(account);
        var negotiated = await http.PostAsync($"{ProgressHub.Path}/negotiate?negotiateVersion=1", null);
        negotiated.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var client = new ManualClient(http, root.GetProperty("connectionId").GetString()!, root.GetProperty("connectionToken").GetString()!);
        // The first poll starts the connection and returns at once.
        await client.PollAsync();
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.PollAsync();
        Assert.NotNull(handshake);
        Assert.Contains("{}", handshake);
        return client;
    }

    /// <summary>Invokes Subscribe and reads until its result has come; batches read meanwhile are dropped.</summary>
    public async Task<SubscribeResult> SubscribeAsync(string summit, long? afterSeq = null)
    {
        var invocation = (++_invocations).ToString();
        await SendAsync(JsonSerializer.Serialize(new
        {
            type = 1,
            invocationId = invocation,
            target = ProgressHub.Subscribe,
            arguments = new object[] { new SubscribeRequest(summit, afterSeq) },
        }, SummitJson.Options));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "No Subscribe result.");
            var messages = await PollAsync();
            Assert.NotNull(messages);
            foreach (var message in messages)
            {
                using var json = JsonDocument.Parse(message);
                var root = json.RootElement;
                if (root.GetProperty("type").GetInt32() == 3 && root.GetProperty("invocationId").GetString() == invocation)
                {
                    Assert.False(root.TryGetProperty("error", out var error), error.ToString());
                    return root.GetProperty("result").Deserialize<SubscribeResult>(SummitJson.Options)!;
                }
            }
        }
    }

    /// <summary>One poll: the messages waiting, or null when the server has closed the connection.</summary>
    public async Task<List<string>?> PollAsync()
    {
        using var response = await _http.GetAsync(Url);
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split(Separator, StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The progress batches among <paramref name="messages"/>.</summary>
    public static IEnumerable<ProgressBatch> Batches(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            using var json = JsonDocument.Parse(message);
            var root = json.RootElement;
            if (root.GetProperty("type").GetInt32() == 1 && root.GetProperty("target").GetString() == ProgressHub.OnProgress)
                yield return root.GetProperty("arguments")[0].Deserialize<ProgressBatch>(SummitJson.Options)!;
        }
    }

    private async Task SendAsync(string message)
    {
        using var content = new StringContent(message + Separator, Encoding.UTF8, "text/plain");
        (await _http.PostAsync(Url, content)).EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        try
        {
            _http.DeleteAsync(Url).Wait(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Already closed.
        }
        _http.Dispose();
    }
}
