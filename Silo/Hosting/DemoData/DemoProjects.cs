using Summit.Data.Demo;
using Summit.Domain;

namespace Summit.Hosting.DemoData;

/// <summary>The two cooperation projects the 2020 newsletter names.</summary>
public static class DemoProjects
{
    private static readonly NodaTime.LocalDate OnlineSigningDate = DemoReference.OnlineSigningDate;

    // Partners and signing date are from the newsletter; the enterprise counts are illustrative.
    public static ProjectPlan PumpValveProject() => new("pumpvalve-composites", new ProjectDraft(
        "科技经济融合（泵阀产业）学会产业联合体",
        "泵阀",
        [
            new("中国复合材料学会", PartnerKind.NationalSociety),
            new("温州系统流程装备科学研究院", PartnerKind.Institute),
            new("浙江省泵阀行业协会", PartnerKind.Association),
        ],
        County: null,
        Universities: [],
        EnterprisesInvolved: 12,
        Stage: ProjectStage.Signed,
        SigningDate: OnlineSigningDate));

    public static ProjectPlan RuianAutoPartsProject() => new("ruian-auto-parts", new ProjectDraft(
        "瑞安汽车零部件产业协同创新联合体",
        "汽车零部件",
        [
            new("中国汽车工程学会", PartnerKind.NationalSociety),
            new("北航浙江新能源汽车研究院", PartnerKind.Institute),
            new("浙江省瑞安经济开发区", PartnerKind.Government),
        ],
        County: "ruian",
        Universities: [],
        EnterprisesInvolved: 18,
        Stage: ProjectStage.Signed,
        SigningDate: OnlineSigningDate));
}
