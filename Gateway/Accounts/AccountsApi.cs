using Summit.Data.Security;
using Summit.Data.Accounts;
using Summit.Gateway.Api;
using Summit.Gateway.Security;
using Summit.Rules;

namespace Summit.Gateway.Accounts;

public sealed record PasswordReset(string? Password);

public static class AccountsApi
{
    /// <summary>
    /// Admin only: <c>GET/POST /api/accounts</c>, <c>GET /api/accounts/{username}</c>,
    /// <c>PATCH /api/accounts/{username}</c> (display name, unit), <c>POST /api/accounts/{username}/disable</c>, <c>/enable</c>, <c>/password</c>, and
    /// <c>GET /api/security/events</c> (failed sign-ins and refused requests).
    /// </summary>
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts")
            .WithTags("Accounts")
            .RequireAuthorization(SummitPolicies.Admin)
            .RequireRateLimiting(RateLimits.Writes)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", async (int? offset, int? limit, AccountService accounts, CancellationToken cancellationToken) =>
            {
                var errors = new FieldErrors();
                Paging.Check(errors, offset, limit);
                errors.ThrowIfAny();
                var (items, total) = await accounts.Store.ListAsync(offset ?? 0, limit ?? Paging.DefaultLimit, cancellationToken);
                return new ListResponse<Account>(items, total);
            })
            .WithName("ListAccounts")
            .RejectsUnknownQuery()
            .WithSummary("Every account, by username; never the password hashes.");

        group.MapGet("/{username}", async (string username, AccountService accounts, CancellationToken cancellationToken) =>
                await accounts.FindAsync(username, cancellationToken) is { } stored
                    ? Results.Ok(stored.Account)
                    : NotFound(username))
            .WithName("GetAccount")
            .Produces<Account>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (AccountDraft draft, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
            {
                try
                {
                    var account = await accounts.CreateAsync(draft, http.User.Identity?.Name, cancellationToken);
                    return Results.Created($"/api/accounts/{Uri.EscapeDataString(account.Username)}", account);
                }
                catch (AccountConflictException e)
                {
                    return Conflict(e);
                }
            })
            .WithName("CreateAccount")
            .WithSummary("Create an account: username, role (secretariat, county, university, leader, admin), unit for county and university accounts, password, and optionally a display name.")
            .Produces<Account>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPatch("/{username}", async (string username, AccountPatch patch, AccountService accounts, CancellationToken cancellationToken) =>
                await ChangeAsync(username, () => accounts.UpdateAsync(username, patch, cancellationToken)))
            .WithName("UpdateAccount")
            .WithSummary("Change an account's display name, or the county or university a county or university account belongs to (its sessions and tokens then stop working).")
            .Produces<Account>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{username}/disable", async (string username, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
                await ChangeAsync(username, () => accounts.DisableAsync(username, http.User.Identity!.Name!, cancellationToken)))
            .WithName("DisableAccount")
            .WithSummary("Disable an account: it can no longer sign in, and its tokens and cookies stop working.")
            .Produces<Account>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{username}/enable", async (string username, AccountService accounts, CancellationToken cancellationToken) =>
                await ChangeAsync(username, () => accounts.EnableAsync(username, cancellationToken)))
            .WithName("EnableAccount")
            .Produces<Account>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{username}/password", async (string username, PasswordReset body, AccountService accounts, CancellationToken cancellationToken) =>
                await ChangeAsync(username, () => accounts.ResetPasswordAsync(username, body.Password, cancellationToken)))
            .WithName("ResetPassword")
            .WithSummary("Set a new password; the account's existing tokens and cookies stop working.")
            .Produces<Account>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/security/events", async (string? account, int? offset, int? limit, ISecurityEventStore events, CancellationToken cancellationToken) =>
            {
                var errors = new FieldErrors();
                Paging.Check(errors, offset, limit);
                errors.ThrowIfAny();
                var (items, total) = await events.ListAsync(
                    string.IsNullOrEmpty(account) ? null : account, offset ?? 0, limit ?? Paging.DefaultLimit, cancellationToken);
                return new ListResponse<SecurityEvent>(items, total);
            })
            .RequireAuthorization(SummitPolicies.Admin)
            .WithTags("Accounts")
            .WithName("SecurityEvents")
            .RejectsUnknownQuery()
            .WithSummary("Failed and throttled sign-ins and refused requests, newest first.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return group;
    }

    private static async Task<IResult> ChangeAsync(string username, Func<Task<Account>> change)
    {
        try
        {
            return Results.Ok(await change());
        }
        catch (AccountNotFoundException)
        {
            return NotFound(username);
        }
        catch (AccountConflictException e)
        {
            return Conflict(e);
        }
    }

    private static IResult NotFound(string username) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No account '{QueryValues.Printable(AccountService.Normalize(username))}'.");

    private static IResult Conflict(AccountConflictException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: e.Message);
}
