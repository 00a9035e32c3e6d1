namespace Summit.Data.Accounts;

/// <summary>Where accounts are kept: PostgreSQL (<c>summit_accounts</c>) or, without a database, memory.</summary>
public interface IAccountStore
{
    /// <param name="username">Already normalised (lower-case).</param>
    Task<StoredAccount?> FindAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>A page of the accounts, ordered by username (ordinal), and how many accounts there are.</summary>
    Task<(IReadOnlyList<Account> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken = default);

    /// <returns>False when an account with that username already exists (nothing is changed).</returns>
    Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored account of the same username.</summary>
    /// <returns>False when there is no such account.</returns>
    Task<bool> UpdateAsync(StoredAccount account, CancellationToken cancellationToken = default);

    Task<int> CountEnabledAdminsAsync(CancellationToken cancellationToken = default);
}
