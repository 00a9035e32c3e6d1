using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Summit.Gateway.Security;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/search</c>: one text query over tasks, sub-events, sub-forums, projects, units and people.</summary>
public static class SearchApi
{
    public const int DefaultLimit = 5;
    public const int MaxLimit = 50;

    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder summit)
    {
        summit.MapGet("/search", Search).WithTags("Search")
            .Describe("Search", "Finds what the caller may read by any part of its text, best first, grouped by kind.",
                "Groups come in a fixed order (task, subEvent, subForum, project, county, university, person), each with at most limit items and more when further items match. " +
                "Within a group: titles equal to the query first, then titles starting with it, then titles holding it, then matches in other fields (id, assignee, venue, speakers, partners, a person's unit), shorter titles first. " +
                "Every word of q must match; one-character Chinese queries work. A query matching more than 500 items of a kind ranks the titles starting with it and 500 others; use the lists' q filter to page through all.")
            .RejectsUnknownQuery()
            .Produces<SearchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return summit;
    }

    public readonly record struct SearchParameters(
        [property: FromQuery(Name = "q"), Description("The words to find (at most 100 characters, at most 8 words).")] string? Q,
        [property: FromQuery(Name = "limit"), Description("Items per kind, 1-50 (default 5).")] int? Limit);

    /// <summary>The answer: the query's words as understood and one group per kind.</summary>
    public sealed record SearchResponse(IReadOnlyList<string> Terms, IReadOnlyList<SearchGroup> Groups);

    private static async Task<IResult> Search(string summit, [AsParameters] SearchParameters query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var terms = QueryValues.Terms(errors, "q", query.Q);
        if (terms is null && !errors.Any) errors.Add("q", "is required: the words to find.");
        if (query.Limit is { } l) errors.Range("limit", l, 1, MaxLimit);
        errors.ThrowIfAny();

        var actor = http.User.ToActor();
        var store = http.RequestServices.GetRequiredService<IEntityQueries>();
        var owners = store.ListTaskOwnersAsync(summit, http.RequestAborted);
        await Guard.ReadSummitAsync(grains, summit, actor);
        var search = new SearchQuery(summit, terms!)
        {
            Limit = query.Limit ?? DefaultLimit,
            TaskOwners = AccessRules.ReadableTaskOwners(actor, await owners),
            Units = AccessRules.ReadableUnits(actor),
            People = AccessRules.ReadableAccountUnits(actor),
        };
        var groups = await http.RequestServices.GetRequiredService<ISummitSearch>().SearchAsync(search, http.RequestAborted);
        return TypedResults.Ok(new SearchResponse(terms!, groups));
    }
}
