using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Summit.Bench.Load;

/// <summary>
/// A dashboard that stops reading: it opens the hub over a raw WebSocket with a 4 KiB socket receive buffer (no
/// autotuning), completes the SignalR handshake, subscribes, and then never reads again nor pings, so the server's sends
/// to it back up as they would to a frozen tab on a bad network.
/// </summary>
public sealed class StalledClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;

    private StalledClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public DateTimeOffset ConnectedAt { get; private set; }

    public static async Task<StalledClient> ConnectAsync(Uri baseAddress, string accessToken, string summit, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var ws = new ClientWebSocket();
        var uri = new UriBuilder(baseAddress)
        {
            Scheme = baseAddress.Scheme == "https" ? "wss" : "ws",
            Path = "/hubs/progress",
            Query = "access_token=" + Uri.EscapeDataString(accessToken),
        }.Uri;
        await ws.ConnectAsync(uri, invoker, ct);
        var client = new StalledClient(ws, invoker) { ConnectedAt = DateTimeOffset.UtcNow };
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e", ct);
        await client.SendAsync($"{{\"type\":1,\"invocationId\":\"0\",\"target\":\"Subscribe\",\"arguments\":[{{\"summit\":\"{summit}\",\"afterSeq\":null}}]}}\u001e", ct);
        return client;
    }

    private Task SendAsync(string text, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    /// <summary>Reads what is waiting, for at most <paramref name="limit"/>: whether the server closed the connection, and the bytes that were queued.</summary>
    public async Task<(bool ClosedByServer, long BytesQueued, string? CloseReason)> DrainAsync(TimeSpan limit)
    {
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                // Quiet for 2 s: nothing more is coming.
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                quiet.CancelAfter(TimeSpan.FromSeconds(2));
                var received = await _socket.ReceiveAsync(buffer, quiet.Token);
                if (received.MessageType == WebSocketMessageType.Close) return (true, bytes, _socket.CloseStatusDescription ?? _socket.CloseStatus?.ToString());
                bytes += received.Count;
            }
        }
        catch (OperationCanceledException)
        {
            return (_socket.State is WebSocketState.Aborted or WebSocketState.Closed or WebSocketState.CloseReceived, bytes, null);
        }
        catch (WebSocketException ex)
        {
            // The server reset or dropped the connection.
            return (true, bytes, ex.WebSocketErrorCode.ToString());
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
