using Summit.Data.Notifications;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>
/// Bodies in the shape DingTalk and WeCom group robots accept: <c>{"msgtype":"text","text":{"content":"…"}}</c> for
/// both; markdown is <c>{"msgtype":"markdown","markdown":{"title","text"}}</c> for DingTalk and
/// <c>{"msgtype":"markdown","markdown":{"content"}}</c> for WeCom.
/// </summary>
public static class WebhookMessages
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Body(Notification notification, WebhookRobot robot, WebhookFormat format, string? keyword)
    {
        var prefix = string.IsNullOrWhiteSpace(keyword) ? "" : keyword.Trim() + " ";
        var title = Title(notification);
        JsonObject body = format == WebhookFormat.Markdown
            ? robot == WebhookRobot.DingTalk
                ? new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["title"] = prefix + title, ["text"] = Markdown(prefix, title, notification) },
                }
                : new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["content"] = Markdown(prefix, title, notification) },
                }
            : new JsonObject
            {
                ["msgtype"] = "text",
                ["text"] = new JsonObject { ["content"] = $"{prefix}【{title}】{notification.Text.Zh}\n{notification.Text.En}" },
            };
        return body.ToJsonString(Options);
    }

    private static string Markdown(string prefix, string title, Notification n) =>
        $"#### {prefix}{title}\n\n{n.Text.Zh}\n\n> {n.Text.En}";

    private static string Title(Notification n) => n.Kind switch
    {
        NotificationKind.DueSoon => "即将到期 Due soon",
        NotificationKind.DueToday => "今日到期 Due today",
        NotificationKind.Overdue => "已逾期 Overdue",
        NotificationKind.Escalated when n.Level == EscalationLevel.Secretariat => "红色预警 Red list",
        NotificationKind.Escalated => "督办 Escalation",
        NotificationKind.ModeSwitched => "预案切换 Plan switched",
        NotificationKind.Mentioned => "评论提及 Mentioned",
        NotificationKind.CampaignDueSoon or NotificationKind.CampaignDueToday => "材料报送提醒 Submission reminder",
        NotificationKind.CampaignOverdue => "材料报送逾期 Submission overdue",
        NotificationKind.CampaignEscalated when n.Level == EscalationLevel.Secretariat => "报送红色预警 Submission red alert",
        NotificationKind.CampaignEscalated => "报送督办 Submission escalation",
        NotificationKind.CampaignNudged => "催报 Submission reminder",
        _ => n.Kind.ToString(),
    };
}
