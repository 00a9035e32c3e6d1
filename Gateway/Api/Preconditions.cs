using System.Globalization;
using Summit.Domain;
using Summit.Grains;

namespace Summit.Gateway.Api;

/// <summary>
/// What an <c>If-Match</c> header asks for (RFC 9110 §13.1.1): <c>*</c> (any current version), or a list of entity
/// tags of which one must be the entity's current version, compared strongly. Tags that are not ours (weak ones,
/// <c>"abc"</c>, <c>"0-stale"</c>) are well-formed but can never match, so a list of only those fails with 412.
/// </summary>
public sealed record IfMatch(bool Any, IReadOnlyList<int> Versions)
{
    public bool Matches(int version) => Any || Versions.Contains(version);

    /// <summary>The condition as an entity grain judges it.</summary>
    public WriteCondition ToCondition() => new(Any, Versions);

    /// <summary>The version the client named, for the 412 answer; -1 when it named none of ours.</summary>
    public int Named => Versions.Count > 0 ? Versions[0] : -1;

    /// <summary>The version to hand to the grain: the current one when it matches, so the grain still refuses a change that lost a race.</summary>
    public int ExpectedOrThrow(int current, Func<EntityNotFoundException> notFound)
    {
        if (Matches(current)) return current;
        var missing = notFound();
        throw new VersionConflictException(missing.Kind, missing.Id, Named, current);
    }
}

/// <summary>
/// Entity versions on the wire: every resource answers with a strong <c>ETag: "&lt;version&gt;"</c>, and a write may
/// send it back in <c>If-Match</c> so the grain refuses it atomically when someone else changed the entity first.
/// </summary>
public static class Preconditions
{
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private const string IfMatchField = "if-match";

    /// <summary>
    /// The <c>If-Match</c> condition, or null when the header is absent. Accepts <c>*</c>, a comma-separated list of
    /// entity tags (<c>"3"</c>, <c>W/"3"</c>, <c>"anything"</c>) and, leniently, one bare version (<c>3</c>).
    /// Only a syntactically broken header is refused (400 naming <c>if-match</c>); a tag that is not one of our
    /// strong versions simply does not match, which the write answers with 412 and the current version.
    /// </summary>
    public static IfMatch? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0) return null;
        var raw = string.Join(",", values.ToArray()).Trim();
        if (raw == "*") return new IfMatch(true, []);
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var bare)) return new IfMatch(false, [bare]);
        if (!TryParseTags(raw, out var tags) || tags.Count == 0)
            throw new DomainValidationException(IfMatchField, "must be * or a list of entity tags as sent in ETag, e.g. \"3\".");
        var versions = new List<int>();
        foreach (var (weak, opaque) in tags)
            if (!weak && OurVersion(opaque) is { } version && !versions.Contains(version)) versions.Add(version);
        return new IfMatch(false, versions);
    }

    /// <summary>
    /// The version a grain should expect for a write guarded by <paramref name="condition"/>: null without a condition or
    /// for <c>*</c>; otherwise the current version if one of the tags names it, else 412 (<see cref="VersionConflictException"/>).
    /// </summary>
    public static async Task<int?> ExpectedVersionAsync(IfMatch? condition, Func<Task<int>> current, Func<EntityNotFoundException> notFound)
    {
        if (condition is null || condition.Any) return null;
        // One tag of ours: the grain compares it atomically, no extra read needed.
        if (condition.Versions.Count == 1) return condition.Versions[0];
        return condition.ExpectedOrThrow(await current(), notFound);
    }

    /// <summary>
    /// True when the client's cached copy (<c>If-None-Match</c>) is the current version: <c>*</c>, or any listed tag
    /// equal to the current one by weak comparison (RFC 9110 §13.1.2), so <c>W/"3"</c> matches <c>"3"</c>.
    /// A malformed header is ignored, and the full answer is sent.
    /// </summary>
    public static bool IsNotModified(HttpRequest request, int version)
    {
        var values = request.Headers.IfNoneMatch;
        if (values.Count == 0) return false;
        var raw = string.Join(",", values.ToArray()).Trim();
        if (raw == "*") return true;
        if (!TryParseTags(raw, out var tags)) return false;
        return tags.Any(t => OurVersion(t.Opaque) == version);
    }

    private static int? OurVersion(string opaque) =>
        opaque.Length is > 0 and <= 10 && int.TryParse(opaque, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 0
            ? version
            : null;

    /// <summary>Parses <c>#entity-tag</c>: <c>[W/]"opaque"</c> separated by commas and optional white space.</summary>
    internal static bool TryParseTags(string text, out List<(bool Weak, string Opaque)> tags)
    {
        tags = [];
        var i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] is ' ' or '\t' or ',')) i++;
            if (i == text.Length) return true;
            var weak = false;
            if (text[i] == 'W' && i + 1 < text.Length && text[i + 1] == '/')
            {
                weak = true;
                i += 2;
            }
            if (i >= text.Length || text[i] != '"') return false;
            var end = i + 1;
            while (end < text.Length && IsEtagChar(text[end])) end++;
            if (end >= text.Length || text[end] != '"') return false;
            tags.Add((weak, text[(i + 1)..end]));
            i = end + 1;
            while (i < text.Length && (text[i] is ' ' or '\t')) i++;
            if (i < text.Length && text[i] != ',') return false;
        }
    }

    // etagc = %x21 / %x23-7E / obs-text
    private static bool IsEtagChar(char c) => c == '!' || (c >= '#' && c <= '~') || (c >= '\u0080' && c <= '\u00ff');
}
