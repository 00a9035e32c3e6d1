using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Data.Comments;
using Summit.Notifications;

namespace Summit.Hosting.Notifications;

/// <summary>
/// Delivers the mentions of task comments after they are committed: claims the comments still marked pending (a short
/// lease, so two silos do not work the same ones at once), stores a <see cref="NotificationKind.Mentioned"/> notification
/// in each mentioned unit's inbox and then clears the mark. At least once: a crash between storing and clearing
/// delivers again, and the notification's id (comment and unit) makes the second store a no-op. Every silo runs one.
/// </summary>
public sealed class MentionDispatcher(IGrainFactory grains, ITaskCommentStore comments, ILogger<MentionDispatcher> logger) : BackgroundService
{
    /// <summary>How often an idle dispatcher looks for new mentions.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public const int BatchSize = 50;

    private static readonly Duration Lease = Duration.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                delivered = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or the cluster is unavailable: the marks stay, the lease runs out, the next round retries.
                logger.LogWarning(e, "Could not deliver comment mentions; retrying in {Interval}.", PollInterval);
            }
            if (delivered >= BatchSize) continue;
            try
            {
                await Task.Delay(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: claims pending comments, notifies their mentions; returns how many comments were delivered.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var pending = await comments.ClaimMentionsAsync(BatchSize, Lease, cancellationToken);
        if (pending.Count == 0) return 0;
        await Notifier.DeliverAsync(grains, pending.SelectMany(Notifications).ToArray());
        await comments.CompleteMentionsAsync(pending.Select(p => p.Comment).ToArray(), cancellationToken);
        return pending.Count;
    }

    /// <summary>One notification per mentioned unit, in the unit's inbox (a secretariat department's is the secretariat's).</summary>
    public static IEnumerable<Notification> Notifications(PendingMention mention)
    {
        var comment = mention.Comment;
        var text = NotificationTexts.Mentioned(comment.Role, mention.AuthorUnitName ?? comment.Unit?.Code, mention.TaskTitle ?? comment.TaskId, comment.Text);
        return comment.Mentions.Distinct().Select(unit => new Notification(
            NotificationKeys.Id("mentioned", comment.Summit, comment.Id, unit),
            Notifier.UnitTarget(unit),
            comment.Summit,
            NotificationKind.Mentioned,
            comment.TaskId,
            null,
            text,
            comment.CreatedAt));
    }
}
