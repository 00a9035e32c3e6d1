using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class ProjectRulesTests
{
    private static readonly ProjectDraft Draft = new(
        "泵阀产业 pump and valve composite materials body",
        "pump and valve",
        [
            new Partner("Chinese Society for Composite Materials", PartnerKind.NationalSociety),
            new Partner("Wenzhou process-equipment research institute", PartnerKind.Institute),
            new Partner("Zhejiang pump & valve association", PartnerKind.Association),
        ],
        County: "longwan",
        Universities: ["wzu"],
        EnterprisesInvolved: 12,
        Stage: ProjectStage.ReadyToSign);

    private static CooperationProject Create(ProjectDraft? draft = null) =>
        ProjectRules.Create("wyss-2020", "pump-valve", draft ?? Draft, Edition, Secretariat, Now).Entity;

    private static ChangeResult<CooperationProject> Apply(CooperationProject project, ProjectChange change) =>
        ProjectRules.Apply(project, change, Edition, Secretariat, Later);

    [Fact]
    public void Create_keeps_the_given_stage()
    {
        var project = Create();
        Assert.Equal((ProjectStage.ReadyToSign, 1, 3), (project.Stage, project.Version, project.Partners.Count));
    }

    [Fact]
    public void Text_counts_and_codes_are_checked()
    {
        Invalid(() => Create(Draft with { Title = "" }), "title");
        Invalid(() => Create(Draft with { Industry = new string('x', 101) }), "industry");
        Invalid(() => Create(Draft with { County = "Long Wan" }), "county");
        Invalid(() => Create(Draft with { EnterprisesInvolved = -1 }), "enterprisesInvolved");
        Invalid(() => Create(Draft with { Stage = (ProjectStage)12 }), "stage");
        Invalid(() => Create(Draft with { Universities = ["wzu", "WMU"] }), "universities[1]");
        Invalid(() => Create(Draft with { Universities = ["wzu", "wzu"] }), "universities");
        Invalid(() => Create(Draft with { Partners = Enumerable.Range(0, 51).Select(i => new Partner($"P{i}", PartnerKind.Enterprise)).ToArray() }), "partners");
        var error = Invalid(() => Create(Draft with { Partners = [new Partner("ok", PartnerKind.Enterprise), new Partner(" ", (PartnerKind)30)] }), "partners[1].name");
        Assert.True(error.Errors.ContainsKey("partners[1].kind"));
    }

    [Fact]
    public void Signed_and_landed_need_a_signing_date()
    {
        Invalid(() => Create(Draft with { Stage = ProjectStage.Signed }), "signingDate");
        var project = Create();
        Invalid(() => Apply(project, new ProjectChange(Stage: ProjectStage.Signed)), "signingDate");

        var signed = Apply(project, new ProjectChange(Stage: ProjectStage.Signed, SigningDate: new LocalDate(2020, 4, 17)));
        Assert.Equal(
            [new FieldChange("stage", "ReadyToSign", "Signed"), new FieldChange("signingDate", null, "2020-04-17")],
            signed.Changes);
    }

    [Fact]
    public void Signing_date_must_be_inside_the_preparation_window()
    {
        Invalid(() => Create(Draft with { SigningDate = new LocalDate(2020, 3, 17) }), "signingDate");
        Invalid(() => Apply(Create(), new ProjectChange(SigningDate: new LocalDate(2021, 4, 17))), "signingDate");
    }

    [Fact]
    public void Stage_moves_one_step_at_a_time()
    {
        var error = Invalid(() => Apply(Create(Draft with { Stage = ProjectStage.Identified }), new ProjectChange(Stage: ProjectStage.Negotiating)), "stage");
        Assert.Contains("allowed next: Matched", Message(error, "stage"));
    }

    [Fact]
    public void Partner_and_university_lists_are_recorded_when_they_change()
    {
        var result = Apply(Create(), new ProjectChange(Universities: ["wzu", "wmu"], County: ""));
        Assert.Equal(
            [new FieldChange("county", "longwan", null), new FieldChange("universities", "wzu", "wzu, wmu")],
            result.Changes);
        Assert.False(Apply(Create(), new ProjectChange(Partners: Draft.Partners.ToList(), Universities: ["wzu"])).IsNewVersion);
    }
}
