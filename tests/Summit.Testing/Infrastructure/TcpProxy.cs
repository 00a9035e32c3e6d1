using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// A TCP relay between programs and a server (PostgreSQL) that can break the network the way real networks break:
/// <see cref="DropReplies"/> lets requests through but loses the server's answers (a half-open link, a partition in one
/// direction), and <see cref="SeverAll"/> resets every open connection at once. Unless told otherwise it relays bytes
/// unchanged; a connection whose server cannot be reached is closed at once.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _dropReplies;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host), port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>While true, what the server sends is read and thrown away: requests still reach it and take effect.</summary>
    public bool DropReplies
    {
        get => _dropReplies;
        set => _dropReplies = value;
    }

    /// <summary>Resets every open connection (TCP RST to the client, close to the server).</summary>
    public int SeverAll()
    {
        var count = 0;
        foreach (var link in _links.Keys)
        {
            link.Close(reset: true);
            count++;
        }
        return count;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var link = new Link(client, server);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception)
        {
            link.Close(reset: false);
            return;
        }
        _links[link] = 0;
        try
        {
            await Task.WhenAny(PumpAsync(client, server, replies: false), PumpAsync(server, client, replies: true));
        }
        finally
        {
            link.Close(reset: false);
            _links.TryRemove(link, out _);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool replies)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) return;
                if (replies && _dropReplies) continue;
                for (var sent = 0; sent < read;)
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away, or the link was severed: the other pump ends with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        SeverAll();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class Link(Socket client, Socket server)
    {
        private int _closed;

        public void Close(bool reset)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            // Linger 0: close sends RST, as a broken network path or a dying middlebox would.
            if (reset) client.LingerState = new LingerOption(true, 0);
            client.Close();
            server.Close();
        }
    }
}
