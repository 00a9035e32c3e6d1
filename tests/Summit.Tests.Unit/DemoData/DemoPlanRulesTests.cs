using NodaTime;
using Summit.Domain;
using Summit.Hosting.DemoData;
using Summit.Data.Demo;
using Summit.Rules;

namespace Summit.Tests.DemoData;

/// <summary>Replays a plan through the domain rules exactly as the seeder will, without a cluster.</summary>
public sealed class DemoPlanRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly Actor Seed = DemoDataSeeder.SeedActor;

    [Theory]
    [InlineData(2020, 1_000)]
    [InlineData(31, 400)]
    public void Every_create_and_step_the_seeder_makes_passes_the_rules(int seed, int tasks)
    {
        var plan = DemoDataGenerator.Generate(new DemoDataOptions { Seed = seed, Tasks = tasks });
        var code = plan.SummitCode;
        var summit = SummitRules.Create(code, plan.Summit, Seed, Now).Entity;

        foreach (var university in plan.Universities)
            Assert.Equal(university.Draft.Engagement, UniversityRules.Create(code, university.Code, university.Draft, Seed, Now).Entity.Engagement);

        foreach (var county in plan.Counties)
        {
            var venue = CountyRules.Create(code, county.Code, county.Draft, Seed, Now).Entity;
            foreach (var subEvent in county.SubEvents)
            {
                venue = CountyRules.AddSubEvent(venue, subEvent.Id, subEvent.Draft, summit, Seed, Now).Entity;
                foreach (var change in DemoDataSeeder.SubEventSteps(subEvent))
                    venue = CountyRules.ApplySubEvent(venue, subEvent.Id, change, summit, Seed, Now).Entity;
                var stored = venue.SubEvents.Single(e => e.Id == subEvent.Id);
                Assert.Equal(subEvent.Status, stored.Status);
                if (subEvent.Status != SubEventStatus.Cancelled)
                    Assert.Equal(subEvent.Checklist.OrderBy(c => c.Key), stored.Checklist.OrderBy(c => c.Key));
            }
        }

        foreach (var forum in plan.SubForums)
        {
            var stored = SubForumRules.Create(code, forum.Id, forum.Draft, summit, Seed, Now).Entity;
            foreach (var change in DemoDataSeeder.SubForumSteps(forum)) stored = SubForumRules.Apply(stored, change, summit, Seed, Now).Entity;
            Assert.Equal(forum.Status, stored.Status);
        }

        foreach (var project in plan.Projects)
        {
            var stored = ProjectRules.Create(code, project.Id, DemoDataSeeder.InitialDraft(project), summit, Seed, Now).Entity;
            Assert.Equal(ProjectStage.Identified, stored.Stage);
            foreach (var change in DemoDataSeeder.ProjectSteps(project)) stored = ProjectRules.Apply(stored, change, summit, Seed, Now).Entity;
            Assert.Equal(project.Draft.Stage, stored.Stage);
            Assert.Equal(project.Draft.SigningDate, stored.SigningDate);
        }

        foreach (var task in plan.Tasks)
        {
            var stored = TaskRules.Create(code, task.Id, task.Draft, summit, Seed, Now).Entity;
            if (DemoDataSeeder.TaskStep(task) is { } change) stored = TaskRules.Apply(stored, change, summit, Seed, Now).Entity;
            Assert.Equal(task.Status, stored.Status);
            Assert.Equal(task.PercentComplete, stored.PercentComplete);
        }
    }
}
