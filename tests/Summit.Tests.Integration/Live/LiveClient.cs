using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Summit.Progress;
using Summit.Serialization;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Live;

/// <summary>
/// A .NET SignalR client of the progress hub that follows the contract's client protocol: batches that arrive before a
/// Subscribe result are held, events are applied once by seq, and a resync request is remembered.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<ProgressBatch> _batches = [];
    private readonly List<ProgressEvent> _applied = [];
    private readonly List<ProgressBatch> _held = [];
    private bool _subscribing;

    private LiveClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public long LastSeq { get; private set; }

    public bool ResyncRequested { get; private set; }

    public IReadOnlyList<ProgressBatch> Batches
    {
        get { lock (_gate) return [.. _batches]; }
    }

    public IReadOnlyList<ProgressEvent> Applied
    {
        get { lock (_gate) return [.. _applied]; }
    }

    /// <summary>Connects as a demo account over long polling through the factory's in-memory server.</summary>
    /// <param name="webSockets">WebSockets through the in-memory server (with stateful reconnect) instead of long polling.</param>
    public static async Task<LiveClient> ConnectAsync(GatewayFactory gateway, string account, bool webSockets = false)
    {
        var token = await TokenAsync(gateway, account);
        var server = gateway.Server;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ProgressHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (!webSockets)
                {
                    o.Transports = HttpTransportType.LongPolling;
                    return;
                }
                o.Transports = HttpTransportType.WebSockets;
                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var sockets = server.CreateWebSocketClient();
                    sockets.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {token}";
                    return await sockets.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .AddJsonProtocol(o => SummitJson.Configure(o.PayloadSerializerOptions));
        var connection = builder.Build();
        var client = new LiveClient(connection);
        connection.On<ProgressBatch>(ProgressHub.OnProgress, client.OnBatch);
        await connection.StartAsync();
        return client;
    }

    public static async Task<string> TokenAsync(GatewayFactory gateway, string account)
    {
        using var http = await gateway.SignedInAsync(account);
        return http.DefaultRequestHeaders.Authorization?.Parameter ?? throw new InvalidOperationException("No token.");
    }

    public async Task<SubscribeResult> SubscribeAsync(string summit, long? afterSeq = null, string? group = null)
    {
        lock (_gate) _subscribing = true;
        SubscribeResult result;
        try
        {
            result = await Connection.InvokeAsync<SubscribeResult>(ProgressHub.Subscribe, new SubscribeRequest(summit, afterSeq, group));
        }
        catch
        {
            lock (_gate) _subscribing = false;
            throw;
        }
        lock (_gate)
        {
            ResyncRequested = false;
            if (result.Snapshot is not null) LastSeq = result.Snapshot.Seq;
            foreach (var e in result.Events) Apply(e);
            LastSeq = Math.Max(LastSeq, result.Seq);
            _subscribing = false;
            foreach (var held in _held) Apply(held);
            _held.Clear();
        }
        return result;
    }

    private void OnBatch(ProgressBatch batch)
    {
        lock (_gate)
        {
            _batches.Add(batch);
            if (_subscribing || ResyncRequested) _held.Add(batch);
            else Apply(batch);
        }
    }

    private void Apply(ProgressBatch batch)
    {
        // After a resync request nothing more is applied until the next Subscribe result.
        if (ResyncRequested) return;
        if (batch.Resync)
        {
            ResyncRequested = true;
            return;
        }
        foreach (var e in batch.Events) Apply(e);
    }

    private void Apply(ProgressEvent e)
    {
        if (e.Seq <= LastSeq) return;
        _applied.Add(e);
        LastSeq = e.Seq;
    }

    /// <summary>Waits until an applied event matches; fails after <paramref name="timeout"/>.</summary>
    public async Task<ProgressEvent> WaitForAsync(Func<ProgressEvent, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = Applied.FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No {what ?? "matching event"} within the time limit; applied: {Applied.Count} ({string.Join(", ", Applied.TakeLast(8).Select(a => $"{a.Seq} {a.Note}"))}).");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>Changes made through the HTTP API, as the counties and the secretariat make them.</summary>
public static class LiveChanges
{
    public static string SubEvents(string county) => $"/api/summits/{GatewayFactory.Summit}/counties/{county}/sub-events";

    /// <summary>Adds a sub-event to a county and returns its id.</summary>
    public static async Task<string> AddSubEventAsync(HttpClient http, string county, string? title = null)
    {
        var id = $"live-{Guid.NewGuid():N}"[..16];
        await http.PostAsync(SubEvents(county), new { id, title = title ?? $"Live test {id}", date = "2020-09-20" }).ShouldBe(HttpStatusCode.Created);
        return id;
    }

    public static async Task SetChecklistAsync(HttpClient http, string county, string subEvent, string item, string state, string? note = null) =>
        await http.PatchAsync($"{SubEvents(county)}/{subEvent}", new Dictionary<string, object?>
        {
            ["checklist"] = new Dictionary<string, string> { [item] = state },
            ["note"] = note,
        }).ShouldBe(HttpStatusCode.OK);

    public static string EntityIdOf(string county, string subEvent) => $"{county}/{subEvent}";
}
