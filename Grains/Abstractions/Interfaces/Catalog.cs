using Summit.Domain;

namespace Summit.Grains;

/// <summary>Reads a summit's catalog across its shards.</summary>
public static class Catalog
{
    public static async Task<IReadOnlyList<string>> ListAsync(IGrainFactory grains, string summit, EntityKind kind)
    {
        var shards = Enumerable.Range(0, GrainKeys.CatalogShards(kind))
            .Select(shard => grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog(summit, kind, shard)).List());
        var lists = await Task.WhenAll(shards);
        return lists.SelectMany(ids => ids).Order(StringComparer.Ordinal).ToArray();
    }

    public static Task<IReadOnlyList<string>> ListSummitsAsync(IGrainFactory grains) =>
        ListAsync(grains, GrainKeys.AllSummits, EntityKind.Summit);

    public static Task AddAsync(IGrainFactory grains, string summit, EntityKind kind, string id) =>
        grains.GetGrain<ICatalogGrain>(GrainKeys.CatalogFor(summit, kind, id)).Add(id);
}
