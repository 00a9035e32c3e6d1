using NodaTime;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Data.Comments;

/// <summary>
/// One comment on a preparation task. <see cref="Parent"/> is null for a thread's first comment and names it for a
/// reply; replies are one level deep (a reply cannot be replied to).
/// </summary>
/// <param name="Unit">The county or university the author spoke for; null for the secretariat and leaders.</param>
/// <param name="Mentions">The units the comment mentions; each is notified once the comment is stored.</param>
public sealed record TaskComment(
    string Summit,
    string TaskId,
    string Id,
    string? Parent,
    string Author,
    Role Role,
    OwningUnit? Unit,
    string Text,
    IReadOnlyList<OwningUnit> Mentions,
    Instant CreatedAt);

/// <summary>A stored comment whose mentions are to be notified, with what the notification's text names.</summary>
/// <param name="TaskTitle">The task's title as stored now; null if the task row is gone.</param>
/// <param name="AuthorUnitName">The name of the author's county or university as stored now; null for other authors.</param>
public sealed record PendingMention(TaskComment Comment, string? TaskTitle, string? AuthorUnitName);

/// <summary>
/// The comments of tasks (<c>summit_task_comment</c>, migration 0240). A comment and, for a keyed request, the record
/// that its key was applied commit in one transaction; mentions are delivered afterwards by a dispatcher that claims the
/// comments still marked pending (<see cref="ClaimMentionsAsync"/>).
/// </summary>
public interface ITaskCommentStore
{
    /// <summary>
    /// Stores the comment, with the key's record when <paramref name="key"/> is given. When the key was already applied
    /// (a retry), nothing is written and the comment the key stored is answered.
    /// </summary>
    /// <exception cref="RequestAlreadyAppliedException">The key is recorded but names no comment (it is being applied).</exception>
    Task<TaskComment> AddAsync(TaskComment comment, IdempotencyMark? key, CancellationToken cancellationToken = default);

    /// <summary>One comment of a task, or null.</summary>
    Task<TaskComment?> GetAsync(string summit, string taskId, string id, CancellationToken cancellationToken = default);

    /// <summary>A page of a task's comments, oldest first with each reply right after its thread; the total counts them all.</summary>
    Task<(IReadOnlyList<TaskComment> Items, int Total)> PageAsync(string summit, string taskId, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="max"/> comments whose mentions are not yet notified, for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<PendingMention>> ClaimMentionsAsync(int max, Duration lease, CancellationToken cancellationToken = default);

    /// <summary>Marks the comments' mentions notified.</summary>
    Task CompleteMentionsAsync(IReadOnlyCollection<TaskComment> comments, CancellationToken cancellationToken = default);
}
