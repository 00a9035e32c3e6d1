using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Summit.Settings;

namespace Summit.Data;

/// <summary>Configuration section <c>Summit</c>: how a silo or gateway joins the cluster. See the README's table of keys.</summary>
public sealed class SummitHostingOptions : IValidatableObject
{
    public const string Section = "Summit";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Summit</c>): PostgreSQL, the only store. The standalone
    /// host starts a private PostgreSQL of its own and sets it when none is given.</summary>
    public const string ConnectionStringName = "Summit";

    /// <summary>Demo mode: demo data, demo accounts and the demo clock. Default on for the standalone host, off elsewhere.</summary>
    public const string DemoEnabledKey = "Summit:Demo:Enabled";

    [NotBlank]
    public string ClusterId { get; set; } = "summit";
    [NotBlank]
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

    /// <summary>The connection string, or a start-up error naming the setting: every process needs PostgreSQL.</summary>
    public static string RequiredConnectionString(IConfiguration configuration) =>
        ConnectionString(configuration) ?? throw new InvalidOperationException(
            $"Summit keeps everything in PostgreSQL: set ConnectionStrings:{ConnectionStringName} " +
            $"(environment variable ConnectionStrings__{ConnectionStringName}), or run the standalone host " +
            "(dotnet run --project Standalone), which starts a private PostgreSQL of its own.");

    /// <summary>The silo's ports, named under <c>Silo:</c>.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        new[] { (nameof(SiloEndpointOptions.SiloPort), Silo.SiloPort), (nameof(SiloEndpointOptions.GatewayPort), Silo.GatewayPort) }
            .Where(port => port.Item2 is < 1 or > 65535)
            .Select(port => new ValidationResult($"must be a port between 1 and 65535 (got {port.Item2})", [$"{nameof(Silo)}:{port.Item1}"]));
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
