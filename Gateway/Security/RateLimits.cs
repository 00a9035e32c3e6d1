using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Summit.Settings;

namespace Summit.Gateway.Security;

/// <summary>
/// Named rate-limiting policies. Attach <see cref="Writes"/> to write endpoints (or whole groups: it lets
/// reads through) with <c>.RequireRateLimiting(RateLimits.Writes)</c>. Limits come from
/// <see cref="RateLimitOptions"/> (<c>Summit:RateLimits:*</c>); a refusal is a 429 problem with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>Writes per signed-in account (by client address when anonymous); GET, HEAD and OPTIONS pass.</summary>
    public const string Writes = "summit-writes";

    /// <summary>Sign-in attempts per client address. The per-account limit is applied inside the sign-in endpoints, which know the username.</summary>
    public const string SignIn = "summit-sign-in";

    /// <summary>Calendar feed fetches (<c>/feeds/{secret}.ics</c>, no sign-in) per client address.</summary>
    public const string Feeds = "summit-calendar-feeds";

    internal static IServiceCollection AddSummitRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateSettings(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<WriteAdmission>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
                WriteTooManyAsync(context.HttpContext, context.Lease, "Too many requests.");

            options.AddPolicy(Writes, http =>
            {
                if (IsRead(http.Request)) return RateLimitPartition.GetNoLimiter("reads");
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var key = http.User.Identity?.IsAuthenticated == true && http.User.Identity.Name is { } name
                    ? "account:" + name
                    : "address:" + AddressOf(http);
                return Partition(key, limits.WritesPerUser, limits.Window);
            });

            options.AddPolicy(SignIn, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return Partition("address:" + AddressOf(http), limits.SignInPerAddress, limits.Window);
            });

            options.AddPolicy(Feeds, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return Partition("feed-address:" + AddressOf(http), limits.FeedReadsPerAddress, limits.Window);
            });
        });
        return services;
    }

    /// <summary>What the write limits (<see cref="Writes"/>, <see cref="WriteAdmission"/>) let through: GET, HEAD and OPTIONS.</summary>
    internal static bool IsRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);

    internal static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static RateLimitPartition<string> Partition(string key, int permits, TimeSpan window) =>
        permits <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    internal static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;

    /// <summary>429 problem with <c>Retry-After</c> in whole seconds (1 when the limiter does not know).</summary>
    internal static ValueTask WriteTooManyAsync(HttpContext http, RateLimitLease lease, string title) =>
        WriteTooManyAsync(http, RetryAfterOf(lease), title);

    internal static async ValueTask WriteTooManyAsync(HttpContext http, TimeSpan? retryAfter, string title)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        // RFC 6585 lets a 429 go without Retry-After, but clients back off better with one: a second when the limiter does not say.
        var seconds = retryAfter is { } delay ? Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await SecurityProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, title, $"Try again in {seconds} s.");
    }
}

/// <summary>The 429 answer of a limit checked inside an endpoint rather than by the rate-limiting middleware.</summary>
public sealed class TooManyRequestsResult(TimeSpan? retryAfter, string title) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => RateLimits.WriteTooManyAsync(httpContext, retryAfter, title).AsTask();
}

/// <summary>Sign-in attempts per account: a limiter keyed by the normalised username from the request body.</summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(username =>
            RateLimits.Partition(username, limits.SignInPerAccount, limits.Window));
    }

    /// <param name="username">Normalised; cut to 128 characters so made-up names cannot make huge keys.</param>
    public RateLimitLease Attempt(string username) => _limiter.AttemptAcquire(username.Length > 128 ? username[..128] : username);

    public void Dispose() => _limiter.Dispose();
}
