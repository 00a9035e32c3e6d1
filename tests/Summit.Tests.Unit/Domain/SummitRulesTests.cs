using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class SummitRulesTests
{
    [Fact]
    public void Create_starts_at_version_one_and_records_every_field()
    {
        var result = SummitRules.Create("wyss-2020", EditionDraft, Secretariat, Now);

        Assert.Equal(1, result.Entity.Version);
        Assert.Equal(Now, result.Entity.UpdatedAt);
        Assert.Equal("secretariat", result.Entity.UpdatedBy);
        Assert.Contains(new FieldChange("openingDate", null, "2020-11-17"), result.Changes);
        Assert.Contains(new FieldChange("targets.startupFinalists", null, "75"), result.Changes);
        Assert.Contains(new FieldChange("timeZone", null, "Asia/Shanghai"), result.Changes);
    }

    [Theory]
    [InlineData("Wyss 2020")]
    [InlineData("")]
    [InlineData("a/b")]
    public void Code_must_be_a_code(string code) => Invalid(() => SummitRules.Create(code, EditionDraft, Secretariat, Now), "code");

    [Fact]
    public void Name_and_city_are_required_and_bounded()
    {
        Invalid(() => SummitRules.Create("s", EditionDraft with { Name = " " }, Secretariat, Now), "name");
        Invalid(() => SummitRules.Create("s", EditionDraft with { Name = new string('x', 201) }, Secretariat, Now), "name");
        Invalid(() => SummitRules.Create("s", EditionDraft with { City = new string('x', 101) }, Secretariat, Now), "city");
    }

    [Fact]
    public void Opening_must_not_follow_closing()
    {
        var draft = EditionDraft with { OpeningDate = new LocalDate(2020, 11, 20) };
        Invalid(() => SummitRules.Create("s", draft, Secretariat, Now), "closingDate");
        // A one-day summit is fine.
        SummitRules.Create("s", EditionDraft with { ClosingDate = EditionDraft.OpeningDate }, Secretariat, Now);
    }

    [Fact]
    public void Preparation_must_start_before_opening()
    {
        Invalid(() => SummitRules.Create("s", EditionDraft with { PreparationStart = EditionDraft.OpeningDate }, Secretariat, Now), "preparationStart");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("asia/shanghai")]
    public void Time_zone_must_be_a_tzdb_id(string zone) =>
        Invalid(() => SummitRules.Create("s", EditionDraft with { TimeZone = zone }, Secretariat, Now), "timeZone");

    [Fact]
    public void Mode_must_be_defined() =>
        Invalid(() => SummitRules.Create("s", EditionDraft with { Mode = (SummitMode)9 }, Secretariat, Now), "mode");

    [Fact]
    public void Targets_are_bounded()
    {
        var error = Invalid(() => SummitRules.Create("s", EditionDraft with { Targets = new SummitTargets(-1, 0, 1_000_001, 1_000_000) }, Secretariat, Now),
            "targets.innovationAlliances");
        Assert.Equal(["targets.enterprises", "targets.innovationAlliances"], error.Errors.Keys.Order());
        Invalid(() => SummitRules.Create("s", EditionDraft with { Targets = null! }, Secretariat, Now), "targets");
    }

    [Fact]
    public void Update_bumps_version_and_lists_changes()
    {
        var result = SummitRules.Update(Edition, EditionDraft with { Name = "Summit 2021", City = "Wenzhou" }, Pingyang, Later);

        Assert.True(result.IsNewVersion);
        Assert.Equal(2, result.Entity.Version);
        Assert.Equal(Later, result.Entity.UpdatedAt);
        Assert.Equal("county-pingyang", result.Entity.UpdatedBy);
        Assert.Equal([new FieldChange("name", EditionDraft.Name, "Summit 2021"), new FieldChange("city", "温州", "Wenzhou")], result.Changes);
    }

    [Fact]
    public void Update_refuses_a_mode_change_and_points_at_the_plan_switch()
    {
        var error = Invalid(() => SummitRules.Update(Edition, EditionDraft with { Mode = SummitMode.Online, City = "Wenzhou" }, Secretariat, Later), "mode");

        Assert.Contains("/mode", error.Errors["mode"][0]);
        Assert.Equal(["mode"], error.Errors.Keys);
        var switched = SummitRules.SwitchMode(Edition, SummitMode.Online, "typhoon warning", Secretariat, Later);
        Assert.Equal(SummitMode.Online, switched.Entity.Mode);
    }

    [Fact]
    public void The_mode_keeps_when_it_took_effect_from_creation_through_a_switch_and_later_edits()
    {
        var created = SummitRules.Create("wyss-2021", EditionDraft, Secretariat, Now).Entity;
        Assert.Equal(Now, created.ModeSince);

        var switched = SummitRules.SwitchMode(created, SummitMode.Online, "typhoon warning", Secretariat, Later).Entity;
        Assert.Equal(Later, switched.ModeSince);
        // Switching to the mode already in force changes nothing, not even since when.
        Assert.Equal(Later, SummitRules.SwitchMode(switched, SummitMode.Online, "again", Secretariat, Later + Duration.FromHours(1)).Entity.ModeSince);
        // Redefining the summit keeps it.
        var edited = SummitRules.Update(switched, EditionDraft with { Mode = SummitMode.Online, City = "Wenzhou" }, Secretariat, Later + Duration.FromHours(3)).Entity;
        Assert.Equal("Wenzhou", edited.City);
        Assert.Equal(Later, edited.ModeSince);
    }

    [Fact]
    public void Update_with_the_same_definition_is_not_a_new_version()
    {
        var result = SummitRules.Update(Edition, EditionDraft with { Name = $"  {EditionDraft.Name} " }, Secretariat, Later);

        Assert.False(result.IsNewVersion);
        Assert.Same(Edition, result.Entity);
        Assert.Empty(result.Changes);
    }
}
