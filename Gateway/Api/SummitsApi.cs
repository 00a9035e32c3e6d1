using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits</c>: summit editions.</summary>
public static class SummitsApi
{
    public static RouteGroupBuilder MapSummitsApi(this RouteGroupBuilder summits)
    {
        summits.MapGet("/", List).WithTags("Summits").Describe("ListSummits", "Lists the summit editions.").ReadsList<SummitEdition>();
        summits.MapGet("/{summit}", Get).WithTags("Summits").Describe("GetSummit", "Reads one summit edition.").ReadsOne<SummitEdition>();
        summits.MapPost("/", Create).WithTags("Summits").Describe("CreateSummit", "Defines a new summit edition (secretariat).").Creates<SummitEdition>();
        summits.MapPut("/{summit}", Update).WithTags("Summits").Describe("UpdateSummit", "Replaces a summit edition's definition (secretariat).")
            .Updates<SummitEdition>();
        summits.MapGet("/{summit}/history", History).WithTags("Summits").Describe("GetSummitHistory", "Lists the accepted changes of a summit edition.")
            .ReadsList<HistoryEntry>();
        return summits;
    }

    private static async Task<IResult> List([AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        if (!AccessRules.Allows(actor, Access.Read, ResourceScope.Summit))
            return TypedResults.Ok(new ListResponse<SummitEdition>([], 0));
        // The stored editions, a page at a time; no summit grain is activated for the list.
        var result = await http.RequestServices.GetRequiredService<IEntityQueries>().QuerySummitsAsync(
            page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<SummitEdition>(EntityReader.Read<SummitEdition>(result.Items).ToArray(), result.Total));
    }

    private static async Task<IResult> Get(string summit, HttpContext http, IGrainFactory grains)
    {
        var edition = await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        return Responses.Read(http, edition, edition.Version);
    }

    private static async Task<IResult> Create(CreateSummitRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        Guard.Create(actor, EntityKind.Summit, ResourceScope.Summit, "summits");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        SummitRules.Validate(body.Code!, draft, errors);
        errors.ThrowIfAny();
        var edition = await grains.GetGrain<ISummitGrain>(body.Code!).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{edition.Code}", edition, edition.Version);
    }

    private static async Task<IResult> Update(string summit, SummitDefinition body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        await Guard.ReadSummitAsync(grains, summit, actor);
        var grain = grains.GetGrain<ISummitGrain>(summit);
        var edition = await GuardedChange.RunAsync(
            grain.Get,
            s => s.Version,
            s =>
            {
                Guard.Write(actor, ResourceScope.Summit, EntityKind.Summit, summit);
                SummitRules.Validate(summit, draft, errors);
                errors.ThrowIfAny();
            },
            (_, version) => grain.Update(draft, actor, version),
            ifMatch,
            () => new EntityNotFoundException(EntityKind.Summit, summit));
        return Responses.Entity(http, edition, edition.Version);
    }

    private static async Task<IResult> History(string summit, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains)
    {
        var query = EntityReader.HistoryQuery(new EntityKey(summit, EntityKind.Summit, summit), page);
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        return await EntityReader.HistoryAsync(http, query);
    }
}
