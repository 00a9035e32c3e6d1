using Summit.Rules;
using NodaTime;
using Summit.Data.Audit;
using Summit.Data.Security;
using Summit.Time;

namespace Summit.Gateway.Security;

/// <summary>
/// Records security events in the store and in the log. Never fails the request that caused the
/// event: a store error is logged and swallowed.
/// </summary>
public sealed class SecurityLog(ISecurityEventStore store, WallClock clock, ILogger<SecurityLog> logger)
{
    private const string RefusalKey = "summit:security:refusal";

    public async Task RecordAsync(HttpContext http, string kind, string? account, string? detail)
    {
        // Sign-in usernames come straight from the client: keep them short and on one line in the log.
        account = Sanitize(account);
        var role = http.User.TryGetActor(out var actor) ? AuditNames.Of(actor.Role) : null;
        var entry = new SecurityEvent(
            clock.GetCurrentInstant(),
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
    /// entity), so the refusal is logged like a 403. Endpoints call it where <see cref="AccessRules"/> says no.
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
