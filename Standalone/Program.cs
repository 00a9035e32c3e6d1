using Summit.Data;
using Summit.Gateway.Hosting;
using Summit.Hosting;
using Summit.Hosting.Startup;
using Summit.Settings;
using Summit.Standalone;

try
{
    var builder = WebApplication.CreateBuilder(args);
    if (string.Equals(builder.Configuration["Summit:Hosting"], nameof(GatewayHosting.Client), StringComparison.OrdinalIgnoreCase))
    {
        // The same process as Gateway/, for tests and tools that want one entry point for both modes.
        builder.AddSummitOrleansClient();
    }
    else
    {
        if (!await builder.UsePrivatePostgresIfNeededAsync()) return 1;
        builder.AddSummitSilo(SiloTopology.Standalone, demoByDefault: true);
    }
    builder.AddSummitGateway();

    var app = builder.Build();
    app.UseSummitGateway();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (SettingsRegistration.StopsOwnProcess(typeof(Program), e))
{
    return SettingsRegistration.ReportStartupFailure(e);
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
