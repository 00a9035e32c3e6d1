using Summit.Domain;

namespace Summit.Grains;

/// <summary>
/// The ids of one kind of entity in one summit, read from the store of record. Key: the summit's code
/// (<see cref="GrainKeys.AllSummits"/> lists the summits). Stateless: nothing about a summit's entities is kept in a grain.
/// </summary>
[Alias("summit.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    [Alias("list-kind")] Task<IReadOnlyList<string>> List(EntityKind kind);
}
