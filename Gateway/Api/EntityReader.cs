using Summit.Domain;
using Summit.Grains;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>Reads every entity of one kind in a summit from the store of record, in one query (no grain per entity).</summary>
public static class EntityReader
{
    public static async Task<IReadOnlyList<TEntity>> ReadAllAsync<TEntity>(HttpContext http, string summit, EntityKind kind)
        where TEntity : class =>
        await http.RequestServices.GetRequiredService<IEntityQueries>().LoadAllAsync<TEntity>(summit, kind, http.RequestAborted);

    /// <summary>The summit, or 404. Says nothing about access: resource endpoints use <see cref="Guard.ReadSummitAsync"/>.</summary>
    public static async Task<SummitEdition> RequireSummitAsync(IGrainFactory grains, string summit) =>
        await grains.GetGrain<ISummitGrain>(summit).Get() ?? throw new EntityNotFoundException(EntityKind.Summit, summit);
}
