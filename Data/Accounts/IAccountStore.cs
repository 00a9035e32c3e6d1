namespace Summit.Data.Accounts;

/// <summary>Where accounts are kept: PostgreSQL (<c>summit_accounts</c>) or, without a database, memory.</summary>
public interface IAccountStore
{
    /// <param name="username">Already normalised (lower-case).</param>
    Task<StoredAccount?> FindAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Every account, ordered by username. Accounts number in the hundreds, not more.</summary>
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <returns>False when an account with that username already exists (nothing is changed).</returns>
    Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored account of the same username.</summary>
    /// <returns>False when there is no such account.</returns>
    Task<bool> UpdateAsync(StoredAccount account, CancellationToken cancellationToken = default);

    Task<int> CountEnabledAdminsAsync(CancellationToken cancellationToken = default);
}
