using Summit.Domain;
using Summit.Grains;

namespace Summit.Gateway.Api;

public static class SummitApi
{
    /// <summary>All resources nest under their summit: <c>/api/summits/{summit}/...</c>.</summary>
    public static IEndpointRouteBuilder MapSummitApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapSummitsApi();
        var summit = api.MapGroup("/summits/{summit}");
        summit.MapTasksApi();
        summit.MapSubForumsApi();
        summit.MapCountiesApi();
        summit.MapProjectsApi();
        summit.MapUniversitiesApi();
        return app;
    }

    private static void MapSummitsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/summits").WithTags("Summits");
        group.MapGet("/", async (IGrainFactory grains) =>
        {
            var codes = await Catalog.ListSummitsAsync(grains);
            var summits = await Task.WhenAll(codes.Select(code => grains.GetGrain<ISummitGrain>(code).Get()));
            var found = summits.OfType<SummitEdition>().ToArray();
            return new ListResponse<SummitEdition>(found, found.Length);
        });
        group.MapGet("/{summit}", (string summit, IGrainFactory grains) => EntityReader.RequireSummitAsync(grains, summit));
    }

    private static void MapTasksApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", async (string summit, int? offset, int? limit, IGrainFactory grains) =>
        {
            await EntityReader.RequireSummitAsync(grains, summit);
            var tasks = await EntityReader.ReadAllAsync<IPreparationTaskGrain, PreparationTask>(grains, summit, EntityKind.Task, g => g.Get());
            return Paging.Page(tasks.OrderBy(t => t.Due.Date).ThenBy(t => t.Id, StringComparer.Ordinal).ToArray(), offset, limit);
        });
        group.MapGet("/{id}", async (string summit, string id, IGrainFactory grains) =>
            await grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, id)).Get() ?? throw new EntityNotFoundException(EntityKind.Task, id));
    }

    private static void MapSubForumsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/subforums").WithTags("Sub-forums");
        group.MapGet("/", async (string summit, int? offset, int? limit, IGrainFactory grains) =>
        {
            await EntityReader.RequireSummitAsync(grains, summit);
            var all = await EntityReader.ReadAllAsync<ISubForumGrain, SubForum>(grains, summit, EntityKind.SubForum, g => g.Get());
            return Paging.Page(all.OrderBy(f => f.Day).ThenBy(f => f.Start).ToArray(), offset, limit);
        });
        group.MapGet("/{id}", async (string summit, string id, IGrainFactory grains) =>
            await grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, id)).Get() ?? throw new EntityNotFoundException(EntityKind.SubForum, id));
    }

    private static void MapCountiesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/counties").WithTags("Counties");
        group.MapGet("/", async (string summit, int? offset, int? limit, IGrainFactory grains) =>
        {
            await EntityReader.RequireSummitAsync(grains, summit);
            var all = await EntityReader.ReadAllAsync<ICountyVenueGrain, CountyVenue>(grains, summit, EntityKind.County, g => g.Get());
            return Paging.Page(all, offset, limit);
        });
        group.MapGet("/{county}", async (string summit, string county, IGrainFactory grains) => await ReadCountyAsync(grains, summit, county));
        group.MapGet("/{county}/sub-events", async (string summit, string county, IGrainFactory grains) =>
        {
            var venue = await ReadCountyAsync(grains, summit, county);
            return new ListResponse<SubEvent>(venue.SubEvents, venue.SubEvents.Count);
        });
        group.MapGet("/{county}/sub-events/{id}", async (string summit, string county, string id, IGrainFactory grains) =>
        {
            var venue = await ReadCountyAsync(grains, summit, county);
            return venue.SubEvents.FirstOrDefault(e => e.Id == id) ?? throw new EntityNotFoundException(EntityKind.County, $"{county}/{id}");
        });
    }

    private static async Task<CountyVenue> ReadCountyAsync(IGrainFactory grains, string summit, string county) =>
        await grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, county)).Get() ?? throw new EntityNotFoundException(EntityKind.County, county);

    private static void MapProjectsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/projects").WithTags("Cooperation projects");
        group.MapGet("/", async (string summit, int? offset, int? limit, IGrainFactory grains) =>
        {
            await EntityReader.RequireSummitAsync(grains, summit);
            var all = await EntityReader.ReadAllAsync<ICooperationProjectGrain, CooperationProject>(grains, summit, EntityKind.Project, g => g.Get());
            return Paging.Page(all, offset, limit);
        });
        group.MapGet("/{id}", async (string summit, string id, IGrainFactory grains) =>
            await grains.GetGrain<ICooperationProjectGrain>(GrainKeys.Of(summit, id)).Get() ?? throw new EntityNotFoundException(EntityKind.Project, id));
    }

    private static void MapUniversitiesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/universities").WithTags("Partner universities");
        group.MapGet("/", async (string summit, int? offset, int? limit, IGrainFactory grains) =>
        {
            await EntityReader.RequireSummitAsync(grains, summit);
            var all = await EntityReader.ReadAllAsync<IPartnerUniversityGrain, PartnerUniversity>(grains, summit, EntityKind.University, g => g.Get());
            return Paging.Page(all, offset, limit);
        });
        group.MapGet("/{id}", async (string summit, string id, IGrainFactory grains) =>
            await grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, id)).Get() ?? throw new EntityNotFoundException(EntityKind.University, id));
    }
}
