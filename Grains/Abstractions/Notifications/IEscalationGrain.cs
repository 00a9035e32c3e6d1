using NodaTime;
using Orleans.Concurrency;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Notifications;

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
