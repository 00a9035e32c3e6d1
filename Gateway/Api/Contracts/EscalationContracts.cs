using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Domain;
using Summit.Data.Notifications;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Api.Contracts;

/// <summary>An in-app notification as its reader sees it: <c>read</c> is the reader's own flag.</summary>
public sealed record NotificationResource(
    string Id,
    string Summit,
    NotificationKind Kind,
    [property: Description("The task it is about, if any.")] string? TaskId,
    [property: Description("The campaign it is about (campaignDueSoon, campaignDueToday, campaignOverdue, campaignEscalated, campaignNudged), if any.")] string? CampaignId,
    [property: Description("The escalation rung: owner, lead or secretariat.")] EscalationLevel? Level,
    [property: Description("Who it was addressed to: an account, a unit, or the secretariat.")] NotificationTarget Target,
    LocalizedText Text,
    Instant CreatedAt,
    bool Read)
{
    public static NotificationResource From(Notification n, bool read) =>
        new(n.Id, n.Summit, n.Kind, n.TaskId, n.CampaignId, n.Level, n.Target, n.Text, n.CreatedAt, read);
}

/// <summary>A page of notifications; <c>unread</c> counts every unread one, not just this page's.</summary>
public sealed record NotificationList(IReadOnlyList<NotificationResource> Items, int Total, int Unread);

/// <summary>How many notifications were newly marked read.</summary>
public sealed record MarkReadResult(int Marked);

/// <summary>The summit's escalation ladder: days after the due moment at which the unit's lead, then the secretariat, are told.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EscalationLadderInput(
    [property: Description("Days overdue before the owning unit's lead is told (0-90, default 2).")] int? LeadAfterDays,
    [property: Description("Days overdue before the secretariat is told and the task goes on the red list (0-90, not less than leadAfterDays; default 5).")] int? SecretariatAfterDays)
{
    public EscalationLadder ToDomain(FieldErrors errors) => new(
        Required.Value(errors, "leadAfterDays", LeadAfterDays),
        Required.Value(errors, "secretariatAfterDays", SecretariatAfterDays));
}

/// <summary>A task on the leaders' red list.</summary>
public sealed record RedListItem(
    string TaskId,
    string Title,
    OwningUnit Owner,
    string? Assignee,
    [property: JsonConverter(typeof(DueDateJsonConverter)), Description(DueDateJsonConverter.Description)] Deadline DueDate,
    Instant OverdueSince,
    [property: Description("Whole days overdue by the summit's clock.")] int DaysOverdue,
    Instant ListedAt,
    WorkStatus Status,
    int PercentComplete);

/// <summary>The contingency plan switch: the mode to run in and why (kept in the audit trail).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModeSwitchRequest(
    [property: Description("offline, online or hybrid.")] SummitMode? Mode,
    [property: Description("Required; becomes the history note of the summit and of every task set aside or restored (at most 2000 characters).")] string? Reason);

/// <summary>A unit's outgoing webhook (DingTalk or WeCom group robot).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookInput(
    [property: Description("The robot's https (or http) address, e.g. https://oapi.dingtalk.com/robot/send?access_token=…")] string? Url,
    [property: Description("dingTalk (default) or weCom.")] WebhookRobot? Robot,
    [property: Description("text (default) or markdown.")] WebhookFormat? Format,
    [property: Description("Default true; false keeps the settings but sends nothing.")] bool? Enabled,
    [property: Description("Put in front of every message, for robots with keyword security (at most 50 characters).")] string? Keyword);

public sealed record WebhookResource(
    string Summit,
    string Unit,
    string Url,
    WebhookRobot Robot,
    WebhookFormat Format,
    bool Enabled,
    string? Keyword,
    Instant UpdatedAt,
    string UpdatedBy,
    [property: Description("Posts for this unit still waiting in the outbox (being retried).")] int Pending)
{
    public static WebhookResource From(WebhookConfig c, int pending) =>
        new(c.Summit, c.Unit, c.Url, c.Robot, c.Format, c.Enabled, c.Keyword, c.UpdatedAt, c.UpdatedBy, pending);
}

/// <summary>A webhook post that failed every attempt. The in-app notification it carried is not affected.</summary>
public sealed record DeadLetterResource(
    long Id,
    string Unit,
    string NotificationId,
    [property: Description("The address without its query string, which holds the robot's token.")] string Url,
    [property: Description("The JSON body that was posted.")] string Body,
    int Attempts,
    string? LastError,
    Instant CreatedAt,
    Instant DeadAt)
{
    public static DeadLetterResource From(WebhookDeadLetter d) =>
        new(d.Id, d.Unit, d.NotificationId, WithoutQuery(d.Url), d.Body, d.Attempts, d.LastError, d.CreatedAt, d.DeadAt);

    private static string WithoutQuery(string url) => url.IndexOf('?') is var q and >= 0 ? url[..q] : url;
}

/// <summary>A task's contingency plan in a PATCH: one mode, or <see cref="All"/> for every mode.</summary>
public enum TaskPlan
{
    All,
    Offline,
    Online,
    Hybrid,
}

public static class TaskPlans
{
    public static PlanChoice ToChoice(this TaskPlan plan) => plan switch
    {
        TaskPlan.Offline => new PlanChoice(SummitMode.Offline),
        TaskPlan.Online => new PlanChoice(SummitMode.Online),
        TaskPlan.Hybrid => new PlanChoice(SummitMode.Hybrid),
        _ => PlanChoice.AllModes,
    };
}
