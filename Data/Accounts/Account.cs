using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;

namespace Summit.Data.Accounts;

/// <summary>A Summit account as the admin API shows it; never carries the password hash.</summary>
/// <param name="Username">Lower-case, unique.</param>
/// <param name="Unit">County code for county accounts, university code for university accounts, else null.</param>
/// <param name="DisplayName">The person or office behind the account, for people to read; optional.</param>
public sealed record Account(
    string Username,
    Role Role,
    string? Unit,
    Instant CreatedAt,
    string? CreatedBy,
    Instant PasswordChangedAt,
    Instant? DisabledAt = null,
    string? DisabledBy = null,
    string? DisplayName = null)
{
    [JsonPropertyOrder(100)]
    public bool Disabled => DisabledAt is not null;
}

/// <summary>An account with what only the store and the sign-in check see.</summary>
/// <param name="SecurityStamp">Changes when the password is reset or the account disabled or enabled; tokens and cookies carry it, so older ones stop working.</param>
public sealed record StoredAccount(Account Account, string PasswordHash, string SecurityStamp)
{
    public static string NewStamp() => Guid.NewGuid().ToString("N");
}
