using NodaTime;
using Summit.Domain;

namespace Summit.Notifications;

/// <summary>What a notification is about.</summary>
[GenerateSerializer]
public enum NotificationKind
{
    DueSoon,
    DueToday,
    Overdue,
    /// <summary>An overdue task climbed a rung of the escalation ladder (see <see cref="EscalationLevel"/>).</summary>
    Escalated,
    /// <summary>The summit switched its contingency plan (offline/online/hybrid).</summary>
    ModeSwitched,
    /// <summary>A comment on a task mentioned the unit.</summary>
    Mentioned,
    /// <summary>A campaign's deadline is near and the unit has not handed in its submission.</summary>
    CampaignDueSoon,
    /// <summary>A campaign's deadline is today and the unit has not handed in its submission.</summary>
    CampaignDueToday,
    /// <summary>A campaign's deadline has passed and the unit has not handed in its submission.</summary>
    CampaignOverdue,
    /// <summary>A unit's missing submission climbed a rung of the escalation ladder (its lead, then the secretariat).</summary>
    CampaignEscalated,
    /// <summary>The secretariat reminded the unit of a campaign it has not handed in for (催报).</summary>
    CampaignNudged,
}

/// <summary>The rungs of the escalation ladder, lowest first.</summary>
[GenerateSerializer]
public enum EscalationLevel
{
    /// <summary>The task's assignee (if any) and the accounts of its owning unit.</summary>
    Owner,
    /// <summary>The owning unit's lead.</summary>
    Lead,
    /// <summary>The secretariat, and the leaders' red list on the dashboard.</summary>
    Secretariat,
}

[GenerateSerializer]
public enum NotificationAudience
{
    /// <summary>One account, by username.</summary>
    Account,
    /// <summary>Every account bound to the unit (county or university code; secretariat departments: every secretariat account).</summary>
    Unit,
    /// <summary>Every secretariat account.</summary>
    Secretariat,
}

/// <summary>Who a notification is for. Accounts are resolved when a list is read, so an account created later still sees its unit's notifications.</summary>
[GenerateSerializer, Immutable, Alias("summit.notification-target")]
public sealed record NotificationTarget(
    NotificationAudience Audience,
    string? Account = null,
    OwningUnit? Unit = null)
{
    public static NotificationTarget ForAccount(string account) => new(NotificationAudience.Account, Account: account);
    public static NotificationTarget ForUnit(OwningUnit unit) => new(NotificationAudience.Unit, Unit: unit);
    public static NotificationTarget Secretariat { get; } = new(NotificationAudience.Secretariat);

    public override string ToString() => Audience switch
    {
        NotificationAudience.Account => $"account:{Account}",
        NotificationAudience.Unit => $"unit:{Unit}",
        _ => "secretariat",
    };
}

/// <summary>A text in both working languages.</summary>
[GenerateSerializer, Immutable, Alias("summit.localized-text")]
public sealed record LocalizedText(string Zh, string En);

/// <summary>
/// One in-app notification. <see cref="Id"/> is deterministic for escalation steps (summit, task, deadline, step),
/// so storing the same step twice is a no-op. <see cref="Read"/> is per reading account: false as stored.
/// <see cref="CampaignId"/> names the campaign of a campaign reminder (the text names the unit it is about).
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.notification")]
public sealed record Notification(
    string Id,
    NotificationTarget Target,
    string Summit,
    NotificationKind Kind,
    string? TaskId,
    EscalationLevel? Level,
    LocalizedText Text,
    Instant CreatedAt,
    bool Read = false,
    string? CampaignId = null);

/// <summary>
/// Told of every notification after it is stored (the live push listens here). Register implementations in DI;
/// a listener's failure is logged and never loses the notification.
/// </summary>
public interface INotificationListener
{
    Task OnNotifiedAsync(Notification notification);
}
