using Summit.Gateway.Hosting;
using Summit.Settings;

namespace Summit.Gateway;

/// <summary>
/// A Gateway of a cluster: joins the silos through PostgreSQL membership and serves the API, the live hub and the
/// dashboard. For one process with its own silo (and, without a connection string, its own PostgreSQL), run Standalone/.
/// </summary>
internal static class GatewayProgram
{
    public static int Main(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.AddSummitOrleansClient();
            builder.AddSummitGateway();

            var app = builder.Build();
            app.UseSummitGateway();
            app.Run();
            return 0;
        }
        catch (Exception e) when (SettingsRegistration.StopsOwnProcess(typeof(GatewayProgram), e))
        {
            return SettingsRegistration.ReportStartupFailure(e);
        }
    }
}
