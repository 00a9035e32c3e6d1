using Summit.Domain;

namespace Summit.Grains;

/// <summary>
/// Grain keys: every entity lives under its summit, as <c>{summit}/{id}</c>. Codes never contain '/',
/// so the split is unambiguous.
/// </summary>
public static class GrainKeys
{
    public static string Of(string summit, string id) => $"{summit}/{id}";

    public static (string Summit, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1) throw new ArgumentException($"'{key}' is not a summit-scoped key.", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>The catalog that lists the summits themselves.</summary>
    public const string AllSummits = "_";
}
