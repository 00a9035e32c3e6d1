using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Storage;

namespace Summit.Data.Security;

/// <summary>Failed and throttled sign-ins and refused authorizations. Times are real time.</summary>
public sealed record SecurityEvent(
    Instant At,
    string Kind,
    string? Account,
    string? Role,
    string? Address,
    string? Method,
    string? Path,
    string? Detail);

public static class SecurityEventKinds
{
    public const string SignInFailed = "signInFailed";
    public const string SignInThrottled = "signInThrottled";
    public const string AccessRefused = "accessRefused";
}

/// <summary>Where security events are kept: <c>summit_security_events</c> in PostgreSQL.</summary>
public interface ISecurityEventStore
{
    Task AppendAsync(SecurityEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<(IReadOnlyList<SecurityEvent> Items, int Total)> ListAsync(string? account, int offset, int limit, CancellationToken cancellationToken = default);
}

public sealed class PostgresSecurityEventStore(NpgsqlDataSource dataSource) : ISecurityEventStore
{
    public async Task AppendAsync(SecurityEvent entry, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO summit_security_events (at, kind, account, role, address, method, path, detail)
            VALUES (@at, @kind, @account, @role, @address, @method, @path, @detail)
            """);
        command.Parameters.Add(new NpgsqlParameter<Instant>("at", entry.At));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", entry.Kind));
        command.Parameters.Add(Text("account", Clip(entry.Account, 200)));
        command.Parameters.Add(Text("role", entry.Role));
        command.Parameters.Add(Text("address", entry.Address));
        command.Parameters.Add(Text("method", entry.Method));
        command.Parameters.Add(Text("path", Clip(entry.Path, 2000)));
        command.Parameters.Add(Text("detail", Clip(entry.Detail, 2000)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<SecurityEvent> Items, int Total)> ListAsync(string? account, int offset, int limit, CancellationToken cancellationToken = default)
    {
        const string Filter = "(@account::text IS NULL OR account = @account)";
        return await CountAndPage.ReadAsync(dataSource,
            $"SELECT count(*) FROM summit_security_events WHERE {Filter}",
            $"""
            SELECT at, kind, account, role, address, method, path, detail FROM summit_security_events
            WHERE {Filter} ORDER BY at DESC, id DESC OFFSET @offset LIMIT @limit
            """,
            [Text("account", account)],
            [new NpgsqlParameter<int>("offset", Math.Max(0, offset)), new NpgsqlParameter<int>("limit", Math.Max(0, limit))],
            reader => new SecurityEvent(
                reader.GetFieldValue<Instant>(0), reader.GetString(1),
                Nullable(reader, 2), Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6), Nullable(reader, 7)),
            cancellationToken);
    }

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string? Clip(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;
}
