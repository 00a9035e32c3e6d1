using Summit.Data.Accounts;
using Microsoft.Extensions.Options;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Data;
using Summit.Data.Demo;
using Summit.Data.Storage;

namespace Summit.Gateway.Accounts;

/// <summary>
/// At start-up, before the Gateway serves requests: brings the schema up to date (the accounts table may be
/// needed before any silo has migrated), seeds the demo accounts in demo mode, and creates the first admin
/// from <c>Summit:Admin:Username</c>/<c>Password</c> when no enabled admin exists.
/// </summary>
public sealed class AccountStartup(
    IConfiguration configuration,
    AccountService accounts,
    IOptions<AdminBootstrapOptions> admin,
    ILogger<AccountStartup> logger) : IHostedService
{
    public const string SeededBy = "system:seed";

    /// <summary>The demo accounts: one per role, one per county, university and registered organisation of the 2020 summit.</summary>
    public static IEnumerable<(string Username, Role Role, string? Unit)> DemoAccounts() =>
        new (string, Role, string?)[] { ("admin", Role.Admin, null), ("secretariat", Role.Secretariat, null), ("leader", Role.Leader, null) }
            .Concat(DemoReference.Counties.Select(c => ($"county-{c.Code}", Role.County, (string?)c.Code)))
            .Concat(DemoReference.Universities.Select(u => ($"university-{u.Code}", Role.University, (string?)u.Code)))
            .Concat(DemoReference.Organizations.Select(o => ($"org-{o.Code}", Role.Organization, (string?)o.Code)));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = SummitHostingOptions.ConnectionString(configuration);
        if (connectionString is not null)
            await DatabaseMigrator.ApplyAsync(connectionString, logger, cancellationToken);

        if (SecurityMode.IsDemo(configuration)) await SeedDemoAsync(cancellationToken);
        await BootstrapAdminAsync(cancellationToken);

        if (await accounts.Store.CountEnabledAdminsAsync(cancellationToken) == 0)
            logger.LogWarning(
                "There is no enabled admin account. Start with Summit__Admin__Username and Summit__Admin__Password set, " +
                "or run `dotnet run --project Gateway -- {Command} <username>`.", AdminCommand.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedDemoAsync(CancellationToken cancellationToken)
    {
        var password = SecurityMode.DemoPassword(configuration);
        // One hash for all: they share the password anyway, and hashing is deliberately slow.
        var hash = new Lazy<string>(() => AccountService.HashPassword(password));
        var created = 0;
        foreach (var (username, role, unit) in DemoAccounts())
        {
            if (await accounts.Store.FindAsync(username, cancellationToken) is not null) continue;
            if (await accounts.EnsureAsync(username, role, unit, hash.Value, SeededBy, cancellationToken)) created++;
        }
        logger.LogInformation("Demo accounts: {Created} created, password from {Key} (existing accounts keep theirs).",
            created, SecurityMode.DemoPasswordKey);
    }

    private async Task BootstrapAdminAsync(CancellationToken cancellationToken)
    {
        var options = admin.Value;
        if (string.IsNullOrWhiteSpace(options.Username)) return;
        if (string.IsNullOrEmpty(options.Password))
            throw new InvalidOperationException(
                $"{AdminBootstrapOptions.Section}:Username is set but {AdminBootstrapOptions.Section}:Password (Summit__Admin__Password) is not.");

        if (await accounts.Store.CountEnabledAdminsAsync(cancellationToken) > 0)
        {
            logger.LogInformation("An enabled admin exists; {Section}:Username is ignored.", AdminBootstrapOptions.Section);
            return;
        }
        try
        {
            var created = await accounts.CreateOrResetAdminAsync(options.Username, options.Password, SeededBy, cancellationToken);
            logger.LogInformation("Admin account {Username} {What} from {Section}.",
                AccountService.Normalize(options.Username), created ? "created" : "re-enabled with the configured password", AdminBootstrapOptions.Section);
        }
        catch (DomainValidationException e)
        {
            throw new InvalidOperationException($"{AdminBootstrapOptions.Section} is not usable: {e.Message}", e);
        }
        catch (AccountConflictException e)
        {
            throw new InvalidOperationException($"{AdminBootstrapOptions.Section}:Username: {e.Message}", e);
        }
    }
}
