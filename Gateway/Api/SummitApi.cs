using Summit.Rules;
using Summit.Gateway.Security;

namespace Summit.Gateway.Api;

public static class SummitApi
{
    /// <summary>
    /// The resource API. Everything nests under its summit, <c>/api/summits/{summit}/...</c>, and needs a signed-in
    /// account; what that account may see and change is decided per entity by <see cref="AccessRules"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapSummitApi(this IEndpointRouteBuilder app)
    {
        var summits = app.MapGroup("/api/summits")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimits.Writes)
            .AddEndpointFilter<DomainProblemFilter>();
        summits.MapSummitsApi();
        var summit = summits.MapGroup("/{summit}");
        summit.MapTasksApi();
        summit.MapTaskCommentsApi();
        summit.MapFilesApi();
        summit.MapSubForumsApi();
        summit.MapCountiesApi();
        summit.MapProjectsApi();
        summit.MapUniversitiesApi();
        summit.MapAlliancesApi();
        summit.MapFinalistsApi();
        summit.MapOrganizationsApi();
        summit.MapCampaignsApi();
        summit.MapOpenCampaignsApi();
        summit.MapSearchApi();
        // Deadline engine: schedule, readiness, working calendar, reminders, announcements.
        summit.MapScheduleApi();
        summit.MapBaselineApi();
        summit.MapCalendarFeedsApi();
        summit.MapExportsApi();
        return app;
    }
}
