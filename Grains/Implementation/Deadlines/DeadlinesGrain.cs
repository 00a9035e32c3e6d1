using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Storage;
using Summit.Notifications;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Time;

namespace Summit.Grains.Deadlines;

/// <summary>The deadline engine of one summit; see <see cref="IDeadlinesGrain"/>.</summary>
[GrainType("summit.deadlines")]
public sealed class DeadlinesGrain(
    [PersistentState("deadlines", StorageNames.Summit)] IPersistentState<DeadlineState> state,
    IClock clock,
    WallClock wallClock,
    IOptions<DeadlineEngineOptions> options,
    IEntityQueries entities,
    IAnnouncementStore announcements,
    ILogger<DeadlinesGrain> logger)
    : Grain, IDeadlinesGrain, IRemindable
{
    public const string ReminderName = "deadlines";

    public const int MaxCalendarDates = 400;
    public const int MaxSourceLength = 300;

    private readonly DeadlineEngineOptions _options = options.Value;
    private readonly Dictionary<string, PreparationTask> _tasks = new(StringComparer.Ordinal);
    // Every announcement made, per task (what keeps a replayed tick from announcing twice), and those the escalation
    // side has not accepted yet, oldest first: loaded from the announcement store on activation.
    private readonly Dictionary<string, List<DueAnnouncementRecord>> _announced = new(StringComparer.Ordinal);
    private readonly List<DueAnnouncementRecord> _undelivered = [];
    private int _announcedCount;

    private DeadlineSettings _settings = DeadlineSettings.Default;
    private WorkingCalendar _calendar = WorkingCalendar.China2020;
    private SummitEdition? _summit;
    private DueStates? _due;
    private CriticalPath? _engine;
    private bool _loaded;
    private Task<bool>? _loading;
    private bool _reminderRegistered;
    private NextMomentTimer? _timer;

    // The summary is kept until the schedule's inputs or the day change; revisions start from the wall clock, so
    // one from an earlier activation never matches by accident.
    private long _scheduleChanges;
    private (long Changes, LocalDate Today) _summaryKey;
    private ScheduleSummary? _summary;
    private long _summaryRevision = wallClock.Seed();

    private string SummitCode => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var stored in await announcements.LoadAsync(SummitCode, cancellationToken))
        {
            AnnouncedFor(stored.Record.TaskId).Add(stored.Record);
            _announcedCount++;
            if (!stored.Delivered) _undelivered.Add(stored.Record);
        }
        _settings = SettingsOf(state.State);
        try
        {
            _calendar = _settings.BuildCalendar();
        }
        catch (DomainValidationException e)
        {
            // Only a hand-edited row can get here; the default keeps the engine running until the calendar is set again.
            logger.LogError(e, "Stored working calendar of summit {Summit} is invalid; using the default.", SummitCode);
            _settings = _settings with { Calendar = DeadlineSettings.Default.Calendar, DefaultCalendar = true };
            _calendar = WorkingCalendar.China2020;
        }
        // Built from the catalog right after activation (not during it, so callers are not held up), then reconciled:
        // this is how a silo that was down catches up.
        ArmTimer(clock.GetCurrentInstant() + Duration.FromTimeSpan(_options.SettleDelay), clock.GetCurrentInstant(), force: true);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task<DeadlineSettings> GetSettings() => Task.FromResult(_settings);

    public async Task<DeadlineSettings> SetCalendar(WorkingCalendarDefinition? calendar, Actor actor, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await RequireSummitAsync();
        CheckVersion(expectedVersion);
        WorkingCalendarDefinition? stored = null;
        var built = WorkingCalendar.China2020;
        if (calendar is not null)
        {
            var errors = new FieldErrors();
            WorkingCalendar.Validate(calendar, errors, field: "");
            if (calendar.Holidays?.Count > MaxCalendarDates) errors.Add("holidays", $"must have at most {MaxCalendarDates} dates.");
            if (calendar.MakeUpWorkingDays?.Count > MaxCalendarDates) errors.Add("makeUpWorkingDays", $"must have at most {MaxCalendarDates} dates.");
            errors.MaxLength("source", calendar.Source, MaxSourceLength);
            errors.ThrowIfAny();
            stored = new WorkingCalendarDefinition(
                [.. calendar.Holidays!.Order()], [.. calendar.MakeUpWorkingDays!.Order()], string.IsNullOrWhiteSpace(calendar.Source) ? null : calendar.Source.Trim());
            built = new WorkingCalendar(stored);
        }

        await SaveSettingsAsync(actor, s => s.Calendar = stored);
        _calendar = built;
        AfterSettingsChanged();
        return _settings;
    }

    public async Task<DeadlineSettings> SetReminders(DueOptions reminders, bool leadsInWorkingDays, Actor actor, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(reminders);
        ArgumentNullException.ThrowIfNull(actor);
        await RequireSummitAsync();
        CheckVersion(expectedVersion);
        var errors = new FieldErrors();
        DueOptions.Validate(reminders, errors, field: "");
        errors.ThrowIfAny();
        var stored = reminders with { LeadDays = [.. reminders.LeadDays.OrderDescending()] };

        await SaveSettingsAsync(actor, s =>
        {
            s.Reminders = stored;
            s.LeadsInWorkingDays = leadsInWorkingDays;
        });
        AfterSettingsChanged();
        return _settings;
    }

    public async Task TaskChanged(PreparationTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Summit != SummitCode || !await EnsureLoadedAsync()) return;
        // Changes of one task can arrive out of order or twice (a retried listener call); the version decides.
        if (_tasks.TryGetValue(task.Id, out var known) && known.Version >= task.Version) return;
        _tasks[task.Id] = task;
        Upsert(task);
        await EnsureReminderAsync();

        var now = clock.GetCurrentInstant();
        if (Due(task, now).Count > 0) ArmTimer(now + Duration.FromTimeSpan(_options.SettleDelay), now);
        else if (_due!.NextChange(task.Due, DueLists.EffectiveStatus(task), now) is { } next) ArmTimer(next + NextMomentTimer.Slack, now);
    }

    public Task SummitChanged(SummitEdition summit)
    {
        ArgumentNullException.ThrowIfNull(summit);
        // Not loaded yet: loading reads the summit anyway.
        if (summit.Code != SummitCode || !_loaded || _summit is null || summit.Version <= _summit.Version) return Task.CompletedTask;
        var reshaped = summit.OpeningDate != _summit.OpeningDate || summit.TimeZone != _summit.TimeZone;
        _summit = summit;
        if (reshaped)
        {
            Rebuild();
            var now = clock.GetCurrentInstant();
            ArmTimer(now + Duration.FromTimeSpan(_options.SettleDelay), now);
        }
        return Task.CompletedTask;
    }

    public async Task<SummitSchedule> GetSchedule()
    {
        var summit = await RequireSummitAsync();
        var now = clock.GetCurrentInstant();
        var (forecast, counties, subForums, overall) = Forecast(now.InZone(summit.Zone).Date);

        var tasks = forecast.Tasks.Values
            .Select(s => (Schedule: s, Task: _tasks[s.Id]))
            .Select(x => new ScheduledTask(
                x.Task.Id, x.Task.Owner, x.Task.SubForum, x.Task.Due, x.Schedule.RemainingDays, x.Schedule.EarliestStart,
                x.Schedule.EarliestFinish, x.Schedule.LatestStart, x.Schedule.LatestFinish, x.Schedule.Slack, x.Schedule.Critical))
            .OrderBy(t => t.Slack)
            .ThenBy(t => t.ProjectedFinish)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToArray();

        return new SummitSchedule(
            now, forecast.Today, forecast.OpeningDate, forecast.CriticalPath, tasks, overall, forecast.PreparationFinish,
            forecast.OpeningAtRisk, forecast.NegativeSlackTasks, counties, subForums, forecast.UnknownPrerequisites);
    }

    public async Task<ScheduleSummary?> GetScheduleSummary(long knownRevision = 0)
    {
        var summit = await RequireSummitAsync();
        var summary = Summary(summit, clock.GetCurrentInstant());
        return summary.Revision == knownRevision ? null : summary;
    }

    public async Task<ReadinessReport> GetReadiness()
    {
        var summit = await RequireSummitAsync();
        var now = clock.GetCurrentInstant();
        // The summary's ids, as the dashboard gets them, so both score alike.
        var slack = new ScheduleSignals(_due!, now, Summary(summit, now).NegativeSlack) { Calendar = _calendar };
        var tasks = _tasks.Values.ToArray();
        var counties = await ReadAllAsync<CountyVenue>(EntityKind.County);
        var subForums = await ReadAllAsync<SubForum>(EntityKind.SubForum);
        // Readiness leaves out what the contingency plan set aside.
        return Readiness.Report(tasks, counties, subForums, slack, t => t.SubForum);
    }

    public async Task<PlanReport> GetPlanReadiness()
    {
        var summit = await RequireSummitAsync();
        var today = clock.GetCurrentInstant().InZone(summit.Zone).Date;
        var counties = await entities.ListIdsAsync(SummitCode, EntityKind.County);
        var subForums = (await ReadAllAsync<SubForum>(EntityKind.SubForum)).Where(f => !f.SetAside).Select(f => f.Id);
        return PlanProgress.Report(_tasks.Values, counties, subForums, today, _calendar);
    }

    public async Task<ReadinessCurve> GetReadinessCurve(string scope, string? key)
    {
        var summit = await RequireSummitAsync();
        var today = clock.GetCurrentInstant().InZone(summit.Zone).Date;
        Func<PreparationTask, bool> inScope = scope switch
        {
            "county" => t => t.Owner.Kind == UnitKind.County && t.Owner.Code == key,
            "subForum" => t => t.SubForum == key,
            "category" => t => PlanProgress.CategoryKey(t.Category) == key,
            _ => _ => true,
        };
        var tasks = _tasks.Values.Where(t => PlanProgress.Counts(t) && inScope(t)).ToList();
        var from = summit.PreparationStart;
        var to = summit.ClosingDate;
        var planned = PlanProgress.PlannedCurve(tasks, from, to, _calendar);

        // The earned curve comes from the audit rows (SQL), the tasks' own record of their changes.
        var ids = tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var history = new Dictionary<string, IReadOnlyList<ProgressChange>>(StringComparer.Ordinal);
        LocalDate? first = null;
        foreach (var row in await entities.ReadTaskProgressAsync(SummitCode))
        {
            if (!ids.Contains(row.TaskId)) continue;
            var date = row.At.InZone(summit.Zone).Date;
            if (first is null || date < first) first = date;
            if (!history.TryGetValue(row.TaskId, out var list)) history[row.TaskId] = list = new List<ProgressChange>();
            ((List<ProgressChange>)list).Add(new ProgressChange(date, row.Status, row.Percent));
        }
        var last = today < to ? today : to;
        var earned = last < from ? [] : PlanProgress.EarnedCurve(tasks, history, from, last, first);
        var points = new CurvePoint[planned.Length];
        for (var i = 0; i < planned.Length; i++)
            points[i] = new CurvePoint(from.PlusDays(i), planned[i], i < earned.Length ? earned[i] : null);
        return new ReadinessCurve(scope, key, today, summit.OpeningDate, from, to, tasks.Count, points);
    }

    public async Task<IReadOnlyList<DueAnnouncementRecord>> GetAnnouncements(string? taskId = null) => taskId is null
        ? [.. (await announcements.LoadAsync(SummitCode)).Select(a => a.Record)]
        : await announcements.ForTaskAsync(SummitCode, taskId);

    public Task<DeadlineEngineStatus> GetStatus() => Task.FromResult(new DeadlineEngineStatus(
        _tasks.Count, _announcedCount, _undelivered.Count, state.State.LastReconciledAt, _timer?.DueAt, _reminderRegistered));

    public async Task<ReconcileResult> Reconcile()
    {
        await RequireSummitAsync();
        return await ReconcileCoreAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        try
        {
            await ReconcileCoreAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Deadline reminder of summit {Summit} failed; the next tick retries.", SummitCode);
        }
    }

    /// <summary>
    /// Announces each open task's current state unless it was announced for the same deadline already, stores the
    /// announcements before passing them on, and sets the timer for the next state change of any task.
    /// </summary>
    private async Task<ReconcileResult> ReconcileCoreAsync()
    {
        if (!await EnsureLoadedAsync()) return new ReconcileResult(clock.GetCurrentInstant(), [], null, 0);
        var now = clock.GetCurrentInstant();
        // A change the listener could not deliver would leave a stale copy here; confirm a task before announcing it.
        var candidates = _tasks.Values.Where(t => Due(t, now).Count > 0).Select(t => t.Id).ToArray();
        if (candidates.Length > 0) await RefreshAsync(candidates);
        var made = new List<DueAnnouncementRecord>();
        Instant? next = null;
        foreach (var task in _tasks.Values)
        {
            foreach (var announcement in Due(task, now))
                made.Add(new DueAnnouncementRecord(task.Id, announcement.Kind, announcement.LeadDays, announcement.Deadline, announcement.At, now));
            if (_due!.NextChange(task.Due, DueLists.EffectiveStatus(task), now) is { } change && (next is null || change < next)) next = change;
        }

        if (made.Count > 0)
        {
            // Stored before they are passed on. Not stored means not made: the next pass makes them again (and a row
            // that was stored after all is not stored twice).
            await announcements.AppendAsync(SummitCode, made);
            foreach (var record in made) AnnouncedFor(record.TaskId).Add(record);
            _announcedCount += made.Count;
            _undelivered.AddRange(made);
            logger.LogInformation("Summit {Summit}: {Count} due announcements at {Now}.", SummitCode, made.Count, now);

            // The grain state is only the settings and this instant: a small write, whatever the summit's history.
            var previous = state.State.LastReconciledAt;
            state.State.LastReconciledAt = now;
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                state.State.LastReconciledAt = previous;
                logger.LogWarning(e, "Summit {Summit}: could not record the time of the last reconciliation.", SummitCode);
            }
        }
        else
        {
            state.State.LastReconciledAt = now;
        }

        var (more, failed) = await DeliverAsync();
        var wake = next is { } at ? at + NextMomentTimer.Slack : now + NextMomentTimer.MaxDelay;
        if (more) wake = now;
        else if (failed && now + Duration.FromTimeSpan(_options.DeliveryRetry) < wake) wake = now + Duration.FromTimeSpan(_options.DeliveryRetry);
        ArmTimer(wake, now, force: true);
        return new ReconcileResult(now, made, next, _undelivered.Count);
    }

    /// <summary>
    /// Passes stored announcements to the escalation grain, oldest first, at most one batch per turn, and marks them
    /// delivered in the store. At least once: a crash before they are marked repeats them, which its idempotent
    /// handling absorbs.
    /// </summary>
    /// <returns>Whether more are waiting (batch full), and whether a delivery failed.</returns>
    private async Task<(bool More, bool Failed)> DeliverAsync()
    {
        var pending = _undelivered;
        var delivered = 0;
        var failed = false;
        var escalation = GrainFactory.GetGrain<IEscalationGrain>(SummitCode);
        while (delivered < pending.Count && delivered < _options.DeliveryBatch)
        {
            var record = pending[delivered];
            if (_tasks.TryGetValue(record.TaskId, out var task))
            {
                try
                {
                    await escalation.OnAnnouncement(task, record.ToAnnouncement());
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Summit {Summit}: escalation did not take the {Kind} announcement of task {Task}; it is retried.",
                        SummitCode, record.Kind, record.TaskId);
                    failed = true;
                    break;
                }
            }
            delivered++;
        }
        if (delivered == 0) return (false, failed);

        var done = pending.GetRange(0, delivered);
        pending.RemoveRange(0, delivered);
        // Marked per batch: an update of the batch's rows only. A repeat after a failed mark is harmless.
        try
        {
            await announcements.MarkDeliveredAsync(SummitCode, done);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Summit {Summit}: could not record delivered announcements; they may be delivered again.", SummitCode);
        }
        return (pending.Count > 0 && !failed, failed);
    }

    /// <summary>Reads the tasks again and takes any newer version than the one known.</summary>
    private async Task RefreshAsync(IReadOnlyList<string> ids)
    {
        var fresh = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(SummitCode, id)).Get()));
        foreach (var task in fresh)
        {
            if (task is null || (_tasks.TryGetValue(task.Id, out var known) && known.Version >= task.Version)) continue;
            logger.LogWarning("Summit {Summit}: task {Task} version {Version} had not reached the deadline engine.", SummitCode, task.Id, task.Version);
            _tasks[task.Id] = task;
            Upsert(task);
        }
    }

    private IReadOnlyList<DueAnnouncement> Due(PreparationTask task, Instant now) =>
        _due!.Reconcile(task.Due, DueLists.EffectiveStatus(task), (_announced.GetValueOrDefault(task.Id) ?? []).Select(r => r.ToAnnouncement()), now);

    private const string CountyGroupPrefix = "county:";

    private static ScheduleTask ToScheduleTask(PreparationTask task) =>
        ScheduleTask.From(task, task.Owner.Kind == UnitKind.County ? CountyGroupPrefix + task.Owner.Code : null);

    /// <summary>The forecast and its rollups: what <see cref="GetSchedule"/> and <see cref="Summary"/> share.</summary>
    private (ScheduleForecast Forecast, ScheduleRollup[] Counties, ScheduleRollup[] SubForums, ScheduleRollup Overall) Forecast(LocalDate today)
    {
        var forecast = _engine!.Compute(today);
        var counties = forecast.Groups.Values
            .Where(g => g.Group.StartsWith(CountyGroupPrefix, StringComparison.Ordinal))
            .Select(g => new ScheduleRollup(g.Group[CountyGroupPrefix.Length..], g.OpenTasks, g.ProjectedFinish, g.MinSlack))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();

        // The engine rolls a task up into one group (its county); sub-forums are rolled up here by the same rule.
        var subForums = _tasks.Values
            .Where(t => t.SubForum is not null)
            .GroupBy(t => t.SubForum!, StringComparer.Ordinal)
            .Select(g => Rollup(g.Key, g.Select(t => forecast.Tasks.GetValueOrDefault(t.Id)).OfType<TaskSchedule>()))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();

        var overall = Rollup(null, forecast.Tasks.Values) with { ProjectedFinish = forecast.ProjectedFinish };
        return (forecast, counties, subForums, overall);
    }

    /// <summary>The summary as of <paramref name="now"/>; a new revision only when its content changed.</summary>
    private ScheduleSummary Summary(SummitEdition summit, Instant now)
    {
        var today = now.InZone(summit.Zone).Date;
        if (_summary is not null && _summaryKey == (_scheduleChanges, today)) return _summary;
        var (forecast, counties, subForums, overall) = Forecast(today);
        var critical = forecast.CriticalPath
            .Take(ScheduleSummary.MaxCriticalTasks)
            .Select(id => (Task: _tasks.GetValueOrDefault(id), Schedule: forecast.Tasks.GetValueOrDefault(id)))
            .Where(x => x.Task is not null && x.Schedule is not null)
            .Select(x => new CriticalTask(x.Task!.Id, x.Task.Title, x.Task.Owner, x.Task.Due, x.Schedule!.EarliestFinish, x.Schedule.Slack))
            .ToArray();
        var fresh = new ScheduleSummary(
            _summaryRevision, now, forecast.Today, forecast.OpeningDate, forecast.PreparationFinish, overall.ProjectedFinish,
            forecast.OpeningAtRisk, overall.OpenTasks, forecast.NegativeSlackTasks, forecast.CriticalPath.Count, critical,
            counties, subForums, ScheduleSignals.NegativeSlackOf(forecast)) { Calendar = _calendar.Definition };
        if (_summary is null || !_summary.SameContent(fresh) || !ReferenceEquals(_summary.Calendar, fresh.Calendar)) _summary = fresh with { Revision = ++_summaryRevision };
        _summaryKey = (_scheduleChanges, today);
        return _summary;
    }

    private static ScheduleRollup Rollup(string? key, IEnumerable<TaskSchedule> open)
    {
        int count = 0;
        LocalDate? finish = null;
        int? slack = null;
        foreach (var task in open)
        {
            count++;
            if (finish is null || task.EarliestFinish > finish) finish = task.EarliestFinish;
            if (slack is null || task.Slack < slack) slack = task.Slack;
        }
        return new ScheduleRollup(key, count, finish, slack);
    }

    private async Task<bool> EnsureLoadedAsync()
    {
        if (_loaded) return true;
        // Interleaved calls (the schedule summary) wait for the one load instead of each reading every task.
        var loading = _loading ??= LoadAsync();
        try
        {
            return await loading;
        }
        finally
        {
            if (ReferenceEquals(_loading, loading) && loading.IsCompleted) _loading = null;
        }
    }

    private async Task<bool> LoadAsync()
    {
        var summit = await GrainFactory.GetGrain<ISummitGrain>(SummitCode).Get();
        if (summit is null) return false;
        var tasks = await ReadAllAsync<PreparationTask>(EntityKind.Task);
        if (_loaded) return true; // another turn finished loading while this one read
        _summit = summit;
        _tasks.Clear();
        foreach (var task in tasks) _tasks[task.Id] = task;
        Rebuild();
        _loaded = true;
        logger.LogInformation("Deadline engine of summit {Summit} loaded {Count} tasks.", SummitCode, _tasks.Count);
        if (_tasks.Count > 0) await EnsureReminderAsync();
        return true;
    }

    private async Task<SummitEdition> RequireSummitAsync()
    {
        if (!await EnsureLoadedAsync()) throw new EntityNotFoundException(EntityKind.Summit, SummitCode);
        return _summit!;
    }

    private async Task<IReadOnlyList<TEntity>> ReadAllAsync<TEntity>(EntityKind kind) where TEntity : class =>
        await entities.LoadAllAsync<TEntity>(SummitCode, kind);

    private void Rebuild()
    {
        _scheduleChanges++;
        _due = _settings.DueStates(_summit!.Zone);
        _engine = new CriticalPath(_calendar, _summit.OpeningDate);
        try
        {
            _engine.UpsertRange(_tasks.Values.Select(ToScheduleTask));
        }
        catch (DependencyCycleException)
        {
            // Two tasks made to depend on each other at the same moment can both be accepted; take them one by one.
            _engine = new CriticalPath(_calendar, _summit.OpeningDate);
            foreach (var task in _tasks.Values) Upsert(task);
        }
    }

    /// <summary>Puts a task in the schedule; a dependency that would close a cycle is left out of the schedule (and logged).</summary>
    private void Upsert(PreparationTask task)
    {
        _scheduleChanges++;
        var entry = ToScheduleTask(task);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _engine!.Upsert(entry);
                return;
            }
            catch (DependencyCycleException e) when (attempt < 10)
            {
                logger.LogWarning("Summit {Summit}: {Cycle} Task {Task}'s dependencies on the cycle are left out of the schedule.",
                    SummitCode, e.Message, task.Id);
                entry = entry with { DependsOn = [.. entry.DependsOn.Where(d => !e.Cycle.Contains(d))] };
            }
        }
    }

    private async Task EnsureReminderAsync()
    {
        if (_reminderRegistered) return;
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
        _reminderRegistered = true;
    }

    private void ArmTimer(Instant at, Instant now, bool force = false) => (_timer ??= new(this, OnTimerAsync)).Arm(at, now, force);

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileCoreAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Deadline timer of summit {Summit} failed; the reminder retries.", SummitCode);
        }
    }

    private void CheckVersion(int? expected)
    {
        if (expected is { } version && version != _settings.Version)
            throw new VersionConflictException(EntityKind.Summit, SummitCode, version, _settings.Version);
    }

    private async Task SaveSettingsAsync(Actor actor, Action<DeadlineState> change)
    {
        var before = (state.State.Calendar, state.State.Reminders, state.State.LeadsInWorkingDays, state.State.Version, state.State.UpdatedAt, state.State.UpdatedBy);
        change(state.State);
        state.State.Version++;
        state.State.UpdatedAt = clock.GetCurrentInstant();
        state.State.UpdatedBy = actor.Account;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (state.State.Calendar, state.State.Reminders, state.State.LeadsInWorkingDays, state.State.Version, state.State.UpdatedAt, state.State.UpdatedBy) = before;
            throw;
        }
        _settings = SettingsOf(state.State);
    }

    private void AfterSettingsChanged()
    {
        if (!_loaded) return;
        Rebuild();
        var now = clock.GetCurrentInstant();
        ArmTimer(now + Duration.FromTimeSpan(_options.SettleDelay), now, force: true);
    }

    private static DeadlineSettings SettingsOf(DeadlineState stored) => new(
        stored.Calendar ?? WorkingCalendar.China2020Definition,
        stored.Calendar is null,
        stored.Reminders ?? DueOptions.Default,
        stored.LeadsInWorkingDays,
        // Version 1 is the defaults, so every version can travel as an ETag.
        stored.Version + 1,
        stored.UpdatedAt,
        stored.UpdatedBy);

    private List<DueAnnouncementRecord> AnnouncedFor(string taskId)
    {
        if (!_announced.TryGetValue(taskId, out var list)) _announced[taskId] = list = [];
        return list;
    }
}
