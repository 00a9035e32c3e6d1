using Microsoft.Extensions.Options;
using Summit.Data.Startup;
using Summit.Gateway.Accounts;
using Summit.Gateway.Api;
using Summit.Gateway.Idempotency;
using Summit.Gateway.Live;
using Summit.Gateway.Security;
using Summit.Serialization;

namespace Summit.Gateway.Hosting;

/// <summary>
/// The Gateway's part of a process: the API, security, live push and the dashboard. The process chooses how it reaches
/// the grains first: this project's own program joins a cluster as a client (<see cref="OrleansHosting.AddSummitOrleansClient"/>);
/// the standalone host (<c>Standalone/</c>) runs a silo in the same process.
/// </summary>
public static class GatewayApp
{
    public static WebApplicationBuilder AddSummitGateway(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => SummitJson.Configure(o.SerializerOptions));
        builder.AddSummitSecurity();
        builder.AddSummitApi();
        builder.AddSummitLive();
        builder.AddSummitNotificationsApi();
        builder.Services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://localhost:5080");
        return builder;
    }

    public static WebApplication UseSummitGateway(this WebApplication app)
    {
        // Every section's settings are checked before anything below reads one, so all wrong settings are named together.
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.UseSummitProblems();
        app.UseRequestBodyLimit();
        app.UseSummitSecurity();
        app.UseRequestFormat();
        app.UseSummitIdempotency();

        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapSummitOpenApi();
        app.MapAuthApi();
        app.MapAccountsApi();
        app.MapAuditApi();
        app.MapSummitOrleansDashboard();
        app.MapSummitApi();
        app.MapCalendarFeedFiles();
        app.MapSummitLive();
        app.MapSummitNotificationsApi();
        app.UseDashboard();
        return app;
    }
}
