using Summit.Data.Demo;
using Bogus;
using NodaTime;
using NodaTime.Calendars;
using Summit.Domain;
using static Summit.Data.Demo.DemoReference;

namespace Summit.Hosting.DemoData;

/// <summary>
/// Plans the preparation tasks: the real milestones of spring 2020 first, then generated tasks spread over
/// each category's season. Tasks are numbered in due-date order and depend only on earlier tasks, so the
/// dependencies form a DAG and a seeder can create them in id order.
/// </summary>
internal sealed class DemoTaskPlanner(Randomizer random, LocalDate asOf, Func<OwningUnit, string> assignee, IReadOnlyList<string> forumTopics)
{
    public static LocalDate RandomDate(Randomizer random, LocalDate from, LocalDate to) =>
        from.PlusDays(random.Number(0, Period.DaysBetween(from, to)));

    public static string TaskId(int index) => $"t-{index + 1:D5}";

    /// <summary>Picks by relative weight; Bogus' own WeightedRandom needs weights that add up to exactly 1.</summary>
    public static T Weighted<T>(Randomizer random, IReadOnlyList<T> items, IReadOnlyList<float> weights)
    {
        var roll = random.Double() * weights.Sum();
        for (var i = 0; i < items.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0) return items[i];
        }
        return items[^1];
    }

    private static OwningUnit Dept(string code) => OwningUnit.Department(code);
    private static OwningUnit County(string code) => OwningUnit.County(code);
    private static OwningUnit Uni(string code) => OwningUnit.University(code);
    private static LocalDate D(int month, int day) => new(2020, month, day);

    /// <summary>A task that really happened or was really asked for (DOMAIN.md's timeline); <see cref="After"/> names earlier curated tasks.</summary>
    private sealed record Curated(
        string Key, LocalDate Date, TaskCategory Category, OwningUnit Owner, string Title,
        bool Milestone = false, string[]? After = null, WorkStatus? Status = null, string? Note = null);

    // Every dependency is on a task due strictly earlier, so any date-ordered prefix of this list is closed.
    private static readonly Curated[] CuratedTasks =
    [
        new("wmu-health-block", D(4, 1), TaskCategory.Partnership, Uni("wmu"), "对接大健康学术版块、奖项设置和系列生命健康子论坛"),
        new("wzpt-startup-cup", D(4, 1), TaskCategory.Partnership, Uni("wzpt"), "对接大学创业世界杯全球总决赛落地温州"),
        new("kickoff", D(4, 2), TaskCategory.Plan, Dept("office"), "筹备进展专题会议：报批、方案深化、子活动安排、组织架构、预算编制、会务保障",
            Milestone: true, Note: "副市长专题研究峰会筹备进展"),
        new("org-structure", D(4, 10), TaskCategory.Organisation, Dept("office"), "完善组织架构，明确省市两级及部门、县（市、区）职责分工", After: ["kickoff"]),
        new("timeline", D(4, 10), TaskCategory.Plan, Dept("office"), "制定筹备推进计划和时间节点", After: ["kickoff"]),
        new("county-inspection-apr", D(4, 16), TaskCategory.Plan, Dept("liaison"), "赴文成、苍南、龙港、平阳、瑞安调研指导子活动筹备", After: ["kickoff"]),
        new("online-signing", D(4, 17), TaskCategory.Partnership, Dept("liaison"), "科技经济融合项目在线签约（泵阀产业、瑞安汽车零部件）",
            Milestone: true, Note: "中国科协“科技服务团”启动暨产学研用协同创新联盟在线签约仪式"),
        new("approval", D(4, 20), TaskCategory.Approval, Dept("office"), "峰会活动报批材料报送", After: ["org-structure"],
            Status: WorkStatus.InProgress, Note: "争取列入中央人才工作要点"),
        new("budget", D(4, 24), TaskCategory.Budget, Dept("finance"), "峰会总体预算编制", After: ["timeline"]),
        new("wmu-wzu-visit", D(4, 28), TaskCategory.Partnership, Dept("academic"), "赴温州医科大学、温州大学对接峰会筹备工作", After: ["wmu-health-block"]),
        new("park-incubator-fund", D(4, 29), TaskCategory.Policy, Dept("office"), "调研“一园一器一基金”建设工作", After: ["kickoff"]),
        new("implementation-plan", D(4, 30), TaskCategory.Plan, Dept("academic"), "峰会实施方案深化（初稿）", After: ["timeline", "org-structure"]),
        new("subevent-arrangement", D(4, 30), TaskCategory.Plan, Dept("office"), "汇总县（市、区）子活动安排", After: ["county-inspection-apr"]),
        new("logistics-plan", D(5, 15), TaskCategory.Logistics, Dept("logistics"), "会务保障方案", After: ["budget"]),
        new("awards", D(5, 20), TaskCategory.Awards, Dept("academic"), "峰会专项奖设置方案", After: ["kickoff", "wmu-health-block"], Status: WorkStatus.InProgress),
        new("policy", D(5, 29), TaskCategory.Policy, Dept("office"), "峰会专项政策起草", After: ["park-incubator-fund"], Status: WorkStatus.InProgress),
        new("pingyang-subvenue", D(6, 3), TaskCategory.Venue, County("pingyang"), "平阳分会场筹备（市科协现场指导）", After: ["subevent-arrangement"]),
        new("county-inspection-jun", D(6, 5), TaskCategory.Plan, Dept("liaison"), "赴县（市、区）调研子活动筹备工作", After: ["subevent-arrangement"]),
        new("ouhai-inspection", D(6, 12), TaskCategory.Plan, County("ouhai"), "瓯海区峰会筹备工作汇报（市科协调研）", After: ["county-inspection-jun"]),
        new("wencheng-inspection", D(6, 15), TaskCategory.Plan, County("wencheng"), "文成县峰会筹备工作汇报（市科协调研）", After: ["county-inspection-jun"]),
        new("wzvcst-matching", D(6, 17), TaskCategory.Partnership, Uni("wzvcst"), "温州科技职业学院峰会合作事宜对接"),
        new("provincial-meeting", D(6, 17), TaskCategory.Office, Dept("office"), "赴省科协对接筹备工作：集中办公、会场、宣传",
            Milestone: true, After: ["implementation-plan"]),
        new("task-force", D(6, 30), TaskCategory.Organisation, Dept("office"), "成立峰会工作专班，每个活动落实责任人", After: ["provincial-meeting"]),
        new("epidemic-plan", D(6, 30), TaskCategory.EpidemicPrevention, Dept("logistics"), "制定峰会疫情防控方案", Milestone: true, After: ["implementation-plan"]),
        new("yongjia-inspection", D(6, 30), TaskCategory.Partnership, County("yongjia"), "永嘉县服务科技经济融合工作调研"),
        new("central-office", D(7, 1), TaskCategory.Office, Dept("office"), "峰会秘书处集中办公启动", After: ["task-force"]),
        new("plan-final", D(7, 15), TaskCategory.Plan, Dept("academic"), "峰会实施方案定稿（线上线下结合、境内境外互动）",
            Milestone: true, After: ["provincial-meeting", "task-force"]),
        new("contingency", D(7, 20), TaskCategory.Contingency, Dept("office"), "线上线下办会模式切换预案", After: ["epidemic-plan", "plan-final"]),
        new("publicity-plan", D(7, 20), TaskCategory.Publicity, Dept("publicity"), "峰会宣传总体方案", After: ["plan-final"]),
        new("main-venue", D(7, 31), TaskCategory.Venue, Dept("logistics"), "主会场及各子论坛会场确定", Milestone: true, After: ["plan-final", "budget"]),
        new("invitations", D(8, 14), TaskCategory.Approval, Dept("international"), "境外嘉宾邀请及线上参会报批", After: ["plan-final", "contingency"]),
        new("alliances", D(9, 15), TaskCategory.Partnership, Dept("liaison"), "10个创新联盟、100个项目、1000家企业需求对接清单定稿",
            Milestone: true, After: ["online-signing", "yongjia-inspection", "wzvcst-matching"]),
        new("startup-finalists", D(9, 30), TaskCategory.Awards, Dept("academic"), "大学创业世界杯75个晋级项目遴选", Milestone: true,
            After: ["wzpt-startup-cup", "awards"]),
        new("press-conference", D(10, 13), TaskCategory.Publicity, Dept("publicity"), "峰会新闻发布会", Milestone: true, After: ["publicity-plan", "invitations"]),
        new("rehearsal", D(10, 16), TaskCategory.Logistics, Dept("logistics"), "开幕式及主体活动全要素彩排", Milestone: true,
            After: ["main-venue", "epidemic-plan", "contingency"]),
        new("opening", D(10, 18), TaskCategory.Logistics, Dept("office"), "峰会开幕式", Milestone: true, After: ["rehearsal", "press-conference"]),
        new("closing", D(10, 19), TaskCategory.Plan, Dept("office"), "峰会闭幕及成果发布", Milestone: true, After: ["opening", "alliances"]),
    ];

    /// <summary>When a category's deadlines fall, who owns them, what they are called, and what they usually wait for.</summary>
    private sealed record Profile(
        LocalDate From, LocalDate To, float Weight,
        (string Dept, float Weight)[] Departments, float CountyShare, float UniversityShare,
        string[] DepartmentTitles, string[] CountyTitles, string[] UniversityTitles, TaskCategory[] Related);

    // Placeholders: {county} {uni} {forum} {industry} {dept} {month} {week} {n}.
    private static readonly IReadOnlyDictionary<TaskCategory, Profile> Profiles = new Dictionary<TaskCategory, Profile>
    {
        [TaskCategory.Approval] = new(D(4, 1), D(8, 31), 6, [("office", 3), ("international", 1)], 0.15f, 0.05f,
            ["峰会活动报批材料补充报送", "境外嘉宾来华邀请函报批", "线上直播平台备案报批", "峰会新闻发布报批", "外事接待方案报批",
             "{forum}境外演讲嘉宾报批", "大型活动安全许可报批"],
            ["{county}子活动报批", "{county}子活动安全许可申请"],
            ["{uni}承办{forum}报批"],
            [TaskCategory.Plan, TaskCategory.Organisation]),
        [TaskCategory.Plan] = new(D(4, 1), D(9, 30), 12, [("office", 2), ("academic", 2)], 0.35f, 0.1f,
            ["峰会实施方案修改（第{n}稿）", "子活动安排汇总表更新（{month}月）", "{forum}议程方案", "开幕式流程方案", "境内境外互动环节方案",
             "线上会议平台方案", "嘉宾邀请名单方案", "峰会日程总表编制"],
            ["{county}子活动方案细化", "{county}子活动议程确定", "{county}峰会筹备进展报送（{month}月）"],
            ["{uni}{forum}方案", "{uni}参会师生组织方案"],
            [TaskCategory.Organisation, TaskCategory.Approval, TaskCategory.Plan]),
        [TaskCategory.Organisation] = new(D(4, 1), D(7, 31), 4, [("office", 1)], 0.2f, 0.1f,
            ["峰会组委会成员名单确认", "{dept}人员落实", "工作专班成员抽调", "省市部门职责分工表更新", "活动责任人清单更新（{month}月）"],
            ["{county}峰会筹备工作小组成立", "{county}子活动责任人落实"],
            ["{uni}峰会工作联络人确定"],
            [TaskCategory.Plan, TaskCategory.Organisation]),
        [TaskCategory.Budget] = new(D(4, 10), D(8, 31), 5, [("finance", 3), ("office", 1)], 0.2f, 0.1f,
            ["峰会总体预算调整", "{forum}经费预算", "会务服务政府采购", "宣传经费预算编制", "专项奖奖金预算", "线上会议平台采购", "预算执行情况报告（{month}月）"],
            ["{county}子活动经费测算"],
            ["{uni}子论坛经费预算"],
            [TaskCategory.Plan, TaskCategory.Organisation]),
        [TaskCategory.Logistics] = new(D(7, 1), D(10, 19), 12, [("logistics", 4), ("office", 1)], 0.15f, 0.1f,
            ["嘉宾接送机方案", "酒店住宿协议签订", "会务手册编印", "嘉宾注册报名系统上线", "餐饮保障方案", "同声传译设备租赁",
             "志愿者招募与培训", "参会证件制作与发放", "交通保障方案", "医疗保障方案"],
            ["{county}子活动嘉宾接待安排"],
            ["{uni}子论坛会务对接"],
            [TaskCategory.Budget, TaskCategory.Venue, TaskCategory.Plan, TaskCategory.Logistics]),
        [TaskCategory.Office] = new(D(6, 15), D(10, 19), 5, [("office", 1)], 0, 0,
            ["集中办公场地及设备落实", "集中办公人员抽调", "集中办公例会（第{week}周）", "筹备工作周报（第{week}周）", "秘书处文件流转制度",
             "筹备工作督查通报（{month}月）"],
            [], [],
            [TaskCategory.Organisation, TaskCategory.Budget]),
        [TaskCategory.Venue] = new(D(6, 1), D(10, 17), 9, [("logistics", 1)], 0.3f, 0.15f,
            ["主会场场地踏勘", "{forum}会场布置方案", "会场网络与直播条件测试", "会场消防安全检查", "会场标识系统设计", "主会场舞台搭建", "分会场视频连线测试"],
            ["{county}子活动场地确认", "{county}子活动场地布置"],
            ["{uni}子论坛会场布置", "{uni}会场视频连线测试"],
            [TaskCategory.Budget, TaskCategory.Plan, TaskCategory.Approval, TaskCategory.Venue]),
        [TaskCategory.Publicity] = new(D(5, 1), D(10, 19), 10, [("publicity", 1)], 0.2f, 0.05f,
            ["峰会官网改版上线", "海外社交媒体宣传", "{forum}宣传材料", "城市氛围营造方案", "媒体记者邀请", "峰会宣传片制作", "新闻通稿撰写",
             "倒计时宣传（{month}月）", "青年科学家人物专访"],
            ["{county}子活动宣传报道", "{county}城市氛围营造"],
            ["{uni}校园宣传"],
            [TaskCategory.Approval, TaskCategory.Plan, TaskCategory.Publicity]),
        [TaskCategory.EpidemicPrevention] = new(D(6, 1), D(10, 18), 8, [("logistics", 3), ("office", 1)], 0.25f, 0.1f,
            ["境外嘉宾入境防疫对接", "会场防疫物资储备", "参会人员健康码核验流程", "核酸检测安排", "防疫应急隔离点确定", "疫情防控演练", "酒店防疫检查"],
            ["{county}子活动疫情防控方案"],
            ["{uni}子论坛疫情防控方案"],
            [TaskCategory.Plan, TaskCategory.Organisation, TaskCategory.EpidemicPrevention]),
        [TaskCategory.Contingency] = new(D(6, 15), D(10, 15), 5, [("office", 2), ("logistics", 1)], 0.15f, 0.1f,
            ["疫情变化应急预案", "恶劣天气应急预案", "网络直播中断预案", "{forum}线上备份方案", "境外嘉宾无法来华替代方案", "安全保卫预案", "预案桌面推演"],
            ["{county}子活动应急预案"],
            ["{uni}子论坛应急预案"],
            [TaskCategory.EpidemicPrevention, TaskCategory.Plan, TaskCategory.Venue]),
        [TaskCategory.Partnership] = new(D(4, 1), D(10, 19), 14, [("liaison", 3), ("international", 1)], 0.35f, 0.2f,
            ["全国学会对接{industry}产业", "1000家企业人才科技需求征集", "创新联盟组建对接", "项目对接清单更新（{month}月）",
             "北欧创新中心对接大学创业世界杯", "海外青年科学家人才对接", "高新园区企业参与峰会对接"],
            ["{county}{industry}产业需求摸排", "{county}企业技术难题征集", "{county}项目对接清单报送"],
            ["{uni}对接峰会合作事宜", "{uni}科研团队与企业对接"],
            [TaskCategory.Plan, TaskCategory.Policy, TaskCategory.Partnership]),
        [TaskCategory.Awards] = new(D(5, 1), D(10, 18), 5, [("academic", 1)], 0, 0.3f,
            ["峰会专项奖评审规则", "评审专家库组建", "专项奖奖杯证书设计制作", "大学创业世界杯晋级项目评审", "颁奖环节方案"],
            [],
            ["{uni}专项奖候选人推荐", "{uni}创业项目推荐"],
            [TaskCategory.Plan, TaskCategory.Budget, TaskCategory.Approval]),
        [TaskCategory.Policy] = new(D(4, 15), D(9, 30), 5, [("office", 2), ("liaison", 1)], 0.15f, 0,
            ["峰会专项政策征求意见", "人才引进专项政策对接", "项目落地扶持政策", "“一园一器一基金”配套政策", "专项政策报市政府审定"],
            ["{county}配套政策对接"],
            [],
            [TaskCategory.Plan, TaskCategory.Organisation]),
    };

    private static readonly string[] BlockedReasons =
        ["等待省科协批复", "等待前置任务完成", "受疫情影响，境外嘉宾行程未定", "预算尚未批复", "场地方尚未确认档期", "等待县（市、区）反馈材料"];

    private static readonly string[] CancelledReasons = ["受疫情影响取消", "并入其他任务", "方案调整后不再需要"];

    private static readonly LocalTime[] DeadlineTimes = [new(9, 0), new(12, 0), new(17, 0), new(17, 30)];

    private static readonly string[] IndustryNames = ["电气", "鞋革", "服装", "泵阀", "汽车零部件"];

    private static readonly string[] DepartmentNames = Departments.Select(d => d.Name).ToArray();
    private static readonly DemoReference.County[] CountyList = Counties.ToArray();
    private static readonly University[] UniversityList = Universities.ToArray();
    private static readonly Dictionary<string, DemoReference.County> CountyByCode = Counties.ToDictionary(c => c.Code);
    private static readonly Dictionary<string, University> UniversityByCode = Universities.ToDictionary(u => u.Code);

    private static readonly int[] DependencyCounts = [0, 1, 2, 3];
    private static readonly float[] DependencyCountWeights = [0.35f, 0.38f, 0.19f, 0.08f];

    private sealed record Spec(
        int Seq, LocalDate Date, LocalTime? Time, TaskCategory Category, OwningUnit Owner, string Title, bool Milestone, string? Note, Curated? Curated);

    private readonly TaskCategory[] _categories = Profiles.Keys.ToArray();
    private readonly float[] _categoryWeights = Profiles.Values.Select(p => p.Weight).ToArray();

    public IReadOnlyList<TaskPlan> Plan(int count)
    {
        var curated = CuratedTasks.OrderBy(c => c.Date).Take(count).ToList();
        var specs = new List<Spec>(count);
        specs.AddRange(curated.Select((c, i) => new Spec(i, c.Date, null, c.Category, c.Owner, c.Title, c.Milestone, c.Note, c)));
        for (var i = curated.Count; i < count; i++) specs.Add(GenerateSpec(i));

        // Due-date order makes "depends only on earlier ids" mean "depends only on earlier deadlines".
        var ordered = specs.OrderBy(s => s.Date).ThenBy(s => s.Curated is null ? 1 : 0).ThenBy(s => s.Seq).ToArray();

        var plans = new TaskPlan[ordered.Length];
        var statuses = new WorkStatus[ordered.Length];
        var depths = new int[ordered.Length];
        var curatedIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var recentByCategory = _categories.ToDictionary(c => c, _ => new Recent(32));
        var recentByOwner = new Dictionary<OwningUnit, Recent>();
        var titleUses = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < ordered.Length; i++)
        {
            var spec = ordered[i];
            if (!recentByOwner.TryGetValue(spec.Owner, out var ownerRecent)) recentByOwner[spec.Owner] = ownerRecent = new Recent(8);

            var rolled = RollStatus(spec);
            var deps = spec.Curated is { } c
                ? (c.After ?? []).Select(key => curatedIndex.TryGetValue(key, out var at) ? at
                    : throw new InvalidOperationException($"Curated task '{c.Key}' depends on '{key}', which is not planned before it.")).ToList()
                // A task that is finished can only have waited for work that is finished too.
                : PickDependencies(spec, recentByCategory, ownerRecent, depths,
                    rolled == WorkStatus.Done ? d => statuses[d] is WorkStatus.Done or WorkStatus.Cancelled : _ => true);
            depths[i] = deps.Count == 0 ? 0 : 1 + deps.Max(d => depths[d]);

            var (status, note) = Reconcile(spec, rolled, deps, statuses);
            statuses[i] = status;

            var title = spec.Title;
            if (spec.Curated is null)
            {
                // Generated titles repeat at scale; number the repeats so lists stay readable.
                var uses = titleUses.TryGetValue(title, out var n) ? n + 1 : 1;
                titleUses[title] = uses;
                if (uses > 1) title = $"{title}（第{uses}轮）";
            }

            var percent = status switch
            {
                WorkStatus.Done => 100,
                WorkStatus.InProgress => random.Number(1, 9) * 10,
                WorkStatus.Blocked => random.Number(1, 6) * 10,
                _ => 0,
            };
            var who = status == WorkStatus.NotStarted && random.Bool(0.2f) ? null : assignee(spec.Owner);

            var draft = new TaskDraft(title, spec.Category, spec.Owner, new Deadline(spec.Date, spec.Time), who, spec.Milestone,
                deps.Select(TaskId).ToArray(), spec.Note);
            plans[i] = new TaskPlan(TaskId(i), draft, status, percent, note);

            if (spec.Curated is { } curatedSpec) curatedIndex[curatedSpec.Key] = i;
            recentByCategory[spec.Category].Add(i);
            ownerRecent.Add(i);
        }
        return plans;
    }

    private Spec GenerateSpec(int seq)
    {
        var category = Weighted(random, _categories, _categoryWeights);
        var profile = Profiles[category];

        var date = RandomDate(random, profile.From, profile.To);
        // Deadlines that land on a weekend are mostly moved to the Friday before.
        if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday && random.Bool(0.8f))
        {
            var friday = date.Previous(IsoDayOfWeek.Friday);
            if (friday >= profile.From) date = friday;
        }
        LocalTime? time = random.Bool(0.2f) ? random.ArrayElement(DeadlineTimes) : null;

        var roll = random.Float();
        OwningUnit owner;
        string template;
        if (roll < profile.CountyShare && profile.CountyTitles.Length > 0)
        {
            owner = County(random.ArrayElement(CountyList).Code);
            template = random.ArrayElement(profile.CountyTitles);
        }
        else if (roll < profile.CountyShare + profile.UniversityShare && profile.UniversityTitles.Length > 0)
        {
            owner = Uni(random.ArrayElement(UniversityList).Code);
            template = random.ArrayElement(profile.UniversityTitles);
        }
        else
        {
            owner = Dept(Weighted(random, profile.Departments.Select(d => d.Dept).ToArray(), profile.Departments.Select(d => d.Weight).ToArray()));
            template = random.ArrayElement(profile.DepartmentTitles);
        }

        return new Spec(seq, date, time, category, owner, Fill(template, owner, date), random.Bool(0.02f), null, null);
    }

    private string Fill(string template, OwningUnit owner, LocalDate date)
    {
        if (!template.Contains('{')) return template;
        var county = owner.Kind == UnitKind.County ? CountyByCode[owner.Code] : null;
        var text = template
            .Replace("{month}", date.Month.ToString())
            .Replace("{week}", WeekYearRules.Iso.GetWeekOfWeekYear(date).ToString());
        if (county is not null) text = text.Replace("{county}", county.Name);
        if (owner.Kind == UnitKind.University) text = text.Replace("{uni}", UniversityByCode[owner.Code].Name);
        if (text.Contains("{dept}")) text = text.Replace("{dept}", random.ArrayElement(DepartmentNames));
        if (text.Contains("{n}")) text = text.Replace("{n}", random.Number(2, 8).ToString());
        if (text.Contains("{forum}")) text = text.Replace("{forum}", forumTopics[random.Number(0, forumTopics.Count - 1)]);
        if (text.Contains("{industry}")) text = text.Replace("{industry}", county?.Industry ?? random.ArrayElement(IndustryNames));
        return text;
    }

    /// <summary>
    /// Longest chain of prerequisites a generated task may sit at the end of. Real plans are shallow; deep chains
    /// would also make every new task's cycle check walk far.
    /// </summary>
    private const int MaxChainDepth = 6;

    private List<int> PickDependencies(
        Spec spec, Dictionary<TaskCategory, Recent> recentByCategory, Recent ownerRecent, int[] depths, Func<int, bool> acceptable)
    {
        var wanted = Weighted(random, DependencyCounts, DependencyCountWeights);
        var deps = new List<int>(wanted);
        var related = Profiles[spec.Category].Related;
        for (var attempt = 0; deps.Count < wanted && attempt < wanted * 3; attempt++)
        {
            // Units mostly wait on their own earlier work; otherwise on a related category's recent tasks.
            var source = random.Bool(0.4f) && ownerRecent.Count > 0 ? ownerRecent : recentByCategory[random.ArrayElement(related)];
            if (source.Count == 0) continue;
            var pick = source.Pick(random);
            if (depths[pick] < MaxChainDepth && acceptable(pick) && !deps.Contains(pick)) deps.Add(pick);
        }
        deps.Sort();
        return deps;
    }

    private WorkStatus RollStatus(Spec spec)
    {
        var days = Period.DaysBetween(asOf, spec.Date);
        if (spec.Curated is { } curated)
            return curated.Status ?? (days < 0 ? WorkStatus.Done : days < 21 ? WorkStatus.InProgress : WorkStatus.NotStarted);

        // Most work due well before mid-June is finished; a few items are overdue or stuck.
        (WorkStatus[] Values, float[] Weights) odds = days switch
        {
            < -14 => ([WorkStatus.Done, WorkStatus.InProgress, WorkStatus.Blocked, WorkStatus.Cancelled], [0.90f, 0.05f, 0.02f, 0.03f]),
            < 0 => ([WorkStatus.Done, WorkStatus.InProgress, WorkStatus.Blocked, WorkStatus.Cancelled], [0.65f, 0.25f, 0.08f, 0.02f]),
            < 21 => ([WorkStatus.Done, WorkStatus.InProgress, WorkStatus.NotStarted, WorkStatus.Blocked], [0.15f, 0.50f, 0.30f, 0.05f]),
            < 60 => ([WorkStatus.Done, WorkStatus.InProgress, WorkStatus.NotStarted, WorkStatus.Blocked], [0.03f, 0.25f, 0.70f, 0.02f]),
            _ => ([WorkStatus.InProgress, WorkStatus.NotStarted], [0.08f, 0.92f]),
        };
        return Weighted(random, odds.Values, odds.Weights);
    }

    /// <summary>Adjusts a rolled status to the prerequisites' and says why a task is blocked or cancelled.</summary>
    private (WorkStatus Status, string? Note) Reconcile(Spec spec, WorkStatus status, List<int> deps, WorkStatus[] statuses)
    {
        var days = Period.DaysBetween(asOf, spec.Date);
        // A task cannot be finished while something it waits for is still open.
        var open = deps.Where(d => statuses[d] is not (WorkStatus.Done or WorkStatus.Cancelled)).ToList();
        var blockedBy = open.Where(d => statuses[d] == WorkStatus.Blocked).ToList();
        if (status == WorkStatus.Done && open.Count > 0)
            status = blockedBy.Count > 0 ? WorkStatus.Blocked : WorkStatus.InProgress;
        else if (status == WorkStatus.NotStarted && days < 21 && blockedBy.Count > 0)
            status = WorkStatus.Blocked;

        string? note = status switch
        {
            WorkStatus.Blocked when blockedBy.Count > 0 => $"等待前置任务 {string.Join("、", blockedBy.Select(TaskId))}",
            WorkStatus.Blocked => random.ArrayElement(BlockedReasons),
            WorkStatus.Cancelled => random.ArrayElement(CancelledReasons),
            _ => null,
        };
        return (status, note);
    }

    /// <summary>The last few task indices of one kind, to draw dependencies from without scanning the whole plan.</summary>
    private sealed class Recent(int capacity)
    {
        private readonly int[] _items = new int[capacity];
        private int _next;

        public int Count { get; private set; }

        public void Add(int index)
        {
            _items[_next] = index;
            _next = (_next + 1) % _items.Length;
            Count = Math.Min(Count + 1, _items.Length);
        }

        public int Pick(Randomizer random) => _items[random.Number(0, Count - 1)];
    }
}
