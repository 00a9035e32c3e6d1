using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class UniversityRulesTests
{
    private static readonly UniversityDraft Draft = new("温州医科大学 Wenzhou Medical University", "Office of Science and Technology");

    private static PartnerUniversity Create() => UniversityRules.Create("wyss-2020", "wmu", Draft, Secretariat, Now).Entity;

    [Fact]
    public void Fields_are_checked()
    {
        Invalid(() => UniversityRules.Create("wyss-2020", "WMU", Draft, Secretariat, Now), "code");
        Invalid(() => UniversityRules.Create("wyss-2020", "wmu", Draft with { Name = "" }, Secretariat, Now), "name");
        Invalid(() => UniversityRules.Create("wyss-2020", "wmu", Draft with { ContactUnit = new string('x', 201) }, Secretariat, Now), "contactUnit");
        Invalid(() => UniversityRules.Create("wyss-2020", "wmu", Draft with { Engagement = (EngagementStatus)8 }, Secretariat, Now), "engagement");
        Invalid(() => UniversityRules.Apply(Create(), new UniversityChange(Note: new string('n', 2001)), Secretariat, Later), "note");
    }

    [Fact]
    public void Engagement_may_move_freely()
    {
        var withdrawn = UniversityRules.Apply(Create(), new UniversityChange(Engagement: EngagementStatus.Withdrawn), Secretariat, Later);
        Assert.Equal([new FieldChange("engagement", "Contacted", "Withdrawn")], withdrawn.Changes);
        var back = UniversityRules.Apply(withdrawn.Entity, new UniversityChange(Engagement: EngagementStatus.Committed), Secretariat, Later);
        Assert.Equal(3, back.Entity.Version);
    }

    [Fact]
    public void Links_are_sorted_idempotent_and_leave_the_version_alone()
    {
        var university = Create();
        var one = UniversityRules.Link(university, EntityKind.SubForum, "health-2", true);
        var two = UniversityRules.Link(one, EntityKind.SubForum, "health-1", true);

        Assert.Equal(["health-1", "health-2"], two.HostedSubForums);
        Assert.Equal(1, two.Version);
        Assert.Same(two, UniversityRules.Link(two, EntityKind.SubForum, "health-1", true));
        Assert.Same(two, UniversityRules.Link(two, EntityKind.Project, "p-1", false));
        Assert.Equal(["health-2"], UniversityRules.Link(two, EntityKind.SubForum, "health-1", false).HostedSubForums);
        Assert.Equal(["p-1"], UniversityRules.Link(two, EntityKind.Project, "p-1", true).LinkedProjects);
        Assert.Throws<ArgumentOutOfRangeException>(() => UniversityRules.Link(two, EntityKind.Task, "t-1", true));
    }
}
