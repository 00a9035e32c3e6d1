using System.Text.Json;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/alliances</c>: the innovation alliances set up around the summit (secretariat; leaders read).</summary>
public static class AlliancesApi
{
    private static readonly SummitEntityEndpoints<IInnovationAllianceGrain, InnovationAlliance> Alliances =
        new(EntityKind.Alliance, g => g.Get(), a => a.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapAlliancesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/alliances").WithTags("Innovation alliances");
        group.MapGet("/", List).Describe("ListAlliances", "Lists the innovation alliances (secretariat and leaders).",
            "Filters combine: status and q (text: name, English name, field, lead unit, members). In id order; total counts every match.").ReadsList<InnovationAlliance>();
        group.MapGet("/{id}", Get).Describe("GetAlliance", "Reads one innovation alliance.").ReadsOne<InnovationAlliance>();
        group.MapPost("/", Create).Describe("CreateAlliance", "Creates an innovation alliance (secretariat).",
            "Signed alliances count toward the summit's alliance target.").Creates<InnovationAlliance>();
        group.MapPatch("/{id}", Patch).Describe("UpdateAlliance", "Changes an alliance, including its status (proposed → forming → signed, or cancelled).",
            "Only the secretariat changes alliances; signed needs a signing date.").Updates<InnovationAlliance>();
        group.MapGet("/{id}/history", History).Describe("GetAllianceHistory", "Lists the accepted changes of an alliance.").ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> List(string summit, [AsParameters] AllianceListQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var status = QueryValues.Enum<AllianceStatus>(errors, "status", query.Status);
        return Alliances.ListWhere(summit, new TextPageQuery(query.Q, query.Offset, query.Limit), errors,
            q => q with { Status = status is { } s ? JsonNamingPolicy.CamelCase.ConvertName(s.ToString()) : null }, http, grains);
    }

    private static Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains) =>
        Alliances.Get(summit, id, http, grains);

    private static async Task<IResult> Create(string summit, CreateAllianceRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Alliance, ResourceScope.Summit, "innovation alliances");
        var id = body.Id ?? Responses.NewId(http, "alliance");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        AllianceRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var alliance = await Alliances.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/alliances/{id}", alliance, alliance.Version);
    }

    private static Task<IResult> Patch(string summit, string id, AlliancePatch patch, HttpContext http, IGrainFactory grains) =>
        Alliances.Patch(summit, id, http, grains, patch.ToChange, (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Alliances.History(summit, id, page, http, grains);
}
