using Summit.Data.Demo;
using Bogus;
using NodaTime;
using Summit.Domain;
using static Summit.Data.Demo.DemoReference;

namespace Summit.Hosting.DemoData;

/// <summary>
/// Builds the demo plan for the 2020 summit: the real counties, universities and signed projects, plus
/// generated people, sub-events, projects and tasks whose statuses look like mid-June 2020.
/// Pure and deterministic: the same options always give the same plan, and no grain is touched.
/// </summary>
public sealed class DemoDataGenerator
{
    private readonly DemoDataOptions _options;

    public DemoDataGenerator(DemoDataOptions options)
    {
        options.Validate();
        _options = options;
    }

    public static DemoPlan Generate(DemoDataOptions options) => new DemoDataGenerator(options).Generate();

    /// <summary>Every call starts from the seed again, so repeated calls return equal plans.</summary>
    public DemoPlan Generate() => new Run(_options).Build();

    private sealed class Run
    {
        private readonly DemoDataOptions _options;
        private readonly Faker _zh;
        private readonly Faker _en;
        private readonly LocalDate _asOf = AsOf.Date;
        private readonly Dictionary<OwningUnit, string[]> _people = [];
        private IReadOnlyList<SubForumPlan> _subForums = [];

        public Run(DemoDataOptions options)
        {
            _options = options;
            // A Randomizer of our own rather than Bogus' process-wide Randomizer.Seed, which every Faker
            // shares and which parallel tests or a concurrent seeding would disturb.
            _zh = new Faker("zh_CN") { Random = new Randomizer(options.Seed) };
            _en = new Faker("en") { Random = new Randomizer(unchecked(options.Seed * 7919 + 17)) };
        }

        private Randomizer R => _zh.Random;

        public DemoPlan Build()
        {
            BuildPeople();
            var universities = Universities.Select(u => new UniversityPlan(u.Code, new UniversityDraft(u.Name, u.ContactUnit, u.Engagement))).ToArray();
            var counties = Counties.Select(BuildCounty).ToArray();
            _subForums = BuildSubForums();
            var projects = BuildProjects();
            var tasks = DemoSchedule.Lay(new DemoTaskPlanner(R, _asOf, Assignee, ForumTopics).Plan(_options.Tasks), _asOf, PreparationStart, _options.Seed);
            return new DemoPlan(_options.SummitCode, Wyss2020(), AsOf, universities, counties, _subForums, projects, tasks);
        }

        // ---- people -------------------------------------------------------------------------------

        private string PersonName() => _zh.Name.LastName() + _zh.Name.FirstName();

        private void BuildPeople()
        {
            IEnumerable<OwningUnit> units = Departments.Select(d => OwningUnit.Department(d.Code))
                .Concat(Counties.Select(c => OwningUnit.County(c.Code)))
                .Concat(Universities.Select(u => OwningUnit.University(u.Code)));
            foreach (var unit in units)
                _people[unit] = Enumerable.Range(0, R.Number(3, 6)).Select(_ => PersonName()).ToArray();
        }

        private string Assignee(OwningUnit unit) => R.ArrayElement(_people[unit]);

        // ---- counties and sub-events ---------------------------------------------------------------

        private CountyPlan BuildCounty(County county)
        {
            var inspected = county.InspectedOn is { } on && on <= _asOf;
            var lead = _people[OwningUnit.County(county.Code)][0];

            var pool = new List<(string Id, string Title)>
            {
                ("industry-matching", $"{county.Industry}产业科技经济融合对接会"),
                ("experts-visit", $"院士专家{county.Short}行"),
                ("youth-salon", $"青年科学家{county.Short}创新创业沙龙"),
                ("talent-fair", $"{county.Short}高层次人才项目洽谈会"),
            };
            var chosen = R.Shuffle(Enumerable.Range(0, pool.Count)).Take(R.Number(1, 4)).Order().Select(i => pool[i]).ToList();
            if (county.Code == SubVenueCounty)
                chosen = [("subvenue", $"{SummitName}平阳分会场活动"), .. chosen.Take(3)];

            var subEvents = chosen.Select(e => BuildSubEvent(county, inspected, e.Id, e.Title))
                // Talent fairs run with online matching: they belong to the hybrid plan and are set aside in another mode.
                .Select(e => e.Id == "talent-fair" && e.Status != SubEventStatus.Cancelled ? e with { Draft = e.Draft with { Plan = SummitMode.Hybrid } } : e)
                .ToArray();
            return new CountyPlan(county.Code, new CountyDraft(county.Name, county.Venue, lead), inspected, subEvents);
        }

        private SubEventPlan BuildSubEvent(County county, bool inspected, string id, string title)
        {
            LocalDate? date = id == "subvenue"
                ? OpeningDate
                : R.Bool(0.75f) ? RandomDate(new(2020, 10, 10), ClosingDate) : RandomDate(new(2020, 9, 1), new(2020, 10, 9));
            var venue = R.Bool(0.8f) ? county.Venue : null;

            if (!inspected && id != "subvenue" && R.Bool(0.06f))
                return new SubEventPlan(id, new SubEventDraft(title, date, venue), SubEventStatus.Cancelled, Checklist(0, 0),
                    "受疫情影响取消线下活动，内容并入线上专场");

            // Counties the city association has already inspected are further along.
            var status = inspected || R.Bool(0.6f) ? SubEventStatus.Preparing : SubEventStatus.Planned;
            var checklist = status == SubEventStatus.Planned
                ? Checklist(0, 0.15)
                : inspected ? Checklist(0.45, 0.4) : Checklist(0.15, 0.35);
            if (status == SubEventStatus.Planned && R.Bool(0.3f)) date = null;
            return new SubEventPlan(id, new SubEventDraft(title, date, venue), status, checklist);
        }

        private IReadOnlyDictionary<ChecklistItem, ChecklistState> Checklist(double done, double inProgress)
        {
            var checklist = new Dictionary<ChecklistItem, ChecklistState>();
            foreach (var item in Enum.GetValues<ChecklistItem>())
            {
                // The epidemic prevention plan is only due at the end of June, so few counties have theirs done.
                var pDone = item == ChecklistItem.EpidemicPrevention ? done * 0.3 : done;
                var roll = R.Double();
                checklist[item] = roll < pDone ? ChecklistState.Done : roll < pDone + inProgress ? ChecklistState.InProgress : ChecklistState.Open;
            }
            return checklist;
        }

        // ---- sub-forums ----------------------------------------------------------------------------

        private static readonly string[] DomesticAffiliations =
            ["温州医科大学", "浙江大学", "中国科学院", "复旦大学", "西湖大学", "温州大学", "中国科学技术大学", "北京航空航天大学"];

        private static readonly string[] OverseasAffiliations =
            ["哥本哈根大学", "牛津大学", "剑桥大学", "新加坡国立大学", "斯坦福大学", "墨尔本大学", "苏黎世联邦理工学院", "东京大学"];

        private IReadOnlyList<SubForumPlan> BuildSubForums()
        {
            var morning = (Start: new LocalTime(9, 0), End: new LocalTime(12, 0));
            var afternoon = (Start: new LocalTime(14, 0), End: new LocalTime(17, 30));
            var campus = Universities.ToDictionary(u => u.Code, u => u.Campus);
            const string MainVenue = "峰会主会场";

            // The health block was agreed with the medical university on 1 April; the Startup World Cup final
            // was presented the same day; the other themes are still being shaped in June.
            (string Id, string Theme, string? Host, LocalDate Day, (LocalTime Start, LocalTime End) Slot, EventFormat Format, SubForumStatus Status)[] forums =
            [
                ("health-regenerative", "生命健康子论坛：再生医学与生长因子", "wmu", OpeningDate, morning, EventFormat.Hybrid, SubForumStatus.ProgrammeSet),
                ("health-vision", "生命健康子论坛：眼视光与视觉健康", "wmu", OpeningDate, afternoon, EventFormat.Hybrid, SubForumStatus.ProgrammeSet),
                ("health-public", "生命健康子论坛：公共卫生与传染病防控", "wmu", ClosingDate, morning, EventFormat.Hybrid, SubForumStatus.Planned),
                ("health-brain", "生命健康子论坛：脑科学与精神健康", "wmu", ClosingDate, afternoon, EventFormat.Online, SubForumStatus.Planned),
                ("un-poverty", "消除贫困子论坛：科技助力乡村振兴", "wzvcst", OpeningDate, afternoon, EventFormat.Hybrid, SubForumStatus.Planned),
                ("un-sustainable", "可持续发展子论坛：绿色低碳与海洋经济", "wzu", OpeningDate, morning, EventFormat.Hybrid, SubForumStatus.Planned),
                ("un-youth", "青年与未来子论坛：科技的未来在青年", "wzu", ClosingDate, morning, EventFormat.Hybrid, SubForumStatus.Planned),
                ("startup-world-cup", "大学创业世界杯全球总决赛", "wzpt", ClosingDate, (new(13, 30), new(18, 0)), EventFormat.Hybrid, SubForumStatus.ProgrammeSet),
                ("tech-economy", "科技经济融合子论坛：传统产业转型升级", null, OpeningDate, afternoon, EventFormat.Offline, SubForumStatus.Planned),
                ("park-incubator-fund", "“一园一器一基金”创新创业对接会", null, ClosingDate, afternoon, EventFormat.Offline, SubForumStatus.Planned),
            ];

            return forums.Select(f =>
            {
                var speakers = Enumerable.Range(0, f.Status == SubForumStatus.Planned ? R.Number(0, 3) : R.Number(3, 6))
                    .Select(_ => Speaker(f.Status, f.Host == "wmu"))
                    .ToArray();
                var venue = f.Host is { } host ? campus[host] : MainVenue;
                // Two hybrid sub-forums belong to the hybrid plan: an online or on-site summit sets them aside.
                var plan = f.Id is "health-regenerative" or "un-youth" ? SummitMode.Hybrid : (SummitMode?)null;
                return new SubForumPlan(f.Id, new SubForumDraft(f.Theme, f.Day, f.Slot.Start, f.Slot.End, venue, f.Format, f.Host, speakers) { Plan = plan }, f.Status);
            }).ToArray();
        }

        private Speaker Speaker(SubForumStatus status, bool health)
        {
            var confirmed = status >= SubForumStatus.SpeakersConfirmed || (status == SubForumStatus.ProgrammeSet && R.Bool(0.35f));
            if (R.Bool(0.4f))
                return new Speaker(_en.Name.FullName(), R.ArrayElement(OverseasAffiliations), confirmed);
            var affiliation = health && R.Bool(0.5f) ? "温州医科大学" : R.ArrayElement(DomesticAffiliations);
            return new Speaker(PersonName(), affiliation, confirmed);
        }

        private IReadOnlyList<string> ForumTopics => _subForums.Select(f => f.Draft.Theme.Split('：')[^1]).ToArray();

        // ---- projects -----------------------------------------------------------------------------

        private sealed record Industry(string Name, string County, Partner Society, Partner Institute, string Suffix, string[] Topics);

        // Firms in the city's districts usually carry the city's name; those in county-level cities and counties carry their own.
        private static string CompanyPrefix(string county) =>
            Counties.First(c => c.Code == county) is { Name: var name, Short: var local } && !name.EndsWith('区') ? local : "温州";

        // The newsletter names electrical, shoes and leather, and clothing as the next industries to match.
        private static readonly Industry[] Industries =
        [
            new("电气", "yueqing", new("中国电工技术学会", PartnerKind.NationalSociety), new("上海电器科学研究院", PartnerKind.Institute), "电气有限公司",
                ["智能断路器关键技术联合攻关", "低压电器数字化车间改造", "新能源充电设备联合研发", "电力物联网传感器研发", "高压开关绝缘材料攻关", "伺服驱动系统国产化应用"]),
            new("鞋革", "lucheng", new("中国皮革协会", PartnerKind.Association), new("中国皮革和制鞋工业研究院", PartnerKind.Institute), "鞋业有限公司",
                ["鞋类智能制造生产线改造", "环保皮革材料研发", "鞋革设计创新中心共建", "功能性鞋底材料攻关", "制革废水治理技术应用", "鞋业3D打印快速打样"]),
            new("服装", "ouhai", new("中国纺织工程学会", PartnerKind.NationalSociety), new("中国服装设计师协会", PartnerKind.Association), "服饰有限公司",
                ["服装柔性供应链数字化", "功能性面料联合研发", "服装个性化定制平台", "时尚设计人才联合培养", "智能吊挂生产系统应用", "服装产业大数据平台"]),
        ];

        private static readonly string[] BrandSyllables = ["宏", "泰", "德", "瑞", "华", "科", "创", "鑫", "源", "通", "明", "嘉", "奥", "信", "联", "顺", "达", "捷"];

        private const int GeneratedProjects = 38;

        // By mid-June most matched projects are still being negotiated; only a handful more have signed.
        private static readonly ProjectStage[] StagesInJune =
            [ProjectStage.Identified, ProjectStage.Matched, ProjectStage.Negotiating, ProjectStage.ReadyToSign, ProjectStage.Signed];
        private static readonly float[] StageWeightsInJune = [0.35f, 0.3f, 0.2f, 0.1f, 0.05f];
        private static readonly float[] IndustryWeights = [0.4f, 0.3f, 0.3f];

        private IReadOnlyList<ProjectPlan> BuildProjects()
        {
            var projects = new List<ProjectPlan> { DemoProjects.PumpValveProject(), DemoProjects.RuianAutoPartsProject() };
            var universityCodes = Universities.Select(u => u.Code).ToArray();
            for (var i = 1; i <= GeneratedProjects; i++)
            {
                var industry = DemoTaskPlanner.Weighted(R, Industries, IndustryWeights);
                var brand = string.Concat(R.ArrayElements(BrandSyllables, 2));
                var stage = DemoTaskPlanner.Weighted(R, StagesInJune, StageWeightsInJune);
                LocalDate? signed = stage >= ProjectStage.Signed ? RandomDate(OnlineSigningDate.PlusDays(1), _asOf.PlusDays(-1)) : null;
                var county = R.Bool(0.8f) ? industry.County : R.ArrayElement(Counties.ToArray()).Code;
                var partners = new List<Partner> { industry.Society, new($"{CompanyPrefix(county)}{brand}{industry.Suffix}", PartnerKind.Enterprise) };
                if (R.Bool(0.5f)) partners.Add(industry.Institute);
                var universities = R.Bool(0.5f) ? new[] { R.ArrayElement(universityCodes) } : [];
                projects.Add(new ProjectPlan($"p-{i:D3}", new ProjectDraft(
                    $"{R.ArrayElement(industry.Topics)}（{brand}）",
                    industry.Name,
                    partners,
                    county,
                    universities,
                    R.Number(1, 40),
                    stage,
                    signed)));
            }
            return projects;
        }

        // ---- helpers ------------------------------------------------------------------------------

        private LocalDate RandomDate(LocalDate from, LocalDate to) => DemoTaskPlanner.RandomDate(R, from, to);
    }
}
