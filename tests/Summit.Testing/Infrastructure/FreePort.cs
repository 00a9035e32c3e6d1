using System.Net;
using System.Net.Sockets;

namespace Summit.Tests.Infrastructure;

/// <summary>Test classes run in parallel, so every silo, gateway and server a test starts gets ports of its own.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
