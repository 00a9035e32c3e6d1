using System.Globalization;
using Microsoft.Net.Http.Headers;
using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>
/// Entity versions on the wire: every resource answers with a strong <c>ETag: "&lt;version&gt;"</c>, and a write may
/// send it back in <c>If-Match</c> so the grain refuses it atomically when someone else changed the entity first.
/// </summary>
public static class Preconditions
{
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an <c>If-Match</c> header asks for: null when absent or <c>*</c>. Accepts <c>"3"</c> and, leniently, <c>3</c>;
    /// weak tags never match (RFC 9110 compares If-Match strongly), so they are refused like any other malformed value.
    /// </summary>
    public static int? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0) return null;
        var raw = string.Join(",", values.ToArray()).Trim();
        if (raw == "*") return null;
        var text = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0) return version;
        throw new DomainValidationException("if-match", "must be one entity version as sent in ETag, e.g. \"3\".");
    }

    /// <summary>True when the client's cached copy (<c>If-None-Match</c>) is the current version.</summary>
    public static bool IsNotModified(HttpRequest request, int version)
    {
        var current = ETag(version);
        foreach (var value in request.Headers.IfNoneMatch)
        foreach (var tag in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (tag == "*" || tag == current || tag == "W/" + current) return true;
        return false;
    }
}
