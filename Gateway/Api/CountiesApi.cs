using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/counties</c>: each county's sub-venue, and under <c>/counties/{county}/sub-events</c> the
/// sub-events it runs. A sub-event's ETag is its own version; any change to a sub-event also raises the county's.
/// </summary>
public static class CountiesApi
{
    internal static readonly SummitEntityEndpoints<ICountyVenueGrain, CountyVenue> Venues =
        new(EntityKind.County, g => g.Get(), c => c.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapCountiesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/counties").WithTags("Counties");
        group.MapGet("/", Venues.List).Describe("ListCounties", "Lists the county venues the caller may read, with their sub-events.").ReadsList<CountyVenue>();
        group.MapGet("/{county}", Get).Describe("GetCounty", "Reads one county venue with its sub-events.").ReadsOne<CountyVenue>();
        group.MapPost("/", Create).Describe("CreateCounty", "Adds a county venue (secretariat).").Creates<CountyVenue>();
        group.MapPatch("/{county}", Patch).Describe("UpdateCounty", "Changes a county venue's name, venue or lead.").Updates<CountyVenue>();
        group.MapGet("/{county}/history", History).Describe("GetCountyHistory", "Lists the accepted changes of a county venue and its sub-events.")
            .ReadsList<HistoryEntry>();

        var events = group.MapGroup("/{county}/sub-events").WithTags("Counties");
        events.MapGet("/", ListSubEvents).Describe("ListSubEvents", "Lists a county's sub-events.").ReadsList<SubEvent>();
        events.MapGet("/{id}", GetSubEvent).Describe("GetSubEvent", "Reads one sub-event.").ReadsOne<SubEvent>();
        events.MapPost("/", CreateSubEvent).Describe("CreateSubEvent", "Adds a sub-event (the county's own accounts or the secretariat).")
            .Creates<SubEvent>();
        events.MapPatch("/{id}", PatchSubEvent).Describe("UpdateSubEvent", "Changes a sub-event: its status, checklist items and details, with a note.",
            "checklist carries only the items being changed; status ready needs every checklist item done. If-Match takes the sub-event's ETag.")
            .Updates<SubEvent>();
        return group;
    }

    private static Task<IResult> Get(string summit, string county, HttpContext http, IGrainFactory grains) =>
        Venues.Get(summit, county, http, grains);

    private static async Task<IResult> Create(string summit, CreateCountyRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        Guard.Create(actor, EntityKind.County, ResourceScope.Summit, "county venues");
        var errors = new FieldErrors();
        var draft = body.ToDraft();
        CountyRules.Validate(body.County!, draft, errors);
        errors.ThrowIfAny();
        var venue = await Venues.Grain(grains, summit, body.County!).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/counties/{venue.County}", venue, venue.Version);
    }

    private static Task<IResult> Patch(string summit, string county, CountyPatch patch, HttpContext http, IGrainFactory grains) =>
        Venues.Patch(summit, county, http, grains, _ => patch.ToChange(), (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string county, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Venues.History(summit, county, page, http, grains);

    /// <summary>A page of the county's sub-events, cut from the venue's row in the database (no grain, no whole venue read).</summary>
    private static async Task<IResult> ListSubEvents(string summit, string county, [AsParameters] TextPageQuery page, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var terms = QueryValues.Terms(errors, "q", page.Q);
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!FieldErrors.IsCode(county)) throw Venues.NotFound(county);
        var result = await http.RequestServices.GetRequiredService<IEntityQueries>().QuerySubEventsAsync(
            summit, county, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, terms, http.RequestAborted) ?? throw Venues.NotFound(county);
        // A venue is judged by its county, which is its id (ResourceScope.Of(venue)).
        Guard.Read(actor, new ResourceScope(EntityKind.County, County: county), EntityKind.County, county);
        return TypedResults.Ok(new ListResponse<SubEvent>(EntityReader.Read<SubEvent>(result.Items).ToArray(), result.Total));
    }

    private static async Task<IResult> GetSubEvent(string summit, string county, string id, HttpContext http, IGrainFactory grains)
    {
        var (venue, _) = await Venues.ReadAsync(grains, summit, county, http.User.ToActor());
        var subEvent = venue.SubEvents.FirstOrDefault(e => e.Id == id) ?? throw SubEventNotFound(county, id);
        return Responses.Read(http, subEvent, subEvent.Version);
    }

    private static async Task<IResult> CreateSubEvent(string summit, string county, CreateSubEventRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var (venue, grain) = await Venues.ReadAsync(grains, summit, county, actor);
        Guard.Create(actor, EntityKind.County, ResourceScope.Of(venue), "sub-events of this county");
        if (body.Plan is not null) AccessRules.EnsurePlan(actor, EntityKind.County, $"{county}/{body.Id}");
        var id = body.Id ?? Responses.NewId(http, "event");
        // The grain checks the draft (id, title, venue, date in the preparation window) and answers in field terms.
        var subEvent = await grain.AddSubEvent(id, body.ToDraft(), actor);
        return Responses.Created(http, $"/api/summits/{summit}/counties/{county}/sub-events/{subEvent.Id}", subEvent, subEvent.Version);
    }

    /// <summary>One call to the county's grain, which judges the sub-event's access, plan, If-Match and rules itself.</summary>
    private static async Task<IResult> PatchSubEvent(string summit, string county, string id, SubEventPatch patch, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ifMatch = Preconditions.IfMatch(http.Request);
        Guard.ReadSummitByRole(actor, summit);
        var subEvent = await Venues.Grain(grains, summit, county)
            .PatchSubEvent(id, new PatchCommand<SubEventChange>(patch.ToChange(), actor, [], IfMatch: ifMatch?.ToCondition()));
        return Responses.Entity(http, subEvent, subEvent.Version);
    }

    private static EntityNotFoundException SubEventNotFound(string county, string id) => new(EntityKind.County, $"{county}/{id}");
}
