using Summit.Rules;
using Summit.Data.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Summit.Data.Storage;
using Summit.Deadlines;
using Summit.Storage;
using Summit.Gateway.Accounts;
using Summit.Data.Accounts;
using Summit.Data.Audit;
using Summit.Data.Time;
using Summit.Settings;

namespace Summit.Gateway.Security;

/// <summary>Authentication schemes and authorization policies of the Gateway.</summary>
public static class SummitSchemes
{
    /// <summary>The default scheme: forwards to <see cref="Bearer"/> when the request carries a token, else to <see cref="Cookie"/>.</summary>
    public const string Default = "summit";
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    /// <summary>A cookie the browser UI's script reads to put the antiforgery token in <see cref="AntiforgeryHeader"/>.</summary>
    public const string AntiforgeryReadableCookie = "XSRF-TOKEN";

    public const string AuthCookie = "summit.auth";
    public const string AntiforgeryCookie = "summit.af";

    /// <summary>SignalR clients cannot set headers on WebSockets, so hubs also take the token from the query string.</summary>
    public const string HubsPrefix = "/hubs";

    /// <summary>True when the request authenticates with a bearer token rather than the cookie.</summary>
    public static bool UsesBearer(HttpRequest request) =>
        request.Headers.Authorization.Count > 0
        || (request.Path.StartsWithSegments(HubsPrefix) && request.Query.ContainsKey("access_token"));
}

/// <summary>Named authorization policies; each one asks <see cref="AccessRules"/>, the single place of access rules.</summary>
public static class SummitPolicies
{
    public const string Admin = "summit-admin";
    public const string AuditReader = "summit-audit-reader";
}

/// <summary>The signing key of bearer tokens; <see cref="Generated"/> when it was made up for this process (demo mode).</summary>
public sealed record SummitSigningKey(SymmetricSecurityKey Key, bool Generated);

public static class SecuritySetup
{
    // Paths that need a signed-in account even when an endpoint forgot to say so; the UI's static
    // files, health and OpenAPI stay public.
    private static readonly string[] ProtectedPrefixes = ["/api", SummitSchemes.HubsPrefix, OrleansDashboardSetup.Path];

    /// <summary>
    /// Accounts (PostgreSQL) and their seeding, bearer tokens and sign-in cookies, authorization
    /// policies, antiforgery, rate limits, the audit reader, the security log, and the Orleans dashboard's
    /// services. Call after <c>AddSummitOrleans</c>. A required setting missing outside demo mode stops the host at start.
    /// Also runs the <c>create-admin</c> command and exits when the process was started with it.
    /// </summary>
    public static WebApplicationBuilder AddSummitSecurity(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        AdminCommand.RunIfRequested(configuration, Environment.GetCommandLineArgs().Skip(1).ToArray());

        var services = builder.Services;
        var demo = SecurityMode.IsDemo(configuration);
        services.AddOptions<SummitAuthOptions>().BindConfiguration(SummitAuthOptions.Section)
            .ValidateSettings(SummitAuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SummitAuthOptions>, SigningKeyValidator>());
        // Read here as well for the lifetimes the schemes and the session cache are built with; the host checks them at start.
        var auth = SummitAuthOptions.From(configuration);
        // Made from the checked options, so a missing or short key outside demo mode stops start-up with its message.
        services.AddSingleton(sp => SigningKeyOf(sp.GetRequiredService<IOptions<SummitAuthOptions>>().Value));
        services.AddOptions<AdminBootstrapOptions>().BindConfiguration(AdminBootstrapOptions.Section)
            .ValidateSettings(AdminBootstrapOptions.Section).ValidateOnStart();

        services.AddMemoryCache();
        services.AddSummitJournal(configuration);
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IAccountStore>(sp => new PostgresAccountStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<ISecurityEventStore>(sp => new PostgresSecurityEventStore(sp.GetRequiredService<NpgsqlDataSource>()));
        // Lists read the entity table directly (a standalone process's silo registers the same reader as its store).
        services.TryAddSingleton<IEntityQueries>(sp => new PostgresEntityReader(sp.GetRequiredService<NpgsqlDataSource>()));
        // Campaign boards, submissions and their kept versions: the same reader (the store itself in a standalone process).
        services.TryAddSingleton<ICampaignQueries>(sp => (ICampaignQueries)sp.GetRequiredService<IEntityQueries>());
        services.TryAddSingleton<ISummitSearch>(sp => new PostgresSearch(sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<IAnnouncementStore>(sp => new PostgresAnnouncementStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<ICampaignReminderStore>(sp => new PostgresCampaignReminderStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new AccountSessionValidator(sp.GetRequiredService<IAccountStore>(),
            auth.SessionCacheLifetime > TimeSpan.Zero ? auth.SessionCacheLifetime : AccountSessionValidator.DefaultCacheFor,
            TimeProvider.System, sp.GetRequiredService<ILoggerFactory>().CreateLogger<AccountSessionValidator>()));
        services.AddWallClock();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<TokenIssuer>();
        services.AddHostedService<AccountStartup>();

        services.AddDataProtection().SetApplicationName("summit");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));

        services.AddAuthentication(SummitSchemes.Default)
            .AddPolicyScheme(SummitSchemes.Default, "Bearer token or sign-in cookie", o =>
                o.ForwardDefaultSelector = http => SummitSchemes.UsesBearer(http.Request) ? SummitSchemes.Bearer : SummitSchemes.Cookie)
            .AddJwtBearer(SummitSchemes.Bearer, _ => { })
            .AddCookie(SummitSchemes.Cookie, o => ConfigureCookie(o, auth));
        services.AddOptions<JwtBearerOptions>(SummitSchemes.Bearer).Configure<SummitSigningKey>((o, key) => ConfigureBearer(o, auth, key));

        services.AddAuthorizationBuilder()
            .AddPolicy(SummitPolicies.Admin, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetActor(out var actor) && AccessRules.MayManageAccounts(actor)))
            .AddPolicy(SummitPolicies.AuditReader, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetActor(out var actor) && AccessRules.MayReadAudit(actor)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(c => c.User.Identity?.IsAuthenticated == true || !IsProtected(c.Resource))
                .Build());

        services.AddAntiforgery(o =>
        {
            o.HeaderName = SummitSchemes.AntiforgeryHeader;
            o.Cookie.Name = SummitSchemes.AntiforgeryCookie;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddSummitRateLimits(configuration);
        builder.AddOrleansDashboardServices();
        return builder;
    }

    /// <summary>
    /// Routing, authentication, authorization, the cookie antiforgery check, rate limiting, load shedding of writes
    /// (<see cref="WriteAdmission"/>), and logging of refused requests, in that order. Call after <c>UseSummitProblems</c> and before mapping endpoints
    /// and serving the UI's files.
    /// </summary>
    public static WebApplication UseSummitSecurity(this WebApplication app)
    {
        // Read from the settings rather than the key, so a wrong setting is reported by the host at start with the others.
        if (string.IsNullOrWhiteSpace(SummitAuthOptions.From(app.Configuration).SigningKey) && SecurityMode.IsDemo(app.Configuration))
            app.Logger.LogWarning(
                "No {Key} configured: demo mode uses a random signing key for this process; bearer tokens stop working when the Gateway restarts.",
                "Summit:Auth:SigningKey");

        app.UseRouting();
        app.Use(LogRefusalsAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(CheckAntiforgeryAsync);
        app.UseRateLimiter();
        var admission = app.Services.GetRequiredService<WriteAdmission>();
        app.Use((http, next) => admission.InvokeAsync(http, next));
        return app;
    }

    /// <summary>The configured key, or a random one for this process when none is given (allowed in demo mode only, see <see cref="SigningKeyValidator"/>).</summary>
    private static SummitSigningKey SigningKeyOf(SummitAuthOptions auth) =>
        string.IsNullOrWhiteSpace(auth.SigningKey)
            ? new SummitSigningKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), Generated: true)
            : new SummitSigningKey(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey)), Generated: false);

    private static void ConfigureBearer(JwtBearerOptions o, SummitAuthOptions auth, SummitSigningKey signingKey)
    {
        // Keep the claim types exactly as issued (ClaimTypes.Name, ClaimTypes.Role, summit:unit).
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKey = signingKey.Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = ClaimTypes.Name,
            RoleClaimType = ClaimTypes.Role,
            ClockSkew = TimeSpan.FromMinutes(1),
        };
        o.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments(SummitSchemes.HubsPrefix)
                    && context.Request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
                    context.Token = token;
                return Task.CompletedTask;
            },
            OnTokenValidated = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessionValidator>();
                if (context.Principal is null || !await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
                    context.Fail("The account was disabled or its password reset since the token was issued.");
            },
            OnAuthenticationFailed = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Summit.Security")
                    .LogInformation("Bearer token refused for {Method} {Path}: {Reason}",
                        context.Request.Method, context.Request.Path.Value, context.Exception.Message);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                await SecurityProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required.",
                    context.AuthenticateFailure is null ? "Send a bearer token from POST /api/auth/token." : "The bearer token is invalid or expired.");
            },
            OnForbidden = context => SecurityProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden.",
                "Your account may not do this.").AsTask(),
        };
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, SummitAuthOptions auth)
    {
        o.Cookie.Name = SummitSchemes.AuthCookie;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = auth.CookieLifetime;
        o.SlidingExpiration = true;
        o.Events = new CookieAuthenticationEvents
        {
            // An API answers 401/403, never a redirect to a login page.
            OnRedirectToLogin = context => SecurityProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required.",
                "Sign in with POST /api/auth/login, or send a bearer token from POST /api/auth/token.").AsTask(),
            OnRedirectToAccessDenied = context => SecurityProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden.",
                "Your account may not do this.").AsTask(),
            OnRedirectToLogout = context =>
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            },
            OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessionValidator>();
                if (context.Principal is null || !await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(SummitSchemes.Cookie);
                }
            },
        };
    }

    private static bool IsProtected(object? resource) =>
        resource is HttpContext http && ProtectedPrefixes.Any(prefix => http.Request.Path.StartsWithSegments(prefix));

    /// <summary>
    /// Logs 403 answers and requests an endpoint marked refused (<see cref="SecurityLog.MarkRefused"/>). Checked
    /// as the response starts, so answers written later by the exception handler are seen too, and the entry
    /// is stored before the client has its answer.
    /// </summary>
    private static Task LogRefusalsAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            var marked = SecurityLog.RefusalOf(http);
            if (marked is null && http.Response.StatusCode != StatusCodes.Status403Forbidden) return Task.CompletedTask;
            return http.RequestServices.GetRequiredService<SecurityLog>().RecordAsync(http, SecurityEventKinds.AccessRefused,
                http.User.Identity?.Name, marked ?? $"answered {http.Response.StatusCode}");
        });
        return next(http);
    }

    /// <summary>
    /// A write authenticated by the cookie must carry the antiforgery token in <see cref="SummitSchemes.AntiforgeryHeader"/>.
    /// Bearer requests are exempt: a browser never adds the Authorization header on its own. So are endpoints
    /// marked <c>DisableAntiforgery()</c> (sign-in) and SignalR hubs.
    /// </summary>
    private static async Task CheckAntiforgeryAsync(HttpContext http, RequestDelegate next)
    {
        var method = http.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        // SignalR's connection token already ties a hub request to the client that negotiated it.
        var exempt = http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false }
            || http.Request.Path.StartsWithSegments(SummitSchemes.HubsPrefix);
        if (!safe && !exempt && http.User.Identity?.IsAuthenticated == true && !SummitSchemes.UsesBearer(http.Request))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            // The token travels in the header only: without it the request is refused before anything reads its body
            // (the antiforgery check would otherwise read a form body, such as a file upload, looking for the token).
            if (!http.Request.Headers.ContainsKey(SummitSchemes.AntiforgeryHeader) || !await antiforgery.IsRequestValidAsync(http))
            {
                await SecurityProblems.WriteAsync(http, StatusCodes.Status400BadRequest, "Missing or invalid antiforgery token.",
                    $"Writes signed in with the cookie need the token from GET /api/auth/antiforgery in the {SummitSchemes.AntiforgeryHeader} header.");
                return;
            }
        }
        await next(http);
    }
}
