using Summit.Domain;
using Summit.Grains;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.DemoData;

[Collection("cluster")]
public sealed class DemoDataSeederTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static DemoDataOptions Options(int tasks) => new()
    {
        SummitCode = $"demo-{Guid.NewGuid():N}"[..20],
        Tasks = tasks,
        Seed = 11,
    };

    [Fact]
    public async Task Seeds_a_small_plan_once_and_a_second_run_changes_nothing()
    {
        var options = Options(60);
        var seeder = new DemoDataSeeder();

        var result = await seeder.SeedAsync(Grains, options, CancellationToken.None);

        var plan = DemoDataGenerator.Generate(options);
        Assert.False(result.Skipped);
        Assert.Equal((4, 12, plan.SubEventCount, plan.SubForums.Count, plan.Projects.Count, 60),
            (result.Universities, result.Counties, result.SubEvents, result.SubForums, result.Projects, result.Tasks));

        var code = options.SummitCode;
        Assert.Contains(code, await Catalog.ListSummitsAsync(Grains));
        Assert.Equal(plan.Tasks.Select(t => t.Id).Order(StringComparer.Ordinal), await Catalog.ListAsync(Grains, code, EntityKind.Task));
        Assert.Equal(12, (await Catalog.ListAsync(Grains, code, EntityKind.County)).Count);
        Assert.Equal(4, (await Catalog.ListAsync(Grains, code, EntityKind.University)).Count);
        Assert.Equal(plan.SubForums.Count, (await Catalog.ListAsync(Grains, code, EntityKind.SubForum)).Count);
        Assert.Equal(plan.Projects.Count, (await Catalog.ListAsync(Grains, code, EntityKind.Project)).Count);

        var summit = await Grains.GetGrain<ISummitGrain>(code).Get();
        Assert.Equal("2020世界青年科学家峰会", summit!.Name);
        Assert.Equal("system:seed", summit.UpdatedBy);

        var tasks = await Task.WhenAll(plan.Tasks.Select(t => Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(code, t.Id)).Get()));
        for (var i = 0; i < plan.Tasks.Count; i++)
        {
            var expected = plan.Tasks[i];
            var stored = tasks[i]!;
            Assert.Equal(expected.Draft.Title, stored.Title);
            Assert.Equal(expected.Status, stored.Status);
            Assert.Equal(expected.PercentComplete, stored.PercentComplete);
            Assert.Equal(expected.Draft.DependsOn, stored.DependsOn);
        }

        var pingyang = await Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(code, "pingyang")).Get();
        var pingyangPlan = plan.Counties.Single(c => c.Code == "pingyang");
        Assert.Equal(pingyangPlan.SubEvents.Select(e => (e.Id, e.Status)), pingyang!.SubEvents.Select(e => (e.Id, e.Status)));

        var autoParts = await Grains.GetGrain<ICooperationProjectGrain>(GrainKeys.Of(code, "ruian-auto-parts")).Get();
        Assert.Equal(ProjectStage.Signed, autoParts!.Stage);
        Assert.Equal(new NodaTime.LocalDate(2020, 4, 17), autoParts.SigningDate);

        // The alliances and finalists, moved through their pipelines: 7 of 10 signed, 60 of 80 confirmed.
        Assert.Equal(10, (await Catalog.ListAsync(Grains, code, EntityKind.Alliance)).Count);
        var finalistIds = await Catalog.ListAsync(Grains, code, EntityKind.Finalist);
        Assert.Equal(80, finalistIds.Count);
        var alliances = await Task.WhenAll(DemoOutcomes.Alliances().Select(a => Grains.GetGrain<IInnovationAllianceGrain>(GrainKeys.Of(code, a.Id)).Get()));
        Assert.Equal(7, alliances.Count(a => a!.Status == AllianceStatus.Signed));
        Assert.All(alliances, a => Assert.Equal("system:seed", a!.UpdatedBy));
        var pumpValve = await Grains.GetGrain<IInnovationAllianceGrain>(GrainKeys.Of(code, "pumpvalve")).GetHistory();
        Assert.Equal(3, pumpValve.Count);
        var finalists = await Task.WhenAll(finalistIds.Select(id => Grains.GetGrain<IStartupFinalistGrain>(GrainKeys.Of(code, id)).Get()));
        Assert.Equal(60, finalists.Count(f => f!.Status == FinalistStatus.Confirmed));
        Assert.Equal(15, finalists.Count(f => f!.Status == FinalistStatus.Nominated));
        Assert.All(finalists, f => Assert.Equal("startup-world-cup", f!.SubForum));

        var wmu = await Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(code, "wmu")).Get();
        Assert.Contains("health-regenerative", wmu!.HostedSubForums);

        // Seeding again finds the summit and writes nothing.
        var versions = tasks.Select(t => t!.Version).ToArray();
        var again = await seeder.SeedAsync(Grains, options, CancellationToken.None);
        Assert.True(again.Skipped);
        Assert.Equal(0, again.Tasks);
        Assert.Equal(60, (await Catalog.ListAsync(Grains, code, EntityKind.Task)).Count);
        var after = await Task.WhenAll(plan.Tasks.Select(t => Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(code, t.Id)).Get()));
        Assert.Equal(versions, after.Select(t => t!.Version));
        Assert.Equal(1, (await Grains.GetGrain<ISummitGrain>(code).Get())!.Version);
    }

    [Fact]
    public async Task Seeds_a_larger_plan_with_prerequisites_created_first_under_parallelism()
    {
        var options = Options(1_500);
        options.Parallelism = 64;

        var result = await new DemoDataSeeder().SeedAsync(Grains, options, CancellationToken.None);

        Assert.Equal(1_500, result.Tasks);
        Assert.Equal(1_500, (await Catalog.ListAsync(Grains, options.SummitCode, EntityKind.Task)).Count);
    }

    [Fact]
    public async Task Two_seeders_racing_for_one_summit_seed_it_once()
    {
        var options = Options(40);
        var results = await Task.WhenAll(
            new DemoDataSeeder().SeedAsync(Grains, options, CancellationToken.None),
            new DemoDataSeeder().SeedAsync(Grains, options, CancellationToken.None));

        Assert.Single(results, r => !r.Skipped);
        Assert.Equal(40, (await Catalog.ListAsync(Grains, options.SummitCode, EntityKind.Task)).Count);
    }
}
