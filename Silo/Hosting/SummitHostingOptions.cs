using Microsoft.Extensions.Configuration;

namespace Summit.Hosting;

/// <summary>Configuration section <c>Summit</c>: how a silo or gateway joins the cluster. See the README's table of keys.</summary>
public sealed class SummitHostingOptions
{
    public const string Section = "Summit";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Summit</c>). Without it, state is kept in memory.</summary>
    public const string ConnectionStringName = "Summit";

    public string ClusterId { get; set; } = "summit";
    public string ServiceId { get; set; } = "summit";

    /// <summary>Gateway only: <c>Standalone</c> runs an in-process silo; <c>Client</c> joins silos through PostgreSQL membership.</summary>
    public GatewayHosting Hosting { get; set; } = GatewayHosting.Standalone;

    public SiloEndpointOptions Silo { get; set; } = new();

    public static SummitHostingOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SummitHostingOptions>() ?? new SummitHostingOptions();

    public static string? ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}

public enum GatewayHosting
{
    Standalone,
    Client,
}

/// <summary>Section <c>Summit:Silo</c>: where a clustered silo listens and what it advertises to the others.</summary>
public sealed class SiloEndpointOptions
{
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>A host name or IP the other silos and gateways can reach (a compose service name, say). Default: loopback.</summary>
    public string? AdvertisedHost { get; set; }
}
