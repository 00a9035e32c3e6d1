using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/organizations</c>: the unit register beyond counties, universities and departments: societies,
/// companies, schools and offices, under a county or university (which registers them and forwards campaigns to them) or
/// at the city level (the secretariat's). Access is <see cref="AccessRules"/>' (the organisation's grain judges every change).
/// </summary>
public static class OrganizationsApi
{
    private static readonly SummitEntityEndpoints<IOrganizationGrain, Organization> Organizations =
        new(EntityKind.Organization, g => g.Get(), o => o.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/organizations").WithTags("Organizations");
        group.MapGet("/", List).Describe("ListOrganizations", "Lists the registered organisations the caller may read, in code order.",
            "The secretariat and leaders read all of them; a county or university those registered under it; an organisation itself. Filters: q (name), parentUnit, archived.")
            .ReadsList<Organization>();
        group.MapGet("/{code}", Get).Describe("GetOrganization", "Reads one registered organisation.").ReadsOne<Organization>();
        group.MapPost("/", Create).Describe("CreateOrganization", "Registers an organisation.",
            "The secretariat registers one under any county or university, or at the city level; a county or university under itself.")
            .Creates<Organization>();
        group.MapPatch("/{code}", Patch).Describe("UpdateOrganization", "Changes a registered organisation: its name, category, contact, or archives it.",
            "The unit it is registered under (or the secretariat) changes it; its parent is fixed.").Updates<Organization>();
        group.MapGet("/{code}/history", History).Describe("GetOrganizationHistory", "Lists the accepted changes of an organisation, oldest first.").ReadsList<HistoryEntry>();
        return group;
    }

    private static Task<IResult> List(string summit, [AsParameters] OrganizationListQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var city = string.Equals(query.ParentUnit?.Trim(), "city", StringComparison.Ordinal);
        var parent = city ? null : QueryValues.Unit(errors, "parentUnit", query.ParentUnit);
        return Organizations.ListWhere(summit, new TextPageQuery(query.Q, query.Offset, query.Limit), errors,
            q => q with { Parent = parent, CityLevel = city, Archived = query.Archived }, http, grains);
    }

    private static Task<IResult> Get(string summit, string code, HttpContext http, IGrainFactory grains) =>
        Organizations.Get(summit, code, http, grains);

    private static async Task<IResult> Create(string summit, CreateOrganizationRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var errors = new FieldErrors();
        var draft = body.ToDraft(errors);
        // A county or university registers under itself when it names no parent.
        if (body.ParentUnit is null && actor.OwnUnit is { Kind: UnitKind.County or UnitKind.University } own) draft = draft with { ParentUnit = own };
        var code = body.Code ?? Responses.NewId(http, "org");
        AccessRules.EnsureRegister(actor, draft.ParentUnit, code);
        OrganizationRules.Validate(code, draft, errors);
        errors.ThrowIfAny();
        var organization = await Organizations.Grain(grains, summit, code).Create(draft, actor);
        return Responses.Created(http, $"/api/summits/{summit}/organizations/{code}", organization, organization.Version);
    }

    private static Task<IResult> Patch(string summit, string code, OrganizationPatch patch, HttpContext http, IGrainFactory grains) =>
        Organizations.Patch(summit, code, http, grains, patch.ToChange, (grain, command) => grain.Patch(command));

    private static Task<IResult> History(string summit, string code, [AsParameters] CursorPageQuery page, HttpContext http, IGrainFactory grains) =>
        Organizations.History(summit, code, page, http, grains);
}
