using Summit.Domain;

namespace Summit.Grains;

/// <summary>Lists a summit's entities through its catalog grain, which asks the store of record.</summary>
public static class Catalog
{
    public static Task<IReadOnlyList<string>> ListAsync(IGrainFactory grains, string summit, EntityKind kind) =>
        grains.GetGrain<ICatalogGrain>(summit).List(kind);

    public static Task<IReadOnlyList<string>> ListSummitsAsync(IGrainFactory grains) =>
        grains.GetGrain<ICatalogGrain>(GrainKeys.AllSummits).List(EntityKind.Summit);
}
