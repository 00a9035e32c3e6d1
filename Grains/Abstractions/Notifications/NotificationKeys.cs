using System.Security.Cryptography;
using System.Text;

namespace Summit.Notifications;

public static class NotificationKeys
{
    /// <summary>The inbox grain key of a target: <c>account:{name}</c>, <c>unit:{kind}:{code}</c> or <c>secretariat</c>.</summary>
    public static string Inbox(NotificationTarget target) => target.ToString();

    /// <summary>
    /// A notification id derived from what it is about, so the same step, announced again after a late or repeated
    /// tick, gets the same id and is stored once. Letters and digits only, safe in a URL.
    /// </summary>
    public static string Id(params object?[] parts)
    {
        var text = string.Join('|', parts.Select(p => p?.ToString() ?? ""));
        return "n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..31];
    }
}
