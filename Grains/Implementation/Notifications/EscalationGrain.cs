using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Notifications;

/// <summary>
/// The escalation grain's own state: the ladder's settings only. The laddered tasks are rows (<see cref="IEscalationStore"/>,
/// <c>summit_escalation</c>), so a write of this state stays a few bytes however many tasks are overdue.
/// </summary>
[GenerateSerializer, Alias("summit.state.escalation")]
public sealed class EscalationState
{
    [Id(0)] public EscalationLadder Ladder { get; set; } = EscalationLadder.Default;
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
    IEscalationStore store,
    IClock clock,
    ILogger<EscalationGrain> logger)
    : Grain, IEscalationGrain, IRemindable
{
    public const string ReminderName = "escalation";

    /// <summary>How often the ladder is reconciled while a task is on it; a rung is climbed at most this late.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMinutes(15);

    public const int MaxDays = 90;

    /// <summary>Laddered tasks read and reconciled at a time.</summary>
    public const int PageSize = 500;

    // Unknown (null) until this activation has looked.
    private bool? _reminderSet;

    private string SummitCode => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Ladder ??= EscalationLadder.Default;
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

    public async Task<IReadOnlyList<RedListEntry>> GetRedList() =>
        (await GetRedListPage(null, 0, int.MaxValue)).Items.Select(i => i.Entry).ToArray();

    public async Task<RedListPage> GetRedListPage(IReadOnlyList<OwningUnit>? owners, int offset, int limit)
    {
        var (rows, total) = await store.RedListAsync(SummitCode, owners?.Select(TaskListQuery.OwnerKey).ToArray(), offset, limit);
        var items = rows.Select(r => new RedListPageItem(
                Entry(r.Record),
                JsonSerializer.Deserialize<PreparationTask>(r.TaskJson, SummitJson.Options)!))
            .ToArray();
        return new RedListPage(items, total);
    }

    private static RedListEntry Entry(EscalationRecord r) =>
        new(r.TaskId, r.Title, r.Owner, r.Assignee, r.Due, r.OverdueSince, r.RedListedAt ?? r.OverdueSince);

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
                var entry = await store.GetAsync(SummitCode, task.Id);
                if (entry is null || entry.Due != task.Due)
                {
                    entry = new EscalationRecord(task.Id, task.Due, task.Due.DueInstant(summit.Zone), task.Title, task.Owner, task.Assignee, []);
                    await store.SaveAsync(SummitCode, [entry]);
                }
                if (await ReconcileAsync(summit, [(entry, task)]) > 0) await EnsureReminderAsync(onLadder: true);
                break;
        }
    }

    public async Task Reconcile()
    {
        var summit = await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get();
        if (summit is null) return;
        // A page at a time, each laddered task with its stored state: no task grain is activated for it.
        var remaining = 0;
        string? after = null;
        while (true)
        {
            var page = await store.PageAsync(SummitCode, after, PageSize);
            if (page.Count == 0) break;
            remaining += await ReconcileAsync(summit, page
                .Select(l => (l.Record, l.TaskJson is null ? null : JsonSerializer.Deserialize<PreparationTask>(l.TaskJson, SummitJson.Options)))
                .ToArray());
            after = page[^1].Record.TaskId;
            if (page.Count < PageSize) break;
        }
        await EnsureReminderAsync(remaining > 0);
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

    /// <param name="tasks">Laddered tasks with the current state of each (null: deleted).</param>
    /// <returns>How many of them stay on the ladder.</returns>
    private async Task<int> ReconcileAsync(SummitEdition summit, IReadOnlyList<(EscalationRecord Entry, PreparationTask? Task)> tasks)
    {
        var now = clock.GetCurrentInstant();
        var ladder = state.State.Ladder;
        var removed = new List<string>();
        var changed = new Dictionary<string, EscalationRecord>(StringComparer.Ordinal);
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        var climbs = new List<(string TaskId, EscalationLevel Level)>();
        var outgoing = new List<Notification>();
        var names = new UnitNames(GrainFactory, summit.Code);
        foreach (var (stored, task) in tasks)
        {
            var entry = stored;
            var id = entry.TaskId;
            // Done, cancelled, set aside, deleted, or given a new deadline: off the ladder (and the red list).
            if (task is null || !task.IsOpen || task.Due != entry.Due)
            {
                removed.Add(id);
                continue;
            }
            if (entry.Title != task.Title || entry.Owner != task.Owner || entry.Assignee != task.Assignee)
            {
                entry = entry with { Title = task.Title, Owner = task.Owner, Assignee = task.Assignee };
                dirty.Add(id);
            }
            foreach (var level in Enum.GetValues<EscalationLevel>())
            {
                var days = DaysFor(level, ladder);
                if (entry.OverdueSince + Duration.FromDays(days) > now) break;
                if (entry.Climbed.Contains(level)) continue;
                climbs.Add((id, level));
                outgoing.AddRange(await StepAsync(summit, id, entry, level, days, names, now));
            }
            changed[id] = entry;
        }

        // Stored first, marked climbed after: a crash in between re-sends ids the inboxes already hold.
        await Notifier.DeliverAsync(GrainFactory, outgoing);
        foreach (var (id, level) in climbs)
        {
            var entry = changed[id];
            changed[id] = entry with
            {
                Climbed = [.. entry.Climbed, level],
                RedListedAt = level == EscalationLevel.Secretariat ? entry.RedListedAt ?? now : entry.RedListedAt,
            };
            dirty.Add(id);
        }
        await store.SaveAsync(SummitCode, dirty.Select(id => changed[id]).ToArray());
        await store.RemoveAsync(SummitCode, removed);
        return tasks.Count - removed.Count;
    }

    private static int DaysFor(EscalationLevel level, EscalationLadder ladder) => level switch
    {
        EscalationLevel.Owner => 0,
        EscalationLevel.Lead => ladder.LeadAfterDays,
        _ => ladder.SecretariatAfterDays,
    };

    private async Task<IReadOnlyList<Notification>> StepAsync(
        SummitEdition summit, string taskId, EscalationRecord entry, EscalationLevel level, int days, UnitNames names, Instant now)
    {
        switch (level)
        {
            case EscalationLevel.Owner:
                return OwnerNotifications(taskId, entry.Due, entry.Owner, entry.Assignee, NotificationKind.Overdue,
                    NotificationTexts.Overdue(entry.Title, entry.Due, await names.Of(entry.Owner)), null, now);
            case EscalationLevel.Lead:
            {
                // A county names its lead; universities and departments have none on record, so their accounts hear it again, marked "lead".
                var lead = entry.Owner.Kind == UnitKind.County
                    ? (await GrainFactory.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit.Code, entry.Owner.Code)).Get())?.Lead
                    : null;
                var id = NotificationKeys.Id(summit.Code, taskId, Render.Deadline(entry.Due), level);
                var text = NotificationTexts.LeadEscalation(entry.Title, entry.Due, await names.Of(entry.Owner), days, lead);
                var targets = new List<NotificationTarget> { Notifier.UnitTarget(entry.Owner) };
                if (NotificationTexts.LooksLikeUsername(lead)) targets.Add(NotificationTarget.ForAccount(lead!));
                return targets.Select(t => new Notification(id, t, summit.Code, NotificationKind.Escalated, taskId, level, text, now)).ToArray();
            }
            default:
                return [new Notification(
                    NotificationKeys.Id(summit.Code, taskId, Render.Deadline(entry.Due), level),
                    NotificationTarget.Secretariat, summit.Code, NotificationKind.Escalated, taskId, level,
                    NotificationTexts.SecretariatEscalation(entry.Title, entry.Due, await names.Of(entry.Owner), days), now)];
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

    private async Task EnsureReminderAsync(bool onLadder)
    {
        if (onLadder && _reminderSet != true)
        {
            await this.RegisterOrUpdateReminder(ReminderName, TickPeriod, TickPeriod);
            _reminderSet = true;
        }
        else if (!onLadder && _reminderSet != false)
        {
            var reminder = await this.GetReminder(ReminderName);
            if (reminder is not null) await this.UnregisterReminder(reminder);
            _reminderSet = false;
        }
    }
}
