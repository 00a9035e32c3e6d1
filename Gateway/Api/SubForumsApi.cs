using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/subforums</c>: themed sessions, often hosted by a partner university.</summary>
public static class SubForumsApi
{
    public static RouteGroupBuilder MapSubForumsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/subforums").WithTags("Sub-forums");
        group.MapGet("/", List).Describe("ListSubForums", "Lists the sub-forums the caller may read, by day and start.").ReadsList<SubForum>();
        group.MapGet("/{id}", Get).Describe("GetSubForum", "Reads one sub-forum.").ReadsOne<SubForum>();
        group.MapPost("/", Create).Describe("CreateSubForum", "Creates a sub-forum (secretariat).").Creates<SubForum>();
        group.MapPatch("/{id}", Patch).Describe("UpdateSubForum", "Changes a sub-forum, including its status (one stage on, or back).",
            "The host university's accounts may change their own sub-forums.").Updates<SubForum>();
        group.MapGet("/{id}/history", History).Describe("GetSubForumHistory", "Lists the accepted changes of a sub-forum.").ReadsList<HistoryEntry>();
        return group;
    }

    private static async Task<IResult> List(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var all = await EntityReader.ReadAllAsync<ISubForumGrain, SubForum>(grains, summit, EntityKind.SubForum, g => g.Get());
        var readable = all
            .Where(f => SummitAccess.Allows(actor, Access.Read, ResourceScope.Of(f)))
            .OrderBy(f => f.Day).ThenBy(f => f.Start).ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(Paging.Page(readable, page.Offset, page.Limit));
    }

    private static async Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains)
    {
        var (forum, _) = await ReadAsync(grains, summit, id, http.User.ToActor());
        return Responses.Read(http, forum, forum.Version);
    }

    private static async Task<IResult> Create(string summit, CreateSubForumRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.SubForum, ResourceScope.Summit, "sub-forums");
        var id = body.Id ?? Responses.NewId("forum");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        SubForumRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var forum = await Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/subforums/{id}", forum, forum.Version);
    }

    private static async Task<IResult> Patch(string summit, string id, SubForumPatch patch, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        await Guard.ReadSummitAsync(grains, summit, actor);
        var change = patch.ToChange();
        var grain = Grain(grains, summit, id);
        var forum = await GuardedChange.RunAsync(
            grain.Get,
            f => f.Version,
            f =>
            {
                Guard.Write(actor, ResourceScope.Of(f), EntityKind.SubForum, id);
                if (patch.HostUniversity is { } host)
                    Guard.WriteAfter(actor, ResourceScope.Of(f with { HostUniversity = string.IsNullOrWhiteSpace(host) ? null : host.Trim() }),
                        EntityKind.SubForum, id, "hostUniversity");
            },
            (_, version) => grain.Change(change, actor, version),
            ifMatch,
            () => NotFound(id));
        return Responses.Entity(http, forum, forum.Version);
    }

    private static async Task<IResult> History(string summit, string id, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var (_, grain) = await ReadAsync(grains, summit, id, http.User.ToActor());
        return TypedResults.Ok(Paging.Page(await grain.GetHistory(), page.Offset, page.Limit));
    }

    private static async Task<(SubForum, ISubForumGrain)> ReadAsync(IGrainFactory grains, string summit, string id, Actor actor)
    {
        await Guard.ReadSummitAsync(grains, summit, actor);
        var grain = Grain(grains, summit, id);
        var forum = await grain.Get() ?? throw NotFound(id);
        Guard.Read(actor, ResourceScope.Of(forum), EntityKind.SubForum, id);
        return (forum, grain);
    }

    private static ISubForumGrain Grain(IGrainFactory grains, string summit, string id) =>
        FieldErrors.IsCode(id) ? grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, id)) : throw NotFound(id);

    private static EntityNotFoundException NotFound(string id) => new(EntityKind.SubForum, id);
}
