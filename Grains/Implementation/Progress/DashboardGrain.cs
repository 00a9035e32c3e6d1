using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Storage;
using Summit.Progress;
using Summit.Scheduling;

namespace Summit.Grains.Progress;

/// <summary>
/// The dashboard projection of one summit.
/// </summary>
/// <remarks>
/// <para>Every event updates only what it touches: a task moves in the sorted due indexes (global and its owner's) and
/// the counters; a county, sub-forum or project replaces its row or funnel counts. So one update costs O(log n) whatever
/// the number of tasks, and a snapshot reads bounded parts (top-N lists, counters, the few county and sub-forum rows).</para>
/// <para>Readiness scores come from <see cref="Readiness"/>, whose inputs are whole task lists; they are recomputed on a
/// timer (<see cref="ProgressOptions.ReadinessRefreshMilliseconds"/>) only when something they depend on changed, on a
/// copy of the task references and off the grain's turn, so updates and snapshots do not wait for them: the O(n) work
/// happens at most once per refresh interval, whatever the update rate.</para>
/// <para>Schedule risk comes from the summit's deadline engine as a <see cref="ScheduleSummary"/>, polled on the same tick
/// (it answers null while nothing changed). Its negative-slack ids feed the scores, so they equal
/// <see cref="IDeadlinesGrain.GetReadiness"/> for the same state; when the engine does not answer, the last summary known
/// is used.</para>
/// <para>Parts carry the revision at which they last changed, so a Gateway asks only for what changed since its last
/// patch. Revisions start from the wall clock at activation, so a revision from an earlier activation is recognisably
/// older and gets a full patch.</para>
/// </remarks>
[GrainType("summit.dashboard")]
[CollectionAgeLimit(Hours = 24)]
public sealed class DashboardGrain(IOptions<ProgressOptions> options, IClock clock, IEntityQueries entities, ILogger<DashboardGrain> logger)
    : Grain, IDashboardGrain
{
    private static readonly Duration Week = Duration.FromDays(DashboardLimits.DueThisWeekDays);

    private readonly ProgressOptions _options = options.Value;
    private string _summit = "";
    private IProgressFeedGrain _feed = null!;

    private SummitEdition? _edition;
    private DueStates _due = new(DateTimeZone.Utc);
    private long _seq;
    private long _baseRevision;
    private long _revision;

    // Tasks: all of them and per owning unit, each with its due index and counters.
    private readonly Dictionary<string, Instant> _dueAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitTasks> _units = new(StringComparer.Ordinal);
    private UnitTasks _all = null!;

    private readonly Dictionary<string, CountyVenue> _counties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _countyRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubForum> _forums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _forumRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CooperationProject> _projects = new(StringComparer.Ordinal);
    private readonly int[] _stageProjects = new int[Enum.GetValues<ProjectStage>().Length];
    private readonly int[] _stageEnterprises = new int[Enum.GetValues<ProjectStage>().Length];
    private long _funnelRevision;
    private long _editionRevision;

    private ReadinessScore? _overall;
    private Instant? _readinessAsOf;
    private long _overallRevision;
    private readonly Dictionary<string, ReadinessScore> _countyScores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadinessScore> _forumScores = new(StringComparer.Ordinal);
    private bool _overallDirty = true;
    private readonly HashSet<string> _dirtyCounties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyForums = new(StringComparer.Ordinal);
    private bool _computing;
    private Task _computation = Task.CompletedTask;

    // The deadline engine's summary as last applied (with its ids), and the revisions at which its parts changed.
    private static readonly TimeSpan ScheduleWait = TimeSpan.FromSeconds(5);
    private ScheduleSummary? _schedule;
    private IReadOnlySet<string>? _negativeSlack;
    private long _scheduleRevision;
    private long _scheduleHeadlineRevision;
    private readonly Dictionary<string, long> _countyScheduleRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _forumScheduleRevisions = new(StringComparer.Ordinal);
    private Task<ScheduleSummary?>? _scheduleCall;
    private bool _scheduleFailing;

    private readonly LinkedList<ProgressEvent> _activity = new();

    private Instant _lastNotified;
    private bool _notifyScheduled;
    private IGrainTimer? _notifyTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _summit = this.GetPrimaryKeyString();
        _feed = GrainFactory.GetGrain<IProgressFeedGrain>(_summit);
        _baseRevision = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        _revision = _baseRevision;
        await RebuildAsync();
        // The first snapshot already carries scores.
        await ComputeReadinessAsync(force: true);
        var period = TimeSpan.FromMilliseconds(Math.Max(50, _options.ReadinessRefreshMilliseconds));
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = false });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Reads everything once from the catalog and the entity grains (O(n), on activation or after a lost gap).</summary>
    private async Task RebuildAsync()
    {
        // Changes up to this seq are stored before their events were issued, so the reads below include them; later
        // events arrive through Apply and are applied only when newer than what was read.
        var recent = await _feed.Recent(Math.Max(1, _options.ActivityCapacity));
        var edition = await GrainFactory.GetGrain<ISummitGrain>(_summit).Get();
        var tasks = await ReadAllAsync<PreparationTask>(EntityKind.Task);
        var counties = await ReadAllAsync<CountyVenue>(EntityKind.County);
        var forums = await ReadAllAsync<SubForum>(EntityKind.SubForum);
        var projects = await ReadAllAsync<CooperationProject>(EntityKind.Project);

        // From here on without awaits, so nothing interleaved sees a half-built projection.
        _seq = recent.LastSeq;
        _edition = edition;
        _due = edition is null ? new DueStates(DateTimeZone.Utc) : DueStates.For(edition);
        _dueAt.Clear();
        _units.Clear();
        _all = new UnitTasks(clock.GetCurrentInstant(), Week);
        _counties.Clear();
        _forums.Clear();
        _projects.Clear();
        Array.Clear(_stageProjects);
        Array.Clear(_stageEnterprises);
        _countyScores.Clear();
        _forumScores.Clear();
        _overall = null;
        _readinessAsOf = null;

        var revision = ++_revision;
        foreach (var task in tasks)
        {
            if (_all.Tasks.TryGetValue(task.Id, out var held)) RemoveTask(held);
            AddTask(task);
        }
        foreach (var county in counties) _counties[county.County] = county;
        foreach (var forum in forums) _forums[forum.Id] = forum;
        foreach (var project in projects) UpsertProject(project);

        _activity.Clear();
        foreach (var e in recent.Events ?? []) AddActivity(e);

        _editionRevision = _funnelRevision = _overallRevision = revision;
        _all.Revision = revision;
        foreach (var unit in _units.Values) unit.Revision = revision;
        foreach (var county in _counties.Keys) _countyRevisions[county] = revision;
        foreach (var forum in _forums.Keys) _forumRevisions[forum] = revision;
        _overallDirty = true;
        _dirtyCounties.UnionWith(_counties.Keys);
        _dirtyForums.UnionWith(_forums.Keys);
        logger.LogInformation("Dashboard of {Summit} rebuilt at seq {Seq}: {Tasks} tasks, {Counties} counties, {Forums} sub-forums, {Projects} projects.",
            _summit, _seq, tasks.Count, counties.Count, forums.Count, projects.Count);
    }

    private Task<List<TEntity>> ReadAllAsync<TEntity>(EntityKind kind) where TEntity : class => entities.LoadAllAsync<TEntity>(_summit, kind);

    public async Task Apply(IReadOnlyList<ProgressEvent> events)
    {
        // Patches cannot interleave with this turn, so taking the revision up front is safe even across the awaits.
        var revision = ++_revision;
        foreach (var e in events)
        {
            if (e.Seq > _seq && e.PrevSeq != _seq && !await FillGapAsync(revision)) return;
            ApplyOne(e, revision);
        }
        ScheduleNotify();
    }

    /// <summary>Applies events missed between the last applied seq and the next one; false when a rebuild replaced them.</summary>
    private async Task<bool> FillGapAsync(long revision)
    {
        var missing = await _feed.Since(_seq);
        if (missing.Events is null)
        {
            logger.LogInformation("Dashboard of {Summit} lost events after seq {Seq}; rebuilding.", _summit, _seq);
            await RebuildAsync();
            ScheduleNotify();
            return false;
        }
        foreach (var e in missing.Events) ApplyOne(e, revision);
        return true;
    }

    private void ApplyOne(ProgressEvent e, long revision)
    {
        // Older or repeated events still carry valid entity states; the version check makes them harmless.
        switch (e.Entity)
        {
            case SummitEdition edition when edition.Version > (_edition?.Version ?? 0):
                UpsertEdition(edition, revision);
                break;
            case PreparationTask task:
                UpsertTask(task, revision);
                break;
            case CountyVenue county when !_counties.TryGetValue(county.County, out var held) || county.Version > held.Version:
                _counties[county.County] = county;
                _countyRevisions[county.County] = revision;
                _dirtyCounties.Add(county.County);
                _overallDirty = true;
                break;
            case SubForum forum when !_forums.TryGetValue(forum.Id, out var held) || forum.Version > held.Version:
                _forums[forum.Id] = forum;
                _forumRevisions[forum.Id] = revision;
                _dirtyForums.Add(forum.Id);
                _overallDirty = true;
                break;
            case CooperationProject project when !_projects.TryGetValue(project.Id, out var held) || project.Version > held.Version:
                UpsertProject(project);
                _funnelRevision = revision;
                break;
        }
        if (e.Seq > _seq)
        {
            _seq = e.Seq;
            AddActivity(e);
        }
    }

    private void UpsertEdition(SummitEdition edition, long revision)
    {
        var zoneChanged = _edition?.TimeZone != edition.TimeZone;
        _edition = edition;
        _editionRevision = revision;
        if (!zoneChanged) return;
        // A new time zone moves every due instant: the one change that costs O(n), and a rare one.
        _due = DueStates.For(edition);
        var tasks = _all.Tasks.Values.ToList();
        foreach (var task in tasks) RemoveTask(task);
        foreach (var task in tasks) AddTask(task);
        MarkAllTasks(revision);
    }

    private void UpsertTask(PreparationTask task, long revision)
    {
        if (_all.Tasks.TryGetValue(task.Id, out var held))
        {
            if (task.Version <= held.Version) return;
            RemoveTask(held);
            MarkTasks(held.Owner, revision);
            MarkForum(held.SubForum);
        }
        AddTask(task);
        MarkTasks(task.Owner, revision);
        MarkForum(task.SubForum);
    }

    // A sub-forum's score counts the tasks linked to it; its row's revision moves only if the score does.
    private void MarkForum(string? forum)
    {
        if (forum is not null && _forums.ContainsKey(forum)) _dirtyForums.Add(forum);
    }

    private void AddTask(PreparationTask task)
    {
        var dueAt = _due.DueInstant(task.Due);
        _dueAt[task.Id] = dueAt;
        _all.Add(task, dueAt);
        UnitOf(task.Owner).Add(task, dueAt);
    }

    private void RemoveTask(PreparationTask task)
    {
        if (!_dueAt.Remove(task.Id, out var dueAt)) return;
        _all.Remove(task, dueAt);
        UnitOf(task.Owner).Remove(task, dueAt);
    }

    private UnitTasks UnitOf(OwningUnit owner)
    {
        var key = owner.ToString();
        if (!_units.TryGetValue(key, out var unit))
        {
            unit = new UnitTasks(_all.Index.Now, Week);
            _units[key] = unit;
        }
        return unit;
    }

    private void MarkTasks(OwningUnit owner, long revision)
    {
        _all.Revision = revision;
        UnitOf(owner).Revision = revision;
        _overallDirty = true;
        if (owner.Kind == UnitKind.County && _counties.ContainsKey(owner.Code))
        {
            _countyRevisions[owner.Code] = revision;
            _dirtyCounties.Add(owner.Code);
        }
    }

    private void MarkAllTasks(long revision)
    {
        _all.Revision = revision;
        foreach (var (key, unit) in _units)
        {
            unit.Revision = revision;
            if (key.StartsWith("county:", StringComparison.Ordinal) && _counties.ContainsKey(key[7..]))
            {
                _countyRevisions[key[7..]] = revision;
                _dirtyCounties.Add(key[7..]);
            }
        }
        _overallDirty = true;
    }

    private void UpsertProject(CooperationProject project)
    {
        if (_projects.TryGetValue(project.Id, out var held))
        {
            _stageProjects[(int)held.Stage]--;
            _stageEnterprises[(int)held.Stage] -= held.EnterprisesInvolved;
        }
        _projects[project.Id] = project;
        _stageProjects[(int)project.Stage]++;
        _stageEnterprises[(int)project.Stage] += project.EnterprisesInvolved;
    }

    private void AddActivity(ProgressEvent e)
    {
        _activity.AddFirst(e.WithoutEntity());
        while (_activity.Count > Math.Max(DashboardLimits.ActivityItems, _options.ActivityCapacity)) _activity.RemoveLast();
    }

    /// <summary>Moves the due boundaries to now; units whose overdue or due-this-week sets changed get a new revision.</summary>
    private void AdvanceClock()
    {
        var now = clock.GetCurrentInstant();
        if (now == _all.Index.Now) return;
        if (!_all.Index.Advance(now))
        {
            foreach (var unit in _units.Values) unit.Index.Advance(now);
            return;
        }
        var revision = ++_revision;
        _all.Revision = revision;
        foreach (var (key, unit) in _units)
        {
            if (!unit.Index.Advance(now)) continue;
            unit.Revision = revision;
            if (key.StartsWith("county:", StringComparison.Ordinal) && _counties.ContainsKey(key[7..]))
            {
                _countyRevisions[key[7..]] = revision;
                _dirtyCounties.Add(key[7..]);
            }
        }
        _overallDirty = true;
        ScheduleNotify();
    }

    public Task<DashboardSnapshot> GetSnapshot(DashboardScope scope)
    {
        AdvanceClock();
        var unit = TasksOf(scope);
        return Task.FromResult(new DashboardSnapshot(
            _summit,
            _seq,
            _revision,
            clock.GetCurrentInstant(),
            scope,
            EditionRow(),
            _overall,
            _readinessAsOf,
            Totals(unit),
            CountiesOf(scope, _ => true),
            ForumsOf(scope, _ => true),
            Funnel(),
            List(unit?.Index.Overdue, unit?.Overdue ?? 0),
            List(unit?.Index.DueThisWeek, unit?.Index.DueThisWeek.Count ?? 0),
            ActivityOf(scope),
            ScheduleOf(scope)));
    }

    public Task<DashboardPatch?> GetPatch(DashboardScope scope, long afterRevision)
    {
        AdvanceClock();
        // A revision from an earlier activation (or none) cannot be compared part by part: send everything.
        var after = afterRevision < _baseRevision || afterRevision > _revision ? long.MinValue : afterRevision;
        if (after == _revision) return Task.FromResult<DashboardPatch?>(null);
        var unit = TasksOf(scope);
        var tasksChanged = (unit?.Revision ?? _baseRevision) > after;
        var patch = new DashboardPatch(
            _summit,
            _seq,
            _revision,
            _editionRevision > after ? EditionRow() : null,
            _overallRevision > after ? _overall : null,
            _overallRevision > after ? _readinessAsOf : null,
            tasksChanged ? Totals(unit) : null,
            CountiesOf(scope, c => _countyRevisions.GetValueOrDefault(c) > after),
            ForumsOf(scope, f => _forumRevisions.GetValueOrDefault(f) > after),
            _funnelRevision > after ? Funnel() : null,
            tasksChanged ? List(unit?.Index.Overdue, unit?.Overdue ?? 0) : null,
            tasksChanged ? List(unit?.Index.DueThisWeek, unit?.Index.DueThisWeek.Count ?? 0) : null,
            ScheduleChanged(scope, after) ? ScheduleOf(scope) : null);
        return Task.FromResult<DashboardPatch?>(patch.IsEmpty ? null : patch);
    }

    public async Task RefreshReadiness()
    {
        AdvanceClock();
        // A tick may be scoring older data right now: let it finish, then score again.
        while (_computing) await _computation;
        await ComputeReadinessAsync(force: true);
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        AdvanceClock();
        await ComputeReadinessAsync(force: false);
    }

    /// <summary>
    /// Fetches the schedule summary, then recomputes the stale scores with <see cref="Readiness"/> on a copy, off the
    /// grain's turn. Dirty marks are cleared before the copy is taken, so anything that changes meanwhile is picked up
    /// by the next tick. A change in which tasks have negative slack makes every score stale.
    /// </summary>
    private Task ComputeReadinessAsync(bool force)
    {
        if (_computing) return Task.CompletedTask;
        _computing = true;
        return _computation = ComputeCoreAsync(force);
    }

    private async Task ComputeCoreAsync(bool force)
    {
        try
        {
            var schedule = await FetchScheduleAsync();
            var slack = schedule is null ? _negativeSlack : schedule.NegativeSlack?.ToHashSet(StringComparer.Ordinal);
            if (schedule is not null && !SameIds(slack, _negativeSlack)) force = true;
            if (!force && !_overallDirty && _dirtyCounties.Count == 0 && _dirtyForums.Count == 0)
            {
                if (schedule is not null && ApplySchedule(schedule, _revision + 1))
                {
                    _revision++;
                    ScheduleNotify();
                }
                return;
            }

            // An O(n) copy of references, at most once per refresh; the scoring itself runs off the grain's turn.
            var tasks = _all.Tasks.Values.ToArray();
            var counties = _counties.Values.ToArray();
            var forums = _forums.Values.ToArray();
            var dirtyCounties = (force ? (IEnumerable<string>)_counties.Keys : _dirtyCounties).Where(_counties.ContainsKey).Select(c => _counties[c]).ToArray();
            var countyTasks = dirtyCounties.ToDictionary(c => c.County,
                c => _units.TryGetValue(OwningUnit.County(c.County).ToString(), out var u) ? u.Tasks.Values.ToArray() : [], StringComparer.Ordinal);
            var dirtyForums = (force ? (IEnumerable<string>)_forums.Keys : _dirtyForums).Where(_forums.ContainsKey).Select(f => _forums[f]).ToArray();
            var computeOverall = force || _overallDirty;
            _overallDirty = false;
            _dirtyCounties.Clear();
            _dirtyForums.Clear();
            var due = _due;
            var now = clock.GetCurrentInstant();

            var result = await Task.Run(() =>
            {
                var signals = new ScheduleSignals(due, now, slack);
                var overall = computeOverall ? Readiness.Overall(tasks, counties, forums, signals) : null;
                var byCounty = dirtyCounties.Select(c => Readiness.ForCounty(c, countyTasks[c.County], signals)).ToArray();
                // Set-aside sub-forums get no score, as in Readiness.Report.
                var linked = dirtyForums.Length == 0 ? null : tasks.Where(t => t.SubForum is not null).ToLookup(t => t.SubForum!, StringComparer.Ordinal);
                var byForum = dirtyForums.Where(f => !f.SetAside).Select(f => Readiness.ForSubForum(f, linked![f.Id], signals)).ToArray();
                return (overall, byCounty, byForum, setAside: dirtyForums.Where(f => f.SetAside).Select(f => f.Id).ToArray());
            });

            // Taken only now: a patch served while the scores were computed must not claim to include them.
            var revision = _revision + 1;
            var changed = false;
            if (result.overall is not null && !Same(result.overall, _overall))
            {
                _overall = result.overall;
                _overallRevision = revision;
                changed = true;
            }
            if (computeOverall && _readinessAsOf != now)
            {
                _readinessAsOf = now;
                _overallRevision = revision;
                changed = true;
            }
            foreach (var score in result.byCounty)
            {
                if (_countyScores.TryGetValue(score.Key!, out var held) && Same(held, score)) continue;
                _countyScores[score.Key!] = score;
                _countyRevisions[score.Key!] = revision;
                changed = true;
            }
            foreach (var score in result.byForum)
            {
                if (_forumScores.TryGetValue(score.Key!, out var held) && Same(held, score)) continue;
                _forumScores[score.Key!] = score;
                _forumRevisions[score.Key!] = revision;
                changed = true;
            }
            foreach (var id in result.setAside)
            {
                if (!_forumScores.Remove(id)) continue;
                _forumRevisions[id] = revision;
                changed = true;
            }
            if (schedule is not null) changed |= ApplySchedule(schedule, revision);
            _negativeSlack = slack;
            if (changed)
            {
                _revision = revision;
                ScheduleNotify();
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Computing readiness of {Summit} failed.", _summit);
            _overallDirty = true;
        }
        finally
        {
            _computing = false;
        }
    }

    /// <summary>
    /// The deadline engine's summary if it changed since the one applied; null if not, or if the engine did not answer
    /// in time (the call is then left running and picked up by a later tick) or failed (logged once per outage).
    /// </summary>
    private async Task<ScheduleSummary?> FetchScheduleAsync()
    {
        if (_edition is null) return null;
        var call = _scheduleCall ??= GrainFactory.GetGrain<IDeadlinesGrain>(_summit).GetScheduleSummary(_schedule?.Revision ?? 0);
        try
        {
            var fresh = await call.WaitAsync(ScheduleWait);
            _scheduleCall = null;
            if (_scheduleFailing) logger.LogInformation("Dashboard of {Summit}: the deadline engine answers again.", _summit);
            _scheduleFailing = false;
            return fresh;
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return null;
        }
        catch (Exception e)
        {
            _scheduleCall = null;
            if (!_scheduleFailing)
                logger.LogWarning(e, "Dashboard of {Summit}: no schedule from the deadline engine; scoring with the last one known.", _summit);
            _scheduleFailing = true;
            return null;
        }
    }

    private static bool SameIds(IReadOnlySet<string>? a, IReadOnlySet<string>? b) =>
        a is null ? b is null : b is not null && a.SetEquals(b);

    /// <summary>Holds <paramref name="fresh"/> and gives its changed parts <paramref name="revision"/>; false when nothing shown changed.</summary>
    private bool ApplySchedule(ScheduleSummary fresh, long revision)
    {
        var held = _schedule;
        _schedule = fresh;
        var changed = false;
        if (held is null || !held.SameHeadline(fresh))
        {
            _scheduleHeadlineRevision = revision;
            changed = true;
        }
        changed |= MarkRollups(held?.Counties ?? [], fresh.Counties, _countyScheduleRevisions, revision);
        changed |= MarkRollups(held?.SubForums ?? [], fresh.SubForums, _forumScheduleRevisions, revision);
        if (changed) _scheduleRevision = revision;
        return changed;
    }

    private static bool MarkRollups(IReadOnlyList<ScheduleRollup> held, IReadOnlyList<ScheduleRollup> fresh, Dictionary<string, long> revisions, long revision)
    {
        var before = held.ToDictionary(r => r.Key!, StringComparer.Ordinal);
        var changed = false;
        foreach (var rollup in fresh)
        {
            if (before.Remove(rollup.Key!, out var old) && old == rollup) continue;
            revisions[rollup.Key!] = revision;
            changed = true;
        }
        foreach (var gone in before.Keys)
        {
            revisions[gone] = revision;
            changed = true;
        }
        return changed;
    }

    /// <summary>Whether the scope's view of the schedule changed after <paramref name="after"/>.</summary>
    private bool ScheduleChanged(DashboardScope scope, long after) => _schedule is not null && scope.Kind switch
    {
        DashboardScopeKind.Summit => _scheduleRevision > after,
        DashboardScopeKind.County => _scheduleHeadlineRevision > after || _countyScheduleRevisions.GetValueOrDefault(scope.Unit!) > after,
        // A sub-forum that changed host changes its row, so the row's revision counts too.
        DashboardScopeKind.University => _scheduleHeadlineRevision > after || _forums.Values.Any(f => f.HostUniversity == scope.Unit
            && (_forumScheduleRevisions.GetValueOrDefault(f.Id) > after || _forumRevisions.GetValueOrDefault(f.Id) > after)),
        _ => false,
    };

    /// <summary>
    /// The summary as the scope may see it, without the task ids: a county gets the summit-level facts and its own
    /// rollup, a university those and the sub-forums it hosts; critical tasks only of their own. The Gateway filters again.
    /// </summary>
    private ScheduleSummary? ScheduleOf(DashboardScope scope)
    {
        if (_schedule is not { } s) return null;
        ScheduleRollup WithHost(ScheduleRollup r) => r with { HostUniversity = _forums.GetValueOrDefault(r.Key!)?.HostUniversity };
        return scope.Kind switch
        {
            DashboardScopeKind.Summit => s with { NegativeSlack = null, SubForums = [.. s.SubForums.Select(WithHost)] },
            DashboardScopeKind.County => s with
            {
                NegativeSlack = null,
                CriticalTasks = [.. s.CriticalTasks.Where(t => t.Owner == OwningUnit.County(scope.Unit!))],
                Counties = [.. s.Counties.Where(c => c.Key == scope.Unit)],
                SubForums = [],
            },
            DashboardScopeKind.University => s with
            {
                NegativeSlack = null,
                CriticalTasks = [.. s.CriticalTasks.Where(t => t.Owner == OwningUnit.University(scope.Unit!))],
                Counties = [],
                SubForums = [.. s.SubForums.Where(f => _forums.GetValueOrDefault(f.Key!)?.HostUniversity == scope.Unit).Select(WithHost)],
            },
            _ => null,
        };
    }

    private static bool Same(ReadinessScore? a, ReadinessScore? b) =>
        a is not null && b is not null && a.Score == b.Score && a.TaskPercent == b.TaskPercent
        && a.ChecklistPercent == b.ChecklistPercent && a.SchedulePercent == b.SchedulePercent && a.Reasons.SequenceEqual(b.Reasons);

    /// <summary>Tells the Gateways (through the feed) at most once per <see cref="ProgressOptions.NotifyMilliseconds"/>.</summary>
    private void ScheduleNotify()
    {
        if (_notifyScheduled) return;
        var interval = Duration.FromMilliseconds(Math.Max(1, _options.NotifyMilliseconds));
        var wait = _lastNotified + interval - SystemClock.Instance.GetCurrentInstant();
        if (wait <= Duration.Zero)
        {
            Notify();
            return;
        }
        _notifyScheduled = true;
        _notifyTimer?.Dispose();
        _notifyTimer = this.RegisterGrainTimer(() =>
        {
            _notifyScheduled = false;
            _notifyTimer?.Dispose();
            _notifyTimer = null;
            Notify();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(wait.ToTimeSpan(), Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
    }

    private void Notify()
    {
        _lastNotified = SystemClock.Instance.GetCurrentInstant();
        _ = _feed.DashboardChanged(_revision);
    }

    private UnitTasks? TasksOf(DashboardScope scope) => scope.Kind switch
    {
        DashboardScopeKind.Summit => _all,
        DashboardScopeKind.County => _units.GetValueOrDefault(OwningUnit.County(scope.Unit!).ToString()),
        DashboardScopeKind.University => _units.GetValueOrDefault(OwningUnit.University(scope.Unit!).ToString()),
        _ => null,
    };

    private DashboardEdition? EditionRow() => _edition is not { } e ? null : new DashboardEdition(
        e.Code, e.Name, e.City, e.OpeningDate, e.ClosingDate, e.TimeZone, e.OpeningDate.AtStartOfDayInZone(e.Zone).ToInstant(), e.Mode, e.Targets, e.Version);

    private static TaskTotals Totals(UnitTasks? unit) => unit is null
        ? new TaskTotals(0, 0, 0, 0, 0, 0, 0)
        : new TaskTotals(unit.Total, unit.Index.Count, unit.Done, unit.Blocked, unit.Cancelled, unit.Overdue, unit.Index.DueThisWeek.Count);

    private TaskList List(IReadOnlyCollection<DueKey>? keys, int total)
    {
        if (keys is null) return new TaskList(0, []);
        var items = new List<TaskItem>(Math.Min(total, DashboardLimits.TaskListItems));
        foreach (var key in keys)
        {
            if (items.Count == DashboardLimits.TaskListItems) break;
            if (_all.Tasks.TryGetValue(key.Id, out var t))
                items.Add(new TaskItem(t.Id, t.Title, t.Category, t.Owner, t.Assignee, t.Due, key.DueAt, t.Status, t.PercentComplete, t.Milestone, t.Version));
        }
        return new TaskList(total, items);
    }

    private IReadOnlyList<CountyRow> CountiesOf(DashboardScope scope, Func<string, bool> include)
    {
        IEnumerable<CountyVenue> venues = scope.Kind switch
        {
            DashboardScopeKind.Summit => _counties.Values,
            DashboardScopeKind.County when _counties.TryGetValue(scope.Unit!, out var own) => [own],
            _ => [],
        };
        return [.. venues.Where(v => include(v.County)).OrderBy(v => v.County, StringComparer.Ordinal).Select(CountyRowOf)];
    }

    private CountyRow CountyRowOf(CountyVenue venue)
    {
        var unit = _units.GetValueOrDefault(OwningUnit.County(venue.County).ToString());
        int done = 0, total = 0, ready = 0;
        foreach (var subEvent in venue.SubEvents)
        {
            // Cancelled sub-events and those of another mode's contingency plan are not being prepared.
            if (!subEvent.IsActive) continue;
            if (subEvent.Status is SubEventStatus.Ready or SubEventStatus.Held) ready++;
            var items = Enum.GetValues<ChecklistItem>().Length;
            total += items;
            done += subEvent.Status == SubEventStatus.Held ? items : subEvent.ChecklistDone;
        }
        return new CountyRow(
            venue.County, venue.Name, venue.Venue, venue.Lead, _countyScores.GetValueOrDefault(venue.County),
            unit?.Index.Count ?? 0, unit?.Overdue ?? 0, unit?.Index.DueThisWeek.Count ?? 0,
            ready, done, total, venue.SubEvents, venue.Version, venue.LastUpdate);
    }

    private IReadOnlyList<SubForumRow> ForumsOf(DashboardScope scope, Func<string, bool> include)
    {
        IEnumerable<SubForum> forums = scope.Kind switch
        {
            DashboardScopeKind.Summit => _forums.Values,
            DashboardScopeKind.University => _forums.Values.Where(f => f.HostUniversity == scope.Unit),
            _ => [],
        };
        return [.. forums.Where(f => include(f.Id)).OrderBy(f => f.Day).ThenBy(f => f.Start).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => new SubForumRow(f.Id, f.Theme, f.HostUniversity, f.Day, f.Start, f.End, f.Venue, f.Format, f.Status,
                f.PlannedSpeakers, f.ConfirmedSpeakers, _forumScores.GetValueOrDefault(f.Id), f.Version))];
    }

    private ProjectFunnel Funnel()
    {
        var targets = _edition?.Targets ?? SummitTargets.Wyss2020;
        var stages = Enum.GetValues<ProjectStage>().Select(s => new FunnelStage(s, _stageProjects[(int)s], _stageEnterprises[(int)s])).ToArray();
        var signed = _stageProjects[(int)ProjectStage.Signed] + _stageProjects[(int)ProjectStage.Landed];
        var enterprises = stages.Where(s => s.Stage >= ProjectStage.Matched).Sum(s => s.Enterprises);
        return new ProjectFunnel(_projects.Count, stages,
        [
            new TargetProgress("innovationAlliances", targets.InnovationAlliances, 0, Tracked: false,
                "Not recorded on the platform yet; shown against the target with 0."),
            new TargetProgress("cooperationProjects", targets.CooperationProjects, signed, Tracked: true,
                "Cooperation projects signed or landed."),
            new TargetProgress("enterprises", targets.Enterprises, enterprises, Tracked: true,
                "Enterprises involved in cooperation projects matched or further along."),
            new TargetProgress("startupFinalists", targets.StartupFinalists, 0, Tracked: false,
                "Startup World Cup finalists are not recorded on the platform yet; shown against the target with 0."),
        ]);
    }

    private IReadOnlyList<ProgressEvent> ActivityOf(DashboardScope scope)
    {
        var items = new List<ProgressEvent>(DashboardLimits.ActivityItems);
        foreach (var e in _activity)
        {
            if (items.Count == DashboardLimits.ActivityItems) break;
            if (Concerns(scope, e)) items.Add(e);
        }
        return items;
    }

    /// <summary>Pre-selects a unit's events; the Gateway's access rules have the final say.</summary>
    private static bool Concerns(DashboardScope scope, ProgressEvent e) => scope.Kind switch
    {
        DashboardScopeKind.Summit => true,
        _ when e.Kind == EntityKind.Summit => true,
        DashboardScopeKind.County => e.Scope.Owner is { } owner
            ? owner.Kind == UnitKind.County && owner.Code == scope.Unit
            : e.Scope.County == scope.Unit,
        DashboardScopeKind.University => e.Scope.Owner is { } owner
            ? owner.Kind == UnitKind.University && owner.Code == scope.Unit
            : e.Scope.Universities?.Contains(scope.Unit!) == true,
        _ => false,
    };

    /// <summary>The open tasks of one unit (or of all) in due order, with their counters.</summary>
    private sealed class UnitTasks(Instant now, Duration week)
    {
        public DueIndex Index { get; } = new(now, week);
        public Dictionary<string, PreparationTask> Tasks { get; } = new(StringComparer.Ordinal);
        public int Total { get; private set; }
        public int Done { get; private set; }
        public int Blocked { get; private set; }
        public int Cancelled { get; private set; }
        public int Overdue => Index.Overdue.Count;
        public long Revision { get; set; }

        public void Add(PreparationTask task, Instant dueAt)
        {
            Total++;
            Count(task, +1);
            if (task.IsOpen) Index.Add(new DueKey(dueAt, task.Id));
            Tasks[task.Id] = task;
        }

        public void Remove(PreparationTask task, Instant dueAt)
        {
            Total--;
            Count(task, -1);
            Index.Remove(new DueKey(dueAt, task.Id));
            Tasks.Remove(task.Id);
        }

        private void Count(PreparationTask task, int delta)
        {
            if (task.Status == WorkStatus.Done) Done += delta;
            else if (task.Status == WorkStatus.Cancelled) Cancelled += delta;
            else if (task.Status == WorkStatus.Blocked) Blocked += delta;
        }
    }
}
