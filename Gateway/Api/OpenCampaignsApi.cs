using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/dashboard/campaigns</c>: the big screen's "材料报送" panel, the summit's open campaigns
/// (published, soonest deadline first) with where their addressees stand. One SQL query with the caller's units; no
/// grain is activated. Screens reload it when the live feed reports a change of a campaign or submission.
/// </summary>
public static class OpenCampaignsApi
{
    public static RouteGroupBuilder MapOpenCampaignsApi(this RouteGroupBuilder summit)
    {
        summit.MapGet("/dashboard/campaigns", List).WithTags("Dashboard")
            .Describe("ListOpenCampaignProgress", "The open campaigns (published, not closed or archived), soonest deadline first, with their counts per status.",
                "For the big screen. Each item counts the addressees per status (notStarted, draft, submitted, returned, accepted) and late, and gives the time left " +
                "by the summit's clock. The secretariat and leaders see every open campaign; a county or university those addressed to it, counting only its own row.")
            .ReadsList<CampaignProgress>();
        return summit;
    }

    private static async Task<IResult> List(string summit, [AsParameters] PageQuery query, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var edition = await Guard.ReadSummitAsync(grains, summit, actor);
        var page = await http.RequestServices.GetRequiredService<ICampaignQueries>().QueryOpenCampaignsAsync(new OpenCampaignsQuery(summit)
        {
            Units = AccessRules.ReadableUnits(actor),
            Offset = query.Offset ?? 0,
            Limit = query.Limit ?? Paging.DefaultLimit,
        }, http.RequestAborted);
        var now = clock.GetCurrentInstant();
        var items = page.Items.Select(row =>
        {
            var dueAt = row.Deadline?.DueInstant(edition.Zone);
            return new CampaignProgress(row.Id, row.Title, row.Deadline, dueAt,
                dueAt is { } due ? (long)Math.Floor((due - now).TotalSeconds) : null, dueAt is { } at && now > at, row.Counts);
        }).ToArray();
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ListResponse<CampaignProgress>(items, page.Total));
    }
}

/// <summary>An open campaign on the big screen: its deadline, the time left and where its addressees stand.</summary>
/// <param name="SecondsLeft">Seconds from now to <see cref="DeadlineAt"/>; negative once it has passed.</param>
/// <param name="Counts">Counts per status and late over the addressees the caller may read.</param>
public sealed record CampaignProgress(
    string Id,
    string Title,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline? Deadline,
    Instant? DeadlineAt,
    long? SecondsLeft,
    bool Overdue,
    BoardCounts Counts);
