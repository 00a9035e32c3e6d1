using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Progress;
using Summit.Rules;
using Summit.Scheduling;

namespace Summit.Grains.Progress;

/// <summary>
/// The dashboard of one summit as a projection: entities and progress events in, snapshots and patches out. It reads
/// no clock and calls nothing; its host passes the time, the revisions and the inputs it fetched.
/// </summary>
/// <remarks>
/// <para>Every event updates only what it touches: a task moves in the sorted due indexes (global and its owner's) and
/// the counters; a county, sub-forum or project replaces its row or funnel counts. So one update costs O(log n) whatever
/// the number of tasks, and a snapshot reads bounded parts (top-N lists, counters, the few county and sub-forum rows).</para>
/// <para>Readiness scores come from <see cref="Readiness"/>, whose inputs are whole task lists. Changes only mark what
/// they make stale; <see cref="BeginReadiness"/> takes a copy of what the stale scores read, <see cref="ReadinessWork.Score"/>
/// scores it anywhere, and <see cref="CompleteReadiness"/> takes the scores back, so updates and snapshots do not wait
/// for the O(n) work.</para>
/// <para>Schedule risk comes from the summit's deadline engine as a <see cref="ScheduleSummary"/>. Its negative-slack
/// ids feed the scores, so they equal <see cref="IDeadlinesGrain.GetReadiness"/> for the same state; until a newer one
/// comes, the last summary known is used.</para>
/// <para>Parts carry the revision at which they last changed, so a Gateway asks only for what changed since its last
/// patch. Revisions start from <paramref name="baseRevision"/>, so a revision from an earlier projection is recognisably
/// older and gets a full patch.</para>
/// </remarks>
/// <param name="activityCapacity">Events kept for activity lists (at least a screenful).</param>
public sealed class DashboardProjection(string summit, long baseRevision, int activityCapacity)
{
    private static readonly Duration Week = Duration.FromDays(DashboardLimits.DueThisWeekDays);

    private readonly long _baseRevision = baseRevision;
    private SummitEdition? _edition;
    private DueStates _due = new(DateTimeZone.Utc);
    private long _seq;
    private long _revision = baseRevision;

    // Tasks: all of them and per owning unit, each with its due index and counters.
    private readonly Dictionary<string, Instant> _dueAt = new(StringComparer.Ordinal);
    /// <summary>Archived tasks, left out of every figure, by the version that archived them.</summary>
    private readonly Dictionary<string, int> _archived = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitTasks> _units = new(StringComparer.Ordinal);
    private UnitTasks _all = new(Instant.MinValue, Week);

    private readonly Dictionary<string, CountyVenue> _counties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _countyRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubForum> _forums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _forumRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CooperationProject> _projects = new(StringComparer.Ordinal);
    private readonly int[] _stageProjects = new int[Enum.GetValues<ProjectStage>().Length];
    private readonly int[] _stageEnterprises = new int[Enum.GetValues<ProjectStage>().Length];
    private long _funnelRevision;
    // Alliances and finalists count toward the summit's targets: only each one's version and whether it counts.
    private readonly OutcomeCounter _alliances = new();
    private readonly OutcomeCounter _finalists = new();
    private long _editionRevision;

    private ReadinessScore? _overall;
    private Instant? _readinessAsOf;
    private long _overallRevision;
    private readonly Dictionary<string, ReadinessScore> _countyScores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadinessScore> _forumScores = new(StringComparer.Ordinal);
    private bool _overallDirty = true;
    private readonly HashSet<string> _dirtyCounties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyForums = new(StringComparer.Ordinal);

    // The deadline engine's summary as last applied (with its ids), and the revisions at which its parts changed.
    private ScheduleSummary? _schedule;
    private IReadOnlySet<string>? _negativeSlack;
    private long _scheduleRevision;
    private long _scheduleHeadlineRevision;
    private readonly Dictionary<string, long> _countyScheduleRevisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _forumScheduleRevisions = new(StringComparer.Ordinal);

    private readonly LinkedList<ProgressEvent> _activity = new();

    public string Summit => summit;

    /// <summary>The last event applied.</summary>
    public long Seq => _seq;

    /// <summary>The current revision: every part changed at or before it.</summary>
    public long Revision => _revision;

    /// <summary>Whether the summit exists (as far as the projection knows).</summary>
    public bool HasEdition => _edition is not null;

    /// <summary>The revision of the deadline engine's summary held, 0 for none.</summary>
    public long ScheduleSummaryRevision => _schedule?.Revision ?? 0;

    /// <summary>A new revision for the changes about to be applied.</summary>
    public long NextRevision() => ++_revision;

    /// <summary>
    /// Replaces everything with what was read (O(n)): the summit, its entities, and the feed's recent events, of which
    /// the last is <paramref name="recent"/>'s <see cref="FeedCatchUp.LastSeq"/>. Every part gets a new revision and
    /// every score is stale.
    /// </summary>
    public void Rebuild(
        FeedCatchUp recent, SummitEdition? edition, IEnumerable<PreparationTask> tasks, IEnumerable<CountyVenue> counties,
        IEnumerable<SubForum> forums, IEnumerable<CooperationProject> projects, Instant now,
        IEnumerable<InnovationAlliance>? alliances = null, IEnumerable<StartupFinalist>? finalists = null)
    {
        _seq = recent.LastSeq;
        _edition = edition;
        _due = edition is null ? new DueStates(DateTimeZone.Utc) : DueStates.For(edition);
        _dueAt.Clear();
        _archived.Clear();
        _units.Clear();
        _all = new UnitTasks(now, Week);
        _counties.Clear();
        _forums.Clear();
        _projects.Clear();
        Array.Clear(_stageProjects);
        Array.Clear(_stageEnterprises);
        _alliances.Clear();
        _finalists.Clear();
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
        foreach (var alliance in alliances ?? []) _alliances.Upsert(alliance.Id, alliance.Version, AllianceRules.Counts(alliance));
        foreach (var finalist in finalists ?? []) _finalists.Upsert(finalist.Id, finalist.Version, FinalistRules.Counts(finalist));

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
    }

    /// <summary>Whether events were missed between the last one applied and <paramref name="e"/>.</summary>
    public bool MissedBefore(ProgressEvent e) => e.Seq > _seq && e.PrevSeq != _seq;

    /// <summary>Applies one event; older or repeated events still carry valid entity states, and the version check makes them harmless.</summary>
    public void Apply(ProgressEvent e, long revision)
    {
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
            case InnovationAlliance alliance when _alliances.Upsert(alliance.Id, alliance.Version, AllianceRules.Counts(alliance)):
                _funnelRevision = revision;
                break;
            case StartupFinalist finalist when _finalists.Upsert(finalist.Id, finalist.Version, FinalistRules.Counts(finalist)):
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
        // An archived task is out of every figure; its version is kept so a late copy of an earlier version does not
        // bring it back.
        if (_archived.TryGetValue(task.Id, out var archivedAt))
        {
            if (task.Version <= archivedAt) return;
            _archived.Remove(task.Id);
        }
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
        if (task.Archived)
        {
            _archived[task.Id] = task.Version;
            return;
        }
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
            MarkCountyOf(key, revision);
        }
        _overallDirty = true;
    }

    private void MarkCountyOf(string unitKey, long revision)
    {
        if (!unitKey.StartsWith("county:", StringComparison.Ordinal) || !_counties.ContainsKey(unitKey[7..])) return;
        _countyRevisions[unitKey[7..]] = revision;
        _dirtyCounties.Add(unitKey[7..]);
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
        while (_activity.Count > Math.Max(DashboardLimits.ActivityItems, activityCapacity)) _activity.RemoveLast();
    }

    /// <summary>
    /// Moves the due boundaries to <paramref name="now"/>; units whose overdue or due-this-week sets changed get a new
    /// revision. True when anything shown changed.
    /// </summary>
    public bool AdvanceClock(Instant now)
    {
        if (now == _all.Index.Now) return false;
        if (!_all.Index.Advance(now))
        {
            foreach (var unit in _units.Values) unit.Index.Advance(now);
            return false;
        }
        var revision = ++_revision;
        _all.Revision = revision;
        foreach (var (key, unit) in _units)
        {
            if (!unit.Index.Advance(now)) continue;
            unit.Revision = revision;
            MarkCountyOf(key, revision);
        }
        _overallDirty = true;
        return true;
    }

    /// <summary>Everything the scope may see, taken at <paramref name="now"/>.</summary>
    public DashboardSnapshot Snapshot(DashboardScope scope, Instant now)
    {
        var unit = TasksOf(scope);
        return new DashboardSnapshot(
            summit,
            _seq,
            _revision,
            now,
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
            ScheduleOf(scope));
    }

    /// <summary>What the scope may see that changed after <paramref name="afterRevision"/>; null when nothing did.</summary>
    public DashboardPatch? Patch(DashboardScope scope, long afterRevision)
    {
        // A revision from an earlier projection (or none) cannot be compared part by part: send everything.
        var after = afterRevision < _baseRevision || afterRevision > _revision ? long.MinValue : afterRevision;
        if (after == _revision) return null;
        var unit = TasksOf(scope);
        var tasksChanged = (unit?.Revision ?? _baseRevision) > after;
        var patch = new DashboardPatch(
            summit,
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
        return patch.IsEmpty ? null : patch;
    }

    /// <summary>
    /// Copies what the stale scores read, as of <paramref name="now"/>, and clears the stale marks, so anything that
    /// changes meanwhile is scored by the next pass; null when nothing is stale. A <paramref name="schedule"/> whose
    /// negative-slack tasks differ from the last makes every score stale (<paramref name="force"/> does too).
    /// </summary>
    public ReadinessWork? BeginReadiness(bool force, ScheduleSummary? schedule, Instant now)
    {
        var slack = schedule is null ? _negativeSlack : schedule.NegativeSlack?.ToHashSet(StringComparer.Ordinal);
        if (schedule is not null && !SameIds(slack, _negativeSlack)) force = true;
        if (!force && !_overallDirty && _dirtyCounties.Count == 0 && _dirtyForums.Count == 0) return null;

        // An O(n) copy of references; the scoring itself runs wherever the host runs it.
        var dirtyCounties = (force ? (IEnumerable<string>)_counties.Keys : _dirtyCounties).Where(_counties.ContainsKey).Select(c => _counties[c]).ToArray();
        var work = new ReadinessWork(
            _all.Tasks.Values.ToArray(),
            _counties.Values.ToArray(),
            _forums.Values.ToArray(),
            dirtyCounties,
            dirtyCounties.ToDictionary(c => c.County,
                c => _units.TryGetValue(OwningUnit.County(c.County).ToString(), out var u) ? u.Tasks.Values.ToArray() : [], StringComparer.Ordinal),
            (force ? (IEnumerable<string>)_forums.Keys : _dirtyForums).Where(_forums.ContainsKey).Select(f => _forums[f]).ToArray(),
            force || _overallDirty,
            new ScheduleSignals(_due, now, slack) { Calendar = CalendarOf(schedule ?? _schedule) },
            schedule);
        _overallDirty = false;
        _dirtyCounties.Clear();
        _dirtyForums.Clear();
        return work;
    }

    /// <summary>Takes back the scores of <paramref name="work"/> (and its schedule summary); true when anything shown changed.</summary>
    public bool CompleteReadiness(ReadinessWork work)
    {
        var result = work.Result ?? throw new InvalidOperationException("The readiness work has not been scored.");
        // Taken only now: a patch served while the scores were computed must not claim to include them.
        var revision = _revision + 1;
        var changed = false;
        if (result.Overall is not null && !Same(result.Overall, _overall))
        {
            _overall = result.Overall;
            _overallRevision = revision;
            changed = true;
        }
        var now = work.Signals.Now;
        if (work.ComputeOverall && _readinessAsOf != now)
        {
            _readinessAsOf = now;
            _overallRevision = revision;
            changed = true;
        }
        foreach (var score in result.ByCounty)
        {
            if (_countyScores.TryGetValue(score.Key!, out var held) && Same(held, score)) continue;
            _countyScores[score.Key!] = score;
            _countyRevisions[score.Key!] = revision;
            changed = true;
        }
        foreach (var score in result.ByForum)
        {
            if (_forumScores.TryGetValue(score.Key!, out var held) && Same(held, score)) continue;
            _forumScores[score.Key!] = score;
            _forumRevisions[score.Key!] = revision;
            changed = true;
        }
        foreach (var id in result.SetAside)
        {
            if (!_forumScores.Remove(id)) continue;
            _forumRevisions[id] = revision;
            changed = true;
        }
        if (work.Schedule is not null) changed |= ApplySchedule(work.Schedule, revision);
        _negativeSlack = work.Signals.NegativeSlack;
        if (changed) _revision = revision;
        return changed;
    }

    /// <summary>A readiness pass failed: the overall score is stale again, so the next pass scores it.</summary>
    public void ReadinessFailed() => _overallDirty = true;

    /// <summary>Holds a newer summary when no score is stale; true when anything shown changed.</summary>
    public bool ApplySchedule(ScheduleSummary fresh)
    {
        if (!ApplySchedule(fresh, _revision + 1)) return false;
        _revision++;
        return true;
    }

    // Planned progress counts on the engine's working calendar; one built per calendar definition it sends.
    private (WorkingCalendarDefinition? Definition, WorkingCalendar Calendar) _calendar = (null, WorkingCalendar.China2020);

    private WorkingCalendar CalendarOf(ScheduleSummary? schedule)
    {
        if (schedule?.Calendar is not { } definition) return _calendar.Calendar;
        if (!ReferenceEquals(definition, _calendar.Definition) && definition != _calendar.Definition)
            _calendar = (definition, new WorkingCalendar(definition));
        return _calendar.Calendar;
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

    private UnitTasks? TasksOf(DashboardScope scope) => scope.Kind switch
    {
        DashboardScopeKind.Summit => _all,
        DashboardScopeKind.County => _units.GetValueOrDefault(OwningUnit.County(scope.Unit!).ToString()),
        DashboardScopeKind.University => _units.GetValueOrDefault(OwningUnit.University(scope.Unit!).ToString()),
        _ => null,
    };

    private DashboardEdition? EditionRow() => _edition is not { } e ? null : new DashboardEdition(
        e.Code, e.Name, e.City, e.OpeningDate, e.ClosingDate, e.TimeZone, e.OpeningDate.AtStartOfDayInZone(e.Zone).ToInstant(), e.Mode, e.Targets, e.Version, e.ModeSince);

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
            new TargetProgress("innovationAlliances", targets.InnovationAlliances, _alliances.Counted, Tracked: true,
                "Innovation alliances signed."),
            new TargetProgress("cooperationProjects", targets.CooperationProjects, signed, Tracked: true,
                "Cooperation projects signed or landed."),
            new TargetProgress("enterprises", targets.Enterprises, enterprises, Tracked: true,
                "Enterprises involved in cooperation projects matched or further along."),
            new TargetProgress("startupFinalists", targets.StartupFinalists, _finalists.Counted, Tracked: true,
                "University Startup World Cup finalists confirmed."),
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

    /// <summary>Entities that count toward a target when in a given status: each one's version and whether it counts.</summary>
    private sealed class OutcomeCounter
    {
        private readonly Dictionary<string, (int Version, bool Counts)> _held = new(StringComparer.Ordinal);

        public int Counted { get; private set; }

        /// <summary>Takes a newer version in; false for an older or repeated one, which changes nothing.</summary>
        public bool Upsert(string id, int version, bool counts)
        {
            if (_held.TryGetValue(id, out var held))
            {
                if (version <= held.Version) return false;
                if (held.Counts) Counted--;
            }
            _held[id] = (version, counts);
            if (counts) Counted++;
            return true;
        }

        public void Clear()
        {
            _held.Clear();
            Counted = 0;
        }
    }

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

/// <summary>
/// One readiness pass of a <see cref="DashboardProjection"/>: copies of what the stale scores read, taken by
/// <see cref="DashboardProjection.BeginReadiness"/>, so <see cref="Score"/> may run off the projection's turn.
/// </summary>
public sealed class ReadinessWork(
    PreparationTask[] tasks, CountyVenue[] counties, SubForum[] forums, CountyVenue[] dirtyCounties,
    Dictionary<string, PreparationTask[]> countyTasks, SubForum[] dirtyForums, bool computeOverall,
    ScheduleSignals signals, ScheduleSummary? schedule)
{
    public bool ComputeOverall { get; } = computeOverall;

    public ScheduleSignals Signals { get; } = signals;

    /// <summary>The deadline engine's summary this pass applies when it completes; null to keep the one held.</summary>
    public ScheduleSummary? Schedule { get; } = schedule;

    internal ReadinessResult? Result { get; private set; }

    /// <summary>Scores the copies with <see cref="Readiness"/> (O(n)).</summary>
    public void Score()
    {
        var overall = ComputeOverall ? Readiness.Overall(tasks, counties, forums, Signals) : null;
        var byCounty = dirtyCounties.Select(c => Readiness.ForCounty(c, countyTasks[c.County], Signals)).ToArray();
        // Set-aside sub-forums get no score, as in Readiness.Report.
        var linked = dirtyForums.Length == 0 ? null : tasks.Where(t => t.SubForum is not null).ToLookup(t => t.SubForum!, StringComparer.Ordinal);
        var byForum = dirtyForums.Where(f => !f.SetAside).Select(f => Readiness.ForSubForum(f, linked![f.Id], Signals)).ToArray();
        Result = new ReadinessResult(overall, byCounty, byForum, [.. dirtyForums.Where(f => f.SetAside).Select(f => f.Id)]);
    }
}

internal sealed record ReadinessResult(ReadinessScore? Overall, ReadinessScore[] ByCounty, ReadinessScore[] ByForum, string[] SetAside);
