using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Data.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/webhooks</c>: units' outgoing webhooks and their dead letters (secretariat only).</summary>
public static class WebhooksApi
{
    public const int MaxUrl = 1000;
    public const int MaxKeyword = 50;

    public static void Map(RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/webhooks").WithTags("Webhooks");
        group.MapGet("/", List).Describe("ListWebhooks", "Lists the units' webhooks (secretariat).").ReadsList<WebhookResource>();
        group.MapGet("/dead-letters", DeadLetters)
            .Describe("ListWebhookDeadLetters", "Webhook posts that failed every attempt, newest first (secretariat).",
                "The in-app notifications they carried are not affected.")
            .ReadsList<DeadLetterResource>();
        group.MapGet("/{unit}", Get).Describe("GetWebhook", "Reads a unit's webhook (secretariat); unit as county:pingyang.")
            .Produces<WebhookResource>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{unit}", Put).Describe("PutWebhook", "Sets a unit's webhook, a DingTalk or WeCom group robot (secretariat).",
                "Notifications for the unit are posted to it in the background with retries; a secretariat:* unit's webhook also gets the secretariat's.")
            .Produces<WebhookResource>().WritesSettings();
    }

    private static async Task<IResult> List(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, IWebhookStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        await GuardAsync(grains, summit, http);
        var (items, total) = await store.PageAsync(summit, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new ListResponse<WebhookResource>(items.Select(h => WebhookResource.From(h.Webhook, h.Pending)).ToArray(), total));
    }

    private static async Task<IResult> Get(string summit, string unit, HttpContext http, IGrainFactory grains, IWebhookStore store, CancellationToken cancellationToken)
    {
        await GuardAsync(grains, summit, http);
        var owner = ParseUnit(unit);
        var hook = await store.GetAsync(summit, owner.ToString(), cancellationToken);
        if (hook is null) return NoWebhook(owner);
        var pending = (await store.PendingAsync(summit, cancellationToken)).Count(d => d.Unit == hook.Unit);
        return TypedResults.Ok(WebhookResource.From(hook, pending));
    }

    private static async Task<IResult> Put(
        string summit, string unit, WebhookInput body, HttpContext http, IGrainFactory grains, IWebhookStore store, IClock clock, CancellationToken cancellationToken)
    {
        var actor = await GuardAsync(grains, summit, http);
        var owner = ParseUnit(unit);
        if (!await UnitExistsAsync(grains, summit, owner)) return NoUnit(owner);

        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(body.Url)) errors.Add("url", "is required.");
        else if (body.Url.Length > MaxUrl) errors.Add("url", $"must be at most {MaxUrl} characters.");
        else if (!Uri.TryCreate(body.Url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            errors.Add("url", "must be an absolute http or https address.");
        if (body.Robot is { } robot) errors.Defined("robot", robot);
        if (body.Format is { } format) errors.Defined("format", format);
        errors.MaxLength("keyword", body.Keyword, MaxKeyword);
        errors.ThrowIfAny();

        var config = new WebhookConfig(
            summit, owner.ToString(), body.Url!.Trim(), body.Robot ?? WebhookRobot.DingTalk, body.Format ?? WebhookFormat.Text,
            body.Enabled ?? true, string.IsNullOrWhiteSpace(body.Keyword) ? null : body.Keyword.Trim(), clock.GetCurrentInstant(), actor.Account);
        await store.PutAsync(config, cancellationToken);
        var pending = (await store.PendingAsync(summit, cancellationToken)).Count(d => d.Unit == config.Unit);
        return TypedResults.Ok(WebhookResource.From(config, pending));
    }

    private static async Task<IResult> DeadLetters(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, IWebhookStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        await GuardAsync(grains, summit, http);
        var (items, total) = await store.DeadLettersAsync(summit, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new ListResponse<DeadLetterResource>(items.Select(DeadLetterResource.From).ToArray(), total));
    }

    private static async Task<Actor> GuardAsync(IGrainFactory grains, string summit, HttpContext http)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!AccessRules.MayManageWebhooks(actor))
            throw new AccessRefusedException(EntityKind.Summit, summit, visible: true, $"A {Names.Role(actor.Role)} account may not manage webhooks.");
        return actor;
    }

    private static OwningUnit ParseUnit(string unit)
    {
        var errors = new FieldErrors();
        var owner = QueryValues.Unit(errors, "unit", unit);
        errors.ThrowIfAny();
        return owner!;
    }

    /// <summary>Counties and universities must be the summit's; secretariat departments have no register.</summary>
    private static async Task<bool> UnitExistsAsync(IGrainFactory grains, string summit, OwningUnit unit) => unit.Kind switch
    {
        UnitKind.County => await grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, unit.Code)).Get() is not null,
        UnitKind.University => await grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, unit.Code)).Get() is not null,
        _ => true,
    };

    private static IResult NoWebhook(OwningUnit unit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No webhook for {unit}.");

    private static IResult NoUnit(OwningUnit unit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No {unit} in this summit.");
}
