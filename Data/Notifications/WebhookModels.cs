using NodaTime;
using Summit.Domain;

namespace Summit.Data.Notifications;

/// <summary>Which group robot a webhook posts to; both take the same text body, their markdown bodies differ.</summary>
public enum WebhookRobot
{
    DingTalk,
    WeCom,
}

public enum WebhookFormat
{
    Text,
    Markdown,
}

/// <summary>
/// A unit's outgoing webhook in one summit. Notifications for the unit (and, for a <c>secretariat:*</c> unit, those
/// for the secretariat) are posted to <see cref="Url"/>.
/// </summary>
/// <param name="Unit">As <see cref="OwningUnit.ToString"/> writes it: <c>county:pingyang</c>.</param>
/// <param name="Keyword">Put in front of every message: DingTalk robots with keyword security drop messages without it.</param>
public sealed record WebhookConfig(
    string Summit,
    string Unit,
    string Url,
    WebhookRobot Robot,
    WebhookFormat Format,
    bool Enabled,
    string? Keyword,
    Instant UpdatedAt,
    string UpdatedBy);

/// <summary>A webhook as its list shows it: with how many of its posts are still in the outbox.</summary>
public sealed record WebhookListing(WebhookConfig Webhook, int Pending);

/// <summary>One pending post in the outbox.</summary>
/// <param name="Attempts">Failed attempts so far.</param>
public sealed record WebhookDelivery(
    long Id,
    string Summit,
    string Unit,
    string NotificationId,
    string Url,
    string Body,
    int Attempts,
    Instant NextAttemptAt,
    string? LastError,
    Instant CreatedAt);

/// <summary>A post that failed every attempt; the notification itself is still in the app.</summary>
public sealed record WebhookDeadLetter(
    long Id,
    string Summit,
    string Unit,
    string NotificationId,
    string Url,
    string Body,
    int Attempts,
    string? LastError,
    Instant CreatedAt,
    Instant DeadAt);

/// <summary>A post to put in the outbox.</summary>
public sealed record WebhookPost(string Summit, string Unit, string NotificationId, string Url, string Body);
