using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// What every entity kept in a summit answers alike: its list, one entity, a change under If-Match and its history, each
/// behind the same summit check and access rules (a change is judged by the grain itself). The entity's grain is keyed
/// <see cref="GrainKeys.Of"/>(summit, id). A resource's API keeps its own routes, descriptions, create and domain actions.
/// </summary>
/// <param name="kind">How refusals and 404s name the entity.</param>
/// <param name="get">The grain's state, null when the entity was never created.</param>
/// <param name="version">The entity's version, sent as its ETag.</param>
/// <param name="scope">What <see cref="AccessRules"/> judges the entity by.</param>
/// <remarks>The list and the history are queries of the store (<see cref="IEntityQueries"/>): a page reads a page, and
/// the list's order and access filter are the query's (<see cref="EntityListQuery"/>).</remarks>
public sealed class SummitEntityEndpoints<TGrain, TEntity>(
    EntityKind kind,
    Func<TGrain, Task<TEntity?>> get,
    Func<TEntity, int> version,
    Func<TEntity, ResourceScope> scope)
    where TGrain : IGrainWithStringKey
    where TEntity : class
{
    // List takes no entity key, so it is mapped as it is. The others are called from the resource's own handlers,
    // whose parameter names bind (and document) the route's key: {id}, {code}, {county}.

    /// <summary>
    /// The entities the caller may read, a page at a time; the rest are left out as if they did not exist. The caller's
    /// units (<see cref="AccessRules.ReadableUnits"/>) are a condition of the query, so nothing it may not read is loaded.
    /// </summary>
    public Task<IResult> List(string summit, [AsParameters] TextPageQuery page, HttpContext http, IGrainFactory grains) =>
        ListWhere(summit, page, new FieldErrors(), query => query, http, grains);

    /// <summary>
    /// <see cref="List"/> with a resource's own filters: <paramref name="errors"/> holds what the resource found wrong with
    /// them (answered with the paging's), and <paramref name="filter"/> adds them to the query.
    /// </summary>
    public async Task<IResult> ListWhere(
        string summit, TextPageQuery page, FieldErrors errors, Func<EntityListQuery, EntityListQuery> filter, HttpContext http, IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(filter);
        var terms = QueryValues.Terms(errors, "q", page.Q);
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var result = await http.RequestServices.GetRequiredService<IEntityQueries>().QueryEntitiesAsync(filter(new EntityListQuery(summit, kind)
        {
            Units = AccessRules.ReadableUnits(actor),
            Terms = terms,
            Offset = page.Offset ?? 0,
            Limit = page.Limit ?? Paging.DefaultLimit,
        }), http.RequestAborted);
        var items = EntityReader.Read<TEntity>(result.Items)
            // The query's filter is the access rule; asking it again per entity costs nothing and keeps one decision.
            .Where(e => AccessRules.Allows(actor, Access.Read, scope(e)))
            .ToArray();
        return TypedResults.Ok(new ListResponse<TEntity>(items, result.Total));
    }

    /// <summary>
    /// Every entity the list would hold for <paramref name="actor"/> (matching <paramref name="terms"/>), read a page at a
    /// time in the list's order, for an export; the summit is read (and the caller's access to it judged) first.
    /// </summary>
    public async IAsyncEnumerable<TEntity> ReadAllAsync(
        string summit, IReadOnlyList<string>? terms, Actor actor, IGrainFactory grains, IEntityQueries store,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Guard.ReadSummitAsync(grains, summit, actor);
        var rows = Paging.ReadAllAsync(500, async (offset, limit, ct) => (await store.QueryEntitiesAsync(new EntityListQuery(summit, kind)
        {
            Units = AccessRules.ReadableUnits(actor),
            Terms = terms,
            Offset = offset,
            Limit = limit,
        }, ct)).Items, cancellationToken);
        await foreach (var json in rows)
        {
            if (EntityReader.ReadOne<TEntity>(json) is { } entity && AccessRules.Allows(actor, Access.Read, scope(entity)))
                yield return entity;
        }
    }

    public async Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains)
    {
        var (entity, _) = await ReadAsync(grains, summit, id, http.User.ToActor());
        return Responses.Read(http, entity, version(entity));
    }

    /// <summary>The entity's accepted changes, oldest first, read from the audit table a page at a time (offset or <c>after</c>).</summary>
    public async Task<IResult> History(string summit, string id, CursorPageQuery page, HttpContext http, IGrainFactory grains)
    {
        var query = EntityReader.HistoryQuery(new EntityKey(summit, kind, id), page);
        await ReadAsync(grains, summit, id, http.User.ToActor());
        return await EntityReader.HistoryAsync(http, query);
    }

    /// <summary>
    /// A PATCH in one grain call: the entity's grain judges the summit, access, the body's errors, If-Match and the rules
    /// itself (<see cref="PatchCommand{TChange}"/>), on the state it holds, so the Gateway reads nothing before the commit.
    /// </summary>
    /// <param name="toChange">The body as the grain's change; what it finds wrong is answered once the actor may change the entity.</param>
    /// <param name="patch">The grain's PATCH command.</param>
    public async Task<IResult> Patch<TChange>(
        string summit, string id, HttpContext http, IGrainFactory grains,
        Func<FieldErrors, TChange> toChange,
        Func<TGrain, PatchCommand<TChange>, Task<TEntity>> patch)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        Guard.ReadSummitByRole(actor, summit);
        var errors = new FieldErrors();
        var change = toChange(errors);
        var entity = await patch(Grain(grains, summit, id),
            new PatchCommand<TChange>(change, actor, [], errors.Any ? errors.ToDictionary() : null, ifMatch?.ToCondition()));
        return Responses.Entity(http, entity, version(entity));
    }

    /// <summary>The entity and its grain, if the summit and the entity exist and the actor may read both; else 404.</summary>
    public async Task<(TEntity Entity, TGrain Grain)> ReadAsync(IGrainFactory grains, string summit, string id, Actor actor)
    {
        var (entity, grain, _) = await ReadInSummitAsync(grains, summit, id, actor);
        return (entity, grain);
    }

    /// <summary><see cref="ReadAsync"/> that also answers the summit it read, for a resource shown in the summit's zone.</summary>
    public async Task<(TEntity Entity, TGrain Grain, SummitEdition Summit)> ReadInSummitAsync(IGrainFactory grains, string summit, string id, Actor actor)
    {
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        var grain = Grain(grains, summit, id);
        var entity = await get(grain) ?? throw NotFound(id);
        Guard.Read(actor, scope(entity), kind, id);
        return (entity, grain, edition);
    }

    /// <summary>The entity's grain; an id that is not a code names no entity.</summary>
    public TGrain Grain(IGrainFactory grains, string summit, string id) =>
        FieldErrors.IsCode(id) ? grains.GetGrain<TGrain>(GrainKeys.Of(summit, id)) : throw NotFound(id);

    public EntityNotFoundException NotFound(string id) => new(kind, id);
}
