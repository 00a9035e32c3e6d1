using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/projects</c>: cooperation projects matched and signed around the summit.</summary>
public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/projects").WithTags("Cooperation projects");
        group.MapGet("/", List).Describe("ListProjects", "Lists the cooperation projects the caller may read.").ReadsList<CooperationProject>();
        group.MapGet("/{id}", Get).Describe("GetProject", "Reads one cooperation project.").ReadsOne<CooperationProject>();
        group.MapPost("/", Create).Describe("CreateProject", "Creates a cooperation project (secretariat).").Creates<CooperationProject>();
        group.MapPatch("/{id}", Patch).Describe("UpdateProject", "Changes a project, including its stage (one stage on or back).",
            "Accounts of the project's county and partner universities may change it, but not move it out of their reach.").Updates<CooperationProject>();
        group.MapGet("/{id}/history", History).Describe("GetProjectHistory", "Lists the accepted changes of a project.").ReadsList<HistoryEntry>();
        return group;
    }

    private static async Task<IResult> List(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var all = await EntityReader.ReadAllAsync<ICooperationProjectGrain, CooperationProject>(grains, summit, EntityKind.Project, g => g.Get());
        var readable = all.Where(p => SummitAccess.Allows(actor, Access.Read, ResourceScope.Of(p))).ToArray();
        return TypedResults.Ok(Paging.Page(readable, page.Offset, page.Limit));
    }

    private static async Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains)
    {
        var (project, _) = await ReadAsync(grains, summit, id, http.User.ToActor());
        return Responses.Read(http, project, project.Version);
    }

    private static async Task<IResult> Create(string summit, CreateProjectRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Project, ResourceScope.Summit, "cooperation projects");
        var id = body.Id ?? Responses.NewId("project");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        ProjectRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var project = await Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/projects/{id}", project, project.Version);
    }

    private static async Task<IResult> Patch(string summit, string id, ProjectPatch patch, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        await Guard.ReadSummitAsync(grains, summit, actor);
        var errors = new FieldErrors();
        var change = patch.ToChange(errors);
        var grain = Grain(grains, summit, id);
        var project = await GuardedChange.RunAsync(
            grain.Get,
            p => p.Version,
            p =>
            {
                Guard.Write(actor, ResourceScope.Of(p), EntityKind.Project, id);
                if (patch.County is { } county)
                    Guard.WriteAfter(actor, ResourceScope.Of(p with { County = string.IsNullOrWhiteSpace(county) ? null : county.Trim() }),
                        EntityKind.Project, id, "county");
                if (patch.Universities is { } universities)
                    Guard.WriteAfter(actor, ResourceScope.Of(p with { Universities = universities }), EntityKind.Project, id, "universities");
                errors.ThrowIfAny();
            },
            (_, version) => grain.Change(change, actor, version),
            ifMatch,
            () => NotFound(id));
        return Responses.Entity(http, project, project.Version);
    }

    private static async Task<IResult> History(string summit, string id, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains)
    {
        var (_, grain) = await ReadAsync(grains, summit, id, http.User.ToActor());
        return TypedResults.Ok(Paging.Page(await grain.GetHistory(), page.Offset, page.Limit));
    }

    private static async Task<(CooperationProject, ICooperationProjectGrain)> ReadAsync(IGrainFactory grains, string summit, string id, Actor actor)
    {
        await Guard.ReadSummitAsync(grains, summit, actor);
        var grain = Grain(grains, summit, id);
        var project = await grain.Get() ?? throw NotFound(id);
        Guard.Read(actor, ResourceScope.Of(project), EntityKind.Project, id);
        return (project, grain);
    }

    private static ICooperationProjectGrain Grain(IGrainFactory grains, string summit, string id) =>
        FieldErrors.IsCode(id) ? grains.GetGrain<ICooperationProjectGrain>(GrainKeys.Of(summit, id)) : throw NotFound(id);

    private static EntityNotFoundException NotFound(string id) => new(EntityKind.Project, id);
}
