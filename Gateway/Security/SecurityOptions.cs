using Summit.Settings;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Summit.Data;
using Summit.Data.Startup;

namespace Summit.Gateway.Security;

/// <summary>Section <c>Summit:Auth</c>: bearer tokens and sign-in cookies.</summary>
public sealed class SummitAuthOptions
{
    public const string Section = "Summit:Auth";
    public const int MinSigningKeyBytes = 32;

    /// <summary>
    /// HMAC-SHA256 key of the bearer tokens, at least 32 bytes of UTF-8; every Gateway of a deployment
    /// shares it. Required outside demo mode; in demo mode a random one is made per process.
    /// </summary>
    public string? SigningKey { get; set; }

    [NotBlank]

    public string Issuer { get; set; } = "summit";
    [NotBlank]
    public string Audience { get; set; } = "summit";

    /// <summary>How long a bearer token from <c>POST /api/auth/token</c> is valid.</summary>
    [Positive]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a sign-in cookie lives without use (sliding).</summary>
    [Positive]
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a Gateway trusts what it read about an account (enabled, security stamp) before reading it again: the
    /// longest a disable or password reset made through another Gateway takes to reach this one. Changes made through
    /// this Gateway apply at once.
    /// </summary>
    [NotNegative]
    public TimeSpan SessionCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public static SummitAuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SummitAuthOptions>() ?? new SummitAuthOptions();
}

/// <summary>
/// The signing key's rule, which depends on demo mode: outside it the key is required and at least
/// <see cref="SummitAuthOptions.MinSigningKeyBytes"/> bytes; in demo mode it may be left out (a random one is made),
/// but one that is given must still be long enough.
/// </summary>
public sealed class SigningKeyValidator(IConfiguration configuration) : IValidateOptions<SummitAuthOptions>
{
    private const string Key = SummitAuthOptions.Section + ":" + nameof(SummitAuthOptions.SigningKey);

    public ValidateOptionsResult Validate(string? name, SummitAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
            return SecurityMode.IsDemo(configuration)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{Key} (environment variable Summit__Auth__SigningKey) is required outside demo mode: a random secret of at least " +
                    $"{SummitAuthOptions.MinSigningKeyBytes} characters shared by every Gateway, e.g. the output of `openssl rand -base64 48`.");
        var bytes = Encoding.UTF8.GetByteCount(options.SigningKey);
        return bytes < SummitAuthOptions.MinSigningKeyBytes
            ? ValidateOptionsResult.Fail($"{Key} must be at least {SummitAuthOptions.MinSigningKeyBytes} bytes of UTF-8 for HMAC-SHA256 (got {bytes}).")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>Section <c>Summit:RateLimits</c>. A limit of 0 switches that limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Summit:RateLimits";

    /// <summary>Sign-in attempts (token or cookie, right or wrong) per username per <see cref="Window"/>.</summary>
    [NotNegative]
    public int SignInPerAccount { get; set; } = 5;

    /// <summary>Sign-in attempts per client address per <see cref="Window"/>.</summary>
    [NotNegative]
    public int SignInPerAddress { get; set; } = 20;

    /// <summary>Writes (POST, PUT, PATCH, DELETE) per signed-in account per <see cref="Window"/>.</summary>
    [NotNegative]
    public int WritesPerUser { get; set; } = 120;

    /// <summary>Calendar feed fetches (<c>/feeds/{secret}.ics</c>, no sign-in) per client address per <see cref="Window"/>.</summary>
    [NotNegative]
    public int FeedReadsPerAddress { get; set; } = 60;

    /// <summary>Writes applied at once by this Gateway (all accounts together); 0 switches load shedding off.</summary>
    [NotNegative]
    public int WriteConcurrency { get; set; } = 64;

    /// <summary>Writes waiting for one of those slots; a write beyond them gets 503 with <c>Retry-After</c>.</summary>
    [NotNegative]
    public int WriteQueue { get; set; } = 128;

    [Positive]

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Section <c>Summit:Admin</c>: the first admin account, created at start-up when no enabled admin exists.</summary>
public sealed class AdminBootstrapOptions
{
    public const string Section = "Summit:Admin";

    public string? Username { get; set; }
    public string? Password { get; set; }
}

public static class SecurityMode
{
    public const string DemoPasswordKey = "Summit:Demo:Password";
    public const string DefaultDemoPassword = "summit2020";

    /// <summary>Demo mode as the silo side decides it: <c>Summit:Demo:Enabled</c>, by default on in the standalone Gateway only.</summary>
    public static bool IsDemo(IConfiguration configuration) =>
        configuration.GetValue<bool?>(SummitHostingOptions.DemoEnabledKey)
        ?? SummitHostingOptions.From(configuration).Hosting == GatewayHosting.Standalone;

    public static string DemoPassword(IConfiguration configuration)
    {
        var value = configuration[DemoPasswordKey];
        return string.IsNullOrEmpty(value) ? DefaultDemoPassword : value;
    }
}
