using Summit.Domain;
using Orleans.Concurrency;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>
/// A summit's id lists, read from the store of record on every call: a stateless worker, so nothing grows in a grain's
/// state as entities are created, and a list is never stale.
/// </summary>
[GrainType("summit.catalog"), StatelessWorker]
public sealed class CatalogGrain(IEntityQueries queries) : Grain, ICatalogGrain
{
    public Task<IReadOnlyList<string>> List(EntityKind kind) => queries.ListIdsAsync(this.GetPrimaryKeyString(), kind);
}
