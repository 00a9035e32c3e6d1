using Summit.Data.Security;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Summit.Domain;
using Summit.Gateway.Accounts;
using Summit.Data.Accounts;

namespace Summit.Gateway.Security;

public sealed record Credentials(string? Username, string? Password);

/// <summary>The OAuth-style answer of <c>POST /api/auth/token</c>.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>Who is signed in, and how.</summary>
/// <param name="Scheme"><c>cookie</c> or <c>bearer</c>.</param>
public sealed record Me(string Username, Role Role, string? Unit, string Scheme);

/// <summary>Whether the request carries a session, and whose: what a page asks first, answered 200 either way.</summary>
public sealed record SessionState(bool SignedIn, Me? Account);

/// <summary>The token a cookie-authenticated write sends in <paramref name="HeaderName"/>.</summary>
public sealed record AntiforgeryToken(string HeaderName, string Token);

/// <summary>Answer of <c>POST /api/auth/login</c>: the account, and the antiforgery token for its writes.</summary>
public sealed record LoginResponse(string Username, Role Role, string? Unit, AntiforgeryToken Antiforgery);

public static class AuthApi
{
    /// <summary>
    /// <c>POST /api/auth/token</c> (bearer token), <c>POST /api/auth/login</c> and <c>/logout</c> (cookie),
    /// <c>GET /api/auth/me</c>, <c>GET /api/auth/antiforgery</c>.
    /// </summary>
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Authentication");

        group.MapPost("/token", IssueTokenAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.SignIn)
            .WithName("IssueToken")
            .WithSummary("Exchange a username and password for a bearer token (JWT) for API and SignalR clients.")
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.SignIn)
            .WithName("Login")
            .WithSummary("Sign in the browser UI with a cookie; answers the antiforgery token to send on writes.")
            .Produces<LoginResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/logout", (Delegate)LogoutAsync)
            .AllowAnonymous()
            .WithName("Logout")
            .WithSummary("End the cookie session. With the cookie, needs the antiforgery header like every write.")
            .Produces(StatusCodes.Status204NoContent);

        group.MapGet("/me", (HttpContext http) => TypedResults.Ok(MeOf(http)))
            .RequireAuthorization()
            .WithName("Me")
            .WithSummary("The signed-in account.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        // A page's first question. Unlike /me it answers 200 when nobody is signed in, so a fresh page load
        // logs no failed request in the browser's console.
        group.MapGet("/session", (HttpContext http) => TypedResults.Ok(
                http.User.Identity?.IsAuthenticated == true ? new SessionState(true, MeOf(http)) : new SessionState(false, null)))
            .AllowAnonymous()
            .WithName("Session")
            .WithSummary("Whether the request is signed in, and as whom; 200 either way.");

        group.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) => TypedResults.Ok(IssueAntiforgery(http, antiforgery)))
            .AllowAnonymous()
            .WithName("Antiforgery")
            .WithSummary($"A fresh antiforgery token for cookie-authenticated writes (header {SummitSchemes.AntiforgeryHeader}); also set in the readable cookie {SummitSchemes.AntiforgeryReadableCookie}.");

        return group;
    }

    private static async Task<IResult> IssueTokenAsync(
        HttpContext http, Credentials? credentials, SignInThrottle throttle, AccountService accounts, SecurityLog log, TokenIssuer tokens)
    {
        var (account, refusal) = await SignInAsync(http, credentials, throttle, accounts, log);
        if (account is null) return refusal!;
        var (token, lifetime) = tokens.Issue(account);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, Credentials? credentials, SignInThrottle throttle, AccountService accounts, SecurityLog log, IAntiforgery antiforgery)
    {
        var (account, refusal) = await SignInAsync(http, credentials, throttle, accounts, log);
        if (account is null) return refusal!;
        var principal = SummitPrincipal.Create(account, SummitSchemes.Cookie);
        await http.SignInAsync(SummitSchemes.Cookie, principal, new AuthenticationProperties { IsPersistent = true });
        // Tokens are bound to the signed-in user, so issue them for the new principal, not the anonymous caller.
        http.User = principal;
        var a = account.Account;
        return TypedResults.Ok(new LoginResponse(a.Username, a.Role, a.Unit, IssueAntiforgery(http, antiforgery)));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(SummitSchemes.Cookie);
        http.Response.Cookies.Delete(SummitSchemes.AntiforgeryReadableCookie);
        return TypedResults.NoContent();
    }

    /// <summary>Checks the per-account limit and the password; logs failures. Returns the account, or the answer to give.</summary>
    private static async Task<(StoredAccount? Account, IResult? Refusal)> SignInAsync(
        HttpContext http, Credentials? credentials, SignInThrottle throttle, AccountService accounts, SecurityLog log)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(credentials?.Username)) errors["username"] = ["is required."];
        if (string.IsNullOrEmpty(credentials?.Password)) errors["password"] = ["is required."];
        if (errors.Count > 0) return (null, TypedResults.ValidationProblem(errors, title: "The request has invalid fields."));

        var username = AccountService.Normalize(credentials!.Username!);
        using var lease = throttle.Attempt(username);
        if (!lease.IsAcquired)
        {
            await log.RecordAsync(http, SecurityEventKinds.SignInThrottled, username, "too many sign-in attempts for this account");
            return (null, new TooManyRequestsResult(RateLimits.RetryAfterOf(lease), "Too many sign-in attempts for this account."));
        }

        var (account, failure) = await accounts.VerifyAsync(username, credentials.Password!, http.RequestAborted);
        if (account is null)
        {
            await log.RecordAsync(http, SecurityEventKinds.SignInFailed, username, failure switch
            {
                SignInFailure.UnknownAccount => "unknown account",
                SignInFailure.Disabled => "account disabled",
                _ => "wrong password",
            });
            // The same answer whatever the reason, so it does not tell which usernames exist.
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "Sign-in failed.", detail: "Unknown username, wrong password or disabled account."));
        }
        return (account, null);
    }

    /// <summary>The signed-in account of the request, as <c>/me</c> and <c>/session</c> answer it.</summary>
    private static Me MeOf(HttpContext http)
    {
        var actor = http.User.ToActor();
        return new Me(actor.Account, actor.Role, actor.Unit, SummitSchemes.UsesBearer(http.Request) ? "bearer" : "cookie");
    }

    private static AntiforgeryToken IssueAntiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Cookies.Append(SummitSchemes.AntiforgeryReadableCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
        });
        return new AntiforgeryToken(SummitSchemes.AntiforgeryHeader, tokens.RequestToken!);
    }
}
