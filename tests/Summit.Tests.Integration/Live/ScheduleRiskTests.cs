using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Progress;
using Summit.Scheduling;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Live;

/// <summary>
/// Schedule risk on the dashboard, through the real Gateway and its silo: each test builds its own small summit on the
/// demo clock (Wednesday 10 June 2020, 09:00 onwards, on the 2020 working calendar).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ScheduleRiskTests(LiveGatewayFixture fixture)
{
    private static readonly Actor Secretariat = new("secretariat", Role.Secretariat);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private IGrainFactory Grains => fixture.Factory.Services.GetRequiredService<IGrainFactory>();

    private static LocalDate June(int day) => new(2020, 6, day);

    private static TaskDraft Draft(string title, OwningUnit owner, LocalDate due, int? days = null, params string[] dependsOn) =>
        new(title, TaskCategory.Logistics, owner, new Deadline(due), DependsOn: dependsOn) { RemainingDays = days };

    /// <summary>
    /// Today Wednesday 10 June. a (Pingyang, 3 days: 10–12 June) → b (Pingyang, 2 days: 15–16) → d (office, 3 days:
    /// 17–19, due Thursday 18): one day late, so the chain has slack −1. c (Ruian, 1 day, due 19 June) has slack 7.
    /// </summary>
    private async Task<string> ChainAsync()
    {
        var summit = (await Grains.GetGrain<ISummitGrain>($"risk-{Guid.NewGuid():N}"[..14]).Create(ClusterFixture.Draft(), Secretariat)).Code;
        Assert.Equal(June(10), fixture.Factory.Services.GetRequiredService<IClock>().GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date);
        await County(summit, "pingyang").Create(new CountyDraft("平阳县", "平阳会场"), Secretariat);
        await County(summit, "ruian").Create(new CountyDraft("瑞安市", "瑞安会场"), Secretariat);
        await TaskGrain(summit, "a").Create(Draft("场地合同", OwningUnit.County("pingyang"), June(12), 3), Secretariat);
        await TaskGrain(summit, "b").Create(Draft("场地布置", OwningUnit.County("pingyang"), June(16), 2, "a"), Secretariat);
        await TaskGrain(summit, "c").Create(Draft("瑞安宣传", OwningUnit.County("ruian"), June(19)), Secretariat);
        await TaskGrain(summit, "d").Create(Draft("彩排", OwningUnit.Department("office"), June(18), 3, "b"), Secretariat);
        return summit;
    }

    [Fact]
    public async Task A_late_prerequisite_chain_puts_the_opening_at_risk_on_the_dashboard_until_it_is_fixed()
    {
        var summit = await ChainAsync();

        var summary = await WaitAsync(() => Grains.GetGrain<IDeadlinesGrain>(summit).GetScheduleSummary(), s => s?.OpenTasks == 4);
        Assert.Equal((June(10), June(19)), (summary!.Today, summary.PreparationFinish!.Value));
        // Not past the eve of the opening, but a chain is late: the dashboard's "opening at risk".
        Assert.Equal((false, true), (summary.OpeningAtRisk, summary.AtRisk));
        Assert.Equal((3, 3), (summary.NegativeSlackTasks, summary.CriticalPathLength));
        Assert.Equal(["a", "b", "d"], summary.NegativeSlack!);
        Assert.Equal(["a", "b", "d"], summary.CriticalTasks.Select(t => t.Id));
        Assert.Equal(new CriticalTask("d", "彩排", OwningUnit.Department("office"), new Deadline(June(18)), June(19), -1), summary.CriticalTasks[2]);
        Assert.Equal([new ScheduleRollup("pingyang", 2, June(16), -1), new ScheduleRollup("ruian", 1, June(10), 7)], summary.Counties);
        // Asked again with the revision it has, the engine sends nothing.
        Assert.Null(await Grains.GetGrain<IDeadlinesGrain>(summit).GetScheduleSummary(summary.Revision));

        var dashboard = Grains.GetGrain<IDashboardGrain>(summit);
        var snapshot = await WaitAsync(async () =>
        {
            await dashboard.RefreshReadiness();
            return await dashboard.GetSnapshot(DashboardScope.Summit);
        }, s => s.Schedule?.NegativeSlackTasks == 3);
        var risk = snapshot.Schedule!;
        Assert.True(risk.AtRisk);
        Assert.Equal(June(19), risk.PreparationFinish);
        Assert.Equal(3, risk.CriticalTasks.Count);
        Assert.Equal(summary.Counties, risk.Counties);
        Assert.Null(risk.NegativeSlack);
        Assert.Contains(snapshot.Overall!.Reasons, r => r is { Code: "negativeSlack", Count: 3 });

        // The secretariat finishes a: b can start today (10–11 June), d follows on 12–16 June, two days early.
        await TaskGrain(summit, "a").Change(new TaskChange(Status: WorkStatus.Done), Secretariat);
        var patch = await WaitAsync(async () =>
        {
            await dashboard.RefreshReadiness();
            return await dashboard.GetPatch(DashboardScope.Summit, snapshot.Revision);
        }, p => p?.Schedule is { NegativeSlackTasks: 0 });
        var fixedSchedule = patch!.Schedule!;
        Assert.False(fixedSchedule.AtRisk);
        Assert.Equal(June(16), fixedSchedule.PreparationFinish);
        Assert.Equal([new ScheduleRollup("pingyang", 1, June(11), 2), new ScheduleRollup("ruian", 1, June(10), 7)], fixedSchedule.Counties);
        Assert.DoesNotContain(patch.Overall?.Reasons ?? [], r => r.Code == "negativeSlack");

        var after = await dashboard.GetSnapshot(DashboardScope.Summit);
        Assert.False(after.Schedule!.AtRisk);
        Assert.Equal(["b", "d"], after.Schedule.CriticalTasks.Select(t => t.Id));
        // Nothing changed since: a patch carries no schedule.
        await dashboard.RefreshReadiness();
        var quiet = await dashboard.GetPatch(DashboardScope.Summit, (await dashboard.GetSnapshot(DashboardScope.Summit)).Revision);
        Assert.Null(quiet?.Schedule);
    }

    [Fact]
    public async Task The_dashboards_readiness_equals_the_readiness_endpoint()
    {
        var summit = await ChainAsync();
        await University(summit, "wmu").Create(new UniversityDraft("温州医科大学", "科研处"), Secretariat);
        await University(summit, "wzu").Create(new UniversityDraft("温州大学", "科研处"), Secretariat);
        await Forum(summit, "health").Create(ForumDraft("健康", "wmu"), Secretariat);
        await Forum(summit, "ocean").Create(ForumDraft("海洋", "wzu"), Secretariat);
        // A sub-forum of the online plan only: set aside while the summit runs hybrid.
        await Forum(summit, "remote").Create(ForumDraft("远程", "wmu") with { Plan = SummitMode.Online }, Secretariat);
        await TaskGrain(summit, "h1").Create(Draft("健康议程", OwningUnit.University("wmu"), June(30), 2) with { SubForum = "health" }, Secretariat);
        // Due tonight with three days left: behind schedule, not yet overdue.
        await TaskGrain(summit, "o1").Create(Draft("海洋议程", OwningUnit.University("wzu"), June(10), 3) with { SubForum = "ocean" }, Secretariat);
        await TaskGrain(summit, "late").Create(Draft("报批", OwningUnit.County("pingyang"), June(9)), Secretariat);
        // Overdue too, but set aside by the contingency plan: neither side may count it.
        await TaskGrain(summit, "online").Create(Draft("线上直播", OwningUnit.County("pingyang"), June(1)) with { Plan = SummitMode.Online }, Secretariat);

        var leader = await fixture.As("leader");
        var dashboard = Grains.GetGrain<IDashboardGrain>(summit);
        (JsonObject Dashboard, JsonObject Readiness) pair = default;
        var deadline = DateTime.UtcNow + Settle;
        while (true)
        {
            await dashboard.RefreshReadiness();
            pair = (await GetAsync(leader, $"/api/summits/{summit}/dashboard"), await GetAsync(leader, $"/api/summits/{summit}/readiness"));
            if (Same(pair.Dashboard, pair.Readiness) || DateTime.UtcNow > deadline) break;
            await Task.Delay(100);
        }
        var (view, report) = pair;

        Assert.True(JsonNode.DeepEquals(report["overall"], view["overall"]), $"overall: {report["overall"]} vs {view["overall"]}");
        foreach (var county in report["counties"]!.AsArray())
        {
            var row = view["counties"]!.AsArray().Single(c => c!["county"]!.ToString() == county!["key"]!.ToString());
            Assert.True(JsonNode.DeepEquals(county, row!["readiness"]), $"county: {county} vs {row!["readiness"]}");
        }
        Assert.Equal(["health", "ocean"], report["subForums"]!.AsArray().Select(f => f!["key"]!.ToString()));
        foreach (var forum in report["subForums"]!.AsArray())
        {
            var row = view["subForums"]!.AsArray().Single(f => f!["id"]!.ToString() == forum!["key"]!.ToString());
            Assert.True(JsonNode.DeepEquals(forum, row!["readiness"]), $"sub-forum: {forum} vs {row!["readiness"]}");
        }
        Assert.Null(view["subForums"]!.AsArray().Single(f => f!["id"]!.ToString() == "remote")!["readiness"]);

        // a, b, d and o1 are behind; "late" is overdue (and counted so); "online" is set aside.
        Assert.Contains(Reasons(report["overall"]), r => r == ("negativeSlack", 4));
        Assert.Contains(Reasons(report["overall"]), r => r == ("overdueTasks", 1));
        var pingyang = report["counties"]!.AsArray().Single(c => c!["key"]!.ToString() == "pingyang");
        Assert.Equal([("overdueTasks", 1), ("negativeSlack", 2)], Reasons(pingyang).Take(2));
        var ocean = report["subForums"]!.AsArray().Single(f => f!["key"]!.ToString() == "ocean");
        Assert.Contains(Reasons(ocean), r => r == ("negativeSlack", 1));
    }

    [Fact]
    public async Task A_county_or_university_view_holds_only_its_own_part_of_the_schedule()
    {
        var summit = await ChainAsync();
        await University(summit, "wmu").Create(new UniversityDraft("温州医科大学", "科研处"), Secretariat);
        await University(summit, "wzu").Create(new UniversityDraft("温州大学", "科研处"), Secretariat);
        await Forum(summit, "health").Create(ForumDraft("健康", "wmu"), Secretariat);
        await Forum(summit, "ocean").Create(ForumDraft("海洋", "wzu"), Secretariat);
        await TaskGrain(summit, "h1").Create(Draft("健康议程", OwningUnit.University("wmu"), June(30), 2) with { SubForum = "health" }, Secretariat);
        await TaskGrain(summit, "o1").Create(Draft("海洋议程", OwningUnit.University("wzu"), June(30), 2) with { SubForum = "ocean" }, Secretariat);
        var dashboard = Grains.GetGrain<IDashboardGrain>(summit);
        await WaitAsync(async () =>
        {
            await dashboard.RefreshReadiness();
            return await dashboard.GetSnapshot(DashboardScope.Summit);
        }, s => s.Schedule is { Counties.Count: 2, SubForums.Count: 2, NegativeSlackTasks: 3 });

        var pingyang = (await GetAsync(await fixture.As("county-pingyang"), $"/api/summits/{summit}/dashboard"))["schedule"]!.AsObject();
        Assert.True(pingyang["atRisk"]!.GetValue<bool>());
        Assert.Equal(3, pingyang["negativeSlackTasks"]!.GetValue<int>());
        Assert.Equal("pingyang", Assert.Single(pingyang["counties"]!.AsArray())!["key"]!.ToString());
        Assert.Empty(pingyang["subForums"]!.AsArray());
        Assert.Equal(["a", "b"], pingyang["criticalTasks"]!.AsArray().Select(t => t!["id"]!.ToString()));
        Assert.Null(pingyang["negativeSlack"]);
        Assert.DoesNotContain("ruian", pingyang.ToJsonString());

        // The grain scopes it before the Gateway filters it.
        var ruian = (await dashboard.GetSnapshot(DashboardScope.County("ruian"))).Schedule!;
        Assert.Equal(["ruian"], ruian.Counties.Select(c => c.Key));
        Assert.Empty(ruian.CriticalTasks);
        Assert.Null(ruian.NegativeSlack);
        var full = await dashboard.GetPatch(DashboardScope.County("ruian"), 0);
        Assert.Equal(["ruian"], full!.Schedule!.Counties.Select(c => c.Key));

        var wmu = (await GetAsync(await fixture.As("university-wmu"), $"/api/summits/{summit}/dashboard"))["schedule"]!.AsObject();
        Assert.Empty(wmu["counties"]!.AsArray());
        var hosted = Assert.Single(wmu["subForums"]!.AsArray())!;
        Assert.Equal(("health", "wmu"), (hosted["key"]!.ToString(), hosted["hostUniversity"]!.ToString()));
        Assert.Empty(wmu["criticalTasks"]!.AsArray());

        var leader = (await GetAsync(await fixture.As("leader"), $"/api/summits/{summit}/dashboard"))["schedule"]!.AsObject();
        Assert.Equal(["pingyang", "ruian"], leader["counties"]!.AsArray().Select(c => c!["key"]!.ToString()));
        Assert.Equal(["health", "ocean"], leader["subForums"]!.AsArray().Select(f => f!["key"]!.ToString()));
        Assert.Equal(["a", "b", "d"], leader["criticalTasks"]!.AsArray().Select(t => t!["id"]!.ToString()));
        Assert.Null(leader["negativeSlack"]);
    }

    private IPreparationTaskGrain TaskGrain(string summit, string id) => Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, id));

    private ICountyVenueGrain County(string summit, string code) => Grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, code));

    private ISubForumGrain Forum(string summit, string id) => Grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit, id));

    private IPartnerUniversityGrain University(string summit, string code) => Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, code));

    private static SubForumDraft ForumDraft(string theme, string host) =>
        new(theme, new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0), "Hall A", EventFormat.Offline, host);

    private static async Task<JsonObject> GetAsync(HttpClient http, string path) =>
        await (await http.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

    private static (string Code, int Count)[] Reasons(JsonNode? score) =>
        [.. score!["reasons"]!.AsArray().Select(r => (r!["code"]!.ToString(), r["count"]?.GetValue<int>() ?? 0))];

    /// <summary>The dashboard's overall, county and sub-forum scores are the readiness report's.</summary>
    private static bool Same(JsonObject view, JsonObject report) =>
        JsonNode.DeepEquals(report["overall"], view["overall"])
        && report["counties"]!.AsArray().All(c => view["counties"]!.AsArray().Any(r =>
            r!["county"]!.ToString() == c!["key"]!.ToString() && JsonNode.DeepEquals(c, r["readiness"])))
        && report["subForums"]!.AsArray().All(f => view["subForums"]!.AsArray().Any(r =>
            r!["id"]!.ToString() == f!["key"]!.ToString() && JsonNode.DeepEquals(f, r["readiness"])));

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> ready)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (true)
        {
            var value = await read();
            if (ready(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not settled in time; last: {value}");
            await Task.Delay(100);
        }
    }
}
