namespace Summit.Grains;

/// <summary>The ids in one catalog shard, kept in ordinal order.</summary>
[GenerateSerializer, Alias("summit.state.catalog")]
public sealed class CatalogState
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}
