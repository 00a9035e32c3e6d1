using NodaTime;
using Summit.Domain;
using Summit.Notifications;

namespace Summit.Scheduling;

/// <summary>One reminder of a unit that has not handed in its submission to a campaign.</summary>
/// <param name="Step">What it is, unique within a unit's cycle: <c>dueSoon:3</c>, <c>dueSoon:1</c>, <c>dueToday</c>,
/// <c>overdue</c>, <c>lead</c>, <c>secretariat</c>.</param>
/// <param name="Level">Who hears it: the unit (<see cref="EscalationLevel.Owner"/>), its lead, or the secretariat.</param>
/// <param name="LeadDays">For due soon: how many days ahead.</param>
/// <param name="DaysOverdue">For the lead and secretariat rungs: the ladder's days after the deadline.</param>
/// <param name="At">When its state began.</param>
[GenerateSerializer, Immutable, Alias("summit.campaign-reminder-step")]
public sealed record CampaignReminderStep(
    [property: Id(0)] string Step,
    [property: Id(1)] NotificationKind Kind,
    [property: Id(2)] EscalationLevel Level,
    [property: Id(3)] int? LeadDays,
    [property: Id(4)] int? DaysOverdue,
    [property: Id(5)] Instant At);

/// <summary>
/// When a unit that has not handed in its submission to a published campaign is reminded: the timing rule of tasks
/// (<see cref="DueStates"/>: due soon at the announcement time N days ahead, due today, overdue at the deadline) and the
/// escalation ladder of tasks (<see cref="EscalationLadder"/>: the lead after <c>LeadAfterDays</c>, the secretariat after
/// <c>SecretariatAfterDays</c>). Pure: the caller passes the clock's instant and the steps already made.
/// </summary>
/// <remarks>
/// <para>A unit's reminders belong to a <em>cycle</em>: the deadline and how many times the unit has handed in
/// (<see cref="Cycle"/>). Moving the deadline or returning a handed-in submission starts a new cycle, so the unit is
/// reminded afresh; a hand-in ends the cycle (the unit is no longer open and the caller stops asking).</para>
/// <para>Before the deadline only the current state is announced, once per cycle, as for tasks: a state missed (a silo
/// down, a campaign published late, a submission returned a day before the deadline) is collapsed into the current one.
/// From the moment the unit is overdue (the deadline, or the return of its submission if that came later) each rung is
/// reached at its offset and every rung passed is made, lowest first: each tells different people.</para>
/// </remarks>
public static class CampaignReminderRule
{
    public const string Overdue = "overdue";
    public const string Lead = "lead";
    public const string Secretariat = "secretariat";
    public const string DueToday = "dueToday";

    public static string DueSoon(int leadDays) => $"dueSoon:{leadDays.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The cycle key of a unit's reminders: the deadline as rendered in history and the number of hand-ins.</summary>
    public static string Cycle(Deadline deadline, int handedIn) =>
        $"{Rules.Render.Deadline(deadline)}#{handedIn.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>When the unit counts as overdue: the deadline, or the return that reopened it if that came later.</summary>
    public static Instant OverdueSince(DueStates due, Deadline deadline, Instant? reopenedAt)
    {
        var at = due.DueInstant(deadline);
        return reopenedAt is { } r && r > at ? r : at;
    }

    /// <summary>The steps to make now for one open unit, given those already made in its cycle; earliest first.</summary>
    public static IReadOnlyList<CampaignReminderStep> Due(
        DueStates due, EscalationLadder ladder, Deadline deadline, Instant? reopenedAt, IReadOnlySet<string> made, Instant now)
    {
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(ladder);
        ArgumentNullException.ThrowIfNull(deadline);
        ArgumentNullException.ThrowIfNull(made);
        var since = OverdueSince(due, deadline, reopenedAt);
        if (now < since)
        {
            // Before the deadline: the current state, unless it or a later one was made in this cycle.
            var moments = due.Moments(deadline).Where(m => m.Kind != DueKind.Overdue).ToArray();
            var current = -1;
            for (var i = 0; i < moments.Length && moments[i].At <= now; i++) current = i;
            if (current < 0) return [];
            for (var i = current; i < moments.Length; i++)
                if (made.Contains(StepOf(moments[i]))) return [];
            var moment = moments[current];
            return [new CampaignReminderStep(StepOf(moment),
                moment.Kind == DueKind.DueSoon ? NotificationKind.CampaignDueSoon : NotificationKind.CampaignDueToday,
                EscalationLevel.Owner, moment.LeadDays, null, moment.At)];
        }

        var steps = new List<CampaignReminderStep>(3);
        foreach (var (step, level, days) in Rungs(ladder))
        {
            var at = since + Duration.FromDays(days);
            if (at > now) break;
            if (made.Contains(step)) continue;
            steps.Add(new CampaignReminderStep(step,
                level == EscalationLevel.Owner ? NotificationKind.CampaignOverdue : NotificationKind.CampaignEscalated,
                level, null, level == EscalationLevel.Owner ? null : days, at));
        }
        return steps;
    }

    /// <summary>The next instant after <paramref name="now"/> at which a step falls due for the unit, or null when none will.</summary>
    public static Instant? NextChange(
        DueStates due, EscalationLadder ladder, Deadline deadline, Instant? reopenedAt, IReadOnlySet<string> made, Instant now)
    {
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(ladder);
        ArgumentNullException.ThrowIfNull(made);
        var since = OverdueSince(due, deadline, reopenedAt);
        if (now < since)
            foreach (var moment in due.Moments(deadline))
                if (moment.Kind != DueKind.Overdue && moment.At > now) return moment.At;
        foreach (var (step, _, days) in Rungs(ladder))
        {
            var at = since + Duration.FromDays(days);
            if (at > now && !made.Contains(step)) return at;
        }
        return null;
    }

    private static string StepOf(DueMoment moment) => moment.Kind == DueKind.DueSoon ? DueSoon(moment.LeadDays ?? 0) : DueToday;

    private static IEnumerable<(string Step, EscalationLevel Level, int Days)> Rungs(EscalationLadder ladder)
    {
        yield return (Overdue, EscalationLevel.Owner, 0);
        yield return (Lead, EscalationLevel.Lead, ladder.LeadAfterDays);
        yield return (Secretariat, EscalationLevel.Secretariat, ladder.SecretariatAfterDays);
    }
}
