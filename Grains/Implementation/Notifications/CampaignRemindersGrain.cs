using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Grains.Deadlines;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Notifications;

/// <summary>
/// The campaign reminders of one summit; see <see cref="ICampaignRemindersGrain"/>. No grain state: what was made is
/// rows of <see cref="ICampaignReminderStore"/> (migration 0290), and the open units are read in SQL on each pass, so a
/// restarted or moved activation knows everything its predecessor did. A pass stores the notifications first and records
/// their rows after: a crash in between makes the same notifications again with the same ids, which the inboxes hold once.
/// </summary>
[GrainType("summit.campaign-reminders")]
public sealed class CampaignRemindersGrain(
    ICampaignReminderStore store,
    IEntityStore entities,
    IClock clock,
    IOptions<DeadlineEngineOptions> options,
    ILogger<CampaignRemindersGrain> logger)
    : Grain, ICampaignRemindersGrain, IRemindable, IIdempotentCommitter
{
    public const string ReminderName = "campaign-reminders";

    /// <summary>How long after a 催报 the next one of the same campaign may be sent.</summary>
    public static readonly Duration NudgeInterval = Duration.FromHours(1);

    private readonly DeadlineEngineOptions _options = options.Value;
    private NextMomentTimer? _timer;
    // Unknown (null) until this activation has looked.
    private bool? _reminderSet;

    private string SummitCode => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An activation (after a restart, or woken by the reminder) catches up at once.
        var now = clock.GetCurrentInstant();
        ArmTimer(now + Duration.FromTimeSpan(_options.SettleDelay), now);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task Poke()
    {
        var now = clock.GetCurrentInstant();
        // A burst of changes costs one pass.
        ArmTimer(now + Duration.FromTimeSpan(_options.SettleDelay), now);
        return Task.CompletedTask;
    }

    public Task<CampaignReminderPass> Reconcile() => PassAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        try
        {
            await PassAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign reminders of summit {Summit} failed; the next tick retries.", SummitCode);
        }
    }

    public async Task<CampaignNudgeSent> Nudge(string campaignId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(actor);
        // Taken before the first await: the call filter hands it to this turn only.
        var mark = IdempotencyContext.Current;
        var summit = await SummitAsync() ?? throw new EntityNotFoundException(EntityKind.Summit, SummitCode);
        var campaign = await CampaignAsync(campaignId) ?? throw new EntityNotFoundException(EntityKind.Campaign, campaignId);
        AccessRules.EnsureRemind(actor, campaign);
        if (campaign.Status != CampaignStatus.Published || campaign.Deadline is null)
            throw new DomainValidationException("status", "must be published to remind its units.");

        // To the microsecond, as PostgreSQL keeps it: the answer and a later read of the nudge say the same.
        var ticks = clock.GetCurrentInstant().ToUnixTimeTicks();
        var now = Instant.FromUnixTimeTicks(ticks - ticks % 10);
        var open = (await store.OpenUnitsAsync(SummitCode, campaign.Id)).Select(u => u.Unit).ToArray();
        // Nobody to remind: nothing is written, and the hour is not spent.
        if (open.Length == 0 && mark is not { Replay: true })
            return new CampaignNudgeSent(campaign.Id, 0, [], now, now);
        var result = await store.NudgeAsync(SummitCode, campaign.Id, now, actor.Account, open, now - NudgeInterval, mark);
        switch (result.Outcome)
        {
            case NudgeOutcome.TooSoon:
            {
                var (last, nextAt) = (result.Last!.At, result.Last.At + NudgeInterval);
                throw new NudgeTooSoonException(campaign.Id, last, nextAt, Local(last, summit), Local(nextAt, summit));
            }
            case NudgeOutcome.AlreadyApplied when result.Nudge is null:
                throw new RequestAlreadyAppliedException(EntityKind.Campaign, campaign.Id);
        }
        var nudge = result.Nudge!;
        // The notifications follow from the committed nudge in the next turn (a pass delivers every pending nudge), so the
        // request waits for one transaction, not for every inbox and webhook.
        if (!nudge.Delivered) ArmTimer(now, clock.GetCurrentInstant());
        logger.LogInformation("Campaign {Campaign} of {Summit}: {Account} reminded {Count} units.", campaign.Id, SummitCode, actor.Account, nudge.Units.Count);
        return new CampaignNudgeSent(campaign.Id, nudge.Units.Count, nudge.Units, nudge.At, nudge.At + NudgeInterval);
    }

    /// <summary>Makes every reminder due now, finishes nudges a crash interrupted, and sets the timer for the next moment.</summary>
    private async Task<CampaignReminderPass> PassAsync()
    {
        var summit = await SummitAsync();
        var now = clock.GetCurrentInstant();
        if (summit is null) return new CampaignReminderPass(now, 0, 0, null);
        var settings = await GrainFactory.GetGrain<IDeadlinesGrain>(SummitCode).GetSettings();
        var ladder = await GrainFactory.GetGrain<IEscalationGrain>(SummitCode).GetLadder();
        var due = settings.DueStates(summit.Zone);
        var open = await store.OpenUnitsAsync(SummitCode);
        var names = new UnitNames(GrainFactory, SummitCode);

        var outgoing = new List<Notification>();
        var rows = new List<CampaignReminderRow>();
        Instant? next = null;
        foreach (var unit in open)
        {
            var cycle = CampaignReminderRule.Cycle(unit.Deadline, unit.HandedIn);
            var prefix = cycle + "|";
            var made = unit.Made.Where(m => m.StartsWith(prefix, StringComparison.Ordinal)).Select(m => m[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
            foreach (var step in CampaignReminderRule.Due(due, ladder, unit.Deadline, unit.ReopenedAt, made, now))
            {
                var id = NotificationKeys.Id(SummitCode, "campaign", unit.Campaign, unit.Unit, cycle, step.Step);
                outgoing.AddRange(await NotificationsAsync(id, unit, step, names, now));
                rows.Add(new CampaignReminderRow(unit.Campaign, unit.Unit, cycle, step.Step, now, id));
                made.Add(step.Step);
            }
            if (CampaignReminderRule.NextChange(due, ladder, unit.Deadline, unit.ReopenedAt, made, now) is { } change && (next is null || change < next))
                next = change;
        }

        // Stored first, recorded after: a crash in between stores the same ids again, which the inboxes ignore.
        await Notifier.DeliverAsync(GrainFactory, outgoing);
        await store.RecordAsync(SummitCode, rows);
        if (rows.Count > 0) logger.LogInformation("Summit {Summit}: {Count} campaign reminders at {Now}.", SummitCode, rows.Count, now);

        foreach (var nudge in await store.PendingNudgesAsync(SummitCode))
            if (await CampaignAsync(nudge.Campaign) is { } campaign) await DeliverNudgeAsync(summit, campaign, nudge);

        await EnsureReminderAsync(open.Count > 0);
        ArmTimer(next is { } at ? at + NextMomentTimer.Slack : now + NextMomentTimer.MaxDelay, now, force: true);
        return new CampaignReminderPass(now, rows.Count, open.Count, next);
    }

    private async Task<IReadOnlyList<Notification>> NotificationsAsync(string id, OpenCampaignUnit unit, CampaignReminderStep step, UnitNames names, Instant now)
    {
        var name = await names.Of(unit.Unit);
        var returned = unit.HandedIn > 0;
        switch (step.Level)
        {
            case EscalationLevel.Owner:
                return [Notice(id, Notifier.UnitTarget(unit.Unit), step.Kind, step.Level, unit.Campaign,
                    NotificationTexts.CampaignReminder(step.Kind, name, unit.Title, unit.Deadline, step.LeadDays, returned, step.Kind == NotificationKind.CampaignOverdue), now)];
            case EscalationLevel.Lead:
            {
                // As for tasks: a county names its lead; universities and departments have none on record, so their accounts hear it again, marked "lead".
                var lead = unit.Unit.Kind == UnitKind.County
                    ? (await GrainFactory.GetGrain<ICountyVenueGrain>(GrainKeys.Of(SummitCode, unit.Unit.Code)).Get())?.Lead
                    : null;
                var text = NotificationTexts.CampaignEscalation(step.Level, name, unit.Title, unit.Deadline, step.DaysOverdue ?? 0, lead);
                var targets = new List<NotificationTarget> { Notifier.UnitTarget(unit.Unit) };
                if (NotificationTexts.LooksLikeUsername(lead)) targets.Add(NotificationTarget.ForAccount(lead!));
                return targets.Select(t => Notice(id, t, step.Kind, step.Level, unit.Campaign, text, now)).ToArray();
            }
            default:
            {
                // An organisation answers to the unit that forwarded the notice to it (the forward's owner), which reviews
                // its submissions: the last rung is that unit's, not the secretariat's.
                var target = unit.Unit.Kind == UnitKind.Organization && await ForwarderOfAsync(unit.Campaign) is { } forwarder
                    ? Notifier.UnitTarget(forwarder)
                    : NotificationTarget.Secretariat;
                return [Notice(id, target, step.Kind, step.Level, unit.Campaign,
                    NotificationTexts.CampaignEscalation(step.Level, name, unit.Title, unit.Deadline, step.DaysOverdue ?? 0, null), now)];
            }
        }
    }

    /// <summary>The unit that forwarded <paramref name="campaign"/> (its owner); null for a notice the secretariat sent.</summary>
    private async Task<OwningUnit?> ForwarderOfAsync(string campaign)
    {
        var found = await GrainFactory.GetGrain<ICampaignGrain>(GrainKeys.Of(SummitCode, campaign)).Get();
        return found?.Parent is not null ? found.Owner : null;
    }

    private Notification Notice(string id, NotificationTarget target, NotificationKind kind, EscalationLevel level, string campaign, LocalizedText text, Instant now) =>
        new(id, target, SummitCode, kind, null, level, text, now, CampaignId: campaign);

    /// <summary>Stores a nudge's notifications (ids from the nudge and unit), then marks it delivered with a row per unit.</summary>
    private async Task DeliverNudgeAsync(SummitEdition summit, Campaign campaign, CampaignNudge nudge)
    {
        var names = new UnitNames(GrainFactory, SummitCode);
        var overdue = campaign.Deadline is { } deadline && nudge.At >= deadline.DueInstant(summit.Zone);
        var step = $"nudge:{nudge.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var outgoing = new List<Notification>();
        var rows = new List<CampaignReminderRow>();
        // Returned units are told so: their count of hand-ins is what the open units' query says now.
        var returned = (await store.OpenUnitsAsync(SummitCode, campaign.Id)).Where(u => u.HandedIn > 0).Select(u => u.Unit).ToHashSet();
        foreach (var unit in nudge.Units)
        {
            var id = NotificationKeys.Id(SummitCode, "campaign-nudge", campaign.Id, nudge.Number, unit);
            var text = NotificationTexts.CampaignReminder(NotificationKind.CampaignNudged, await names.Of(unit), campaign.Title,
                campaign.Deadline ?? new Deadline(nudge.At.InZone(summit.Zone).Date), null, returned.Contains(unit), overdue);
            outgoing.Add(Notice(id, Notifier.UnitTarget(unit), NotificationKind.CampaignNudged, EscalationLevel.Owner, campaign.Id, text, nudge.At));
            rows.Add(new CampaignReminderRow(campaign.Id, unit, "nudge", step, nudge.At, id));
        }
        await Notifier.DeliverAsync(GrainFactory, outgoing);
        await store.MarkDeliveredAsync(SummitCode, nudge, rows);
    }

    private static string Local(Instant at, SummitEdition summit) =>
        at.InZone(summit.Zone).TimeOfDay.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<SummitEdition?> SummitAsync() => await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get();

    private async Task<Campaign?> CampaignAsync(string id)
    {
        if (!FieldErrors.IsCode(id)) return null;
        var stored = await entities.LoadAsync(new EntityKey(SummitCode, EntityKind.Campaign, id));
        return stored is null ? null : JsonSerializer.Deserialize<Campaign>(stored.Json, SummitJson.Options);
    }

    private async Task EnsureReminderAsync(bool needed)
    {
        if (needed && _reminderSet != true)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
            _reminderSet = true;
        }
        else if (!needed && _reminderSet != false)
        {
            var reminder = await this.GetReminder(ReminderName);
            if (reminder is not null) await this.UnregisterReminder(reminder);
            _reminderSet = false;
        }
    }

    private void ArmTimer(Instant at, Instant now, bool force = false) => (_timer ??= new(this, OnTimerAsync)).Arm(at, now, force);

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PassAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign reminder timer of summit {Summit} failed; the reminder retries.", SummitCode);
            var now = clock.GetCurrentInstant();
            ArmTimer(now + Duration.FromTimeSpan(_options.DeliveryRetry), now);
        }
    }
}

/// <summary>Tells a summit's campaign reminders that one of its campaigns or submissions changed.</summary>
public sealed class CampaignReminderChangeListener(IGrainFactory grains) : Journal.IChangeListener
{
    public Task OnChangedAsync(Journal.ChangeRecord change, object entity) => entity switch
    {
        Campaign campaign => grains.GetGrain<ICampaignRemindersGrain>(campaign.Summit).Poke(),
        Submission submission => grains.GetGrain<ICampaignRemindersGrain>(submission.Summit).Poke(),
        _ => Task.CompletedTask,
    };
}
