using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

/// <summary>The rules and status pipelines of innovation alliances and Startup World Cup finalists.</summary>
public class OutcomeRulesTests
{
    private static readonly AllianceDraft AllianceDraft = new(
        "泵阀产业产学研用协同创新联盟", "泵阀", OwningUnit.County("longwan"), "Pump and Valve Innovation Alliance",
        ["中国复合材料学会", "浙江省泵阀行业协会"], ["超达阀门集团股份有限公司"]);

    private static readonly FinalistDraft FinalistDraft = new("智能助听眼镜", "陈思远团队", "温州医科大学", "中国", "生命健康", SubForum: "startup-world-cup");

    private static InnovationAlliance Alliance(AllianceDraft? draft = null) =>
        AllianceRules.Create("wyss-2020", "pumpvalve", draft ?? AllianceDraft, Edition, Secretariat, Now).Entity;

    private static StartupFinalist Finalist(FinalistDraft? draft = null) =>
        FinalistRules.Create("wyss-2020", "swc-001", draft ?? FinalistDraft, Secretariat, Now).Entity;

    private static ChangeResult<InnovationAlliance> Apply(InnovationAlliance alliance, AllianceChange change) =>
        AllianceRules.Apply(alliance, change, Edition, Secretariat, Later);

    [Fact]
    public void An_alliance_starts_proposed_trimmed_and_counts_only_once_signed()
    {
        var alliance = Alliance(AllianceDraft with { Name = "  泵阀联盟 ", MemberUnits = [" 中国复合材料学会 "], NameEn = " " });
        Assert.Equal((AllianceStatus.Proposed, 1, "泵阀联盟", "中国复合材料学会", null), (alliance.Status, alliance.Version, alliance.Name, alliance.MemberUnits[0], alliance.NameEn));
        Assert.False(AllianceRules.Counts(alliance));

        var forming = Apply(alliance, new AllianceChange(Status: AllianceStatus.Forming)).Entity;
        Assert.False(AllianceRules.Counts(forming));
        var signed = Apply(forming, new AllianceChange(Status: AllianceStatus.Signed, SigningDate: June(9)));
        Assert.True(AllianceRules.Counts(signed.Entity));
        Assert.Equal(3, signed.Entity.Version);
        Assert.Contains(new FieldChange("status", "Forming", "Signed"), signed.Changes);
        Assert.Contains(new FieldChange("signingDate", null, "2020-06-09"), signed.Changes);
        Assert.False(AllianceRules.Counts(Apply(signed.Entity, new AllianceChange(Status: AllianceStatus.Forming)).Entity));
    }

    [Theory]
    [InlineData(AllianceStatus.Proposed, AllianceStatus.Forming, true)]
    [InlineData(AllianceStatus.Proposed, AllianceStatus.Cancelled, true)]
    [InlineData(AllianceStatus.Proposed, AllianceStatus.Signed, false)]
    [InlineData(AllianceStatus.Forming, AllianceStatus.Signed, true)]
    [InlineData(AllianceStatus.Forming, AllianceStatus.Proposed, true)]
    [InlineData(AllianceStatus.Signed, AllianceStatus.Forming, true)]
    [InlineData(AllianceStatus.Signed, AllianceStatus.Cancelled, false)]
    [InlineData(AllianceStatus.Signed, AllianceStatus.Proposed, false)]
    [InlineData(AllianceStatus.Cancelled, AllianceStatus.Proposed, true)]
    [InlineData(AllianceStatus.Cancelled, AllianceStatus.Signed, false)]
    public void Alliance_statuses_move_as_the_pipeline_allows(AllianceStatus from, AllianceStatus to, bool allowed)
    {
        Assert.Equal(allowed, Transitions.Next(from).Contains(to));
        var alliance = Alliance(AllianceDraft with { Status = from, SigningDate = June(1) });
        var change = new AllianceChange(Status: to);
        if (allowed) Assert.Equal(to, Apply(alliance, change).Entity.Status);
        else Assert.Contains("cannot move from", Message(Invalid(() => Apply(alliance, change), "status"), "status"));
    }

    [Fact]
    public void An_alliance_checks_its_fields()
    {
        Invalid(() => Alliance(AllianceDraft with { Name = " " }), "name");
        Invalid(() => Alliance(AllianceDraft with { Name = new string('联', 101) }), "name");
        Invalid(() => Alliance(AllianceDraft with { NameEn = new string('x', 201) }), "nameEn");
        Invalid(() => Alliance(AllianceDraft with { Field = "" }), "field");
        Invalid(() => Alliance(AllianceDraft with { LeadUnit = null! }), "leadUnit");
        Invalid(() => Alliance(AllianceDraft with { LeadUnit = new OwningUnit((UnitKind)9, "x") }), "leadUnit.kind");
        Invalid(() => Alliance(AllianceDraft with { LeadUnit = OwningUnit.County("Long Wan") }), "leadUnit.code");
        Invalid(() => Alliance(AllianceDraft with { MemberUnits = ["甲", " 甲 "] }), "memberUnits");
        Invalid(() => Alliance(AllianceDraft with { MemberEnterprises = ["甲", ""] }), "memberEnterprises[1]");
        Invalid(() => Alliance(AllianceDraft with { MemberEnterprises = Enumerable.Range(0, 501).Select(i => $"企业{i}").ToArray() }), "memberEnterprises");
        Invalid(() => Alliance(AllianceDraft with { Status = (AllianceStatus)7 }), "status");
        Assert.Contains("Signed", Message(Invalid(() => Alliance(AllianceDraft with { Status = AllianceStatus.Signed }), "signingDate"), "signingDate"));
        Invalid(() => Alliance(AllianceDraft with { Status = AllianceStatus.Signed, SigningDate = new LocalDate(2020, 3, 31) }), "signingDate");
        Invalid(() => AllianceRules.Create("wyss-2020", "Bad Id", AllianceDraft, Edition, Secretariat, Now), "id");
        Invalid(() => Apply(Alliance(), new AllianceChange(Note: new string('x', 2001))), "note");
    }

    [Fact]
    public void An_unchanged_alliance_keeps_its_version_and_a_signed_one_keeps_its_date()
    {
        var alliance = Alliance();
        Assert.False(Apply(alliance, new AllianceChange(Name: alliance.Name)).IsNewVersion);
        var signed = Alliance(AllianceDraft with { Status = AllianceStatus.Signed, SigningDate = June(2) });
        // Clearing the date is not possible while signed; moving the date is.
        Assert.Equal(June(5), Apply(signed, new AllianceChange(SigningDate: June(5))).Entity.SigningDate);
        Assert.Equal("Pump and Valve Innovation Alliance", signed.NameEn);
        Assert.Null(Apply(signed, new AllianceChange(NameEn: "")).Entity.NameEn);
    }

    [Theory]
    [InlineData(FinalistStatus.Nominated, FinalistStatus.Confirmed, true)]
    [InlineData(FinalistStatus.Nominated, FinalistStatus.Withdrawn, true)]
    [InlineData(FinalistStatus.Confirmed, FinalistStatus.Withdrawn, true)]
    [InlineData(FinalistStatus.Confirmed, FinalistStatus.Nominated, true)]
    [InlineData(FinalistStatus.Withdrawn, FinalistStatus.Nominated, true)]
    [InlineData(FinalistStatus.Withdrawn, FinalistStatus.Confirmed, false)]
    public void Finalist_statuses_move_as_the_pipeline_allows(FinalistStatus from, FinalistStatus to, bool allowed)
    {
        Assert.Equal(allowed, Transitions.Next(from).Contains(to));
        var finalist = Finalist(FinalistDraft with { Status = from });
        var change = new FinalistChange(Status: to);
        if (allowed) Assert.Equal(to, FinalistRules.Apply(finalist, change, Secretariat, Later).Entity.Status);
        else Invalid(() => FinalistRules.Apply(finalist, change, Secretariat, Later), "status");
    }

    [Fact]
    public void A_finalist_counts_only_when_confirmed_and_checks_its_fields()
    {
        var finalist = Finalist();
        Assert.Equal((FinalistStatus.Nominated, "startup-world-cup"), (finalist.Status, finalist.SubForum));
        Assert.False(FinalistRules.Counts(finalist));
        var confirmed = FinalistRules.Apply(finalist, new FinalistChange(Status: FinalistStatus.Confirmed), Secretariat, Later);
        Assert.True(FinalistRules.Counts(confirmed.Entity));
        Assert.Equal([new FieldChange("status", "Nominated", "Confirmed")], confirmed.Changes);
        Assert.False(FinalistRules.Counts(FinalistRules.Apply(confirmed.Entity, new FinalistChange(Status: FinalistStatus.Withdrawn), Secretariat, Later).Entity));
        Assert.Null(FinalistRules.Apply(finalist, new FinalistChange(SubForum: " "), Secretariat, Later).Entity.SubForum);

        Invalid(() => Finalist(FinalistDraft with { ProjectName = "" }), "projectName");
        Invalid(() => Finalist(FinalistDraft with { Team = new string('x', 201) }), "team");
        Invalid(() => Finalist(FinalistDraft with { University = " " }), "university");
        Invalid(() => Finalist(FinalistDraft with { Country = "" }), "country");
        Invalid(() => Finalist(FinalistDraft with { Track = new string('x', 51) }), "track");
        Invalid(() => Finalist(FinalistDraft with { SubForum = "Not A Code" }), "subForum");
        Invalid(() => Finalist(FinalistDraft with { Status = (FinalistStatus)5 }), "status");
        Invalid(() => FinalistRules.Apply(finalist, new FinalistChange(Track: "\u0001"), Secretariat, Later), "track");
    }
}
