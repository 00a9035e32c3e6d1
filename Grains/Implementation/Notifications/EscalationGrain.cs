using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using Summit.Scheduling;

namespace Summit.Notifications;

/// <summary>One overdue task on the ladder: the deadline it is overdue for, and the rungs already climbed.</summary>
[GenerateSerializer, Alias("summit.state.ladder-entry")]
public sealed class LadderEntry
{
    [Id(0)] public Deadline Due { get; set; } = null!;
    [Id(1)] public Instant OverdueSince { get; set; }
    [Id(2)] public string Title { get; set; } = "";
    [Id(3)] public OwningUnit Owner { get; set; } = null!;
    [Id(4)] public string? Assignee { get; set; }
    [Id(5)] public List<EscalationLevel> Climbed { get; set; } = [];
    [Id(6)] public Instant? RedListedAt { get; set; }
}

[GenerateSerializer, Alias("summit.state.escalation")]
public sealed class EscalationState
{
    [Id(0)] public EscalationLadder Ladder { get; set; } = EscalationLadder.Default;
    /// <summary>By task id.</summary>
    [Id(1)] public Dictionary<string, LadderEntry> Tasks { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The escalation ladder of one summit (key: the summit code). Each rung is reached at a fixed offset from the task's
/// due moment (calendar days, by the injected clock) and climbed once per task and deadline: a notification's id is
/// derived from (summit, task, deadline, rung), and a rung is marked climbed only after its notifications are
/// stored, so a tick that is late, repeated or replayed after a crash sends nothing twice and misses nothing.
/// A tick that comes late climbs every rung it passed, lowest first: each rung tells different people.
/// </summary>
[GrainType("summit.escalation")]
public sealed class EscalationGrain(
    [PersistentState("escalation", StorageNames.Summit)] IPersistentState<EscalationState> state,
    IClock clock,
    ILogger<EscalationGrain> logger)
    : Grain, IEscalationGrain, IRemindable
{
    public const string ReminderName = "escalation";

    /// <summary>How often the ladder is reconciled while a task is on it; a rung is climbed at most this late.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMinutes(15);

    public const int MaxDays = 90;

    // Unknown (null) until this activation has looked.
    private bool? _reminderSet;

    private string SummitCode => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Ladder ??= EscalationLadder.Default;
        state.State.Tasks ??= new(StringComparer.Ordinal);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<EscalationLadder> GetLadder() => Task.FromResult(state.State.Ladder);

    public async Task SetLadder(EscalationLadder ladder, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        var errors = new FieldErrors();
        errors.Range("leadAfterDays", ladder.LeadAfterDays, 0, MaxDays);
        errors.Range("secretariatAfterDays", ladder.SecretariatAfterDays, 0, MaxDays);
        if (ladder.SecretariatAfterDays < ladder.LeadAfterDays) errors.Add("secretariatAfterDays", "must not be less than leadAfterDays.");
        errors.ThrowIfAny();
        if (state.State.Ladder == ladder) return;
        await Summit();
        state.State.Ladder = ladder;
        await state.WriteStateAsync();
        logger.LogInformation("Escalation ladder of {Summit} set to {Ladder} by {Account}.", SummitCode, ladder, actor.Account);
        await Reconcile();
    }

    public Task<IReadOnlyList<RedListEntry>> GetRedList() => Task.FromResult<IReadOnlyList<RedListEntry>>(state.State.Tasks
        .Where(t => t.Value.RedListedAt is not null)
        .Select(t => new RedListEntry(t.Key, t.Value.Title, t.Value.Owner, t.Value.Assignee, t.Value.Due, t.Value.OverdueSince, t.Value.RedListedAt!.Value))
        .OrderBy(e => e.OverdueSince)
        .ThenBy(e => e.TaskId, StringComparer.Ordinal)
        .ToArray());

    public async Task OnAnnouncement(PreparationTask task, DueAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(announcement);
        // A stale announcement (the deadline moved since) or a closed or set-aside task says nothing.
        if (task.Summit != SummitCode || !task.IsOpen || task.Due != announcement.Deadline) return;
        var summit = await Summit();
        switch (announcement.Kind)
        {
            case DueKind.DueSoon or DueKind.DueToday:
                // Delivered after the clock has overtaken it (the task is overdue by now): the overdue announcement says it better.
                if (clock.GetCurrentInstant() >= task.Due.DueInstant(summit.Zone)) return;
                await Notifier.DeliverAsync(GrainFactory, OwnerNotifications(task.Id, task.Due, task.Owner, task.Assignee,
                    announcement.Kind == DueKind.DueSoon ? NotificationKind.DueSoon : NotificationKind.DueToday,
                    announcement.Kind == DueKind.DueSoon ? NotificationTexts.DueSoon(task, announcement.LeadDays) : NotificationTexts.DueToday(task),
                    announcement.LeadDays, clock.GetCurrentInstant()));
                break;
            case DueKind.Overdue:
                if (clock.GetCurrentInstant() < task.Due.DueInstant(summit.Zone)) return;
                if (!state.State.Tasks.TryGetValue(task.Id, out var entry) || entry.Due != task.Due)
                {
                    state.State.Tasks[task.Id] = new LadderEntry { Due = task.Due, OverdueSince = task.Due.DueInstant(summit.Zone) };
                    await state.WriteStateAsync();
                }
                await ReconcileAsync(summit, new Dictionary<string, PreparationTask?> { [task.Id] = task });
                break;
        }
    }

    public async Task Reconcile()
    {
        if (state.State.Tasks.Count == 0)
        {
            await EnsureReminderAsync();
            return;
        }
        var summit = await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get();
        if (summit is null) return;
        var ids = state.State.Tasks.Keys.ToArray();
        var tasks = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(SummitCode, id)).Get()));
        await ReconcileAsync(summit, ids.Zip(tasks).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            await Reconcile();
        }
        catch (Exception e)
        {
            // The next tick tries again; nothing was marked climbed that was not delivered.
            logger.LogError(e, "Escalation of {Summit} failed; will retry at the next tick.", SummitCode);
        }
    }

    /// <param name="tasks">The current state of each laddered task to look at (null: deleted).</param>
    private async Task ReconcileAsync(SummitEdition summit, IReadOnlyDictionary<string, PreparationTask?> tasks)
    {
        var now = clock.GetCurrentInstant();
        var ladder = state.State.Ladder;
        var changed = false;
        var climbs = new List<(LadderEntry Entry, EscalationLevel Level)>();
        var outgoing = new List<Notification>();
        foreach (var (id, task) in tasks)
        {
            if (!state.State.Tasks.TryGetValue(id, out var entry)) continue;
            // Done, cancelled, set aside, deleted, or given a new deadline: off the ladder (and the red list).
            if (task is null || !task.IsOpen || task.Due != entry.Due)
            {
                state.State.Tasks.Remove(id);
                changed = true;
                continue;
            }
            if (entry.Title != task.Title || entry.Owner != task.Owner || entry.Assignee != task.Assignee)
            {
                (entry.Title, entry.Owner, entry.Assignee) = (task.Title, task.Owner, task.Assignee);
                changed = true;
            }
            foreach (var level in Enum.GetValues<EscalationLevel>())
            {
                var days = DaysFor(level, ladder);
                if (entry.OverdueSince + Duration.FromDays(days) > now) break;
                if (entry.Climbed.Contains(level)) continue;
                climbs.Add((entry, level));
                outgoing.AddRange(await StepAsync(summit, id, entry, level, days, now));
            }
        }

        // Stored first, marked climbed after: a crash in between re-sends ids the inboxes already hold.
        await Notifier.DeliverAsync(GrainFactory, outgoing);
        foreach (var (entry, level) in climbs)
        {
            entry.Climbed.Add(level);
            if (level == EscalationLevel.Secretariat) entry.RedListedAt ??= now;
            changed = true;
        }
        if (changed) await state.WriteStateAsync();
        await EnsureReminderAsync();
    }

    private static int DaysFor(EscalationLevel level, EscalationLadder ladder) => level switch
    {
        EscalationLevel.Owner => 0,
        EscalationLevel.Lead => ladder.LeadAfterDays,
        _ => ladder.SecretariatAfterDays,
    };

    private async Task<IReadOnlyList<Notification>> StepAsync(SummitEdition summit, string taskId, LadderEntry entry, EscalationLevel level, int days, Instant now)
    {
        switch (level)
        {
            case EscalationLevel.Owner:
                return OwnerNotifications(taskId, entry.Due, entry.Owner, entry.Assignee, NotificationKind.Overdue,
                    NotificationTexts.Overdue(entry.Title, entry.Due, entry.Owner), null, now);
            case EscalationLevel.Lead:
            {
                // A county names its lead; universities and departments have none on record, so their accounts hear it again, marked "lead".
                var lead = entry.Owner.Kind == UnitKind.County
                    ? (await GrainFactory.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, entry.Owner.Code)).Get())?.Lead
                    : null;
                var id = NotificationKeys.Id(summit.Code, taskId, Render.Deadline(entry.Due), level);
                var text = NotificationTexts.LeadEscalation(entry.Title, entry.Due, entry.Owner, days, lead);
                var targets = new List<NotificationTarget> { Notifier.UnitTarget(entry.Owner) };
                if (NotificationTexts.LooksLikeUsername(lead)) targets.Add(NotificationTarget.ForAccount(lead!));
                return targets.Select(t => new Notification(id, t, summit.Code, NotificationKind.Escalated, taskId, level, text, now)).ToArray();
            }
            default:
                return [new Notification(
                    NotificationKeys.Id(summit.Code, taskId, Render.Deadline(entry.Due), level),
                    NotificationTarget.Secretariat, summit.Code, NotificationKind.Escalated, taskId, level,
                    NotificationTexts.SecretariatEscalation(entry.Title, entry.Due, entry.Owner, days), now)];
        }
    }

    /// <summary>The owner rung's audience: the assignee's account (when the assignee is an account name) and the owning unit.</summary>
    private IReadOnlyList<Notification> OwnerNotifications(
        string taskId, Deadline due, OwningUnit owner, string? assignee, NotificationKind kind, LocalizedText text, int? leadDays, Instant now)
    {
        var id = NotificationKeys.Id(SummitCode, taskId, Render.Deadline(due), kind, leadDays, EscalationLevel.Owner);
        var targets = new List<NotificationTarget> { Notifier.UnitTarget(owner) };
        if (NotificationTexts.LooksLikeUsername(assignee)) targets.Add(NotificationTarget.ForAccount(assignee!));
        return targets.Select(t => new Notification(id, t, SummitCode, kind, taskId, EscalationLevel.Owner, text, now)).ToArray();
    }

    private async Task<SummitEdition> Summit() =>
        await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get() ?? throw new EntityNotFoundException(EntityKind.Summit, SummitCode);

    private async Task EnsureReminderAsync()
    {
        if (state.State.Tasks.Count > 0 && _reminderSet != true)
        {
            await this.RegisterOrUpdateReminder(ReminderName, TickPeriod, TickPeriod);
            _reminderSet = true;
        }
        else if (state.State.Tasks.Count == 0 && _reminderSet != false)
        {
            var reminder = await this.GetReminder(ReminderName);
            if (reminder is not null) await this.UnregisterReminder(reminder);
            _reminderSet = false;
        }
    }
}
