using Summit.Gateway.Hosting;

namespace Summit.Gateway;

/// <summary>
/// A Gateway of a cluster: joins the silos through PostgreSQL membership and serves the API, the live hub and the
/// dashboard. For one process with its own silo (and, without a connection string, its own PostgreSQL), run Standalone/.
/// </summary>
internal static class GatewayProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSummitOrleansClient();
        builder.AddSummitGateway();

        var app = builder.Build();
        app.UseSummitGateway();
        app.Run();
    }
}
