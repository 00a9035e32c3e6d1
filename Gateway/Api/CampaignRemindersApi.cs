using System.ComponentModel;
using NodaTime;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Notifications;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>One unit of a campaign and when it was last reminded (by the schedule or a 催报), and how often.</summary>
public sealed record UnitReminderResource(OwningUnit Unit, Instant LastRemindedAt, int Count);

/// <summary>A campaign's reminders: the last 催报, when the next may be sent, and per unit when it was last reminded.</summary>
public sealed record CampaignRemindersResource(
    string Campaign,
    [property: Description("When the units were last reminded by hand (催报), if ever.")] Instant? LastNudgeAt,
    [property: Description("Who sent the last 催报.")] string? LastNudgeBy,
    [property: Description("From when the next 催报 may be sent: an hour after the last one; now if there was none.")] Instant NextNudgeAt,
    [property: Description("The units reminded at least once (a county or university sees only itself, or on its forward its organisations).")] IReadOnlyList<UnitReminderResource> Units);

/// <summary>What a 催报 did.</summary>
public sealed record CampaignRemindResult(
    string Campaign,
    [property: Description("How many units were reminded: those addressed that had not handed in (no submission, a draft, or a returned one).")] int Reminded,
    IReadOnlyList<OwningUnit> Units,
    Instant At,
    [property: Description("From when the next 催报 may be sent.")] Instant NextAllowedAt);

/// <summary>
/// <c>/api/summits/{summit}/campaigns/{id}/remind</c> (催报) and <c>…/reminders</c>. The reminders themselves (due soon,
/// due today, overdue, the ladder) are made by the summit's <see cref="ICampaignRemindersGrain"/> from the change stream.
/// </summary>
public static class CampaignRemindersApi
{
    private static readonly SummitEntityEndpoints<ICampaignGrain, Campaign> Campaigns =
        new(EntityKind.Campaign, g => g.Get(), c => c.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapCampaignReminders(this RouteGroupBuilder campaigns)
    {
        campaigns.MapPost("/{id}/remind", Remind)
            .Describe("RemindCampaignUnits", "催报: notifies every addressed unit that has not handed in, once (the secretariat, or the unit that forwarded it).",
                "The campaign must be published. At most once an hour per campaign: sooner is a 429 problem saying when it may be " +
                "sent again (Retry-After). Idempotency-Key honoured. The answer says how many units were reminded; a campaign " +
                "every unit has handed in reminds none and does not count as the hour's 催报.")
            .RejectsUnknownQuery()
            .Produces<CampaignRemindResult>()
            .WritesSettings()
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("/{id}/reminders", Reminders)
            .Describe("GetCampaignReminders", "When each unit of the campaign was last reminded, and when the next 催报 may be sent.",
                "The secretariat and leaders see every unit; a county or university only itself.")
            .RejectsUnknownQuery()
            .Produces<CampaignRemindersResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return campaigns;
    }

    private static async Task<IResult> Remind(string summit, string id, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!FieldErrors.IsCode(id)) throw new EntityNotFoundException(EntityKind.Campaign, QueryValues.Printable(id));
        var sent = await grains.GetGrain<ICampaignRemindersGrain>(summit).Nudge(id, actor);
        return TypedResults.Ok(new CampaignRemindResult(sent.Campaign, sent.Reminded, sent.Units, sent.At, sent.NextAllowedAt));
    }

    private static async Task<IResult> Reminders(string summit, string id, HttpContext http, IGrainFactory grains, ICampaignReminderStore store, IClock clock)
    {
        var actor = http.User.ToActor();
        var (campaign, _, _) = await Campaigns.ReadInSummitAsync(grains, summit, id, actor);
        var last = await store.LastNudgeAsync(summit, campaign.Id, http.RequestAborted);
        var units = await store.RemindedAsync(summit, campaign.Id, AccessRules.BoardUnits(actor, campaign), http.RequestAborted);
        var next = last is null ? clock.GetCurrentInstant() : last.At + CampaignRemindersGrainInterval;
        return TypedResults.Ok(new CampaignRemindersResource(
            campaign.Id, last?.At, last?.Account, next, units.Select(u => new UnitReminderResource(u.Unit, u.LastAt, u.Count)).ToArray()));
    }

    /// <summary>The silo's rule (<c>CampaignRemindersGrain.NudgeInterval</c>), which the Gateway does not reference.</summary>
    private static readonly Duration CampaignRemindersGrainInterval = Duration.FromHours(1);
}
