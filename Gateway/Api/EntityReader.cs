using Summit.Domain;
using Summit.Grains;

namespace Summit.Gateway.Api;

/// <summary>Reads every entity of one kind in a summit: its catalog, then each grain in parallel.</summary>
public static class EntityReader
{
    public static async Task<IReadOnlyList<TEntity>> ReadAllAsync<TGrain, TEntity>(
        IGrainFactory grains, string summit, EntityKind kind, Func<TGrain, Task<TEntity?>> read)
        where TGrain : IGrainWithStringKey
        where TEntity : class
    {
        var ids = await Catalog.ListAsync(grains, summit, kind);
        var entities = await Task.WhenAll(ids.Select(id => read(grains.GetGrain<TGrain>(GrainKeys.Of(summit, id)))));
        // A listed id whose grain has no state was a create that failed after registering.
        return entities.OfType<TEntity>().ToArray();
    }

    /// <summary>The summit, or 404. Says nothing about access: resource endpoints use <see cref="Guard.ReadSummitAsync"/>.</summary>
    public static async Task<SummitEdition> RequireSummitAsync(IGrainFactory grains, string summit) =>
        await grains.GetGrain<ISummitGrain>(summit).Get() ?? throw new EntityNotFoundException(EntityKind.Summit, summit);
}
