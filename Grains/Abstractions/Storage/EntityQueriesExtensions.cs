using System.Text.Json;
using Summit.Domain;
using Summit.Serialization;

namespace Summit.Storage;

public static class EntityQueriesExtensions
{
    /// <summary>Every entity of one kind in a summit, read in one query instead of activating a grain per entity.</summary>
    public static async Task<List<TEntity>> LoadAllAsync<TEntity>(this IEntityQueries queries, string summit, EntityKind kind, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        var stored = await queries.LoadAllAsync(summit, kind, cancellationToken);
        var result = new List<TEntity>(stored.Count);
        foreach (var json in stored)
            if (JsonSerializer.Deserialize<TEntity>(json, SummitJson.Options) is { } entity) result.Add(entity);
        return result;
    }
}
