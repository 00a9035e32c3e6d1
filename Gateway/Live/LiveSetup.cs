using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Summit.Domain;
using Summit.Gateway.Api;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Progress;
using Summit.Serialization;
using Summit.Settings;

namespace Summit.Gateway.Live;

public static class LiveSetup
{
    /// <summary>
    /// SignalR (JSON in Summit's shape) and this Gateway's observers of the progress feeds and of stored notifications.
    /// SignalR's stateful reconnect is off: the feed's sequence numbers already let a client catch up after any reconnect
    /// (<c>Subscribe</c> with its last <c>seq</c>), while the replay buffer cost up to its size per connection and, with
    /// sends backed up, aborted connections from its own timer ("Concurrent reads or writes are not supported").
    /// Works the same with the in-process silo and as a cluster client. Call after <c>AddSummitOrleans</c>.
    /// </summary>
    public static WebApplicationBuilder AddSummitLive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateSettings(LiveOptions.Section).ValidateOnStart();
        // Read here as well: SignalR's own options are set from them before the host starts (and validates them).
        var live = builder.Configuration.GetSection(LiveOptions.Section).Get<LiveOptions>() ?? new LiveOptions();
        services.AddSignalR(o =>
            {
                // A wall screen on a busy network: ping often, but give up on a silent client only after a long while.
                o.KeepAliveInterval = TimeSpan.FromSeconds(Math.Max(1, live.KeepAliveSeconds));
                o.ClientTimeoutInterval = TimeSpan.FromSeconds(Math.Max(2 * Math.Max(1, live.KeepAliveSeconds), live.ClientTimeoutSeconds));
            })
            .AddJsonProtocol(o => SummitJson.Configure(o.PayloadSerializerOptions));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LiveFanout>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFanout>());
        services.AddSingleton<LiveSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveSessions>());
        services.AddSingleton<NotificationFanout>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationFanout>());
        // As a cluster client, re-register as soon as the connection to the silos is back instead of on the next tick.
        services.AddSingleton<IClusterConnectionStatusObserver>(sp => new ReconnectObserver(sp));
        return builder;
    }

    /// <summary>The hub at <c>/hubs/progress</c> (with the Origin check) and <c>GET /api/summits/{summit}/dashboard</c>.</summary>
    public static WebApplication MapSummitLive(this WebApplication app)
    {
        app.Use(CheckOriginAsync);
        app.MapHub<LiveHub>(ProgressHub.Path).RequireAuthorization();
        app.MapGet("/api/summits/{summit}/dashboard", GetDashboardAsync)
            .RequireAuthorization()
            .AddEndpointFilter<DomainProblemFilter>()
            .WithTags("Dashboard")
            .Describe("GetDashboard", "Reads the live dashboard of a summit.",
                "Everything a dashboard view needs, with the seq of the newest event it reflects. Leaders and the secretariat get the " +
                "summit-wide view (or one county's or university's with ?county= / ?university=); a county or university account gets " +
                "its own unit's view, and asking for another unit's answers 404 like any other entity it may not see.")
            .Produces<DashboardSnapshot>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> GetDashboardAsync(string summit, string? county, string? university, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (county is not null && university is not null)
            throw new Domain.DomainValidationException("county", "give either county or university, not both.");
        var scope = county is not null ? DashboardScope.County(county)
            : university is not null ? DashboardScope.University(university)
            : LiveAccess.DefaultScope(actor);
        if (scope is null || !LiveAccess.MayView(actor, scope))
        {
            var (kind, id) = scope?.Kind == DashboardScopeKind.University ? (Domain.EntityKind.University, scope.Unit!) : (Domain.EntityKind.County, scope?.Unit ?? summit);
            throw new AccessRefusedException(kind, id, visible: false, $"{actor.Account} may not view the dashboard of {scope?.ToString() ?? "this summit"}.");
        }
        var snapshot = LiveAccess.Filter(actor, await grains.GetGrain<IDashboardGrain>(summit).GetSnapshot(scope));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(snapshot);
    }

    /// <summary>
    /// Browsers send <c>Origin</c> on the hub's negotiate and WebSocket requests; one from elsewhere is refused with 403
    /// so another site cannot ride a signed-in user's cookie. Clients that send no Origin (not browsers) pass.
    /// </summary>
    private static async Task CheckOriginAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments(ProgressHub.Path) && http.Request.Headers.Origin is { Count: > 0 } origin
            && !IsAllowedOrigin(origin.ToString(), http.Request, http.RequestServices.GetRequiredService<IOptions<LiveOptions>>().Value))
        {
            http.RecordRefusal($"origin {origin} is not allowed for the progress hub");
            await SecurityProblems.WriteAsync(http, StatusCodes.Status403Forbidden, "Origin not allowed.",
                "This page's origin may not open the progress hub; see Summit:Live:AllowedOrigins.");
            return;
        }
        await next(http);
    }

    public static bool IsAllowedOrigin(string origin, HttpRequest request, LiveOptions options)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var configured = options.Origins().ToArray();
        if (configured.Length > 0) return configured.Any(allowed => SameOrigin(uri, allowed));
        return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || SameOrigin(uri, LiveOptions.DefaultDevelopmentOrigin);
    }

    private static bool SameOrigin(Uri origin, string allowed) =>
        Uri.TryCreate(allowed, UriKind.Absolute, out var expected)
        && string.Equals(origin.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Host, expected.Host, StringComparison.OrdinalIgnoreCase)
        && origin.Port == expected.Port;

    private sealed class ReconnectObserver(IServiceProvider services) : IClusterConnectionStatusObserver
    {
        public void NotifyClusterConnectionLost()
        {
        }

        public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
        {
            if (connectionRecovered || (previousNumberOfGateways == 0 && currentNumberOfGateways > 0))
            {
                _ = services.GetRequiredService<LiveFanout>().RefreshAsync();
                _ = services.GetRequiredService<NotificationFanout>().RefreshAsync();
            }
        }
    }
}
