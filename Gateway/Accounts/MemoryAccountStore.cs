namespace Summit.Gateway.Accounts;

/// <summary>Accounts of a Gateway without a database: lost at restart, like the rest of its state.</summary>
public sealed class MemoryAccountStore : IAccountStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredAccount> _accounts = new(StringComparer.Ordinal);

    public Task<StoredAccount?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_accounts.GetValueOrDefault(username));
    }

    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<Account> all = _accounts.Values.Select(a => a.Account).OrderBy(a => a.Username, StringComparer.Ordinal).ToArray();
            return Task.FromResult(all);
        }
    }

    public Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_accounts.TryAdd(account.Account.Username, account));
    }

    public Task<bool> UpdateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_accounts.ContainsKey(account.Account.Username)) return Task.FromResult(false);
            _accounts[account.Account.Username] = account;
            return Task.FromResult(true);
        }
    }

    public Task<int> CountEnabledAdminsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_accounts.Values.Count(a => a.Account.Role == Domain.Role.Admin && !a.Account.Disabled));
    }
}
