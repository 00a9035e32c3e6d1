using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Notifications;
using Summit.Progress;
using Summit.Serialization;
using Summit.Tests.Api;
using Summit.Tests.Live;

namespace Summit.Tests.Notifications;

/// <summary>
/// The live <c>notification</c> message on the progress hub: produced by the escalation ladder through the real Gateway,
/// it reaches exactly the connections of the accounts whose <c>GET /api/me/notifications</c> lists it, in that shape.
/// Each "does not receive" is checked after a control notification for that account has arrived on the same connection.
/// </summary>
[Collection(NotificationsGatewayCollection.Name)]
public sealed class NotificationPushTests(NotificationsGatewayFixture gateway)
{
    /// <summary>Room for anything sent before the control to arrive after it.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task The_secretariat_hears_a_secretariat_notification_as_it_is_stored()
    {
        await using var secretariat = await PushClient.ConnectAsync(gateway.Factory, "secretariat");
        await using var leader = await PushClient.ConnectAsync(gateway.Factory, "leader");
        await using var county = await PushClient.ConnectAsync(gateway.Factory, "county-ouhai");

        // A secretariat department's task one day overdue: the owner rung, addressed to the secretariat.
        var task = await gateway.CreateTaskAsync("secretariat:office", "2020-06-09", "秘书处会务手册定稿");
        await gateway.AnnounceOverdueAsync(task);

        var pushed = await secretariat.WaitForAsync(n => AboutTask(n, task), "the secretariat's notification");
        Assert.Equal(("overdue", "owner", "secretariat", false), (pushed["kind"]!.ToString(), pushed["level"]!.ToString(),
            pushed["target"]!["audience"]!.ToString(), (bool)pushed["read"]!));
        Assert.Contains("秘书处会务手册定稿", pushed["text"]!["zh"]!.ToString());
        await AssertListedAsync("secretariat", pushed);

        await NothingAboutAsync(leader, "leader", task);
        await NothingAboutAsync(county, "county-ouhai", task);
        Assert.Single(secretariat.Received, n => AboutTask(n, task));
    }

    [Fact]
    public async Task A_county_notification_reaches_that_county_and_not_another()
    {
        await using var ouhai = await PushClient.ConnectAsync(gateway.Factory, "county-ouhai");
        await using var longgang = await PushClient.ConnectAsync(gateway.Factory, "county-longgang");
        await using var secretariat = await PushClient.ConnectAsync(gateway.Factory, "secretariat");

        var task = await gateway.CreateTaskAsync("county:ouhai", "2020-06-09", "瓯海分会场宣传物料");
        await gateway.AnnounceOverdueAsync(task);

        var pushed = await ouhai.WaitForAsync(n => AboutTask(n, task), "county A's notification");
        Assert.Equal(("unit", "county", "ouhai"), (pushed["target"]!["audience"]!.ToString(),
            pushed["target"]!["unit"]!["kind"]!.ToString(), pushed["target"]!["unit"]!["code"]!.ToString()));
        await AssertListedAsync("county-ouhai", pushed);
        Assert.Empty(await gateway.NotificationsAboutAsync("county-longgang", task));

        await NothingAboutAsync(longgang, "county-longgang", task);
        await NothingAboutAsync(secretariat, "secretariat", task);

        // The other county hears its own.
        var own = await gateway.CreateTaskAsync("county:longgang", "2020-06-09", "龙港分会场布展");
        await gateway.AnnounceOverdueAsync(own);
        await AssertListedAsync("county-longgang", await longgang.WaitForAsync(n => AboutTask(n, own), "county B's own notification"));
        await NothingAboutAsync(ouhai, "county-ouhai", own);
    }

    [Fact]
    public async Task An_account_notification_reaches_only_that_account()
    {
        await using var assignee = await PushClient.ConnectAsync(gateway.Factory, "university-wzu");
        await using var otherUniversity = await PushClient.ConnectAsync(gateway.Factory, "university-wmu");
        await using var owner = await PushClient.ConnectAsync(gateway.Factory, "county-ouhai");
        await using var secretariat = await PushClient.ConnectAsync(gateway.Factory, "secretariat");

        // The owner rung goes to the owning county and, by name, to the assignee's account: one id, two targets.
        var task = await gateway.CreateTaskAsync("county:ouhai", "2020-06-09", "瓯海与温州大学联合路演", assignee: "university-wzu");
        await gateway.AnnounceOverdueAsync(task);

        var pushed = await assignee.WaitForAsync(n => AboutTask(n, task), "the assignee's notification");
        Assert.Equal(("account", "university-wzu"), (pushed["target"]!["audience"]!.ToString(), pushed["target"]!["account"]!.ToString()));
        await AssertListedAsync("university-wzu", pushed);

        var unitCopy = await owner.WaitForAsync(n => AboutTask(n, task), "the owning county's copy");
        Assert.Equal(pushed["id"]!.ToString(), unitCopy["id"]!.ToString());
        Assert.Equal("unit", unitCopy["target"]!["audience"]!.ToString());

        await NothingAboutAsync(otherUniversity, "university-wmu", task);
        await NothingAboutAsync(secretariat, "secretariat", task);
        await ControlAsync(owner, "county-ouhai");
        Assert.DoesNotContain(owner.Received, n => AboutTask(n, task) && n["target"]!["audience"]!.ToString() == "account");
        Assert.Single(assignee.Received, n => AboutTask(n, task));
    }

    private static bool AboutTask(JsonObject notification, string taskId) => notification["taskId"]?.ToString() == taskId;

    /// <summary>The pushed item is exactly the one <c>GET /api/me/notifications</c> lists for the account (still unread).</summary>
    private async Task AssertListedAsync(string account, JsonObject pushed)
    {
        var http = await gateway.As(account);
        var list = await (await http.GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var listed = list["items"]!.AsArray().Single(n => n!["id"]!.ToString() == pushed["id"]!.ToString())!;
        Assert.True(JsonNode.DeepEquals(listed, pushed), $"pushed {pushed.ToJsonString()} but listed {listed.ToJsonString()}");
    }

    private async Task NothingAboutAsync(PushClient client, string account, string taskId)
    {
        await ControlAsync(client, account);
        Assert.DoesNotContain(client.Received, n => AboutTask(n, taskId));
    }

    /// <summary>Stores a notification for the account itself and waits until it arrived on the connection, and a little more.</summary>
    private async Task ControlAsync(PushClient client, string account)
    {
        var id = $"control{Guid.NewGuid():N}";
        var target = NotificationTarget.ForAccount(account);
        await gateway.Grains.GetGrain<INotificationInboxGrain>(NotificationKeys.Inbox(target)).Add([new Notification(
            id, target, gateway.Summit, NotificationKind.DueSoon, null, null, new LocalizedText("对照", "control"), SystemClock.Instance.GetCurrentInstant())]);
        await client.WaitForAsync(n => n["id"]?.ToString() == id, $"the control notification of {account}");
        await Task.Delay(Grace);
    }
}

/// <summary>A .NET SignalR client of the progress hub that only collects the <c>notification</c> messages it is pushed.</summary>
public sealed class PushClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly object _gate = new();
    private readonly List<JsonObject> _received = [];
    private readonly List<(Func<JsonObject, bool> Match, TaskCompletionSource<JsonObject> Found)> _waiters = [];

    private PushClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public IReadOnlyList<JsonObject> Received
    {
        get { lock (_gate) return [.. _received]; }
    }

    /// <summary>Connects as an account over long polling through the factory's in-memory server, once in its groups.</summary>
    public static async Task<PushClient> ConnectAsync(GatewayFactory gateway, string account)
    {
        var token = await LiveClient.TokenAsync(gateway, account);
        var server = gateway.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ProgressHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(o => SummitJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var client = new PushClient(connection);
        connection.On<JsonElement>(NotificationHub.OnNotification, item => client.OnPushed(JsonNode.Parse(item.GetRawText())!.AsObject()));
        await connection.StartAsync();
        // The hub reads calls only after OnConnectedAsync, so once this one answers the connection is in its groups.
        await connection.InvokeAsync(ProgressHub.Unsubscribe, GatewayFactory.Summit);
        return client;
    }

    private void OnPushed(JsonObject notification)
    {
        List<TaskCompletionSource<JsonObject>> found = [];
        lock (_gate)
        {
            _received.Add(notification);
            foreach (var waiter in _waiters.Where(w => w.Match(notification)).ToArray())
            {
                _waiters.Remove(waiter);
                found.Add(waiter.Found);
            }
        }
        foreach (var f in found) f.TrySetResult(notification);
    }

    /// <summary>The first pushed notification that matches, already received or still to come.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        var found = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_received.FirstOrDefault(match) is { } already) return already;
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what} within {Timeout.TotalSeconds} s; received: {string.Join(", ", Received.Select(n => n.ToJsonString()))}");
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
