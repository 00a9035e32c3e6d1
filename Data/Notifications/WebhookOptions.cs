using Summit.Settings;
namespace Summit.Data.Notifications;

/// <summary>Section <c>Summit:Webhooks</c>: how the outbox is worked. See the README's table of keys.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Summit:Webhooks";

    /// <summary>Attempts per post, the first included, before it becomes a dead letter.</summary>
    [AtLeast(1)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    [NotNegative]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    [NotNegative]

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>One post's HTTP timeout.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at when nothing new was queued in this process.</summary>
    [Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Posts taken per round, and sent in parallel.</summary>
    [AtLeast(1)]
    public int BatchSize { get; set; } = 20;

    /// <summary>The wait before the <paramref name="failures"/>-th retry (1 for the first).</summary>
    public TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var delay = BaseDelay.TotalMilliseconds * factor;
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxDelay.TotalMilliseconds));
    }
}
