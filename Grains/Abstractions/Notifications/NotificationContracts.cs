using NodaTime;
using Orleans.Concurrency;
using Summit.Domain;
using Summit.Scheduling;

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
    bool Read = false);

/// <summary>
/// The escalation ladder of a summit: on overdue the owner (level <see cref="EscalationLevel.Owner"/>);
/// <see cref="LeadAfterDays"/> days after the due moment the unit's lead; <see cref="SecretariatAfterDays"/> days after
/// it the secretariat and the red list.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.escalation-ladder")]
public sealed record EscalationLadder(int LeadAfterDays, int SecretariatAfterDays)
{
    public static EscalationLadder Default { get; } = new(2, 5);
}

/// <summary>A task on the leaders' red list: overdue past the last rung of the ladder.</summary>
[GenerateSerializer, Immutable, Alias("summit.red-list-entry")]
public sealed record RedListEntry(
    string TaskId,
    string Title,
    OwningUnit Owner,
    string? Assignee,
    Deadline Due,
    Instant OverdueSince,
    Instant ListedAt);

/// <summary>A red-list entry and its task as stored now.</summary>
[GenerateSerializer, Immutable, Alias("summit.red-list-page-item")]
public sealed record RedListPageItem([property: Id(0)] RedListEntry Entry, [property: Id(1)] PreparationTask Task);

/// <summary>A page of the red list and how many entries it has in all.</summary>
[GenerateSerializer, Immutable, Alias("summit.red-list-page")]
public sealed record RedListPage([property: Id(0)] IReadOnlyList<RedListPageItem> Items, [property: Id(1)] int Total);

/// <summary>
/// Escalation of one summit. Key: the summit code. The deadline engine calls <see cref="OnAnnouncement"/> whenever it
/// announces a due state of a task (due soon, due today, overdue); calling it again with the same announcement is a
/// no-op, so a repeated or replayed reminder tick is harmless. A due-soon or due-today announcement that arrives after
/// the task's due moment (by the clock) is dropped, and so is any announcement for another deadline than the task's. The grain keeps its own durable reminder to climb the
/// ladder, and reconciles against the injected <see cref="IClock"/> on every tick and every call; a task that is done,
/// cancelled, set aside, or whose deadline moved leaves the ladder.
/// </summary>
[Alias("summit.IEscalationGrain")]
public interface IEscalationGrain : IGrainWithStringKey
{
    /// <param name="task">The task as the engine last read it (owner, assignee, title, deadline).</param>
    /// <param name="announcement">What the engine announced; <see cref="DueAnnouncement.At"/> for overdue is the due moment.</param>
    [Alias("on-announcement")] Task OnAnnouncement(PreparationTask task, DueAnnouncement announcement);

    /// <summary>Climbs every laddered task to the rung the clock says it has reached, once each. Idempotent.</summary>
    [Alias("reconcile")] Task Reconcile();

    [Alias("red-list"), AlwaysInterleave] Task<IReadOnlyList<RedListEntry>> GetRedList();

    /// <summary>A page of the red list (paged in the store), of the tasks owned by one of <paramref name="owners"/> (null: all).</summary>
    [Alias("red-list-page"), AlwaysInterleave] Task<RedListPage> GetRedListPage(IReadOnlyList<OwningUnit>? owners, int offset, int limit);

    [Alias("get-ladder"), AlwaysInterleave] Task<EscalationLadder> GetLadder();

    /// <exception cref="DomainValidationException">Days are out of range or not increasing.</exception>
    [Alias("set-ladder")] Task SetLadder(EscalationLadder ladder, Actor actor);
}

/// <summary>
/// Told of every notification after it is stored (the live push listens here). Register implementations in DI;
/// a listener's failure is logged and never loses the notification.
/// </summary>
public interface INotificationListener
{
    Task OnNotifiedAsync(Notification notification);
}
