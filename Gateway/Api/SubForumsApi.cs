using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/subforums</c>: themed sessions, often hosted by a partner university.</summary>
public static class SubForumsApi
{
    private static readonly SummitEntityEndpoints<ISubForumGrain, SubForum> Forums =
        new(EntityKind.SubForum, g => g.Get(), f => f.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapSubForumsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/subforums").WithTags("Sub-forums");
        group.MapGet("/", Forums.List).Describe("ListSubForums", "Lists the sub-forums the caller may read, by day and start.").ReadsList<SubForum>();
        group.MapGet("/{id}", Get).Describe("GetSubForum", "Reads one sub-forum.").ReadsOne<SubForum>();
        group.MapPost("/", Create).Describe("CreateSubForum", "Creates a sub-forum (secretariat).").Creates<SubForum>();
        group.MapPatch("/{id}", Patch).Describe("UpdateSubForum", "Changes a sub-forum, including its status (one stage on, or back).",
            "The host university's accounts may change their own sub-forums.").Updates<SubForum>();
        group.MapGet("/{id}/history", History).Describe("GetSubForumHistory", "Lists the accepted changes of a sub-forum.").ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains) =>
        Forums.Get(summit, id, http, grains);

    private static async Task<IResult> Create(string summit, CreateSubForumRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.SubForum, ResourceScope.Summit, "sub-forums");
        var id = body.Id ?? Responses.NewId(http, "forum");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        SubForumRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var forum = await Forums.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/subforums/{id}", forum, forum.Version);
    }

    private static Task<IResult> Patch(string summit, string id, SubForumPatch patch, HttpContext http, IGrainFactory grains) =>
        Forums.Patch(summit, id, http, grains, _ => patch.ToChange(), (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Forums.History(summit, id, page, http, grains);
}
