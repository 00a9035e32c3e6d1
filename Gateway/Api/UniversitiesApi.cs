using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/universities</c>: partner universities, keyed by their code.</summary>
public static class UniversitiesApi
{
    public static RouteGroupBuilder MapUniversitiesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/universities").WithTags("Partner universities");
        group.MapGet("/", List).Describe("ListUniversities", "Lists the partner universities the caller may read.").ReadsList<PartnerUniversity>();
        group.MapGet("/{code}", Get).Describe("GetUniversity", "Reads one partner university.").ReadsOne<PartnerUniversity>();
        group.MapPost("/", Create).Describe("CreateUniversity", "Adds a partner university (secretariat).").Creates<PartnerUniversity>();
        group.MapPatch("/{code}", Patch).Describe("UpdateUniversity", "Changes a partner university (secretariat, or the university's own accounts).")
            .Updates<PartnerUniversity>();
        group.MapGet("/{code}/history", History).Describe("GetUniversityHistory", "Lists the accepted changes of a partner university.")
            .ReadsList<HistoryEntry>();
        return group;
    }

    private static async Task<IResult> List(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var all = await EntityReader.ReadAllAsync<IPartnerUniversityGrain, PartnerUniversity>(grains, summit, EntityKind.University, g => g.Get());
        var readable = all.Where(u => SummitAccess.Allows(actor, Access.Read, ResourceScope.Of(u))).ToArray();
        return TypedResults.Ok(Paging.Page(readable, page.Offset, page.Limit));
    }

    private static async Task<IResult> Get(string summit, string code, HttpContext http, IGrainFactory grains)
    {
        var (university, _) = await ReadAsync(grains, summit, code, http.User.ToActor());
        return Responses.Read(http, university, university.Version);
    }

    private static async Task<IResult> Create(string summit, CreateUniversityRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.University, ResourceScope.Summit, "partner universities");
        var errors = new FieldErrors();
        var draft = body.ToDraft();
        UniversityRules.Validate(body.Code!, draft, errors);
        errors.ThrowIfAny();
        var university = await Grain(grains, summit, body.Code!).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/universities/{university.Code}", university, university.Version);
    }

    private static async Task<IResult> Patch(string summit, string code, UniversityPatch patch, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        await Guard.ReadSummitAsync(grains, summit, actor);
        var change = patch.ToChange();
        var grain = Grain(grains, summit, code);
        var university = await GuardedChange.RunAsync(
            grain.Get,
            u => u.Version,
            u => Guard.Write(actor, ResourceScope.Of(u), EntityKind.University, code),
            (_, version) => grain.Change(change, actor, version),
            ifMatch,
            () => NotFound(code));
        return Responses.Entity(http, university, university.Version);
    }

    private static async Task<IResult> History(string summit, string code, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var (_, grain) = await ReadAsync(grains, summit, code, http.User.ToActor());
        return TypedResults.Ok(Paging.Page(await grain.GetHistory(), page.Offset, page.Limit));
    }

    private static async Task<(PartnerUniversity, IPartnerUniversityGrain)> ReadAsync(IGrainFactory grains, string summit, string code, Actor actor)
    {
        await Guard.ReadSummitAsync(grains, summit, actor);
        var grain = Grain(grains, summit, code);
        var university = await grain.Get() ?? throw NotFound(code);
        Guard.Read(actor, ResourceScope.Of(university), EntityKind.University, code);
        return (university, grain);
    }

    private static IPartnerUniversityGrain Grain(IGrainFactory grains, string summit, string code) =>
        FieldErrors.IsCode(code) ? grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, code)) : throw NotFound(code);

    private static EntityNotFoundException NotFound(string code) => new(EntityKind.University, code);
}
