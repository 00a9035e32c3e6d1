using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Hosting.Notifications;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>
/// Escalation, notifications, webhooks and contingency plans: <c>/api/me/notifications</c> and, under
/// <c>/api/summits/{summit}</c>, <c>red-list</c>, <c>escalation</c>, <c>webhooks</c> and <c>mode</c>.
/// </summary>
public static class NotificationsApi
{
    /// <summary>The webhook store the webhook endpoints read (the silo side registers the same one in a standalone Gateway).</summary>
    public static WebApplicationBuilder AddSummitNotificationsApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSummitWebhookStore(builder.Configuration);
        return builder;
    }

    public static IEndpointRouteBuilder MapSummitNotificationsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/notifications")
            .WithTags("Notifications")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimits.Writes)
            .AddEndpointFilter<DomainProblemFilter>();
        me.MapGet("/", List).Describe("ListMyNotifications", "Lists the signed-in account's notifications, newest first.",
                "Its own, its unit's (county and university accounts) and the secretariat's (secretariat accounts). unread counts every unread one.")
            .Produces<NotificationList>().ProducesValidationProblem();
        me.MapPost("/{id}/read", MarkRead).Describe("MarkNotificationRead", "Marks one notification read (idempotent).")
            .Produces<NotificationResource>().ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/read", MarkAllRead).Describe("MarkAllNotificationsRead", "Marks every notification read, or those of one summit.")
            .Produces<MarkReadResult>().ProducesValidationProblem();

        var summit = app.MapGroup("/api/summits/{summit}")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimits.Writes)
            .AddEndpointFilter<DomainProblemFilter>();
        EscalationApi.Map(summit);
        WebhooksApi.Map(summit);
        ContingencyApi.Map(summit);
        return app;
    }

    public sealed record NotificationQuery(
        [property: FromQuery(Name = "unread"), Description("true: only unread; false: only read.")] bool? Unread,
        [property: FromQuery(Name = "summit"), Description("Only this summit's.")] string? Summit,
        [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
        [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

    private static async Task<IResult> List([AsParameters] NotificationQuery query, HttpContext http, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var (all, read) = await VisibleAsync(grains, actor, query.Summit);
        var matches = all.Where(n => query.Unread is not { } unread || read.Contains(n.Id) != unread).ToArray();
        var page = Paging.Page(matches, query.Offset, query.Limit);
        return TypedResults.Ok(new NotificationList(
            page.Items.Select(n => NotificationResource.From(n, read.Contains(n.Id))).ToArray(),
            page.Total,
            all.Count(n => !read.Contains(n.Id))));
    }

    private static async Task<IResult> MarkRead(string id, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var (all, _) = await VisibleAsync(grains, actor, summit: null);
        // Someone else's notification is answered like a missing one.
        var notification = all.FirstOrDefault(n => n.Id == id);
        if (notification is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No notification '{id}'.");
        await grains.GetGrain<INotificationReadsGrain>(actor.Account).MarkRead([id]);
        return TypedResults.Ok(NotificationResource.From(notification, read: true));
    }

    private static async Task<IResult> MarkAllRead([FromQuery(Name = "summit")] string? summit, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var (all, read) = await VisibleAsync(grains, actor, summit);
        var unread = all.Where(n => !read.Contains(n.Id)).Select(n => n.Id).ToArray();
        if (unread.Length > 0) await grains.GetGrain<INotificationReadsGrain>(actor.Account).MarkRead(unread);
        return TypedResults.Ok(new MarkReadResult(unread.Length));
    }

    /// <summary>Every notification the actor's inboxes hold (one copy per id, the most specific), newest first, and its read ids.</summary>
    private static async Task<(IReadOnlyList<Notification> All, IReadOnlySet<string> Read)> VisibleAsync(IGrainFactory grains, Actor actor, string? summit)
    {
        var inboxes = SummitAccess.NotificationInboxes(actor);
        var lists = await Task.WhenAll(inboxes.Select(t => grains.GetGrain<INotificationInboxGrain>(NotificationKeys.Inbox(t)).List()));
        var read = await grains.GetGrain<INotificationReadsGrain>(actor.Account).ReadIds();
        var all = lists
            .SelectMany(l => l)
            .DistinctBy(n => n.Id)
            .Where(n => string.IsNullOrEmpty(summit) || n.Summit == summit)
            .OrderByDescending(n => n.CreatedAt)
            .ThenBy(n => n.Id, StringComparer.Ordinal)
            .ToArray();
        return (all, new HashSet<string>(read, StringComparer.Ordinal));
    }
}
