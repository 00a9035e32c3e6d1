using NodaTime;
using Summit.Data.Demo;
using Summit.Domain;
using Summit.Hosting.DemoData;
using Summit.Rules;
using Summit.Scheduling;

namespace Summit.Tests.DemoData;

/// <summary>The demo's plan: start dates and lengths, readiness against the plan on the demo's today, conflicts and plans.</summary>
public sealed class DemoScheduleTests
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly LocalDate Today = new(2020, 6, 10);
    private static readonly DemoPlan Plan = DemoDataGenerator.Generate(new DemoDataOptions());

    private static IReadOnlyList<PreparationTask> Seeded(DemoPlan plan)
    {
        var summit = SummitRules.Create(plan.SummitCode, plan.Summit, DemoDataSeeder.SeedActor, Now).Entity;
        return [.. plan.Tasks.Select(task =>
        {
            var stored = TaskRules.Create(plan.SummitCode, task.Id, task.Draft, summit, DemoDataSeeder.SeedActor, Now).Entity;
            return DemoDataSeeder.TaskStep(task) is { } change ? TaskRules.Apply(stored, change, summit, DemoDataSeeder.SeedActor, Now).Entity : stored;
        })];
    }

    [Fact]
    public void Every_task_has_a_start_and_a_length_inside_the_preparation_window()
    {
        Assert.All(Plan.Tasks, task =>
        {
            var start = Assert.NotNull(task.Draft.Start);
            Assert.InRange(start, DemoReference.PreparationStart, task.Draft.Due.Date);
            Assert.InRange(Assert.NotNull(task.Draft.DurationDays), 1, 60);
        });
        // Spread over the spring: work starts in April, May and June.
        Assert.Equal([4, 5, 6], Plan.Tasks.Select(t => t.Draft.Start!.Value.Month).Where(m => m <= 6).Distinct().Order());
    }

    [Fact]
    public void Most_counties_are_on_plan_and_a_couple_are_far_behind()
    {
        var report = PlanProgress.Report(Seeded(Plan), Plan.Counties.Select(c => c.Code), Plan.SubForums.Select(f => f.Id), Today,
            WorkingCalendar.China2020);
        var statuses = report.Counties.ToDictionary(c => c.Key!, c => c.Status);
        var text = string.Join(", ", report.Counties.Select(c => $"{c.Key} {c.Tasks} {c.PlannedPercent}/{c.EarnedPercent} {c.Gap}"));
        // The two lagging counties are ten points or more behind their plan, at least one of them far behind.
        Assert.All(DemoSchedule.BehindCounties, code => Assert.True(report.Counties.Single(c => c.Key == code).Gap <= -10, text));
        Assert.Contains(DemoSchedule.BehindCounties, code => statuses[code] == "farBehind");
        Assert.True(statuses.Values.Count(s => s == "farBehind") <= 3, string.Join(", ", report.Counties.Select(c => $"{c.Key} {c.Gap}")));
        Assert.True(statuses.Values.Count(s => s == "onTrack") >= 6, string.Join(", ", report.Counties.Select(c => $"{c.Key} {c.Gap}")));
        // Worst first: the lagging counties lead the ranking.
        Assert.Equal(DemoSchedule.BehindCounties.Order(), report.Counties.Take(2).Select(c => c.Key!).Order());
        Assert.InRange(report.Overall.Gap, -10, 5);
    }

    [Fact]
    public void A_few_prerequisites_are_planned_to_finish_after_their_dependents_deadline()
    {
        var tasks = Seeded(Plan);
        var forecast = CriticalPath.Compute(WorkingCalendar.China2020, Plan.Summit.OpeningDate, Today, tasks.Select(t => ScheduleTask.From(t)));
        var byId = tasks.ToDictionary(t => t.Id);
        var conflicts = tasks
            .Where(t => t.IsOpen && t.DependsOn.Any(d => forecast.Tasks.TryGetValue(d, out var p) && p.EarliestFinish > t.Due.Date))
            .ToList();
        Assert.True(conflicts.Count >= DemoSchedule.Conflicts && conflicts.Count <= 20,
            string.Join(", ", conflicts.Select(t => $"{t.Id} {t.Due.Date} <- {string.Join("/", t.DependsOn.Select(d => forecast.Tasks.TryGetValue(d, out var p) ? $"{d} {p.EarliestFinish} {byId[d].Start} {byId[d].DurationDays} {byId[d].Status}" : d))}")));
        Assert.All(conflicts, t => Assert.True(forecast.Tasks[t.Id].Slack < 0));
        Assert.Contains(byId.Values, t => t.DurationDays > 0 && t.Start is not null);
    }

    [Fact]
    public void Some_tasks_sub_forums_and_sub_events_belong_to_one_contingency_plan()
    {
        var tasks = Seeded(Plan);
        Assert.True(tasks.Any(t => t.Plan == SummitMode.Hybrid && !t.SetAside), string.Join(", ", tasks.Where(t => t.Plan is not null).Select(t => $"{t.Title} {t.Plan}")));
        Assert.Contains(tasks, t => t.Plan == SummitMode.Online && t.SetAside);
        Assert.InRange(tasks.Count(t => t.Plan is not null), 3, 12);
        Assert.Equal(2, Plan.SubForums.Count(f => f.Draft.Plan == SummitMode.Hybrid));
        Assert.Contains(Plan.Counties.SelectMany(c => c.SubEvents), e => e.Draft.Plan == SummitMode.Hybrid);
        // Switching the mode sets them aside.
        Assert.True(ContingencyPlan.IsSetAside(SummitMode.Hybrid, SummitMode.Online));
    }
}
