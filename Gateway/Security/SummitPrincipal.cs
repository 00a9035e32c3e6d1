using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Summit.Gateway.Accounts;

namespace Summit.Gateway.Security;

/// <summary>The claims Summit puts in tokens and cookies (see <see cref="SummitClaims"/>), plus the account's security stamp.</summary>
public static class SummitPrincipal
{
    public const string Stamp = "summit:stamp";

    public static IEnumerable<Claim> ClaimsOf(StoredAccount stored)
    {
        var account = stored.Account;
        yield return new Claim(ClaimTypes.Name, account.Username);
        // Antiforgery tokens are bound to this claim, so they stay valid across sign-ins of the same account.
        yield return new Claim(ClaimTypes.NameIdentifier, account.Username);
        yield return new Claim(SummitClaims.Role, account.Role.ToString());
        if (account.Unit is not null) yield return new Claim(SummitClaims.Unit, account.Unit);
        yield return new Claim(Stamp, stored.SecurityStamp);
    }

    public static ClaimsPrincipal Create(StoredAccount stored, string authenticationType) =>
        new(new ClaimsIdentity(ClaimsOf(stored), authenticationType, ClaimTypes.Name, ClaimTypes.Role));
}

/// <summary>
/// Checks on every authenticated request that the account behind a token or cookie still exists, is
/// enabled, and has not had its password reset since (the security stamp). Answers are cached briefly;
/// changes made through this Gateway take effect at once, changes through another Gateway within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class AccountSessionValidator(IAccountStore store, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var name = user.FindFirstValue(ClaimTypes.Name);
        var stamp = user.FindFirstValue(SummitPrincipal.Stamp);
        if (name is null || stamp is null) return false;

        var stored = await cache.GetOrCreateAsync(Key(name), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 1;
            return store.FindAsync(name, cancellationToken);
        });
        return stored is { Account.Disabled: false }
            && stored.SecurityStamp == stamp
            && string.Equals(stored.Account.Role.ToString(), user.FindFirstValue(SummitClaims.Role), StringComparison.Ordinal)
            && stored.Account.Unit == user.FindFirstValue(SummitClaims.Unit);
    }

    public void Forget(string username) => cache.Remove(Key(username));

    private static string Key(string username) => "summit:account:" + username;
}
