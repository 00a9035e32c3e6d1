using System.Diagnostics;
using System.Text.Json;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Summit.Domain;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Rules;

namespace Summit.Tests.DemoData;

public sealed class DemoDataGeneratorTests
{
    private static readonly LocalDate PreparationStart = new(2020, 4, 1);
    private static readonly LocalDate AsOf = new(2020, 6, 10);

    // Generated once: several tests read the default plan.
    private static readonly Lazy<DemoPlan> DefaultPlan = new(() => DemoDataGenerator.Generate(new DemoDataOptions()));

    private static DemoPlan Plan => DefaultPlan.Value;

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    private static string Fingerprint(DemoPlan plan) => JsonSerializer.Serialize(plan, Json);

    // ---- determinism -------------------------------------------------------------------------------

    [Fact]
    public void Same_seed_gives_an_identical_plan()
    {
        var options = new DemoDataOptions { Seed = 7, Tasks = 500 };
        var first = DemoDataGenerator.Generate(options);
        var second = new DemoDataGenerator(new DemoDataOptions { Seed = 7, Tasks = 500 }).Generate();
        Assert.Equal(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public void Generating_twice_from_one_generator_gives_the_same_plan()
    {
        var generator = new DemoDataGenerator(new DemoDataOptions { Tasks = 120 });
        Assert.Equal(Fingerprint(generator.Generate()), Fingerprint(generator.Generate()));
    }

    [Fact]
    public void A_different_seed_gives_a_different_plan_with_the_same_real_entities()
    {
        var a = DemoDataGenerator.Generate(new DemoDataOptions { Seed = 1, Tasks = 300 });
        var b = DemoDataGenerator.Generate(new DemoDataOptions { Seed = 2, Tasks = 300 });
        Assert.NotEqual(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(a.Tasks.Select(t => t.Draft.Assignee), b.Tasks.Select(t => t.Draft.Assignee));
        Assert.Equal(a.Counties.Select(c => c.Code), b.Counties.Select(c => c.Code));
        Assert.Equal(a.Universities.Select(u => u.Code), b.Universities.Select(u => u.Code));
        Assert.Equal(JsonSerializer.Serialize(a.Summit, Json), JsonSerializer.Serialize(b.Summit, Json));
    }

    // ---- sizes -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(400)]
    [InlineData(2_345)]
    public void The_task_count_option_is_respected(int tasks)
    {
        var plan = DemoDataGenerator.Generate(new DemoDataOptions { Tasks = tasks });
        Assert.Equal(tasks, plan.Tasks.Count);
        Assert.Equal(Enumerable.Range(1, tasks).Select(i => $"t-{i:D5}"), plan.Tasks.Select(t => t.Id));
        AssertDependenciesPointBackwards(plan);
    }

    [Fact]
    public void Defaults_match_the_configuration_contract()
    {
        var options = new DemoDataOptions();
        Assert.Equal("Summit:Demo", DemoDataOptions.SectionName);
        Assert.False(options.Enabled);
        Assert.Equal(2020, options.Seed);
        Assert.Equal(400, options.Tasks);
        Assert.Equal("wyss-2020", options.SummitCode);
        Assert.Equal(400, Plan.Tasks.Count);
    }

    [Theory]
    [InlineData(-1, "wyss-2020")]
    [InlineData(10, "Not A Code")]
    public void Invalid_options_are_refused(int tasks, string code) =>
        Assert.ThrowsAny<ArgumentException>(() => DemoDataGenerator.Generate(new DemoDataOptions { Tasks = tasks, SummitCode = code }));

    [Fact]
    public void A_hundred_thousand_task_plan_is_generated_quickly_and_stays_a_DAG()
    {
        var watch = Stopwatch.StartNew();
        var plan = DemoDataGenerator.Generate(new DemoDataOptions { Tasks = 100_000, Seed = 99 });
        watch.Stop();

        Assert.Equal(100_000, plan.Tasks.Count);
        Assert.Equal("t-100000", plan.Tasks[^1].Id);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Equal(plan.Tasks.Count, plan.Tasks.Select(t => t.Id).Distinct().Count());
        AssertDependenciesPointBackwards(plan);
        AssertTaskDatesInWindow(plan);

        // Chains are what a new task's cycle check walks, so they stay shallow even at benchmark size.
        var index = plan.Tasks.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var depth = new int[plan.Tasks.Count];
        for (var i = 0; i < depth.Length; i++)
        {
            var deps = plan.Tasks[i].Draft.DependsOn!;
            depth[i] = deps.Count == 0 ? 0 : 1 + deps.Max(d => depth[index[d]]);
        }
        Assert.True(depth.Max() <= 12, $"deepest chain {depth.Max()}");
    }

    // ---- dependencies ------------------------------------------------------------------------------

    [Fact]
    public void Dependencies_form_a_DAG_on_earlier_tasks_with_earlier_deadlines()
    {
        AssertDependenciesPointBackwards(Plan);
        Assert.Contains(Plan.Tasks, t => t.Draft.DependsOn!.Count >= 2);
        Assert.True(Plan.Tasks.Count(t => t.Draft.DependsOn!.Count > 0) > Plan.Tasks.Count / 3);
    }

    private static void AssertDependenciesPointBackwards(DemoPlan plan)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Tasks.Count; i++)
        {
            var task = plan.Tasks[i];
            var deps = task.Draft.DependsOn!;
            Assert.True(deps.Count <= TaskRules.MaxDependencies);
            Assert.Equal(deps.Count, deps.Distinct().Count());
            foreach (var dep in deps)
            {
                // Only ids seen earlier in the plan: that alone rules out cycles.
                Assert.True(position.TryGetValue(dep, out var at), $"{task.Id} depends on {dep}, which is not earlier");
                Assert.True(plan.Tasks[at].Draft.Due.Date <= task.Draft.Due.Date, $"{task.Id} is due before its prerequisite {dep}");
            }
            position[task.Id] = i;
        }
    }

    // ---- dates -------------------------------------------------------------------------------------

    [Fact]
    public void All_dates_fall_inside_their_windows()
    {
        var summit = Plan.Summit;
        var preparation = new DateInterval(summit.PreparationStart, summit.ClosingDate);
        var days = new DateInterval(summit.OpeningDate, summit.ClosingDate);

        AssertTaskDatesInWindow(Plan);
        Assert.All(Plan.Counties.SelectMany(c => c.SubEvents).Where(e => e.Draft.Date is not null),
            e => Assert.Contains(e.Draft.Date!.Value, preparation));
        Assert.All(Plan.SubForums, f =>
        {
            Assert.Contains(f.Draft.Day, days);
            Assert.True(f.Draft.Start < f.Draft.End);
        });
        Assert.All(Plan.Projects.Where(p => p.Draft.SigningDate is not null), p =>
        {
            Assert.Contains(p.Draft.SigningDate!.Value, preparation);
            Assert.True(p.Draft.SigningDate <= AsOf, $"{p.Id} is signed after the demo's today");
        });
    }

    private static void AssertTaskDatesInWindow(DemoPlan plan)
    {
        var window = new DateInterval(plan.Summit.PreparationStart, plan.Summit.ClosingDate);
        foreach (var task in plan.Tasks)
            if (!window.Contains(task.Draft.Due.Date)) Assert.Fail($"{task.Id} is due {task.Draft.Due}, outside {window}");
    }

    // ---- the real entities -------------------------------------------------------------------------

    [Fact]
    public void The_summit_is_the_2020_Wenzhou_edition()
    {
        Assert.Equal("wyss-2020", Plan.SummitCode);
        var summit = Plan.Summit;
        Assert.Equal("2020世界青年科学家峰会", summit.Name);
        Assert.Equal("温州", summit.City);
        Assert.Equal("Asia/Shanghai", summit.TimeZone);
        Assert.Equal(SummitMode.Hybrid, summit.Mode);
        Assert.Equal(new SummitTargets(10, 100, 1000, 75), summit.Targets);
        Assert.Equal(PreparationStart, summit.PreparationStart);
        Assert.Equal(new LocalDate(2020, 10, 18), summit.OpeningDate);
        Assert.Equal(new LocalDate(2020, 10, 19), summit.ClosingDate);
        Assert.Equal(new LocalDateTime(2020, 6, 10, 9, 0), Plan.AsOf);
    }

    [Fact]
    public void All_twelve_counties_and_districts_are_there_with_their_names()
    {
        var expected = new Dictionary<string, string>
        {
            ["lucheng"] = "鹿城区", ["ouhai"] = "瓯海区", ["longwan"] = "龙湾区", ["dongtou"] = "洞头区",
            ["yueqing"] = "乐清市", ["ruian"] = "瑞安市", ["yongjia"] = "永嘉县", ["wencheng"] = "文成县",
            ["pingyang"] = "平阳县", ["taishun"] = "泰顺县", ["cangnan"] = "苍南县", ["longgang"] = "龙港市",
        };
        Assert.Equal(expected.OrderBy(e => e.Key), Plan.Counties.Select(c => KeyValuePair.Create(c.Code, c.Draft.Name)).OrderBy(e => e.Key));
        Assert.All(Plan.Counties, c => Assert.InRange(c.SubEvents.Count, 1, 4));
        Assert.All(Plan.Counties, c => Assert.False(string.IsNullOrWhiteSpace(c.Draft.Lead)));

        var pingyang = Plan.Counties.Single(c => c.Code == "pingyang");
        Assert.Contains("分会场", pingyang.Draft.Venue);
        Assert.Contains(pingyang.SubEvents, e => e.Draft.Title.Contains("平阳分会场"));
    }

    [Fact]
    public void Inspected_counties_are_further_along_and_nothing_is_ready_in_June()
    {
        var inspected = Plan.Counties.Where(c => c.Inspected).Select(c => c.Code).Order().ToArray();
        Assert.Equal(["cangnan", "longgang", "pingyang", "ruian", "wencheng"], inspected);

        double DoneShare(bool wasInspected) => Plan.Counties.Where(c => c.Inspected == wasInspected)
            .SelectMany(c => c.SubEvents).Where(e => e.Status != SubEventStatus.Cancelled)
            .Average(e => e.Checklist.Count(i => i.Value == ChecklistState.Done) / (double)e.Checklist.Count);
        Assert.True(DoneShare(true) > DoneShare(false));

        var subEvents = Plan.Counties.SelectMany(c => c.SubEvents).ToArray();
        Assert.All(subEvents, e => Assert.Equal(Enum.GetValues<ChecklistItem>().Length, e.Checklist.Count));
        Assert.All(subEvents, e => Assert.True(e.Status is SubEventStatus.Planned or SubEventStatus.Preparing or SubEventStatus.Cancelled));
        Assert.All(Plan.Counties.Where(c => c.Inspected).SelectMany(c => c.SubEvents), e => Assert.Equal(SubEventStatus.Preparing, e.Status));
    }

    [Fact]
    public void The_four_partner_universities_are_there()
    {
        Assert.Equal(
            [("wmu", "温州医科大学"), ("wzu", "温州大学"), ("wzpt", "温州职业技术学院"), ("wzvcst", "温州科技职业学院")],
            Plan.Universities.Select(u => (u.Code, u.Draft.Name)));
    }

    [Fact]
    public void Sub_forums_include_the_health_series_and_the_UN_themes()
    {
        var health = Plan.SubForums.Where(f => f.Draft.Theme.StartsWith("生命健康子论坛")).ToArray();
        Assert.True(health.Length >= 3);
        Assert.All(health, f => Assert.Equal("wmu", f.Draft.HostUniversity));
        foreach (var theme in new[] { "消除贫困", "可持续发展", "青年与未来" })
            Assert.Contains(Plan.SubForums, f => f.Draft.Theme.Contains(theme));
        Assert.Contains(Plan.SubForums, f => f.Draft.Theme.Contains("大学创业世界杯"));

        var universities = Plan.Universities.Select(u => u.Code).ToHashSet();
        Assert.All(Plan.SubForums.Where(f => f.Draft.HostUniversity is not null), f => Assert.Contains(f.Draft.HostUniversity!, universities));
        Assert.All(Plan.SubForums.Where(f => f.Status >= SubForumStatus.SpeakersConfirmed),
            f => Assert.Contains(f.Draft.Speakers!, s => s.Confirmed));
    }

    [Fact]
    public void The_two_projects_signed_on_17_April_are_there_plus_generated_ones()
    {
        var signing = new LocalDate(2020, 4, 17);
        var pumpValve = Plan.Projects.Single(p => p.Id == "pumpvalve-composites").Draft;
        Assert.Equal(ProjectStage.Signed, pumpValve.Stage);
        Assert.Equal(signing, pumpValve.SigningDate);
        Assert.Equal(["中国复合材料学会", "温州系统流程装备科学研究院", "浙江省泵阀行业协会"], pumpValve.Partners.Select(p => p.Name));

        var autoParts = Plan.Projects.Single(p => p.Id == "ruian-auto-parts").Draft;
        Assert.Equal(ProjectStage.Signed, autoParts.Stage);
        Assert.Equal(signing, autoParts.SigningDate);
        Assert.Equal("ruian", autoParts.County);
        Assert.Equal(["中国汽车工程学会", "北航浙江新能源汽车研究院", "浙江省瑞安经济开发区"], autoParts.Partners.Select(p => p.Name));

        var generated = Plan.Projects.Where(p => p.Id.StartsWith("p-")).ToArray();
        Assert.True(generated.Length >= 20);
        Assert.Equal(["服装", "电气", "鞋革"], generated.Select(p => p.Draft.Industry).Distinct().Order());
        Assert.True(generated.Select(p => p.Draft.Stage).Distinct().Count() >= 3);
        Assert.All(Plan.Projects.Where(p => p.Draft.Stage >= ProjectStage.Signed), p => Assert.NotNull(p.Draft.SigningDate));

        var universities = Plan.Universities.Select(u => u.Code).ToHashSet();
        var counties = Plan.Counties.Select(c => c.Code).ToHashSet();
        Assert.All(Plan.Projects.SelectMany(p => p.Draft.Universities ?? []), u => Assert.Contains(u, universities));
        Assert.All(Plan.Projects.Where(p => p.Draft.County is not null), p => Assert.Contains(p.Draft.County!, counties));
    }

    // ---- tasks -------------------------------------------------------------------------------------

    [Fact]
    public void Tasks_cover_every_category_and_every_kind_of_owner()
    {
        Assert.Equal(Enum.GetValues<TaskCategory>().Order(), Plan.Tasks.Select(t => t.Draft.Category).Distinct().Order());
        // Organisations registered under a unit take part through forwarded notices; the plan's tasks belong to the others.
        Assert.Equal(Enum.GetValues<UnitKind>().Where(k => k != UnitKind.Organization).Order(), Plan.Tasks.Select(t => t.Draft.Owner.Kind).Distinct().Order());

        var units = Plan.Counties.Select(c => c.Code).Concat(Plan.Universities.Select(u => u.Code)).ToHashSet();
        Assert.All(Plan.Tasks.Where(t => t.Draft.Owner.Kind != UnitKind.Secretariat), t => Assert.Contains(t.Draft.Owner.Code, units));
        Assert.Contains(Plan.Tasks, t => t.Draft.Owner == OwningUnit.Department("office"));
        Assert.Contains(Plan.Tasks, t => t.Draft.Owner == OwningUnit.Department("publicity"));

        Assert.True(Plan.Tasks.Count(t => t.Draft.Assignee is not null) > Plan.Tasks.Count * 0.8);
        Assert.All(Plan.Tasks.Where(t => t.Draft.Assignee is not null), t => Assert.InRange(t.Draft.Assignee!.Length, 2, 4));
        Assert.InRange(Plan.Tasks.Count(t => t.Draft.Milestone), 5, 60);
    }

    [Fact]
    public void The_real_timeline_is_in_the_plan()
    {
        var signing = Plan.Tasks.Single(t => t.Draft.Title.StartsWith("科技经济融合项目在线签约"));
        Assert.Equal(new LocalDate(2020, 4, 17), signing.Draft.Due.Date);
        Assert.True(signing.Draft.Milestone);
        Assert.Equal(WorkStatus.Done, signing.Status);

        var epidemic = Plan.Tasks.Single(t => t.Draft.Title == "制定峰会疫情防控方案");
        Assert.Equal(new LocalDate(2020, 6, 30), epidemic.Draft.Due.Date);
        Assert.NotEqual(WorkStatus.Done, epidemic.Status);

        var opening = Plan.Tasks.Single(t => t.Draft.Title == "峰会开幕式");
        Assert.Equal(Plan.Summit.OpeningDate, opening.Draft.Due.Date);
        Assert.NotEmpty(opening.Draft.DependsOn!);
    }

    [Fact]
    public void Statuses_look_like_mid_June_2020()
    {
        var tasks = Plan.Tasks;
        var longPast = tasks.Where(t => t.Draft.Due.Date < AsOf.PlusDays(-14)).ToArray();
        Assert.True(longPast.Count(t => t.Status == WorkStatus.Done) > longPast.Length * 0.7);

        // A few overdue or blocked items for the dashboard to chase.
        Assert.Contains(tasks, t => t.Draft.Due.Date < AsOf && t.Status is WorkStatus.InProgress or WorkStatus.NotStarted);
        Assert.Contains(tasks, t => t.Status == WorkStatus.Blocked);
        Assert.True(tasks.Count(t => t.Status == WorkStatus.Blocked) < tasks.Count * 0.1);

        // Nothing far in the future is finished.
        Assert.DoesNotContain(tasks, t => t.Draft.Due.Date > AsOf.PlusDays(60) && t.Status == WorkStatus.Done);

        var status = tasks.ToDictionary(t => t.Id, t => t.Status);
        Assert.All(tasks.Where(t => t.Status == WorkStatus.Done), t =>
            Assert.All(t.Draft.DependsOn!, d => Assert.True(status[d] is WorkStatus.Done or WorkStatus.Cancelled, $"{t.Id} is done before {d}")));
        Assert.All(tasks.Where(t => t.Status is WorkStatus.Blocked or WorkStatus.Cancelled), t => Assert.False(string.IsNullOrWhiteSpace(t.StatusNote)));
        Assert.All(tasks, t => Assert.Equal(t.Status switch
        {
            WorkStatus.Done => 100,
            WorkStatus.NotStarted or WorkStatus.Cancelled => 0,
            _ => t.PercentComplete,
        }, t.PercentComplete));
    }

    [Fact]
    public void Every_code_and_text_fits_the_validation_limits()
    {
        var codes = new[] { Plan.SummitCode }
            .Concat(Plan.Tasks.Select(t => t.Id))
            .Concat(Plan.Counties.Select(c => c.Code))
            .Concat(Plan.Counties.SelectMany(c => c.SubEvents).Select(e => e.Id))
            .Concat(Plan.SubForums.Select(f => f.Id))
            .Concat(Plan.Projects.Select(p => p.Id))
            .Concat(Plan.Universities.Select(u => u.Code))
            .Concat(Plan.Tasks.Select(t => t.Draft.Owner.Code));
        Assert.All(codes, code => Assert.True(FieldErrors.IsCode(code), $"'{code}' is not a code"));

        var texts = Plan.Tasks.Select(t => t.Draft.Title)
            .Concat(Plan.Counties.SelectMany(c => c.SubEvents).Select(e => e.Draft.Title))
            .Concat(Plan.SubForums.Select(f => f.Draft.Theme))
            .Concat(Plan.Projects.Select(p => p.Draft.Title));
        Assert.All(texts, text => Assert.InRange(text.Length, 1, 200));
        Assert.All(Plan.Tasks.Select(t => t.Draft.Note).Concat(Plan.Tasks.Select(t => t.StatusNote)).OfType<string>(),
            note => Assert.True(note.Length <= 2000));
    }
}
