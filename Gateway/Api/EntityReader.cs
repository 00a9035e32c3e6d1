using System.Text.Json;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>Reads of the store of record for the lists: entities as stored JSON, and histories a page at a time.</summary>
public static class EntityReader
{
    /// <summary>Stored JSON as entities, in the same order.</summary>
    public static IEnumerable<TEntity> Read<TEntity>(IEnumerable<string> stored) where TEntity : class =>
        stored.Select(ReadOne<TEntity>).OfType<TEntity>();

    /// <summary>One entity's stored JSON as the entity (null for a JSON null).</summary>
    public static TEntity? ReadOne<TEntity>(string json) where TEntity : class => JsonSerializer.Deserialize<TEntity>(json, SummitJson.Options);

    /// <summary>The history page a query string asks for; 400 naming <c>offset</c>, <c>limit</c> or <c>after</c> when it is not one.</summary>
    public static HistoryQuery HistoryQuery(EntityKey key, CursorPageQuery page)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        var after = Paging.After<int>(errors, page.After, ListCursor.TryHistory);
        errors.ThrowIfAny();
        return new HistoryQuery(key) { AfterVersion = after, Offset = page.Offset ?? 0, Limit = page.Limit ?? Paging.DefaultLimit };
    }

    /// <summary>
    /// A page of an entity's history, read from the audit table (committed rows, so no grain is asked), with <c>next</c>
    /// when more follow. The caller has checked that the actor may read the entity.
    /// </summary>
    public static async Task<IResult> HistoryAsync(HttpContext http, HistoryQuery query)
    {
        var page = await http.RequestServices.GetRequiredService<IEntityQueries>().QueryHistoryAsync(query, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<HistoryEntry>(page.Items, page.Total)
        {
            Next = page.NextAfterVersion is { } version ? ListCursor.OfHistory(version) : null,
        });
    }

    /// <summary>The summit, or 404. Says nothing about access: resource endpoints use <see cref="Guard.ReadSummitAsync"/>.</summary>
    public static async Task<SummitEdition> RequireSummitAsync(IGrainFactory grains, string summit) =>
        (FieldErrors.IsCode(summit) ? await grains.GetGrain<ISummitGrain>(summit).Get() : null)
        ?? throw new EntityNotFoundException(EntityKind.Summit, summit);
}
