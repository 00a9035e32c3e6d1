using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/projects</c>: cooperation projects matched and signed around the summit.</summary>
public static class ProjectsApi
{
    internal static readonly SummitEntityEndpoints<ICooperationProjectGrain, CooperationProject> Projects =
        new(EntityKind.Project, g => g.Get(), p => p.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/projects").WithTags("Cooperation projects");
        group.MapGet("/", Projects.List).Describe("ListProjects", "Lists the cooperation projects the caller may read.").ReadsList<CooperationProject>();
        group.MapGet("/{id}", Get).Describe("GetProject", "Reads one cooperation project.").ReadsOne<CooperationProject>();
        group.MapPost("/", Create).Describe("CreateProject", "Creates a cooperation project (secretariat).").Creates<CooperationProject>();
        group.MapPatch("/{id}", Patch).Describe("UpdateProject", "Changes a project, including its stage (one stage on or back).",
            "Accounts of the project's county and partner universities may change it, but not move it out of their reach.").Updates<CooperationProject>();
        group.MapGet("/{id}/history", History).Describe("GetProjectHistory", "Lists the accepted changes of a project.").ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> Get(string summit, string id, HttpContext http, IGrainFactory grains) =>
        Projects.Get(summit, id, http, grains);

    private static async Task<IResult> Create(string summit, CreateProjectRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.Project, ResourceScope.Summit, "cooperation projects");
        var id = body.Id ?? Responses.NewId(http, "project");
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        ProjectRules.Validate(id, draft, edition, errors);
        errors.ThrowIfAny();
        var project = await Projects.Grain(grains, summit, id).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/projects/{id}", project, project.Version);
    }

    private static Task<IResult> Patch(string summit, string id, ProjectPatch patch, HttpContext http, IGrainFactory grains) =>
        Projects.Patch(summit, id, http, grains, patch.ToChange, (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string id, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Projects.History(summit, id, page, http, grains);
}
