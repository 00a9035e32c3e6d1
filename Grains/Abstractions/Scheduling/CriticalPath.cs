using NodaTime;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Scheduling;

/// <summary>One task as the schedule sees it.</summary>
/// <param name="RemainingDays">Working days of work left. Ignored (0) when <paramref name="Finished"/>.</param>
/// <param name="Due">The due date (a timed deadline counts by its date).</param>
/// <param name="DependsOn">Finish-to-start prerequisites. Ids not (yet) in the schedule impose nothing and are reported.</param>
/// <param name="Finished">Done or cancelled: imposes nothing on the tasks that wait for it, needs nothing from its prerequisites.</param>
/// <param name="Group">What the task's projected finish rolls up into, e.g. <c>county:ruian</c> or <c>subforum:health-vision</c>.</param>
/// <param name="Start">The planned start: the task's work cannot start before it (nor before today or its prerequisites' finish).</param>
[GenerateSerializer, Immutable, Alias("summit.schedule-task")]
public sealed record ScheduleTask(
    string Id,
    int RemainingDays,
    LocalDate Due,
    IReadOnlyList<string> DependsOn,
    bool Finished = false,
    string? Group = null,
    LocalDate? Start = null)
{
    public const int MaxRemainingDays = 1000;

    /// <summary>The task as the schedule sees it: its planned start, and <paramref name="remainingDays"/> of work left.</summary>
    public static ScheduleTask From(PreparationTask task, int remainingDays, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.IsOpen ? remainingDays : 0, task.Due.Date, task.DependsOn, !task.IsOpen, group, task.Start);
    }

    /// <summary>The task with the work left that <see cref="PreparationTask.EstimatedRemainingDays"/> estimates.</summary>
    public static ScheduleTask From(PreparationTask task, string? group = null) =>
        From(task, Math.Clamp(task.EstimatedRemainingDays(), 0, MaxRemainingDays), group);
}

/// <summary>An open task's place in the schedule. Dates are working days (see <see cref="CriticalPath"/> for the model).</summary>
/// <param name="Slack">Working days the task can slip without missing its own due date or delaying a successor past its
/// latest start; negative means it is projected to be late.</param>
/// <param name="Critical">On <see cref="ScheduleForecast.CriticalPath"/>.</param>
[GenerateSerializer, Immutable, Alias("summit.task-schedule")]
public sealed record TaskSchedule(
    string Id,
    string? Group,
    int RemainingDays,
    LocalDate EarliestStart,
    LocalDate EarliestFinish,
    LocalDate LatestStart,
    LocalDate LatestFinish,
    int Slack,
    bool Critical);

/// <summary>A group's roll-up: its projected finish is the latest earliest-finish of its open tasks (null when none is open).</summary>
[GenerateSerializer, Immutable, Alias("summit.group-forecast")]
public sealed record GroupForecast(string Group, int OpenTasks, LocalDate? ProjectedFinish, int? MinSlack)
{
    /// <summary>Some open task in the group has negative slack.</summary>
    public bool AtRisk => MinSlack < 0;
}

/// <summary>The schedule of a summit as of <see cref="Today"/>.</summary>
/// <param name="CriticalPath">Task ids, first to last.</param>
/// <param name="Tasks">Open tasks only, by id.</param>
/// <param name="ProjectedFinish">Latest earliest-finish of all open tasks; null when none is open.</param>
/// <param name="PreparationFinish">The same over open tasks due before the opening day.</param>
/// <param name="OpeningAtRisk"><see cref="PreparationFinish"/> is after the day before the opening
/// (<see cref="IsOpeningAtRisk"/>, the one rule: whatever shows the finish date and the statement uses both from here).</param>
/// <param name="NegativeSlackTasks">Open tasks projected to miss their due date or hold up a successor.</param>
/// <param name="UnknownPrerequisites">Ids that tasks depend on but the schedule does not contain, sorted.</param>
[GenerateSerializer, Immutable, Alias("summit.schedule-forecast")]
public sealed record ScheduleForecast(
    LocalDate Today,
    LocalDate OpeningDate,
    IReadOnlyList<string> CriticalPath,
    IReadOnlyDictionary<string, TaskSchedule> Tasks,
    IReadOnlyDictionary<string, GroupForecast> Groups,
    LocalDate? ProjectedFinish,
    LocalDate? PreparationFinish,
    bool OpeningAtRisk,
    int NegativeSlackTasks,
    IReadOnlyList<string> UnknownPrerequisites)
{
    /// <summary>The opening is at risk exactly when preparation is projected to finish after the day before the opening.</summary>
    public static bool IsOpeningAtRisk(LocalDate? preparationFinish, LocalDate openingDate) =>
        preparationFinish is { } finish && finish > openingDate.PlusDays(-1);
}

/// <summary>How much the last <see cref="CriticalPath.Compute"/> recomputed.</summary>
/// <param name="Full">Both passes ran over every task (first run, or "today" changed).</param>
/// <param name="OrderRebuilt">The topological order was rebuilt (a new dependency contradicted the cached one).</param>
/// <param name="ForwardVisited">Tasks whose earliest dates were recomputed.</param>
/// <param name="BackwardVisited">Tasks whose latest dates were recomputed.</param>
public readonly record struct RecomputeStats(bool Full, bool OrderRebuilt, int ForwardVisited, int BackwardVisited);

/// <summary>
/// The critical-path schedule of a summit's tasks on a <see cref="WorkingCalendar"/>, kept up to date incrementally.
/// Not thread-safe: one owner (a grain) feeds it changes and asks for forecasts.
/// </summary>
/// <remarks>
/// <para>Model. Time is counted in working days. Work can be done on each working day from "today" (inclusive) on; a task
/// with r remaining days occupies r working days.</para>
/// <list type="bullet">
/// <item>Forward pass: an open task starts on the first working day on or after today and on or after its planned start
/// that follows the finish of all its open prerequisites; it finishes r working days later (on its r-th working day). Finished tasks and unknown
/// prerequisites constrain nothing. A task with nothing left finishes as soon as its prerequisites do (today at the
/// earliest).</item>
/// <item>Backward pass: latest finish = min(its own due date, the working day before each open successor's latest start);
/// the latest start leaves exactly r working days up to and including the latest finish. The opening bounds every task
/// due before it (latest finish ≤ the day before the opening), which those tasks' own due dates already imply; tasks due
/// on or after the opening day (on-site and post-summit work) are bound by their own due dates only.</item>
/// <item>Slack = working days between earliest and latest finish; negative means at risk.</item>
/// <item>Critical path: start from the open task with the least slack (ties: the latest earliest finish, then the smallest
/// id), then repeatedly step to the prerequisite that drives its start (finishes the working day before it starts; ties:
/// least slack, then smallest id), until a task is driven by nothing but today. Reported first to last.</item>
/// <item>Projected finish per group = latest earliest finish among its open tasks; overall likewise. The opening is at
/// risk when the open tasks due before the opening day are projected to finish after the day before the opening.</item>
/// </list>
/// <para>Incremental. The topological order is kept while dependencies change in ways that respect it (removed
/// dependencies never invalidate it; new ones only when they point "backwards" in it), and rebuilt otherwise. A change of a
/// task marks it for the forward pass (its successors follow only while their earliest dates actually change) and for the
/// backward pass (its prerequisites follow likewise); a dependency change also marks the old and new prerequisites.
/// Both passes then run over the marked tasks in topological order. A new "today" recomputes everything.</para>
/// </remarks>
public sealed class CriticalPath
{
    private const int Unbounded = int.MaxValue / 4;

    private readonly WorkingDayIndex _days;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<Node> _nodes = [];
    private readonly HashSet<int> _forwardDirty = [];
    private readonly HashSet<int> _backwardDirty = [];

    // Boundaries: a task occupying working days with ordinals s..f−1 has start boundary s and finish boundary f.
    private int[] _es = [], _ef = [], _ls = [], _lf = [];
    private int[] _order = [];   // node indices, prerequisites first
    private int[] _position = []; // node index → place in _order
    private int _ordered;         // nodes covered by _order; later ones are appended on the next compute
    private bool _orderStale = true;
    private LocalDate? _computedFor;

    public CriticalPath(WorkingCalendar calendar, LocalDate openingDate, IEnumerable<ScheduleTask>? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Calendar = calendar;
        OpeningDate = openingDate;
        _days = new WorkingDayIndex(calendar, openingDate);
        if (tasks is not null) UpsertRange(tasks);
    }

    public WorkingCalendar Calendar { get; }
    public LocalDate OpeningDate { get; }

    /// <summary>Known tasks (not counting ids that are only depended on).</summary>
    public int Count { get; private set; }

    public RecomputeStats LastRecompute { get; private set; }

    public bool Contains(string id) => _ids.TryGetValue(id, out var index) && _nodes[index].Task is not null;

    public ScheduleTask? this[string id] => _ids.TryGetValue(id, out var index) ? _nodes[index].Task : null;

    /// <exception cref="DependencyCycleException">The task's dependencies would close a cycle; nothing is changed.</exception>
    /// <exception cref="DomainValidationException">The task is malformed; nothing is changed.</exception>
    public void Upsert(ScheduleTask task) => UpsertRange([task]);

    /// <summary>Adds or replaces several tasks at once, all or nothing.</summary>
    /// <exception cref="DependencyCycleException">The tasks' dependencies would close a cycle; nothing is changed.</exception>
    /// <exception cref="DomainValidationException">A task is malformed; nothing is changed.</exception>
    public void UpsertRange(IEnumerable<ScheduleTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var batch = new Dictionary<string, ScheduleTask>(StringComparer.Ordinal);
        var errors = new FieldErrors();
        var i = 0;
        foreach (var task in tasks)
        {
            Validate(task, errors, i++);
            if (task?.Id is { Length: > 0 } id) batch[id] = Normalise(task);
        }
        errors.ThrowIfAny();
        if (batch.Count == 0) return;

        if (!FollowsCachedOrder(batch.Values))
        {
            // The graph without the batch is acyclic, so a new cycle runs through a task of the batch.
            var cycle = DependencyGraph.FindCycle(batch.Keys, id =>
                batch.TryGetValue(id, out var changed) ? changed.DependsOn
                : _ids.TryGetValue(id, out var index) && _nodes[index].Task is { } known ? known.DependsOn
                : []);
            if (cycle is not null) throw new DependencyCycleException(cycle);
        }

        foreach (var task in batch.Values) Apply(task);
    }

    /// <summary>Removes a task. Tasks that still depend on it then treat it as an unknown prerequisite.</summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_ids.TryGetValue(id, out var index) || _nodes[index].Task is null) return false;
        var node = _nodes[index];
        foreach (var prerequisite in node.Prerequisites)
        {
            _nodes[prerequisite].Successors.Remove(index);
            _backwardDirty.Add(prerequisite);
        }
        node.Prerequisites.Clear();
        node.Task = null;
        Count--;
        _forwardDirty.Add(index);
        _backwardDirty.Add(index);
        return true;
    }

    /// <summary>The schedule as of <paramref name="today"/> (the summit's local date, from the caller's clock).</summary>
    public ScheduleForecast Compute(LocalDate today)
    {
        var start = _days.Ordinal(today);
        EnsureCapacity();
        var rebuilt = _orderStale;
        if (_orderStale) RebuildOrder();
        else AppendNewToOrder();

        RecomputeStats stats;
        if (_computedFor != today)
        {
            for (var i = 0; i < _order.Length; i++) Forward(_order[i], start);
            for (var i = _order.Length - 1; i >= 0; i--) Backward(_order[i]);
            stats = new RecomputeStats(true, rebuilt, _order.Length, _order.Length);
        }
        else
        {
            stats = new RecomputeStats(false, rebuilt, ForwardIncremental(start), BackwardIncremental());
        }
        _forwardDirty.Clear();
        _backwardDirty.Clear();
        _computedFor = today;
        LastRecompute = stats;
        return Forecast(today, start);
    }

    /// <summary>One-off schedule of <paramref name="tasks"/>.</summary>
    /// <exception cref="DependencyCycleException">The dependencies form a cycle.</exception>
    public static ScheduleForecast Compute(WorkingCalendar calendar, LocalDate openingDate, LocalDate today, IEnumerable<ScheduleTask> tasks) =>
        new CriticalPath(calendar, openingDate, tasks).Compute(today);

    private static void Validate(ScheduleTask? task, FieldErrors errors, int position)
    {
        // Field names are built only for errors: a whole summit is loaded through here.
        if (task is null)
        {
            errors.Add($"tasks[{position}]", "is required.");
            return;
        }
        if (string.IsNullOrWhiteSpace(task.Id)) errors.Add($"tasks[{position}].id", "is required.");
        if (!task.Finished && task.RemainingDays is < 0 or > ScheduleTask.MaxRemainingDays)
            errors.Range($"tasks[{position}].remainingDays", task.RemainingDays, 0, ScheduleTask.MaxRemainingDays);
        if (task.DependsOn is null) errors.Add($"tasks[{position}].dependsOn", "is required.");
        else if (task.DependsOn.Any(string.IsNullOrWhiteSpace)) errors.Add($"tasks[{position}].dependsOn", "must not contain blank ids.");
    }

    // True when every dependency the batch adds runs forward in the cached topological order: then the graph stays
    // consistent with that order and so acyclic, and the search for a cycle can be skipped.
    private bool FollowsCachedOrder(IEnumerable<ScheduleTask> batch)
    {
        foreach (var task in batch)
        {
            if (!_ids.TryGetValue(task.Id, out var index) || index >= _ordered) return false;
            var previous = _nodes[index].Task?.DependsOn;
            foreach (var id in task.DependsOn)
            {
                if (previous is not null && previous.Contains(id)) continue;
                if (_orderStale || !_ids.TryGetValue(id, out var dependency) || dependency >= _ordered
                    || _position[dependency] >= _position[index]) return false;
            }
        }
        return true;
    }

    private static ScheduleTask Normalise(ScheduleTask task) => task with
    {
        RemainingDays = task.Finished ? 0 : task.RemainingDays,
        DependsOn = task.DependsOn.Distinct(StringComparer.Ordinal).ToArray(),
    };

    private void Apply(ScheduleTask task)
    {
        var index = NodeFor(task.Id);
        var node = _nodes[index];
        var previous = node.Task;
        if (previous is null) Count++;
        node.Task = task;
        node.DueBoundary = _days.Ordinal(task.Due.PlusDays(1));
        node.StartBoundary = task.Start is { } planned ? _days.Ordinal(planned) : int.MinValue;

        if (previous is null || !previous.DependsOn.SequenceEqual(task.DependsOn))
        {
            foreach (var old in node.Prerequisites)
            {
                _nodes[old].Successors.Remove(index);
                _backwardDirty.Add(old);
            }
            node.Prerequisites.Clear();
            foreach (var id in task.DependsOn)
            {
                var prerequisite = NodeFor(id);
                node.Prerequisites.Add(prerequisite);
                _nodes[prerequisite].Successors.Add(index);
                _backwardDirty.Add(prerequisite);
                // A dependency against the cached order invalidates it; appended nodes are placed on the next compute.
                if (prerequisite < _ordered && index < _ordered && _position[prerequisite] > _position[index]) _orderStale = true;
                if (prerequisite >= _ordered && index < _ordered) _orderStale = true;
            }
        }
        _forwardDirty.Add(index);
        _backwardDirty.Add(index);
    }

    private int NodeFor(string id)
    {
        if (_ids.TryGetValue(id, out var index)) return index;
        index = _nodes.Count;
        _nodes.Add(new Node(id));
        _ids[id] = index;
        _forwardDirty.Add(index);
        _backwardDirty.Add(index);
        return index;
    }

    private void EnsureCapacity()
    {
        if (_es.Length >= _nodes.Count) return;
        var size = Math.Max(_nodes.Count, _es.Length * 2);
        Array.Resize(ref _es, size);
        Array.Resize(ref _ef, size);
        Array.Resize(ref _ls, size);
        Array.Resize(ref _lf, size);
        Array.Resize(ref _position, size);
    }

    // Kahn's algorithm; the graph is acyclic because every change was checked.
    private void RebuildOrder()
    {
        var count = _nodes.Count;
        var pending = new int[count];
        var ready = new Queue<int>();
        for (var i = 0; i < count; i++)
        {
            pending[i] = _nodes[i].Prerequisites.Count;
            if (pending[i] == 0) ready.Enqueue(i);
        }
        var order = new int[count];
        var n = 0;
        while (ready.Count > 0)
        {
            var v = ready.Dequeue();
            order[n++] = v;
            foreach (var s in _nodes[v].Successors)
                if (--pending[s] == 0) ready.Enqueue(s);
        }
        if (n != count) throw new InvalidOperationException("The dependency graph has a cycle that was not refused.");
        _order = order;
        for (var i = 0; i < count; i++) _position[order[i]] = i;
        _ordered = count;
        _orderStale = false;
    }

    // Nodes created since the last compute go to the end; their prerequisites were checked to come earlier.
    private void AppendNewToOrder()
    {
        if (_ordered == _nodes.Count) return;
        var added = Enumerable.Range(_ordered, _nodes.Count - _ordered).ToList();
        // Among themselves the new nodes need their own order (a new task may depend on a new placeholder).
        var pending = added.ToDictionary(v => v, v => _nodes[v].Prerequisites.Count(p => p >= _ordered));
        var ready = new Queue<int>(added.Where(v => pending[v] == 0));
        var order = new List<int>(_order.Length + added.Count);
        order.AddRange(_order);
        while (ready.Count > 0)
        {
            var v = ready.Dequeue();
            _position[v] = order.Count;
            order.Add(v);
            foreach (var s in _nodes[v].Successors)
                if (s >= _ordered && --pending[s] == 0) ready.Enqueue(s);
        }
        _order = [.. order];
        _ordered = _nodes.Count;
    }

    private bool IsOpen(int v) => _nodes[v].Task is { Finished: false };

    // Returns whether the earliest finish changed.
    private bool Forward(int v, int start)
    {
        int es, ef;
        if (!IsOpen(v))
        {
            es = ef = start;
        }
        else
        {
            es = Math.Max(start, _nodes[v].StartBoundary);
            foreach (var p in _nodes[v].Prerequisites)
                if (_ef[p] > es) es = _ef[p];
            ef = es + _nodes[v].Task!.RemainingDays;
        }
        var changed = _ef[v] != ef;
        _es[v] = es;
        _ef[v] = ef;
        return changed;
    }

    // Returns whether the latest start changed.
    private bool Backward(int v)
    {
        int lf, ls;
        if (!IsOpen(v))
        {
            lf = ls = Unbounded;
        }
        else
        {
            lf = _nodes[v].DueBoundary;
            foreach (var s in _nodes[v].Successors)
                if (_ls[s] < lf) lf = _ls[s];
            ls = lf - _nodes[v].Task!.RemainingDays;
        }
        var changed = _ls[v] != ls;
        _lf[v] = lf;
        _ls[v] = ls;
        return changed;
    }

    private int ForwardIncremental(int start)
    {
        var queue = new PriorityQueue<int, int>();
        var queued = new HashSet<int>();
        foreach (var v in _forwardDirty)
            if (queued.Add(v)) queue.Enqueue(v, _position[v]);
        var visited = 0;
        while (queue.TryDequeue(out var v, out _))
        {
            visited++;
            if (!Forward(v, start)) continue;
            foreach (var s in _nodes[v].Successors)
                if (queued.Add(s)) queue.Enqueue(s, _position[s]);
        }
        return visited;
    }

    private int BackwardIncremental()
    {
        var queue = new PriorityQueue<int, int>();
        var queued = new HashSet<int>();
        foreach (var v in _backwardDirty)
            if (queued.Add(v)) queue.Enqueue(v, -_position[v]);
        var visited = 0;
        while (queue.TryDequeue(out var v, out _))
        {
            visited++;
            if (!Backward(v)) continue;
            foreach (var p in _nodes[v].Prerequisites)
                if (queued.Add(p)) queue.Enqueue(p, -_position[p]);
        }
        return visited;
    }

    private LocalDate FinishDate(int boundary, int start, LocalDate today) =>
        boundary > start ? _days.WorkingDayAt(boundary - 1) : today;

    private ScheduleForecast Forecast(LocalDate today, int start)
    {
        var critical = CriticalChain();
        var onPath = critical.ToHashSet();
        var tasks = new Dictionary<string, TaskSchedule>(Count, StringComparer.Ordinal);
        var groups = new Dictionary<string, GroupTally>(StringComparer.Ordinal);
        int? latest = null, latestPreparation = null;
        var negative = 0;
        var unknown = new SortedSet<string>(StringComparer.Ordinal);

        for (var v = 0; v < _nodes.Count; v++)
        {
            var node = _nodes[v];
            if (node.Task is not { } task)
            {
                if (node.Successors.Count > 0) unknown.Add(node.Id);
                continue;
            }
            GroupTally? tally = null;
            if (task.Group is { } group && !groups.TryGetValue(group, out tally)) groups[group] = tally = new GroupTally();
            if (task.Finished) continue;

            var slack = _lf[v] - _ef[v];
            if (slack < 0) negative++;
            if (latest is null || _ef[v] > latest) latest = _ef[v];
            if (task.Due < OpeningDate && (latestPreparation is null || _ef[v] > latestPreparation)) latestPreparation = _ef[v];
            if (tally is not null)
            {
                tally.Open++;
                if (tally.Finish is null || _ef[v] > tally.Finish) tally.Finish = _ef[v];
                if (tally.MinSlack is null || slack < tally.MinSlack) tally.MinSlack = slack;
            }

            var finish = FinishDate(_ef[v], start, today);
            var latestFinish = _days.WorkingDayAt(_lf[v] - 1);
            tasks[task.Id] = new TaskSchedule(
                task.Id,
                task.Group,
                task.RemainingDays,
                task.RemainingDays > 0 ? _days.WorkingDayAt(_es[v]) : finish,
                finish,
                task.RemainingDays > 0 ? _days.WorkingDayAt(_ls[v]) : latestFinish,
                latestFinish,
                slack,
                onPath.Contains(task.Id));
        }

        LocalDate? AsDate(int? boundary) => boundary is { } b ? FinishDate(b, start, today) : null;
        var preparationFinish = AsDate(latestPreparation);
        return new ScheduleForecast(
            today,
            OpeningDate,
            critical,
            tasks,
            groups.ToDictionary(g => g.Key, g => new GroupForecast(g.Key, g.Value.Open, AsDate(g.Value.Finish), g.Value.MinSlack), StringComparer.Ordinal),
            AsDate(latest),
            preparationFinish,
            ScheduleForecast.IsOpeningAtRisk(preparationFinish, OpeningDate),
            negative,
            [.. unknown]);
    }

    private List<string> CriticalChain()
    {
        var end = -1;
        for (var v = 0; v < _nodes.Count; v++)
        {
            if (!IsOpen(v)) continue;
            if (end < 0 || Better(v, end)) end = v;
        }
        var chain = new List<string>();
        for (var v = end; v >= 0;)
        {
            chain.Add(_nodes[v].Id);
            var driver = -1;
            foreach (var p in _nodes[v].Prerequisites)
            {
                if (!IsOpen(p) || _ef[p] != _es[v]) continue;
                if (driver < 0 || Slack(p) < Slack(driver) || (Slack(p) == Slack(driver) && string.CompareOrdinal(_nodes[p].Id, _nodes[driver].Id) < 0))
                    driver = p;
            }
            v = driver;
        }
        chain.Reverse();
        return chain;

        bool Better(int a, int b)
        {
            if (Slack(a) != Slack(b)) return Slack(a) < Slack(b);
            if (_ef[a] != _ef[b]) return _ef[a] > _ef[b];
            return string.CompareOrdinal(_nodes[a].Id, _nodes[b].Id) < 0;
        }
    }

    private int Slack(int v) => _lf[v] - _ef[v];

    private sealed class Node(string id)
    {
        public string Id { get; } = id;
        public ScheduleTask? Task { get; set; }
        public int DueBoundary { get; set; }
        public int StartBoundary { get; set; } = int.MinValue;
        public List<int> Prerequisites { get; } = [];
        public List<int> Successors { get; } = [];
    }

    private sealed class GroupTally
    {
        public int Open;
        public int? Finish;
        public int? MinSlack;
    }
}
