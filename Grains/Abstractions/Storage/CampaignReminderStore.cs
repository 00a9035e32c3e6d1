using NodaTime;
using Summit.Domain;

namespace Summit.Storage;

/// <summary>
/// One addressed unit of a published campaign (with a deadline) that has not handed in: no submission, a draft, or a
/// returned one. <see cref="Made"/> holds the steps already made for the unit as <c>{cycle}|{step}</c>.
/// </summary>
/// <param name="HandedIn">How many times the unit has handed in (0 when never; a returned submission's count).</param>
/// <param name="ReopenedAt">When its submission was returned (null when it never was).</param>
public sealed record OpenCampaignUnit(
    string Campaign,
    string Title,
    Deadline Deadline,
    OwningUnit Unit,
    int HandedIn,
    Instant? ReopenedAt,
    IReadOnlyCollection<string> Made);

/// <summary>A reminder made: the notification stored for it, kept so it is never made twice (the primary key).</summary>
public sealed record CampaignReminderRow(string Campaign, OwningUnit Unit, string Cycle, string Step, Instant At, string NotificationId);

/// <summary>
/// A 催报: the secretariat reminded every open unit of a campaign at once. <see cref="Number"/> counts a campaign's nudges
/// from 1; <see cref="Delivered"/> is set once its notifications are stored.
/// </summary>
public sealed record CampaignNudge(string Campaign, int Number, Instant At, string Account, IReadOnlyList<OwningUnit> Units, bool Delivered);

/// <summary>How a nudge went: made, refused as too soon after the last one (<see cref="NudgeResult.Last"/>), or the request's key was applied before.</summary>
public enum NudgeOutcome
{
    Made,
    TooSoon,
    AlreadyApplied,
}

/// <param name="Nudge">The nudge made (or, for <see cref="NudgeOutcome.AlreadyApplied"/>, the one the key made).</param>
/// <param name="Last">For <see cref="NudgeOutcome.TooSoon"/>: the last nudge, which came too recently.</param>
public sealed record NudgeResult(NudgeOutcome Outcome, CampaignNudge? Nudge, CampaignNudge? Last);

/// <summary>When a unit of a campaign was last reminded (by the schedule or a nudge), and how often.</summary>
public sealed record UnitReminded(OwningUnit Unit, Instant LastAt, int Count);

/// <summary>
/// The campaign reminders of each summit in PostgreSQL (migration 0290): every reminder made, one row each, and the
/// nudges. What the reminder grain would otherwise keep in its state, so the state stays empty however long the summit runs.
/// </summary>
public interface ICampaignReminderStore
{
    /// <summary>The open units of the summit's published campaigns with a deadline, each with its steps already made.</summary>
    Task<IReadOnlyList<OpenCampaignUnit>> OpenUnitsAsync(string summit, string? campaign = null, CancellationToken cancellationToken = default);

    /// <summary>Records reminders made; one already recorded stays as it is.</summary>
    Task RecordAsync(string summit, IReadOnlyList<CampaignReminderRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a nudge of <paramref name="units"/> in one transaction with the request's idempotency key (when given),
    /// unless the campaign's last nudge came after <paramref name="notAfter"/> (then <see cref="NudgeOutcome.TooSoon"/>)
    /// or the key was applied before (then <see cref="NudgeOutcome.AlreadyApplied"/> with the nudge it made).
    /// </summary>
    Task<NudgeResult> NudgeAsync(
        string summit, string campaign, Instant at, string account, IReadOnlyList<OwningUnit> units, Instant notAfter,
        IdempotencyMark? mark, CancellationToken cancellationToken = default);

    /// <summary>Nudges whose notifications are not yet stored, oldest first.</summary>
    Task<IReadOnlyList<CampaignNudge>> PendingNudgesAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>Marks a nudge's notifications stored, with a reminder row for each unit.</summary>
    Task MarkDeliveredAsync(string summit, CampaignNudge nudge, IReadOnlyList<CampaignReminderRow> rows, CancellationToken cancellationToken = default);

    /// <summary>The campaign's last nudge, if any.</summary>
    Task<CampaignNudge?> LastNudgeAsync(string summit, string campaign, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per unit of the campaign (of <paramref name="units"/>, null for all), when it was last reminded and how often; a
    /// committed 催报 counts before its notifications are delivered.
    /// </summary>
    Task<IReadOnlyList<UnitReminded>> RemindedAsync(string summit, string campaign, IReadOnlyList<OwningUnit>? units, CancellationToken cancellationToken = default);
}
