using NodaTime;
using Summit.Domain;
using Summit.Notifications;

namespace Summit.Storage;

/// <summary>One overdue task on a summit's escalation ladder: the deadline it is overdue for, and the rungs already climbed.</summary>
/// <param name="Climbed">The rungs whose notifications are stored, lowest first.</param>
/// <param name="RedListedAt">When it reached the last rung and went on the leaders' red list.</param>
public sealed record EscalationRecord(
    string TaskId,
    Deadline Due,
    Instant OverdueSince,
    string Title,
    OwningUnit Owner,
    string? Assignee,
    IReadOnlyList<EscalationLevel> Climbed,
    Instant? RedListedAt = null);

/// <summary>A laddered task and the task as stored now (null when it no longer exists).</summary>
public sealed record LadderedTask(EscalationRecord Record, string? TaskJson);

/// <summary>A red-list entry with the task as stored now.</summary>
public sealed record RedListRow(EscalationRecord Record, string TaskJson);

/// <summary>
/// Where each summit's escalation ladder keeps its tasks, one row each (<c>summit_escalation</c>), so the escalation
/// grain's state holds only the ladder's settings and its writes stay small however many tasks are overdue.
/// </summary>
public interface IEscalationStore
{
    /// <summary>The laddered task, or null when it is not on the ladder.</summary>
    Task<EscalationRecord?> GetAsync(string summit, string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> laddered tasks after <paramref name="afterTaskId"/> (ordinal order of task id), each
    /// with its task as stored, so a reconciliation reads the ladder a page at a time and activates no task grain.
    /// </summary>
    Task<IReadOnlyList<LadderedTask>> PageAsync(string summit, string? afterTaskId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the records (by summit and task), all in one statement.</summary>
    Task SaveAsync(string summit, IReadOnlyList<EscalationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Takes the tasks off the ladder (and the red list).</summary>
    Task RemoveAsync(string summit, IReadOnlyList<string> taskIds, CancellationToken cancellationToken = default);

    /// <summary>How many tasks are on the summit's ladder.</summary>
    Task<int> CountAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the red list, longest overdue first (then by task id), of the tasks that are still open and still due
    /// as laddered (a closed or rescheduled task leaves at the next reconciliation and is never shown meanwhile), owned by
    /// one of <paramref name="owners"/> (<see cref="TaskListQuery.OwnerKey"/>; null for all), and how many there are.
    /// </summary>
    Task<(IReadOnlyList<RedListRow> Items, int Total)> RedListAsync(
        string summit, IReadOnlyList<string>? owners, int offset, int limit, CancellationToken cancellationToken = default);
}
