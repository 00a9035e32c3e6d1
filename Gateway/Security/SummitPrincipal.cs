using System.Security.Claims;
using System.Collections.Concurrent;
using Summit.Data.Storage;
using Summit.Gateway.Accounts;
using Summit.Data.Accounts;

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
/// Checks on every authenticated request that the account behind a token or cookie still exists, is enabled, and has
/// not had its password reset since (the security stamp), without reading the accounts table each time: what the check
/// needs (stamp, enabled, role, unit) is kept per account for <see cref="SummitAuthOptions.SessionCacheLifetime"/>
/// (30 s). A change made through this Gateway takes effect at once (<see cref="Forget"/>, which also closes the account's
/// live connections); one made through another Gateway within that lifetime. When the database cannot be reached the
/// last known answer stands, so an outage does not sign everyone out: no account can be changed while it lasts either.
/// Only an account never seen by this process needs the database; without it that request is answered 503.
/// </summary>
public sealed class AccountSessionValidator(IAccountStore store, TimeSpan cacheFor, TimeProvider time, ILogger? logger = null)
{
    public static readonly TimeSpan DefaultCacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // Bumped by Forget, so that a read that began before a change cannot put the old answer back.
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public AccountSessionValidator(IAccountStore store) : this(store, DefaultCacheFor, TimeProvider.System) { }

    public TimeSpan CacheFor => cacheFor;

    /// <summary>Raised with the username when an account was changed through this process (disabled, enabled, password reset).</summary>
    public event Action<string>? Changed;

    /// <exception cref="Npgsql.NpgsqlException">The database is unreachable and this account was never checked here.</exception>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var name = user.FindFirstValue(ClaimTypes.Name);
        var stamp = user.FindFirstValue(SummitPrincipal.Stamp);
        if (name is null || stamp is null) return false;

        var facts = await FactsAsync(name, cancellationToken);
        return facts is { Disabled: false }
            && facts.Stamp == stamp
            && string.Equals(facts.Role, user.FindFirstValue(SummitClaims.Role), StringComparison.Ordinal)
            && facts.Unit == user.FindFirstValue(SummitClaims.Unit);
    }

    /// <summary>Drops what is known about the account, so the next check reads it again, and tells <see cref="Changed"/>.</summary>
    public void Forget(string username)
    {
        _generations.AddOrUpdate(username, 1, (_, g) => g + 1);
        _entries.TryRemove(username, out _);
        Changed?.Invoke(username);
    }

    private async Task<Facts?> FactsAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _entries.TryGetValue(name, out var known);
        if (known is not null && now - known.At < cacheFor) return known.Facts;

        var generation = _generations.GetValueOrDefault(name);
        StoredAccount? stored;
        try
        {
            stored = await store.FindAsync(name, cancellationToken);
        }
        catch (Exception e) when (known is not null && StorageFaults.IsUnavailable(e))
        {
            logger?.LogWarning("Accounts table unreachable ({Error}); checking {Account} against what was read at {At}.",
                e.Message, name, known.At);
            return known.Facts;
        }
        var facts = stored is null ? null : new Facts(stored.SecurityStamp, stored.Account.Disabled, stored.Account.Role.ToString(), stored.Account.Unit);
        if (_generations.GetValueOrDefault(name) == generation) _entries[name] = new Entry(facts, now);
        return facts;
    }

    private sealed record Facts(string Stamp, bool Disabled, string Role, string? Unit);

    private sealed record Entry(Facts? Facts, DateTimeOffset At);
}
