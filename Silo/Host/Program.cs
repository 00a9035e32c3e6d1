using Summit.Hosting;
using Summit.Data;
using Summit.Hosting.Startup;
using Summit.Data.Startup;
using Summit.Settings;

// A clustered silo: grains live here; Gateways reach it through PostgreSQL membership.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddSummitSilo(SiloTopology.Cluster, demoByDefault: false);
    builder.Services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
    if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://localhost:5090");

    var app = builder.Build();
    app.MapHealthChecks("/healthz");
    app.Run();
    return 0;
}
catch (Exception e) when (SettingsRegistration.StopsOwnProcess(typeof(Program), e))
{
    return SettingsRegistration.ReportStartupFailure(e);
}
