using NodaTime;
using Summit.Domain;

namespace Summit.Notifications;

/// <summary>What a 催报 did: how many units it reminded (those of the campaign that had not handed in), when, and when the next may be sent.</summary>
[GenerateSerializer, Immutable, Alias("summit.campaign-nudge-sent")]
public sealed record CampaignNudgeSent(
    [property: Id(0)] string Campaign,
    [property: Id(1)] int Reminded,
    [property: Id(2)] IReadOnlyList<OwningUnit> Units,
    [property: Id(3)] Instant At,
    [property: Id(4)] Instant NextAllowedAt);

/// <summary>What one pass of a summit's campaign reminders did.</summary>
/// <param name="Notified">Reminders made by this pass (usually none: passes are idempotent).</param>
/// <param name="OpenUnits">Units of published campaigns that have not handed in.</param>
/// <param name="NextChange">When the next reminder falls due; the grain's timer is set for it.</param>
[GenerateSerializer, Immutable, Alias("summit.campaign-reminder-pass")]
public sealed record CampaignReminderPass(
    [property: Id(0)] Instant At,
    [property: Id(1)] int Notified,
    [property: Id(2)] int OpenUnits,
    [property: Id(3)] Instant? NextChange);

/// <summary>A 催报 came sooner than an hour after the campaign's last one; nothing was sent.</summary>
/// <param name="LastLocal">The last one's time in the summit's zone (<c>HH:mm</c>), as the refusal words it.</param>
/// <param name="NextLocal">The next allowed time in the summit's zone (<c>HH:mm</c>).</param>
[GenerateSerializer, Alias("summit.nudge-too-soon")]
public sealed class NudgeTooSoonException(string campaign, Instant lastAt, Instant nextAllowedAt, string lastLocal, string nextLocal)
    : Exception($"The units of campaign '{campaign}' were reminded at {lastLocal}; the next reminder may be sent from {nextLocal}.")
{
    [Id(0)] public string Campaign { get; } = campaign;
    [Id(1)] public Instant LastAt { get; } = lastAt;
    [Id(2)] public Instant NextAllowedAt { get; } = nextAllowedAt;
    [Id(3)] public string LastLocal { get; } = lastLocal;
    [Id(4)] public string NextLocal { get; } = nextLocal;
}

/// <summary>
/// The reminders of one summit's campaigns (key: the summit code). A unit addressed by a published campaign that has not
/// handed in (no submission, a draft, or a returned one) is reminded by the timing rule of tasks and climbs their
/// escalation ladder (<see cref="Scheduling.CampaignReminderRule"/>, with the summit's <c>/reminders</c> and
/// <c>/escalation</c> settings). Driven by the committed change stream (a campaign or submission changed: <see cref="Poke"/>),
/// a timer set for the next moment and one durable reminder; every reminder is stored (its notifications, then its row)
/// before it counts as made, so a late, repeated or replayed pass sends nothing twice and misses nothing.
/// </summary>
[Alias("summit.ICampaignRemindersGrain")]
public interface ICampaignRemindersGrain : IGrainWithStringKey
{
    /// <summary>A campaign or submission of the summit changed: look again shortly. One-way.</summary>
    [Orleans.Concurrency.OneWay, Alias("poke")] Task Poke();

    /// <summary>Makes every reminder that is due now, once; for tests and operations.</summary>
    [Alias("reconcile")] Task<CampaignReminderPass> Reconcile();

    /// <summary>
    /// 催报: notifies every addressed unit of a published campaign that has not handed in, at most once an hour per
    /// campaign (<see cref="NudgeTooSoonException"/>). A request's idempotency key is recorded with the nudge.
    /// </summary>
    /// <exception cref="EntityNotFoundException">No such campaign, or the actor may not read it.</exception>
    /// <exception cref="AccessRefusedException">The actor may not review the campaign's submissions.</exception>
    /// <exception cref="DomainValidationException">The campaign is not published.</exception>
    [Alias("nudge")] Task<CampaignNudgeSent> Nudge(string campaign, Actor actor);
}
