using Summit.Data.Accounts;
using System.ComponentModel;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using NodaTime;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Rules;
using Summit.Time;

namespace Summit.Gateway.Accounts;

/// <summary>What a client sends to create an account.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AccountDraft(string? Username, Role? Role, string? Unit, string? Password)
{
    [Description("The person or office behind the account (at most 100 characters); optional.")]
    public string? DisplayName { get; init; }
}

/// <summary>A change of an account's details; members left out stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AccountPatch(
    [property: Description("The person or office behind the account (at most 100 characters); an empty string clears it.")] string? DisplayName,
    [property: Description("The county or university code of a county or university account. Its sessions and tokens stop working, so it signs in again with the new unit.")] string? Unit);

public enum SignInFailure
{
    None,
    UnknownAccount,
    Disabled,
    WrongPassword,
}

public sealed class AccountConflictException(string message) : Exception(message);

public sealed class AccountNotFoundException(string username) : Exception($"No account '{username}'.")
{
    public string Username { get; } = username;
}

/// <summary>
/// Account rules: names, roles and units, password hashing (ASP.NET Core's <see cref="PasswordHasher{TUser}"/>),
/// sign-in checks, and the admin operations. Times are real time, not the demo clock: they are security records.
/// </summary>
public sealed partial class AccountService(IAccountStore store, AccountSessionValidator sessions, WallClock clock)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 100;

    private static readonly PasswordHasher<Account> Hasher = new();

    // Verifying against this when the account does not exist costs the same as a real check,
    // so response times do not tell which usernames exist.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, Guid.NewGuid().ToString("N")));

    public IAccountStore Store => store;

    /// <summary>Lower-cases and trims; the one form usernames are stored and compared in.</summary>
    public static string Normalize(string username) => username.Trim().ToLowerInvariant();

    public static bool IsValidUsername(string? username) => username is not null && UsernamePattern().IsMatch(username);

    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

    public async Task<(StoredAccount? Account, SignInFailure Failure)> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var stored = IsValidUsername(username) ? await store.FindAsync(username, cancellationToken) : null;
        if (stored is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            return (null, SignInFailure.UnknownAccount);
        }

        var result = Hasher.VerifyHashedPassword(stored.Account, stored.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed) return (null, SignInFailure.WrongPassword);
        // A disabled account is refused only after the password matched, and reported as a plain failure to the client.
        if (stored.Account.Disabled) return (null, SignInFailure.Disabled);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            stored = stored with { PasswordHash = Hasher.HashPassword(stored.Account, password) };
            await store.UpdateAsync(stored, cancellationToken);
        }
        return (stored, SignInFailure.None);
    }

    /// <exception cref="DomainValidationException">A field is missing or malformed.</exception>
    /// <exception cref="AccountConflictException">The username is taken.</exception>
    public async Task<Account> CreateAsync(AccountDraft draft, string? createdBy, CancellationToken cancellationToken = default)
    {
        var username = draft.Username is null ? null : Normalize(draft.Username);
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(username)) errors.Add("username", "is required.");
        // Checked before trimming, so "name\n" is refused rather than quietly stored as "name".
        else if (draft.Username!.Any(char.IsControl)) errors.Add("username", "must not contain control characters.");
        else if (!IsValidUsername(username))
            errors.Add("username", "must be 1-64 characters of a-z, 0-9, '.', '_', '@' and '-', starting with a letter or digit.");
        ValidateRole(errors, draft.Role, draft.Unit);
        ValidatePassword(errors, "password", draft.Password);
        ValidateDisplayName(errors, draft.DisplayName);
        errors.ThrowIfAny();

        var now = clock.GetCurrentInstant();
        var account = new Account(username!, draft.Role!.Value, UnitOf(draft.Role.Value, draft.Unit), now, createdBy, now,
            DisplayName: DisplayNameOf(draft.DisplayName));
        var stored = new StoredAccount(account, HashPassword(draft.Password!), StoredAccount.NewStamp());
        if (!await store.CreateAsync(stored, cancellationToken))
            throw new AccountConflictException($"An account '{username}' already exists.");
        return account;
    }

    /// <summary>Creates the account unless it exists; for seeding, with a precomputed hash.</summary>
    public async Task<bool> EnsureAsync(string username, Role role, string? unit, string passwordHash, string createdBy, CancellationToken cancellationToken = default)
    {
        if (await store.FindAsync(username, cancellationToken) is not null) return false;
        var now = clock.GetCurrentInstant();
        var account = new Account(username, role, unit, now, createdBy, now);
        return await store.CreateAsync(new StoredAccount(account, passwordHash, StoredAccount.NewStamp()), cancellationToken);
    }

    /// <summary>Sets a new password; sessions and tokens issued before stop working.</summary>
    public async Task<Account> ResetPasswordAsync(string username, string? password, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        ValidatePassword(errors, "password", password);
        errors.ThrowIfAny();
        var stored = await RequireAsync(username, cancellationToken);
        var updated = stored with
        {
            Account = stored.Account with { PasswordChangedAt = clock.GetCurrentInstant() },
            PasswordHash = HashPassword(password!),
            SecurityStamp = StoredAccount.NewStamp(),
        };
        await SaveAsync(updated, cancellationToken);
        return updated.Account;
    }

    /// <summary>
    /// Changes the display name and, for a county or university account, its unit. A new unit also changes the security
    /// stamp: the unit is part of the sign-in claims, so sessions and tokens issued for the old unit stop working.
    /// </summary>
    /// <exception cref="DomainValidationException">A field is malformed, or a unit is given for an account without one.</exception>
    public async Task<Account> UpdateAsync(string username, AccountPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var errors = new FieldErrors();
        ValidateDisplayName(errors, patch.DisplayName);
        if (patch.Unit is not null) errors.Code("unit", patch.Unit);
        errors.ThrowIfAny();
        var stored = await RequireAsync(username, cancellationToken);
        if (patch.Unit is not null && stored.Account.Role is not (Role.County or Role.University or Role.Organization))
            new FieldErrors().Add("unit", "must be empty: only county, university and organisation accounts are bound to a unit.").ThrowIfAny();

        var account = stored.Account;
        if (patch.DisplayName is not null) account = account with { DisplayName = DisplayNameOf(patch.DisplayName) };
        var unitChanged = patch.Unit is not null && !string.Equals(patch.Unit, account.Unit, StringComparison.Ordinal);
        if (unitChanged) account = account with { Unit = patch.Unit };
        if (account == stored.Account) return account;
        await SaveAsync(stored with
        {
            Account = account,
            SecurityStamp = unitChanged ? StoredAccount.NewStamp() : stored.SecurityStamp,
        }, cancellationToken);
        return account;
    }

    /// <exception cref="AccountConflictException">It would leave no enabled admin, or an admin disables themself.</exception>
    public async Task<Account> DisableAsync(string username, string by, CancellationToken cancellationToken = default)
    {
        var stored = await RequireAsync(username, cancellationToken);
        if (stored.Account.Disabled) return stored.Account;
        if (string.Equals(stored.Account.Username, by, StringComparison.Ordinal))
            throw new AccountConflictException("You cannot disable your own account.");
        if (stored.Account.Role == Role.Admin && await store.CountEnabledAdminsAsync(cancellationToken) <= 1)
            throw new AccountConflictException("This is the last enabled admin account.");
        var updated = stored with
        {
            Account = stored.Account with { DisabledAt = clock.GetCurrentInstant(), DisabledBy = by },
            SecurityStamp = StoredAccount.NewStamp(),
        };
        await SaveAsync(updated, cancellationToken);
        return updated.Account;
    }

    public async Task<Account> EnableAsync(string username, CancellationToken cancellationToken = default)
    {
        var stored = await RequireAsync(username, cancellationToken);
        if (!stored.Account.Disabled) return stored.Account;
        var updated = stored with
        {
            Account = stored.Account with { DisabledAt = null, DisabledBy = null },
            SecurityStamp = StoredAccount.NewStamp(),
        };
        await SaveAsync(updated, cancellationToken);
        return updated.Account;
    }

    /// <summary>
    /// Makes <paramref name="username"/> an enabled admin with this password: creates it, or resets an
    /// existing admin's password and enables it. For the start-up bootstrap and the create-admin command.
    /// </summary>
    /// <returns>True when the account was created, false when an existing admin was reset.</returns>
    /// <exception cref="AccountConflictException">The username belongs to a non-admin account.</exception>
    public async Task<bool> CreateOrResetAdminAsync(string username, string password, string by, CancellationToken cancellationToken = default)
    {
        username = Normalize(username);
        var errors = new FieldErrors();
        if (!IsValidUsername(username)) errors.Add("username", "must be 1-64 characters of a-z, 0-9, '.', '_', '@' and '-', starting with a letter or digit.");
        ValidatePassword(errors, "password", password);
        errors.ThrowIfAny();

        var existing = await store.FindAsync(username, cancellationToken);
        if (existing is null)
        {
            await CreateAsync(new AccountDraft(username, Role.Admin, null, password), by, cancellationToken);
            return true;
        }
        if (existing.Account.Role != Role.Admin)
            throw new AccountConflictException($"Account '{username}' exists with role {existing.Account.Role}; choose another name for the admin.");
        var now = clock.GetCurrentInstant();
        await SaveAsync(existing with
        {
            Account = existing.Account with { PasswordChangedAt = now, DisabledAt = null, DisabledBy = null },
            PasswordHash = HashPassword(password),
            SecurityStamp = StoredAccount.NewStamp(),
        }, cancellationToken);
        return false;
    }

    /// <summary>The account by name; a name no account can have is not looked up (PostgreSQL refuses NUL in text).</summary>
    public async Task<StoredAccount?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(username);
        return IsValidUsername(normalized) ? await store.FindAsync(normalized, cancellationToken) : null;
    }

    private async Task<StoredAccount> RequireAsync(string username, CancellationToken cancellationToken) =>
        await FindAsync(username, cancellationToken) ?? throw new AccountNotFoundException(Normalize(username));

    private async Task SaveAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        if (!await store.UpdateAsync(account, cancellationToken)) throw new AccountNotFoundException(account.Account.Username);
        sessions.Forget(account.Account.Username);
    }

    private static void ValidateRole(FieldErrors errors, Role? role, string? unit)
    {
        switch (role)
        {
            case null:
                errors.Add("role", "is required.");
                break;
            case Role.County or Role.University or Role.Organization:
                if (string.IsNullOrEmpty(unit)) errors.Add("unit", $"is required for a {role.Value.ToString().ToLowerInvariant()} account: the {role.Value.ToString().ToLowerInvariant()} code.");
                else errors.Code("unit", unit);
                break;
            case Role.Secretariat or Role.Leader or Role.Admin:
                if (unit is not null) errors.Add("unit", "must be empty: only county, university and organisation accounts are bound to a unit.");
                break;
            default:
                errors.Add("role", "must be one of secretariat, county, university, organization, leader, admin.");
                break;
        }
    }

    private static void ValidatePassword(FieldErrors errors, string field, string? password)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(field, "is required.");
        else if (password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
            errors.Add(field, $"must be {MinPasswordLength} to {MaxPasswordLength} characters.");
    }

    private static void ValidateDisplayName(FieldErrors errors, string? displayName) =>
        errors.MaxLength("displayName", displayName, MaxDisplayNameLength);

    private static string? DisplayNameOf(string? displayName) => string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();

    private static string? UnitOf(Role role, string? unit) => role is Role.County or Role.University or Role.Organization ? unit : null;

    // \z, not $: $ also matches before a final line break.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._@-]{0,63}\z")]
    private static partial Regex UsernamePattern();
}
