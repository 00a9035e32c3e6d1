using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Data.Calendar;

namespace Summit.Gateway.Api.Contracts;

/// <summary><c>POST /api/summits/{summit}/calendar-feeds</c>: a new calendar feed of the caller.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CalendarFeedInput(
    [property: Description("unit: the caller's unit (for the secretariat and leaders, the whole summit's milestones and the secretariat's own tasks); person: the open tasks assigned to the caller and its unit's milestones.")]
    string? Kind);

/// <summary>A calendar feed of the signed-in account. The secret address is in the answer to its creation only.</summary>
public sealed record CalendarFeedResource(
    string Id,
    [property: Description("unit or person.")] string Kind,
    [property: Description("The unit whose deadlines it holds (county:pingyang); null for the secretariat's and leaders' feeds, which hold the whole summit's milestones.")] string? Unit,
    [property: Description("The account it belongs to.")] string Account,
    [property: Description("When it was created, by the summit clock.")] Instant CreatedAt,
    [property: Description("The feed's secret address (…/feeds/{secret}.ics) to subscribe to in a calendar program; only in the answer that created it, null everywhere else (it is not stored and cannot be shown again).")] string? Url,
    [property: Description("The secret alone (43 characters, base64url of 32 random bytes); like url, shown once.")] string? Secret)
{
    public static CalendarFeedResource From(CalendarFeed feed, string? url = null, string? secret = null) =>
        new(feed.Id, CalendarFeedStores.Name(feed.Kind), feed.Unit, feed.Account, feed.CreatedAt, url, secret);
}
