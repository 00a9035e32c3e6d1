using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Domain;
using Summit.Data.Audit;
using Summit.Data.Storage;

namespace Summit.Data.Accounts;

/// <summary>Accounts in PostgreSQL, table <c>summit_accounts</c> (migration 0100).</summary>
public sealed class PostgresAccountStore(NpgsqlDataSource dataSource) : IAccountStore
{
    private const string Columns =
        "username, role, unit, password_hash, security_stamp, created_at, created_by, password_changed_at, disabled_at, disabled_by, display_name";

    public async Task<StoredAccount?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM summit_accounts WHERE username = @username");
        command.Parameters.Add(new NpgsqlParameter<string>("username", username));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The page query of <see cref="ListAsync"/>: $1 offset, $2 limit, in the order of ix_summit_accounts_list (migration 0200).</summary>
    public const string PageSql = $"SELECT {Columns} FROM summit_accounts ORDER BY username COLLATE \"C\" OFFSET $1 LIMIT $2";

    public async Task<(IReadOnlyList<Account> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken = default) =>
        await CountAndPage.ReadAsync(dataSource, "SELECT count(*) FROM summit_accounts", PageSql,
            [], CountAndPage.PagingParameters(offset, limit), reader => Read(reader).Account, cancellationToken);

    public async Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO summit_accounts ({Columns})
            VALUES (@username, @role, @unit, @password_hash, @security_stamp, @created_at, @created_by, @password_changed_at, @disabled_at, @disabled_by, @display_name)
            ON CONFLICT (username) DO NOTHING
            """);
        AddParameters(command, account);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UpdateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE summit_accounts SET
                role = @role, unit = @unit, password_hash = @password_hash, security_stamp = @security_stamp,
                created_at = @created_at, created_by = @created_by, password_changed_at = @password_changed_at,
                disabled_at = @disabled_at, disabled_by = @disabled_by, display_name = @display_name
            WHERE username = @username
            """);
        AddParameters(command, account);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> CountEnabledAdminsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM summit_accounts WHERE role = 'admin' AND disabled_at IS NULL");
        return checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    private static void AddParameters(NpgsqlCommand command, StoredAccount stored)
    {
        var a = stored.Account;
        command.Parameters.Add(new NpgsqlParameter<string>("username", a.Username));
        command.Parameters.Add(new NpgsqlParameter<string>("role", AuditNames.Of(a.Role)));
        command.Parameters.Add(Nullable("unit", a.Unit));
        command.Parameters.Add(new NpgsqlParameter<string>("password_hash", stored.PasswordHash));
        command.Parameters.Add(new NpgsqlParameter<string>("security_stamp", stored.SecurityStamp));
        command.Parameters.Add(new NpgsqlParameter<Instant>("created_at", a.CreatedAt));
        command.Parameters.Add(Nullable("created_by", a.CreatedBy));
        command.Parameters.Add(new NpgsqlParameter<Instant>("password_changed_at", a.PasswordChangedAt));
        command.Parameters.Add(new NpgsqlParameter("disabled_at", NpgsqlDbType.TimestampTz) { Value = (object?)a.DisabledAt ?? DBNull.Value });
        command.Parameters.Add(Nullable("disabled_by", a.DisabledBy));
        command.Parameters.Add(Nullable("display_name", a.DisplayName));
    }

    private static NpgsqlParameter Nullable(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static StoredAccount Read(NpgsqlDataReader reader) => new(
        new Account(
            Username: reader.GetString(0),
            Role: AuditNames.ParseRole(reader.GetString(1)),
            Unit: reader.IsDBNull(2) ? null : reader.GetString(2),
            CreatedAt: reader.GetFieldValue<Instant>(5),
            CreatedBy: reader.IsDBNull(6) ? null : reader.GetString(6),
            PasswordChangedAt: reader.GetFieldValue<Instant>(7),
            DisabledAt: reader.IsDBNull(8) ? null : reader.GetFieldValue<Instant>(8),
            DisabledBy: reader.IsDBNull(9) ? null : reader.GetString(9),
            DisplayName: reader.IsDBNull(10) ? null : reader.GetString(10)),
        PasswordHash: reader.GetString(3),
        SecurityStamp: reader.GetString(4));
}
