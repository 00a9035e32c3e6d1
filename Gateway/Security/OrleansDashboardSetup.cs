using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Summit.Data;

namespace Summit.Gateway.Security;

/// <summary>Orleans' built-in operations dashboard, at <see cref="Path"/>, for admins only.</summary>
public static class OrleansDashboardSetup
{
    public const string Path = "/orleans";

    /// <summary>
    /// The dashboard's services: on the in-process silo in standalone mode, on the Orleans client in client
    /// mode (then every silo of the cluster must call <c>AddDashboard()</c> too, since its grains run there).
    /// </summary>
    internal static WebApplicationBuilder AddOrleansDashboardServices(this WebApplicationBuilder builder)
    {
        // The silo configuration may add the dashboard itself (it must in a cluster); adding it twice would run it twice.
        if (builder.Services.Any(d => d.ServiceType == typeof(IConfigureOptions<DashboardOptions>))) return builder;
        if (SummitHostingOptions.From(builder.Configuration).Hosting == GatewayHosting.Standalone)
            builder.UseOrleans(silo => silo.AddDashboard());
        else
            builder.UseOrleansClient(client => client.AddDashboard());
        builder.Services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = (int)ClusterTimings.OrleansDashboardSampling.TotalMilliseconds);
        return builder;
    }

    /// <summary>Maps the dashboard at <c>/orleans</c> (its page is <c>/orleans/</c>), admins only.</summary>
    public static RouteGroupBuilder MapSummitOrleansDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapOrleansDashboard(routePrefix: Path);
        group.RequireAuthorization(SummitPolicies.Admin).ExcludeFromDescription();
        return group;
    }
}
