using Summit.Data.Planning;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Data.Notifications;
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
        builder.Services.AddSummitNotificationStore(builder.Configuration);
        builder.Services.AddSummitBaselineStore(builder.Configuration);
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
            .Produces<NotificationList>().ProducesValidationProblem().RejectsUnknownQuery();
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

    private static async Task<IResult> List([AsParameters] NotificationQuery query, HttpContext http, INotificationStore store)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, query.Offset, query.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        var page = await store.PageAsync(new NotificationPageQuery(
            actor.Account, Inboxes(actor), query.Summit, query.Unread, query.Offset ?? 0, query.Limit ?? Paging.DefaultLimit), http.RequestAborted);
        return TypedResults.Ok(new NotificationList(
            page.Items.Select(row => NotificationResource.From(row.Notification, row.Read)).ToArray(),
            page.Total,
            page.Unread));
    }

    private static async Task<IResult> MarkRead(string id, HttpContext http, INotificationStore store)
    {
        var actor = http.User.ToActor();
        // Someone else's notification is answered like a missing one.
        var notification = await store.MarkReadAsync(actor.Account, Inboxes(actor), id, http.RequestAborted);
        if (notification is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No notification '{id}'.");
        return TypedResults.Ok(NotificationResource.From(notification, read: true));
    }

    private static async Task<IResult> MarkAllRead([FromQuery(Name = "summit")] string? summit, HttpContext http, INotificationStore store)
    {
        var actor = http.User.ToActor();
        return TypedResults.Ok(new MarkReadResult(await store.MarkAllReadAsync(actor.Account, Inboxes(actor), summit, http.RequestAborted)));
    }

    /// <summary>The inbox keys the actor reads, most specific first.</summary>
    private static string[] Inboxes(Actor actor) => AccessRules.NotificationInboxes(actor).Select(NotificationKeys.Inbox).ToArray();
}
