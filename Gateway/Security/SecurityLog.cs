using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Hosting.Audit;

namespace Summit.Gateway.Security;

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

/// <summary>Where security events are kept: <c>summit_security_events</c> in PostgreSQL, else memory.</summary>
public interface ISecurityEventStore
{
    Task AppendAsync(SecurityEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<(IReadOnlyList<SecurityEvent> Items, int Total)> ListAsync(string? account, int offset, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Records security events in the store and in the log. Never fails the request that caused the
/// event: a store error is logged and swallowed.
/// </summary>
public sealed class SecurityLog(ISecurityEventStore store, ILogger<SecurityLog> logger)
{
    private const string RefusalKey = "summit:security:refusal";

    public async Task RecordAsync(HttpContext http, string kind, string? account, string? detail)
    {
        // Sign-in usernames come straight from the client: keep them short and on one line in the log.
        account = Sanitize(account);
        var role = http.User.TryGetActor(out var actor) ? AuditNames.Of(actor.Role) : null;
        var entry = new SecurityEvent(
            SystemClock.Instance.GetCurrentInstant(),
            kind,
            account,
            role,
            http.Connection.RemoteIpAddress?.ToString(),
            Sanitize(http.Request.Method, 20),
            Sanitize(http.Request.Path.Value, 2000),
            Sanitize(detail, 2000));
        logger.LogWarning("Security event {Kind}: account {Account} ({Role}) from {Address}, {Method} {Path}: {Detail}",
            kind, account ?? "-", role ?? "-", entry.Address ?? "-", entry.Method, entry.Path, entry.Detail ?? "-");
        try
        {
            await store.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not store security event {Kind} for {Account}", kind, account);
        }
    }

    /// <summary>
    /// Marks this request as refused by an access rule even though it is answered 404 (another tenant's
    /// entity), so the refusal is logged like a 403. Endpoints call it where <see cref="SummitAccess"/> says no.
    /// </summary>
    public static void MarkRefused(HttpContext http, string detail) => http.Items[RefusalKey] = detail;

    /// <summary>One line of at most <paramref name="max"/> characters, without NUL (which PostgreSQL refuses in text).</summary>
    private static string? Sanitize(string? value, int max = 100)
    {
        if (value is null) return null;
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).Take(max).ToArray());
        return clean.Length < value.Length ? clean + "…" : clean;
    }

    internal static string? RefusalOf(HttpContext http) => http.Items.TryGetValue(RefusalKey, out var value) ? value as string : null;
}

public static class SecurityLogHttpExtensions
{
    /// <inheritdoc cref="SecurityLog.MarkRefused"/>
    public static void RecordRefusal(this HttpContext http, string detail) => SecurityLog.MarkRefused(http, detail);
}

public sealed class MemorySecurityEventStore : ISecurityEventStore
{
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly LinkedList<SecurityEvent> _events = new();

    public Task AppendAsync(SecurityEvent entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _events.AddFirst(entry);
            if (_events.Count > Capacity) _events.RemoveLast();
        }
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<SecurityEvent> Items, int Total)> ListAsync(string? account, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var matching = _events.Where(e => account is null || e.Account == account).ToArray();
            IReadOnlyList<SecurityEvent> page = matching.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToArray();
            return Task.FromResult((page, matching.Length));
        }
    }
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT count(*) FROM summit_security_events WHERE {Filter}") { Parameters = { Text("account", account) } },
                new NpgsqlBatchCommand($"""
                    SELECT at, kind, account, role, address, method, path, detail FROM summit_security_events
                    WHERE {Filter} ORDER BY at DESC, id DESC OFFSET @offset LIMIT @limit
                    """)
                {
                    Parameters =
                    {
                        Text("account", account),
                        new NpgsqlParameter<int>("offset", Math.Max(0, offset)),
                        new NpgsqlParameter<int>("limit", Math.Max(0, limit)),
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = checked((int)reader.GetInt64(0));
        await reader.NextResultAsync(cancellationToken);
        var items = new List<SecurityEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new SecurityEvent(
                reader.GetFieldValue<Instant>(0), reader.GetString(1),
                Nullable(reader, 2), Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6), Nullable(reader, 7)));
        }
        return (items, total);
    }

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string? Clip(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;
}
