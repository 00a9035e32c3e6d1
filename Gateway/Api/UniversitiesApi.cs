using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/universities</c>: partner universities, keyed by their code.</summary>
public static class UniversitiesApi
{
    private static readonly SummitEntityEndpoints<IPartnerUniversityGrain, PartnerUniversity> Universities =
        new(EntityKind.University, g => g.Get(), u => u.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapUniversitiesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/universities").WithTags("Partner universities");
        group.MapGet("/", Universities.List).Describe("ListUniversities", "Lists the partner universities the caller may read.").ReadsList<PartnerUniversity>();
        group.MapGet("/{code}", Get).Describe("GetUniversity", "Reads one partner university.").ReadsOne<PartnerUniversity>();
        group.MapPost("/", Create).Describe("CreateUniversity", "Adds a partner university (secretariat).").Creates<PartnerUniversity>();
        group.MapPatch("/{code}", Patch).Describe("UpdateUniversity", "Changes a partner university (secretariat, or the university's own accounts).")
            .Updates<PartnerUniversity>();
        group.MapGet("/{code}/history", History).Describe("GetUniversityHistory", "Lists the accepted changes of a partner university.")
            .ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> Get(string summit, string code, HttpContext http, IGrainFactory grains) =>
        Universities.Get(summit, code, http, grains);

    private static async Task<IResult> Create(string summit, CreateUniversityRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.University, ResourceScope.Summit, "partner universities");
        var errors = new FieldErrors();
        var draft = body.ToDraft();
        UniversityRules.Validate(body.Code!, draft, errors);
        errors.ThrowIfAny();
        var university = await Universities.Grain(grains, summit, body.Code!).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/universities/{university.Code}", university, university.Version);
    }

    private static Task<IResult> Patch(string summit, string code, UniversityPatch patch, HttpContext http, IGrainFactory grains) =>
        Universities.Patch(summit, code, http, grains, _ => patch.ToChange(), (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string code, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Universities.History(summit, code, page, http, grains);
}
