using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// Readiness against the plan and the S-curve, on a small summit built by hand (the demo clock's today is Wednesday
/// 10 June 2020): values, access by role, and bad query input.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ReadinessPlanApiTests(GatewayFixture gateway)
{
    /// <summary>
    /// Pingyang: one task from Monday 1 June for 10 working days, 20 % done (7 of 10 days planned by Tuesday evening).
    /// Ruian: one task from Monday 22 June for 5 days, not started (nothing planned yet).
    /// </summary>
    private Task<string> SummitAsync() => gateway.SharedAsync("readiness-plan-summit", async g =>
    {
        var http = await g.As("secretariat");
        var code = $"rp-{Guid.NewGuid():N}"[..12];
        await http.PostAsync("/api/summits", new
        {
            code, name = "Plan summit", city = "温州", openingDate = "2020-07-20", closingDate = "2020-07-21",
            timeZone = "Asia/Shanghai", mode = "hybrid",
            targets = new { innovationAlliances = 1, cooperationProjects = 1, enterprises = 1, startupFinalists = 1 },
            preparationStart = "2020-06-01",
        }).ShouldBe(HttpStatusCode.Created);
        foreach (var county in new[] { "pingyang", "ruian" })
            await http.PostAsync($"/api/summits/{code}/counties", new { county, name = county, venue = "会场" }).ShouldBe(HttpStatusCode.Created);
        await http.PostAsync($"/api/summits/{code}/tasks", new
        {
            id = "a", title = "平阳分会场布置", category = "venue", owner = new { kind = "county", code = "pingyang" },
            dueDate = "2020-06-30", start = "2020-06-01", durationDays = 10,
        }).ShouldBe(HttpStatusCode.Created);
        await http.PatchAsync($"/api/summits/{code}/tasks/a", new { status = "inProgress", percentComplete = 20 }).ShouldBe(HttpStatusCode.OK);
        await http.PostAsync($"/api/summits/{code}/tasks", new
        {
            id = "b", title = "瑞安子活动预算", category = "budget", owner = new { kind = "county", code = "ruian" },
            dueDate = "2020-07-10", start = "2020-06-22", durationDays = 5,
        }).ShouldBe(HttpStatusCode.Created);
        return code;
    });

    [Fact]
    public async Task The_plan_view_compares_earned_with_planned_and_ranks_the_worst_first()
    {
        var code = await SummitAsync();
        var plan = await (await (await gateway.As("leader")).GetAsync($"/api/summits/{code}/readiness/plan").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

        Assert.Equal("2020-06-10", plan["asOf"]!.GetValue<string>());
        // Weighted by planned days: planned (10 × 0.7 + 5 × 0) / 15 = 46.7 %, earned 10 × 0.2 / 15 = 13.3 %.
        var overall = plan["overall"]!;
        Assert.Equal((46.7, 13.3, -33.4, "farBehind"), (Number(overall["plannedPercent"]), Number(overall["earnedPercent"]), Number(overall["gap"]), overall["status"]!.GetValue<string>()));
        var counties = plan["counties"]!.AsArray();
        Assert.Equal(["pingyang", "ruian"], counties.Select(c => c!["key"]!.GetValue<string>()));
        Assert.Equal((70.0, 20.0, -50.0, "farBehind", 1), (Number(counties[0]!["plannedPercent"]), Number(counties[0]!["earnedPercent"]), Number(counties[0]!["gap"]), counties[0]!["status"]!.GetValue<string>(), counties[0]!["behindTasks"]!.GetValue<int>()));
        // Not due yet and not started: on track.
        Assert.Equal((0.0, 0.0, "onTrack"), (Number(counties[1]!["plannedPercent"]), Number(counties[1]!["gap"]), counties[1]!["status"]!.GetValue<string>()));
        Assert.Equal(["venue", "budget"], plan["categories"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()));

        // The readiness scores take the same plan-relative task input.
        var readiness = await (await (await gateway.As("leader")).GetAsync($"/api/summits/{code}/readiness")).ReadJsonAsync();
        var ruian = readiness["counties"]!.AsArray().Single(c => c!["key"]!.GetValue<string>() == "ruian")!;
        Assert.Equal((100, "onTrack"), (ruian["taskPercent"]!.GetValue<int>(), ruian["planStatus"]!.GetValue<string>()));
        var pingyang = readiness["counties"]!.AsArray().Single(c => c!["key"]!.GetValue<string>() == "pingyang")!;
        Assert.Equal((50, -50.0), (pingyang["taskPercent"]!.GetValue<int>(), Number(pingyang["gap"])));
    }

    [Fact]
    public async Task The_curve_plans_the_whole_window_and_earns_up_to_today()
    {
        var code = await SummitAsync();
        var curve = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{code}/readiness/curve").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(("overall", "2020-06-10", "2020-06-01", "2020-07-21", 2), (curve["scope"]!.GetValue<string>(), curve["today"]!.GetValue<string>(),
            curve["from"]!.GetValue<string>(), curve["to"]!.GetValue<string>(), curve["tasks"]!.GetValue<int>()));
        var points = curve["points"]!.AsArray().ToDictionary(p => p!["date"]!.GetValue<string>(), p => p!);
        Assert.Equal(51, points.Count);
        // Monday 1 June: one of a's ten days, a weighing 10 of 15.
        Assert.Equal(6.7, Number(points["2020-06-01"]["planned"]));
        Assert.Equal(46.7, Number(points["2020-06-09"]["planned"]));
        Assert.Equal(100, Number(points["2020-07-21"]["planned"]));
        // Both tasks were recorded today: nothing earned is known before, and nothing after today.
        Assert.Null(points["2020-06-09"]["earned"]);
        Assert.Equal(13.3, Number(points["2020-06-10"]["earned"]));
        Assert.Null(points["2020-06-11"]["earned"]);

        var county = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{code}/readiness/curve?scope=county&key=pingyang")).ReadJsonAsync();
        Assert.Equal(20, Number(county["points"]!.AsArray().Single(p => p!["date"]!.GetValue<string>() == "2020-06-10")!["earned"]));
        var category = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{code}/readiness/curve?scope=category&key=Budget")).ReadJsonAsync();
        Assert.Equal(("budget", 1), (category["key"]!.GetValue<string>(), category["tasks"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Units_see_their_own_county_and_another_county_is_not_found()
    {
        var code = await SummitAsync();
        var county = await gateway.As("county-pingyang");
        await county.GetAsync($"/api/summits/{code}/readiness/curve?scope=county&key=pingyang").ShouldBe(HttpStatusCode.OK);
        await county.GetAsync($"/api/summits/{code}/readiness/curve?scope=county&key=ruian").ShouldBe(HttpStatusCode.NotFound);
        await county.GetAsync($"/api/summits/{code}/readiness/curve?scope=county&key=nowhere").ShouldBe(HttpStatusCode.NotFound);
        var plan = await (await county.GetAsync($"/api/summits/{code}/readiness/plan").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["pingyang"], plan["counties"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()));

        await (await gateway.As("university-wmu")).GetAsync($"/api/summits/{code}/readiness/curve?scope=county&key=pingyang").ShouldBe(HttpStatusCode.NotFound);
        await gateway.Anonymous().GetAsync($"/api/summits/{code}/readiness/curve").ShouldBe(HttpStatusCode.Unauthorized);
        await gateway.Anonymous().GetAsync($"/api/summits/{code}/readiness/plan").ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("?scope=everything", "scope", "范围")]
    [InlineData("?scope=county", "key", "范围对象")]
    [InlineData("?scope=county&key=Ping%20Yang", "key", "范围对象")]
    [InlineData("?scope=county&key=pingyang%00", "key", "范围对象")]
    [InlineData("?key=pingyang", "key", "范围对象")]
    [InlineData("?scope=category&key=parties", "key", "范围对象")]
    [InlineData("?scope=%3Cscript%3E", "scope", "范围")]
    [InlineData("?scop=county", "scop", "scop")]
    public async Task Bad_query_input_is_a_chinese_problem_naming_the_parameter(string query, string field, string label)
    {
        var code = await SummitAsync();
        var response = await (await gateway.As("secretariat")).GetAsync($"/api/summits/{code}/readiness/curve{query}").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
        var problem = await response.ReadJsonAsync();
        Assert.Contains(label, problem["detail"]!.GetValue<string>());
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
    }

    [Fact]
    public async Task The_plan_view_takes_no_query_parameters()
    {
        var code = await SummitAsync();
        var response = await (await gateway.As("secretariat")).GetAsync($"/api/summits/{code}/readiness/plan?scope=county").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("scope", await response.ErrorFieldsAsync());
    }

    private static double Number(JsonNode? node) => node!.GetValue<double>();
}
