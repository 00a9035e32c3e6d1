using NodaTime;
using Summit.Domain;

namespace Summit.Data.Demo;

/// <summary>
/// The real names, places and dates of the 2020 World Young Scientists Summit that the demo plan is built on
/// (see shared/DOMAIN.md and the 2020 newsletters it summarises).
/// </summary>
public static class DemoReference
{
    public const string SummitName = "2020世界青年科学家峰会";
    public const string City = "温州";
    public const string TimeZone = "Asia/Shanghai";

    public static readonly LocalDate PreparationStart = new(2020, 4, 1);

    // The newsletters do not give the summit's dates; public reports of the event put it on 18-19 October 2020
    // (press conference on 13 October).
    public static readonly LocalDate OpeningDate = new(2020, 10, 18);
    public static readonly LocalDate ClosingDate = new(2020, 10, 19);

    /// <summary>The demo clock's starting point: mid-June 2020, in the thick of preparation.</summary>
    public static readonly LocalDateTime AsOf = new(2020, 6, 10, 9, 0);

    /// <summary>The two Wenzhou projects signed at the China Association for Science and Technology's online ceremony.</summary>
    public static readonly LocalDate OnlineSigningDate = new(2020, 4, 17);

    public static SummitDraft Wyss2020() => new(
        SummitName, City, OpeningDate, ClosingDate, TimeZone, SummitMode.Hybrid, SummitTargets.Wyss2020, PreparationStart);

    /// <param name="Short">The name without 区/市/县, as used in event titles.</param>
    /// <param name="Industry">The local industry the county's sub-events and projects revolve around.</param>
    /// <param name="InspectedOn">
    /// The city association's latest inspection of its sub-event preparation before <see cref="AsOf"/>: the 15-16 April
    /// tour of Wencheng, Cangnan, Longgang, Pingyang and Ruian, and the 3 June visit to the Pingyang sub-venue.
    /// </param>
    public sealed record County(string Code, string Name, string Short, string Venue, string Industry, LocalDate? InspectedOn = null);

    /// <summary>All twelve counties and districts of Wenzhou, in the city's usual order.</summary>
    public static readonly IReadOnlyList<County> Counties =
    [
        new("lucheng", "鹿城区", "鹿城", "鹿城区院士之家", "鞋革"),
        new("longwan", "龙湾区", "龙湾", "温州高新区科创园", "新材料"),
        new("ouhai", "瓯海区", "瓯海", "瓯海区院士之家", "服装"),
        new("dongtou", "洞头区", "洞头", "洞头区会议中心", "海洋经济"),
        new("yueqing", "乐清市", "乐清", "乐清市院士之家", "电气"),
        new("ruian", "瑞安市", "瑞安", "瑞安经济开发区", "汽车零部件", new(2020, 4, 16)),
        new("yongjia", "永嘉县", "永嘉", "永嘉县科技会堂", "泵阀"),
        new("wencheng", "文成县", "文成", "文成县会议中心", "生态康养", new(2020, 4, 16)),
        new("pingyang", "平阳县", "平阳", "平阳分会场（平阳县科技馆）", "食品", new(2020, 6, 3)),
        new("taishun", "泰顺县", "泰顺", "泰顺县会议中心", "茶产业"),
        new("cangnan", "苍南县", "苍南", "苍南县科技馆", "仪器仪表", new(2020, 4, 16)),
        new("longgang", "龙港市", "龙港", "龙港市民中心", "印刷包装", new(2020, 4, 16)),
    ];

    /// <summary>The county that hosts the summit's sub-venue (分会场).</summary>
    public const string SubVenueCounty = "pingyang";

    public sealed record University(string Code, string Name, string ContactUnit, EngagementStatus Engagement, string Campus);

    /// <summary>Engagement as of mid-June: the medical university has committed the health block; the college of science and technology is first visited on 17 June.</summary>
    public static readonly IReadOnlyList<University> Universities =
    [
        new("wmu", "温州医科大学", "国际合作处", EngagementStatus.Committed, "温州医科大学茶山校区"),
        new("wzu", "温州大学", "科学技术处", EngagementStatus.Engaged, "温州大学茶山校区"),
        new("wzpt", "温州职业技术学院", "科研处", EngagementStatus.Engaged, "温州职业技术学院新校区"),
        new("wzvcst", "温州科技职业学院", "科研处", EngagementStatus.Contacted, "温州科技职业学院"),
    ];

    /// <summary>A registered organisation of the demo: under a county or university (<paramref name="Parent"/>) or at the city level.</summary>
    public sealed record Organization(string Code, string Name, OrganizationCategory Category, OwningUnit? Parent);

    /// <summary>
    /// The organisations the demo registers: Pingyang's science association, a school and a town government (it forwards
    /// the Workers Day notice to them), Ruian's science association, a hospital of the medical university, and a
    /// city-level society. Each has a demo account <c>org-{code}</c>.
    /// </summary>
    public static readonly IReadOnlyList<Organization> Organizations =
    [
        new("pingyang-kx", "平阳县科学技术协会", OrganizationCategory.Society, OwningUnit.County("pingyang")),
        new("pingyang-zx", "浙江省平阳中学", OrganizationCategory.School, OwningUnit.County("pingyang")),
        new("pingyang-aojiang", "平阳县鳌江镇人民政府", OrganizationCategory.Agency, OwningUnit.County("pingyang")),
        new("ruian-kx", "瑞安市科学技术协会", OrganizationCategory.Society, OwningUnit.County("ruian")),
        new("wmu-eye", "温州医科大学附属眼视光医院", OrganizationCategory.School, OwningUnit.University("wmu")),
        new("wz-youth-st", "温州市青年科技工作者协会", OrganizationCategory.Society, null),
    ];

    /// <summary>Departments of the summit secretariat and the city science association that own tasks.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Departments =
        SecretariatDepartments.All.Select(d => (d.Code, d.Name)).ToArray();
}
