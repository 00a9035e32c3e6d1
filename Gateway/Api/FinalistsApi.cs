using System.Text.Json;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/finalists</c>: the University Startup World Cup projects of the final (secretariat; leaders read).</summary>
public static class FinalistsApi
{
    private static readonly SummitEntityEndpoints<IStartupFinalistGrain, StartupFinalist> Finalists =
        new(EntityKind.Finalist, g => g.Get(), f => f.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapFinalistsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/finalists").WithTags("Startup World Cup finalists");
        group.MapGet("/", List).Describe("ListFinalists", "Lists the Startup World Cup finalists (secretariat and leaders).",
            "Filters combine: status, track and q (text: project, team, university, country, track, sub-forum). In id order; total counts every match.").ReadsList<StartupFinalist>();
        group.MapGet("/{id}", Get).Describe("GetFinalist", "Reads one Startup World Cup finalist.").ReadsOne<StartupFinalist>();
        group.MapPost("/", Create).Describe("CreateFinalist", "Adds a Startup World Cup project (secretariat).",
            "Confirmed finalists count toward the summit's finalist target.").Creates<StartupFinalist>();
        group.MapPatch("/{id}", Patch).Describe("UpdateFinalist", "Changes a finalist, including its status (nominated → confirmed, or withdrawn).",
            "Only the secretariat changes finalists.").Updates<StartupFinalist>();
        group.MapGet("/{id}/history", History).Describe("GetFinalistHistory", "Lists the accepted changes of a finalist.").ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> List(string summit, [AsParameters] FinalistListQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var status = QueryValues.Enum<FinalistStatus>(errors, "status", query.Status);
        var track = string.IsNullOrWhiteSpace(query.Track) ? null : query.Track.Trim();
        if (track is not null) errors.MaxLength("track", track, FinalistRules.MaxTrack);
        return Finalists.ListWhere(summit, new TextPageQuery(query.Q, query.Offset, query.Limit), errors,
            q => q with { Status = status is { } s ? JsonNamingPolicy.CamelCase.ConvertName(s.ToString()) : null, Track = track }, http, grains);
    }

    private static Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains) =>
        Finalists.Get(summit, id, http, grains);

    private static async Task<IResult> Create(string summit, CreateFinalistRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Finalist, ResourceScope.Summit, "startup finalists");
        var id = body.Id ?? Responses.NewId(http, "finalist");
        var errors = new FieldErrors();
        var draft = body.ToDraft();
        FinalistRules.Validate(id, draft, errors);
        errors.ThrowIfAny();
        var finalist = await Finalists.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/finalists/{id}", finalist, finalist.Version);
    }

    private static Task<IResult> Patch(string summit, string id, FinalistPatch patch, HttpContext http, IGrainFactory grains) =>
        Finalists.Patch(summit, id, http, grains, patch.ToChange, (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Finalists.History(summit, id, page, http, grains);
}
