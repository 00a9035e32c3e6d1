using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Summit.Domain;
using Summit.Progress;
using Summit.Tests.Api;

namespace Summit.Tests.Live;

/// <summary>One standalone Gateway (in-process silo, demo data) for the live tests; a small catch-up log so falling behind is quick.</summary>
public sealed class LiveGatewayFixture : IAsyncLifetime
{
    public const int LogCapacity = 48;

    public GatewayFactory Factory { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Summit:Live:LogCapacity"] = LogCapacity.ToString(),
        ["Summit:Live:BatchMilliseconds"] = "100",
        // Updates a test makes one after another count as a burst, so their coalescing can be seen.
        ["Summit:Live:QuietMilliseconds"] = "1000",
    });

    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task InitializeAsync() => await Factory.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Factory.DisposeAsync();
    }

    public async Task<HttpClient> As(string account)
    {
        if (!_clients.TryGetValue(account, out var client)) _clients[account] = client = await Factory.SignedInAsync(account);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveCollection : ICollectionFixture<LiveGatewayFixture>
{
    public const string Name = "live";
}

[Collection(LiveCollection.Name)]
public sealed class LiveHubTests(LiveGatewayFixture fixture)
{
    private const string Summit = GatewayFactory.Summit;
    private GatewayFactory Gateway => fixture.Factory;

    [Fact]
    public async Task A_county_update_reaches_a_leaders_connection()
    {
        await using var leader = await LiveClient.ConnectAsync(Gateway, "leader", webSockets: true);
        var subscribed = await leader.SubscribeAsync(Summit);
        Assert.Equal(ProgressHub.SummitGroup(Summit), subscribed.Group);
        Assert.NotNull(subscribed.Snapshot);
        Assert.Equal(DashboardScopeKind.Summit, subscribed.Scope.Kind);

        var county = await fixture.As("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", "done", "场地已落实");

        var id = LiveChanges.EntityIdOf("pingyang", subEvent);
        var pushed = await leader.WaitForAsync(e => e.Id == id && e.Note == "场地已落实", what: "checklist event");
        Assert.Contains(pushed.Changes, c => c.Field == $"subEvents.{subEvent}.checklist.venue" && c.To == "Done");
        Assert.Equal(EntityKind.County, pushed.Kind);
        Assert.Equal("county-pingyang", pushed.Account);
        Assert.Equal("pingyang", pushed.Scope.County);
        Assert.True(pushed.Seq > subscribed.Seq);
        Assert.NotNull(pushed.Entity);
        var added = leader.Applied.Single(e => e.Id == id && e.Version == pushed.Version - 1);
        Assert.True(added.Seq < pushed.Seq);
    }

    [Fact]
    public async Task A_county_connection_never_sees_another_county_and_cannot_join_its_group()
    {
        await using var pingyang = await LiveClient.ConnectAsync(Gateway, "county-pingyang");
        var own = await pingyang.SubscribeAsync(Summit);
        Assert.Equal(ProgressHub.CountyGroup(Summit, "pingyang"), own.Group);
        Assert.All(own.Snapshot!.Counties, c => Assert.Equal("pingyang", c.County));
        Assert.Empty(own.Snapshot.SubForums);
        Assert.All(own.Snapshot.Overdue.Items.Concat(own.Snapshot.DueThisWeek.Items), t => Assert.Equal(OwningUnit.County("pingyang"), t.Owner));

        var other = await Assert.ThrowsAsync<HubException>(() => pingyang.SubscribeAsync(Summit, group: ProgressHub.CountyGroup(Summit, "ruian")));
        Assert.Contains("may not join", other.Message);
        await Assert.ThrowsAsync<HubException>(() => pingyang.SubscribeAsync(Summit, group: ProgressHub.SummitGroup(Summit)));
        await Assert.ThrowsAsync<HubException>(() => pingyang.SubscribeAsync(Summit, group: ProgressHub.UniversityGroup(Summit, "wmu")));

        // Ruian's change first, then pingyang's own: once the own one has arrived, the other would have too.
        var ruianEvent = await LiveChanges.AddSubEventAsync(await fixture.As("county-ruian"), "ruian");
        var ownEvent = await LiveChanges.AddSubEventAsync(await fixture.As("county-pingyang"), "pingyang");
        await pingyang.WaitForAsync(e => e.Id == LiveChanges.EntityIdOf("pingyang", ownEvent), what: "own event");
        Assert.DoesNotContain(pingyang.Batches.SelectMany(b => b.Events), e => e.Id == LiveChanges.EntityIdOf("ruian", ruianEvent));
        Assert.All(pingyang.Batches.SelectMany(b => b.Events), e => Assert.True(e.Kind == EntityKind.Summit || e.Scope.County == "pingyang"
            || e.Scope.Owner == OwningUnit.County("pingyang"), $"{e.Kind} {e.Id} leaked to pingyang"));

        // The secretariat may watch a county's group; a leader may too.
        await using var secretariat = await LiveClient.ConnectAsync(Gateway, "secretariat");
        var watched = await secretariat.SubscribeAsync(Summit, group: ProgressHub.CountyGroup(Summit, "ruian"));
        Assert.Equal(DashboardScope.County("ruian"), watched.Scope);
    }

    [Fact]
    public async Task Admins_and_unknown_summits_are_refused()
    {
        await using var admin = await LiveClient.ConnectAsync(Gateway, "admin");
        await Assert.ThrowsAsync<HubException>(() => admin.SubscribeAsync(Summit));
        await using var leader = await LiveClient.ConnectAsync(Gateway, "leader");
        await Assert.ThrowsAsync<HubException>(() => leader.SubscribeAsync("no-such-summit"));
        await Assert.ThrowsAsync<HubException>(() => leader.SubscribeAsync(Summit, group: "elsewhere/summit"));
    }

    [Fact]
    public async Task Catching_up_returns_exactly_the_missed_events()
    {
        var county = await fixture.As("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        await WaitForFeedAsync(LiveChanges.EntityIdOf("pingyang", subEvent));
        long seen;
        await using (var before = await LiveClient.ConnectAsync(Gateway, "leader"))
        {
            await before.SubscribeAsync(Summit);
            seen = before.LastSeq;
        }

        foreach (var item in new[] { "venue", "programme", "guests" })
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, item, "done", $"catch-up {item}");
        // The feed is fed from the committed change stream after the answers: wait until it has numbered the last one.
        await WaitForFeedAsync(LiveChanges.EntityIdOf("pingyang", subEvent), "catch-up guests");

        await using var after = await LiveClient.ConnectAsync(Gateway, "leader");
        var result = await after.SubscribeAsync(Summit, afterSeq: seen);
        Assert.Null(result.Snapshot);
        Assert.NotNull(result.Dashboard);
        // A contiguous run from the last seen number to the newest: nothing missing, nothing repeated.
        var expected = seen;
        foreach (var e in result.Events)
        {
            Assert.Equal(expected, e.PrevSeq);
            expected = e.Seq;
        }
        Assert.Equal(result.Seq, expected);
        var ours = result.Events
            .Where(e => e.Id == LiveChanges.EntityIdOf("pingyang", subEvent) && e.Note?.StartsWith("catch-up ", StringComparison.Ordinal) == true)
            .ToArray();
        Assert.Equal(3, ours.Length);
        Assert.Equal(ours.Select(e => e.Version).Order(), ours.Select(e => e.Version));
        Assert.Equal(result.Events.Count, result.Events.Select(e => e.Seq).Distinct().Count());

        // Asking again from the newest number gives nothing.
        var again = await after.SubscribeAsync(Summit, afterSeq: result.Seq);
        Assert.DoesNotContain(again.Events, e => e.Seq <= result.Seq);
    }

    [Fact]
    public async Task Too_far_behind_gets_a_snapshot_with_its_number()
    {
        var county = await fixture.As("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        await using var leader = await LiveClient.ConnectAsync(Gateway, "leader");
        var first = await leader.SubscribeAsync(Summit);
        var seen = first.Seq;

        for (var i = 0; i < LiveGatewayFixture.LogCapacity + 4; i++)
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "publicity", i % 2 == 0 ? "inProgress" : "done");

        await using var late = await LiveClient.ConnectAsync(Gateway, "leader");
        var result = await late.SubscribeAsync(Summit, afterSeq: seen);
        Assert.NotNull(result.Snapshot);
        Assert.True(result.Snapshot.Seq > seen);
        Assert.True(result.Seq >= result.Snapshot.Seq);
        Assert.All(result.Events, e => Assert.True(e.Seq > result.Snapshot.Seq));
        var row = result.Snapshot.Counties.Single(c => c.County == "pingyang");
        Assert.Contains(row.SubEvents, s => s.Id == subEvent);

        // A number from before the feed's activation is too far behind as well.
        var ancient = await late.SubscribeAsync(Summit, afterSeq: 1);
        Assert.NotNull(ancient.Snapshot);
    }

    [Fact]
    public async Task Updates_are_coalesced_into_fewer_batches()
    {
        var county = await fixture.As("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        await using var leader = await LiveClient.ConnectAsync(Gateway, "leader");
        await leader.SubscribeAsync(Summit);
        var id = LiveChanges.EntityIdOf("pingyang", subEvent);

        const int updates = 12;
        for (var i = 0; i < updates; i++)
            await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "logistics", i % 2 == 0 ? "inProgress" : "done", $"update {i}");
        await leader.WaitForAsync(e => e.Id == id && e.Note == $"update {updates - 1}", what: "last update");

        var batches = leader.Batches.Where(b => b.Events.Any(e => e.Id == id)).ToArray();
        var events = batches.SelectMany(b => b.Events).Where(e => e.Id == id).ToArray();
        Assert.Equal(updates, events.Count(e => e.Note?.StartsWith("update ", StringComparison.Ordinal) == true));
        Assert.True(batches.Length < events.Length, $"{events.Length} events came in {batches.Length} batches");
        Assert.All(batches, b => Assert.Equal(b.Events.Select(e => e.Seq).Order(), b.Events.Select(e => e.Seq)));
    }

    /// <summary>Waits until the feed has numbered a change of <paramref name="entityId"/>.</summary>
    private async Task WaitForFeedAsync(string entityId, string? note = null)
    {
        var feed = Gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IProgressFeedGrain>(Summit);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await feed.Recent(LiveGatewayFixture.LogCapacity)).Events!.Any(e => e.Id == entityId && (note is null || e.Note == note)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The feed never numbered a change of {entityId}.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_hub_refuses_foreign_origins_and_anonymous_callers()
    {
        var token = await LiveClient.TokenAsync(Gateway, "leader");
        using var http = Gateway.CreateClient();

        async Task<HttpStatusCode> NegotiateAsync(string? origin, bool signedIn = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{ProgressHub.Path}/negotiate?negotiateVersion=1");
            if (signedIn) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (origin is not null) request.Headers.Add("Origin", origin);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://localhost.evil.example"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("http://localhost"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("http://localhost:5080"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync(null, signedIn: false));

        // The WebSocket handshake itself.
        var sockets = Gateway.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = r =>
        {
            r.Headers.Origin = "https://evil.example";
            r.Headers.Authorization = $"Bearer {token}";
        };
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => sockets.ConnectAsync(new Uri(Gateway.Server.BaseAddress, ProgressHub.Path), default));
        Assert.Contains("403", refused.Message);

        sockets.ConfigureRequest = r =>
        {
            r.Headers.Origin = "http://localhost";
            r.Headers.Authorization = $"Bearer {token}";
        };
        using var accepted = await sockets.ConnectAsync(new Uri(Gateway.Server.BaseAddress, ProgressHub.Path), default);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, accepted.State);
    }
}
