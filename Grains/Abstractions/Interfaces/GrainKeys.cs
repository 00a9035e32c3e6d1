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

    /// <summary>Tasks run to tens of thousands per summit, so their catalog is spread over shards to keep each write small.</summary>
    public static int CatalogShards(EntityKind kind) => kind == EntityKind.Task ? 32 : 1;

    public static string Catalog(string summit, EntityKind kind, int shard) => $"{summit}/{kind.ToString().ToLowerInvariant()}/{shard}";

    public static string CatalogFor(string summit, EntityKind kind, string id) =>
        Catalog(summit, kind, (int)(StableHash(id) % (uint)CatalogShards(kind)));

    /// <summary>The catalog that lists the summits themselves.</summary>
    public const string AllSummits = "_";

    // string.GetHashCode is randomised per process; shard choice must be the same in every silo and across restarts.
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
