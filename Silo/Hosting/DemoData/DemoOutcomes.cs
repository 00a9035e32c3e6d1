using NodaTime;
using Summit.Domain;
using Summit.Grains;

namespace Summit.Hosting.DemoData;

/// <summary>
/// The demo summit's innovation alliances and University Startup World Cup projects as they stood in June 2020: the
/// alliances tied to Wenzhou's industries (pumps and valves, auto parts, life and health, electrical, shoes and leather,
/// clothing), most signed and some still forming; the finalists from universities around the world, most confirmed and
/// some still nominated or withdrawn, so neither target reads 100 %. Each is created at its first status and moved
/// through the pipeline, so its history reads as it happened.
/// </summary>
public static class DemoOutcomes
{
    /// <summary>An alliance as it stands, and the statuses it went through to get there.</summary>
    public sealed record AlliancePlan(string Id, AllianceDraft Draft);

    public sealed record FinalistPlan(string Id, FinalistDraft Draft);

    /// <summary>The sub-forum of the Startup World Cup final, when the plan has it.</summary>
    public const string FinalSubForum = "startup-world-cup";

    private static LocalDate Day(int month, int day) => new(2020, month, day);

    public static IReadOnlyList<AlliancePlan> Alliances() =>
    [
        Alliance("pumpvalve", "泵阀产业产学研用协同创新联盟", "Pump and Valve Industry Innovation Alliance", "泵阀", OwningUnit.County("longwan"),
            ["中国复合材料学会", "温州系统流程装备科学研究院", "浙江省泵阀行业协会", "温州大学机电工程学院"],
            ["超达阀门集团股份有限公司", "保一集团有限公司", "精工阀门集团有限公司", "中核苏阀温州分公司", "永嘉县三维泵业有限公司"],
            AllianceStatus.Signed, Day(4, 17)),
        Alliance("ruian-auto-parts", "瑞安汽车零部件产学研用协同创新联盟", "Ruian Auto Parts Innovation Alliance", "汽车零部件", OwningUnit.County("ruian"),
            ["中国汽车工程学会", "北航浙江新能源汽车研究院", "浙江省瑞安经济开发区"],
            ["瑞立集团有限公司", "浙江胜华波电器股份有限公司", "浙江奔腾汽车零部件有限公司", "瑞安市力邦电器有限公司"],
            AllianceStatus.Signed, Day(4, 17)),
        Alliance("life-health", "生命健康产学研用协同创新联盟", "Life and Health Innovation Alliance", "生命健康", OwningUnit.University("wmu"),
            ["温州医科大学", "中国科学院大学温州研究院", "温州医科大学附属第一医院", "浙江省医学会"],
            ["浙江海正药业温州公司", "温州康宁医院股份有限公司", "浙江贝尔通信生物科技有限公司"],
            AllianceStatus.Signed, Day(5, 8)),
        Alliance("eye-vision", "眼视光与视觉健康协同创新联盟", "Eye and Vision Health Innovation Alliance", "眼视光", OwningUnit.University("wmu"),
            ["温州医科大学眼视光学院", "国家眼视光工程技术研究中心", "中华医学会眼科学分会"],
            ["温州医科大学眼视光医疗器械有限公司", "浙江目乐医疗科技股份有限公司"],
            AllianceStatus.Signed, Day(5, 20)),
        Alliance("yueqing-electrical", "乐清电气产业产学研用协同创新联盟", "Yueqing Electrical Industry Innovation Alliance", "电气", OwningUnit.County("yueqing"),
            ["中国电工技术学会", "上海电器科学研究院", "浙江大学电气工程学院"],
            ["正泰集团股份有限公司", "德力西集团有限公司", "人民电器集团有限公司", "天正集团有限公司"],
            AllianceStatus.Signed, Day(5, 28)),
        Alliance("shoes-leather", "鞋革产业产学研用协同创新联盟", "Shoes and Leather Industry Innovation Alliance", "鞋革", OwningUnit.County("lucheng"),
            ["中国皮革协会", "中国皮革和制鞋工业研究院", "温州职业技术学院"],
            ["康奈集团有限公司", "奥康集团有限公司", "红蜻蜓集团有限公司"],
            AllianceStatus.Signed, Day(6, 5)),
        Alliance("fashion-clothing", "时尚服装产学研用协同创新联盟", "Fashion and Clothing Innovation Alliance", "服装", OwningUnit.County("ouhai"),
            ["中国纺织工程学会", "中国服装设计师协会", "温州大学美术与设计学院"],
            ["森马服饰股份有限公司", "报喜鸟控股股份有限公司", "庄吉集团有限公司"],
            AllianceStatus.Signed, Day(6, 8)),
        Alliance("marine-green", "海洋经济与绿色低碳协同创新联盟", "Marine Economy and Low-carbon Innovation Alliance", "海洋经济", OwningUnit.County("dongtou"),
            ["温州大学", "自然资源部第二海洋研究所", "浙江省海洋经济发展研究会"],
            ["温州港集团有限公司", "浙江龙湾海洋科技有限公司"],
            AllianceStatus.Forming, null),
        Alliance("smart-agriculture", "智慧农业与乡村振兴协同创新联盟", "Smart Agriculture and Rural Revitalisation Innovation Alliance", "现代农业", OwningUnit.University("wzvcst"),
            ["温州科技职业学院", "浙江省农业科学院", "温州市农业农村局"],
            ["文成县农业发展有限公司", "泰顺县三杯香茶业有限公司"],
            AllianceStatus.Forming, null),
        Alliance("digital-economy", "数字经济产学研用协同创新联盟", "Digital Economy Innovation Alliance", "数字经济", OwningUnit.Department("office"),
            ["温州市科学技术协会", "之江实验室", "中国科学院大学温州研究院"],
            [],
            AllianceStatus.Proposed, null),
    ];

    private static AlliancePlan Alliance(
        string id, string name, string nameEn, string field, OwningUnit lead, string[] units, string[] enterprises, AllianceStatus status, LocalDate? signed) =>
        new(id, new AllianceDraft(name, field, lead, nameEn, units, enterprises, status, signed));

    private static readonly (string Track, string[] Projects)[] Tracks =
    [
        ("生命健康", ["新型角膜接触镜材料", "肿瘤早筛液体活检芯片", "便携式眼底影像筛查仪", "可降解心血管支架", "智能康复外骨骼", "AI 辅助病理诊断平台",
            "微针透皮给药贴片", "新冠抗体快速检测试剂", "干细胞再生修复敷料", "远程慢病管理平台", "脑机接口睡眠监测", "儿童近视防控智能台灯", "靶向递药纳米载体", "口腔数字化种植导板"]),
        ("智能制造", ["泵阀智能运维系统", "汽车零部件视觉质检", "协作机器人柔性产线", "低压电器数字孪生工厂", "鞋类 3D 打印定制", "工业互联网边缘网关",
            "精密减速器国产化", "阀门密封件寿命预测", "服装智能排产系统", "激光焊接自适应控制", "无人仓储调度平台", "电机能效在线诊断", "眼镜模具智能设计", "五金锁具柔性装配"]),
        ("新材料", ["石墨烯导热膜", "复合材料泵壳", "生物基可降解鞋材", "高性能碳纤维预浸料", "柔性钙钛矿薄膜", "自修复防腐涂层",
            "轻量化铝基复合材料", "环保水性皮革涂饰剂", "气凝胶保温毡", "高分子抗菌面料", "耐高温密封陶瓷", "纳米银导电油墨", "超疏水防污膜", "高强度生物医用镁合金"]),
        ("信息技术", ["城市级数字孪生平台", "隐私计算数据交易所", "乡村电商直播 SaaS", "多语种会议同传引擎", "区块链供应链金融", "低代码政务服务平台",
            "工业视觉开源框架", "边缘 AI 安防芯片", "智能客服知识图谱", "车路协同高精地图", "在线教育自适应学习", "中文古籍智能识别", "温州方言语音识别", "跨境贸易智能报关"]),
        ("绿色能源", ["海上漂浮式光伏", "氢燃料电池电堆", "动力电池梯次利用", "家庭储能管理系统", "潮流能发电装置", "工业余热回收热泵",
            "生物质成型燃料", "智能微电网控制器", "钠离子电池正极材料", "建筑光伏一体化幕墙", "碳足迹核算平台", "电动船舶快充系统", "分布式光伏运维机器人", "绿色建材碳捕集砌块"]),
        ("社会创新", ["山区留守儿童在线陪伴", "视障人士导航眼镜", "社区养老互助平台", "乡村非遗文创工坊", "海洋塑料回收计划", "青年科学家科普剧场",
            "农产品冷链共享驿站", "无障碍出行地图", "社区垃圾智能分类", "残障人士就业培训平台", "乡村医生远程培训", "校园心理健康守护", "侨乡文化数字博物馆", "海岛渔民健康驿站"]),
    ];

    private static readonly (string University, string Country)[] Universities =
    [
        ("温州医科大学", "中国"), ("温州大学", "中国"), ("温州职业技术学院", "中国"), ("温州科技职业学院", "中国"), ("浙江大学", "中国"),
        ("清华大学", "中国"), ("北京航空航天大学", "中国"), ("复旦大学", "中国"), ("香港科技大学", "中国"), ("台湾大学", "中国"),
        ("哥本哈根商学院", "丹麦"), ("丹麦技术大学", "丹麦"), ("奥胡斯大学", "丹麦"), ("斯坦福大学", "美国"), ("麻省理工学院", "美国"),
        ("加州大学伯克利分校", "美国"), ("剑桥大学", "英国"), ("帝国理工学院", "英国"), ("苏黎世联邦理工学院", "瑞士"), ("慕尼黑工业大学", "德国"),
        ("新加坡国立大学", "新加坡"), ("南洋理工大学", "新加坡"), ("东京大学", "日本"), ("首尔国立大学", "韩国"), ("多伦多大学", "加拿大"),
        ("墨尔本大学", "澳大利亚"), ("特拉维夫大学", "以色列"), ("赫尔辛基大学", "芬兰"), ("代尔夫特理工大学", "荷兰"), ("圣保罗大学", "巴西"),
        ("开普敦大学", "南非"), ("莫斯科国立大学", "俄罗斯"),
    ];

    private static readonly string[] Surnames = ["陈", "林", "王", "张", "李", "刘", "黄", "周", "吴", "郑", "徐", "潘", "叶", "杨", "赵", "金"];
    private static readonly string[] GivenNames = ["思远", "嘉怡", "浩然", "雨桐", "子涵", "一鸣", "欣然", "博文", "若曦", "明轩", "晓雯", "天宇", "诗涵", "俊杰"];
    private static readonly string[] ForeignLeads = ["Anders", "Sofie", "Emily", "Lukas", "Hannah", "Daniel", "Yuki", "Min-jun", "Olivia", "Noah", "Amara", "Mateus"];

    /// <summary>
    /// 80 projects put forward for the final of 75: 60 confirmed, 15 still nominated, 5 withdrawn. The same list every
    /// time (no randomness), so the demo's figures are stable.
    /// </summary>
    public static IReadOnlyList<FinalistPlan> Finalists(bool linkFinal = true)
    {
        var plans = new List<FinalistPlan>(80);
        var n = 0;
        for (var round = 0; plans.Count < 80; round++)
        {
            foreach (var (track, projects) in Tracks)
            {
                if (round >= projects.Length || plans.Count == 80) continue;
                var (university, country) = Universities[(n * 7 + round) % Universities.Length];
                var lead = country == "中国"
                    ? Surnames[(n * 5 + 3) % Surnames.Length] + GivenNames[(n * 3 + round) % GivenNames.Length]
                    : ForeignLeads[(n * 5 + round) % ForeignLeads.Length];
                var status = (n % 16) switch
                {
                    3 or 9 or 14 => FinalistStatus.Nominated,
                    12 => FinalistStatus.Withdrawn,
                    _ => FinalistStatus.Confirmed,
                };
                plans.Add(new FinalistPlan($"swc-{n + 1:000}",
                    new FinalistDraft(projects[round], $"{lead}团队", university, country, track, status, linkFinal ? FinalSubForum : null)));
                n++;
            }
        }
        return plans;
    }

    /// <summary>The statuses an alliance passes through to reach its own, first one included.</summary>
    public static IEnumerable<AllianceChange> AllianceSteps(AllianceDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Status is AllianceStatus.Forming or AllianceStatus.Signed) yield return new AllianceChange(Status: AllianceStatus.Forming);
        if (draft.Status == AllianceStatus.Signed) yield return new AllianceChange(Status: AllianceStatus.Signed, SigningDate: draft.SigningDate, Note: "联盟协议已签署");
        if (draft.Status == AllianceStatus.Cancelled) yield return new AllianceChange(Status: AllianceStatus.Cancelled);
    }

    /// <summary>Seeds the alliances and finalists of a summit whose sub-forums already exist.</summary>
    public static async Task SeedAsync(IGrainFactory grains, string summit, bool hasFinalSubForum, ParallelOptions options, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(grains);
        await Parallel.ForEachAsync(Alliances(), options, async (plan, _) =>
        {
            var grain = grains.GetGrain<IInnovationAllianceGrain>(GrainKeys.Of(summit, plan.Id));
            await grain.Create(plan.Draft with { Status = AllianceStatus.Proposed, SigningDate = null }, actor);
            foreach (var step in AllianceSteps(plan.Draft)) await grain.Change(step, actor);
        });
        await Parallel.ForEachAsync(Finalists(hasFinalSubForum), options, async (plan, _) =>
        {
            var grain = grains.GetGrain<IStartupFinalistGrain>(GrainKeys.Of(summit, plan.Id));
            await grain.Create(plan.Draft with { Status = FinalistStatus.Nominated }, actor);
            if (plan.Draft.Status != FinalistStatus.Nominated) await grain.Change(new FinalistChange(Status: plan.Draft.Status), actor);
        });
    }
}
