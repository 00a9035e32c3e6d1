using System.Diagnostics;
using Summit.Bench.Measurement;
using Summit.Domain;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Scheduling;

namespace Summit.Bench.Scenarios;

/// <summary>
/// The deadline engine's <see cref="CriticalPath"/> on the demo plan of a 10,000-task summit (its dependencies, due
/// dates and statuses): a schedule built and computed from scratch, then recomputed after one task changes
/// (its remaining work, or a new dependency), as the engine does on every accepted task change.
/// </summary>
public static class CriticalPathRun
{
    public static Task RunAsync(int taskCount, ScenarioReport report)
    {
        var generated = Stopwatch.StartNew();
        var plan = DemoDataGenerator.Generate(new DemoDataOptions { Tasks = taskCount });
        var tasks = plan.Tasks.Select(ToSchedule).ToArray();
        generated.Stop();
        var calendar = WorkingCalendar.China2020;
        var opening = plan.Summit.OpeningDate;
        var today = plan.AsOf.Date;
        var dependencies = tasks.Sum(t => t.DependsOn.Count);

        // From scratch: build the engine and compute. The first run includes JIT compilation; report it apart.
        var first = Stopwatch.StartNew();
        var forecast = new CriticalPath(calendar, opening, tasks).Compute(today);
        first.Stop();
        var scratch = new Latencies(30);
        var computeOnly = new Latencies(30);
        for (var i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var engine = new CriticalPath(calendar, opening, tasks);
            var built = Stopwatch.GetTimestamp();
            engine.Compute(today);
            var done = Stopwatch.GetTimestamp();
            scratch.Add(started, done);
            computeOnly.Add(built, done);
        }

        // After one change: a kept engine, one task's remaining work changes, compute again.
        var schedule = new CriticalPath(calendar, opening, tasks);
        schedule.Compute(today);
        var open = tasks.Where(t => !t.Finished).ToArray();
        var random = new Random(2020);
        var oneChange = new Latencies(500);
        long forwardVisited = 0, backwardVisited = 0;
        for (var i = 0; i < 500; i++)
        {
            var task = open[random.Next(open.Length)];
            var changed = task with { RemainingDays = 1 + random.Next(10) };
            var started = Stopwatch.GetTimestamp();
            schedule.Upsert(changed);
            schedule.Compute(today);
            oneChange.Add(started, Stopwatch.GetTimestamp());
            forwardVisited += schedule.LastRecompute.ForwardVisited;
            backwardVisited += schedule.LastRecompute.BackwardVisited;
        }

        // After one new dependency on an earlier task (kept acyclic: plan order is a topological order).
        var byId = tasks.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var current = tasks.ToDictionary(t => t.Id);
        var newDependency = new Latencies(200);
        var rebuilt = 0;
        for (var i = 0; i < 200; i++)
        {
            var later = open[random.Next(open.Length)];
            var at = byId[later.Id];
            if (at == 0) continue;
            var earlier = tasks[random.Next(at)];
            var entry = current[later.Id];
            if (entry.DependsOn.Contains(earlier.Id)) continue;
            var changed = entry with { DependsOn = [.. entry.DependsOn, earlier.Id] };
            current[later.Id] = changed;
            var started = Stopwatch.GetTimestamp();
            schedule.Upsert(changed);
            schedule.Compute(today);
            newDependency.Add(started, Stopwatch.GetTimestamp());
            if (schedule.LastRecompute.OrderRebuilt) rebuilt++;
        }

        var scratchSummary = scratch.Summarise();
        var changeSummary = oneChange.Summarise();
        var dependencySummary = newDependency.Summarise();
        report.Config = new { tasks = taskCount, dependencies, openTasks = open.Length, calendar = "China 2020", today = today.ToString(), opening = opening.ToString() };
        report.Results = new
        {
            planGenerationSeconds = Math.Round(generated.Elapsed.TotalSeconds, 2),
            firstRunMs = Math.Round(first.Elapsed.TotalMilliseconds, 2),
            fromScratchMs = scratchSummary,
            computeOnlyMs = computeOnly.Summarise(),
            afterOneChangeMs = changeSummary,
            afterOneChangeAverageVisited = new { forward = forwardVisited / 500.0, backward = backwardVisited / 500.0 },
            afterNewDependencyMs = dependencySummary,
            orderRebuilds = rebuilt,
            criticalPathLength = forecast.CriticalPath.Count,
            negativeSlackTasks = forecast.NegativeSlackTasks,
        };
        report.Row("tasks", $"{taskCount} ({open.Length} open, {dependencies} dependencies)");
        report.Row("first run (JIT included)", Format.Ms(first.Elapsed.TotalMilliseconds));
        report.Row("from scratch (build + compute)", scratchSummary.ToString());
        report.Row("after one change (upsert + compute)", $"{changeSummary}; visited {forwardVisited / 500.0:0} forward, {backwardVisited / 500.0:0} backward on average");
        report.Row("after a new dependency", dependencySummary.ToString());
        return Task.CompletedTask;
    }

    private static ScheduleTask ToSchedule(TaskPlan task)
    {
        var finished = task.Status is WorkStatus.Done or WorkStatus.Cancelled;
        // The engine's estimate (PreparationTask.EstimatedRemainingDays): the planned figure, else one day until 100 %.
        var remaining = finished ? 0 : task.Draft.RemainingDays ?? (task.PercentComplete >= 100 ? 0 : PreparationTask.DefaultRemainingDays);
        var group = task.Draft.Owner.Kind == UnitKind.County ? "county:" + task.Draft.Owner.Code : null;
        return new ScheduleTask(task.Id, Math.Clamp(remaining, 0, ScheduleTask.MaxRemainingDays), task.Draft.Due.Date,
            task.Draft.DependsOn ?? [], finished, group);
    }
}
