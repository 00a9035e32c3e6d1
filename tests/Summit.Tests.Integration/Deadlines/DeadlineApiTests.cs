using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Summit.Tests.Api;

namespace Summit.Tests.Deadlines;

/// <summary>
/// The deadline engine's HTTP surface on the real gateway. Its demo clock starts at 10 June 2020, 09:00 in Wenzhou and
/// runs at real speed, so "today" is 10 June for the whole run; each test builds its own summit so the demo tasks stay out.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DeadlineApiTests(GatewayFixture gateway)
{
    private async Task<string> CreateSummitAsync()
    {
        var code = $"dl-{Guid.NewGuid():N}"[..15];
        var http = await gateway.As("secretariat");
        await http.PostAsync("/api/summits", new
        {
            code,
            name = "2020世界青年科学家峰会 (deadline tests)",
            city = "温州",
            openingDate = "2020-11-17",
            closingDate = "2020-11-19",
            timeZone = "Asia/Shanghai",
            mode = "hybrid",
            targets = new { innovationAlliances = 10, cooperationProjects = 100, enterprises = 1000, startupFinalists = 75 },
            preparationStart = "2020-04-01",
        }).ShouldBe(HttpStatusCode.Created);
        return code;
    }

    private async Task CreateTaskAsync(string summit, string id, string dueDate, string owner = "county:pingyang", object? extra = null)
    {
        var http = await gateway.As("secretariat");
        var body = new JsonObject
        {
            ["id"] = id,
            ["title"] = $"Task {id}",
            ["category"] = "venue",
            ["owner"] = new JsonObject { ["kind"] = owner.Split(':')[0], ["code"] = owner.Split(':')[1] },
            ["dueDate"] = dueDate,
        };
        if (extra is not null)
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra, System.Text.Json.JsonSerializerOptions.Web))!.AsObject())
                body[key] = value?.DeepClone();
        await http.PostAsync($"/api/summits/{summit}/tasks", Api.Api.Json(body.ToJsonString())).ShouldBe(HttpStatusCode.Created);
    }

    private static async Task<string[]> IdsAsync(HttpClient http, string path)
    {
        var body = await (await http.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return [.. body["items"]!.AsArray().Select(i => i!["id"]!.ToString())];
    }

    [Fact]
    public async Task Due_lists_show_overdue_and_due_soon_tasks_by_the_summit_clock_scoped_to_the_caller()
    {
        var summit = await CreateSummitAsync();
        await CreateTaskAsync(summit, "late", "2020-06-09");
        await CreateTaskAsync(summit, "late-ruian", "2020-06-08", "county:ruian");
        await CreateTaskAsync(summit, "late-done", "2020-06-09");
        await CreateTaskAsync(summit, "today", "2020-06-10T17:00");
        await CreateTaskAsync(summit, "tomorrow", "2020-06-11");
        await CreateTaskAsync(summit, "later", "2020-06-20");
        var secretariat = await gateway.As("secretariat");
        await secretariat.PatchAsync($"/api/summits/{summit}/tasks/late-done", new { status = "done" }).ShouldBe(HttpStatusCode.OK);
        var tasks = $"/api/summits/{summit}/tasks";

        Assert.Equal(["late-ruian", "late"], await IdsAsync(secretariat, $"{tasks}?due=overdue"));
        Assert.Equal(["today", "tomorrow"], await IdsAsync(secretariat, $"{tasks}?due=soon"));
        Assert.Equal(["today"], await IdsAsync(secretariat, $"{tasks}?due=today"));
        Assert.Equal(["late"], await IdsAsync(secretariat, $"{tasks}?due=overdue&unit=county:pingyang"));

        var pingyang = await gateway.As("county-pingyang");
        Assert.Equal(["late"], await IdsAsync(pingyang, $"{tasks}?due=overdue"));
        var ruian = await gateway.As("county-ruian");
        Assert.Equal(["late-ruian"], await IdsAsync(ruian, $"{tasks}?due=overdue"));
        Assert.Empty(await IdsAsync(ruian, $"{tasks}?due=soon"));

        var bad = await secretariat.GetAsync($"{tasks}?due=later").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("due", await bad.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Announcements_follow_task_changes_without_a_manual_tick()
    {
        var summit = await CreateSummitAsync();
        await CreateTaskAsync(summit, "late", "2020-06-09");
        await CreateTaskAsync(summit, "late-ruian", "2020-06-09", "county:ruian");
        var path = $"/api/summits/{summit}/announcements";
        var secretariat = await gateway.As("secretariat");

        // The engine's timer fires shortly after a change; give it a few seconds.
        JsonArray items = [];
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            items = (await (await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["items"]!.AsArray();
            if (items.Count >= 2) break;
            await Task.Delay(100);
        }
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("overdue", i!["kind"]!.ToString()));
        Assert.Equal("2020-06-09T16:00:00Z", items.Single(i => i!["taskId"]!.ToString() == "late")!["stateSince"]!.ToString());

        var ruian = await gateway.As("county-ruian");
        var own = (await (await ruian.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal("late-ruian", Assert.Single(own)!["taskId"]!.ToString());
    }

    [Fact]
    public async Task Done_with_an_open_prerequisite_needs_the_secretariat_and_a_note()
    {
        var summit = await CreateSummitAsync();
        await CreateTaskAsync(summit, "plan", "2020-06-30");
        await CreateTaskAsync(summit, "venue", "2020-06-30", extra: new { dependsOn = new[] { "plan" } });
        var venue = $"/api/summits/{summit}/tasks/venue";
        var county = await gateway.As("county-pingyang");
        var secretariat = await gateway.As("secretariat");

        var refused = await county.PatchAsync(venue, new { status = "done" }).ShouldBe(HttpStatusCode.BadRequest);
        var problem = await refused.ReadJsonAsync();
        Assert.Contains("plan", problem["errors"]!["status"]![0]!.ToString());

        var notYours = await county.PatchAsync(venue, new { status = "done", overrideOpenPrerequisites = true, note = "we are done" })
            .ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("overrideOpenPrerequisites", await notYours.ErrorFieldsAsync());

        var noNote = await secretariat.PatchAsync(venue, new { status = "done", overrideOpenPrerequisites = true })
            .ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(["note"], await noNote.ErrorFieldsAsync());

        var done = await secretariat.PatchAsync(venue, new { status = "done", overrideOpenPrerequisites = true, note = "Signed off at the 17 June meeting." })
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal("done", (await done.ReadJsonAsync())["status"]!.ToString());
        var history = (await (await secretariat.GetAsync($"{venue}/history")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal("Signed off at the 17 June meeting.", history[^1]!["note"]!.ToString());
    }

    [Fact]
    public async Task The_schedule_endpoint_reports_the_hand_checked_critical_path_and_slack()
    {
        var summit = await CreateSummitAsync();
        await CreateTaskAsync(summit, "a", "2020-06-12", extra: new { remainingDays = 3 });
        await CreateTaskAsync(summit, "b", "2020-06-16", extra: new { remainingDays = 2, dependsOn = new[] { "a" } });
        await CreateTaskAsync(summit, "c", "2020-06-19", "county:ruian");
        await CreateTaskAsync(summit, "d", "2020-06-18", "secretariat:office", new { remainingDays = 3, dependsOn = new[] { "b" } });
        var path = $"/api/summits/{summit}/schedule";

        var schedule = await (await (await gateway.As("secretariat")).GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

        Assert.Equal("2020-06-10", schedule["today"]!.ToString());
        Assert.Equal(["a", "b", "d"], schedule["criticalPath"]!.AsArray().Select(n => n!.ToString()));
        Assert.False(schedule["openingAtRisk"]!.GetValue<bool>());
        Assert.Equal("2020-06-19", schedule["projectedFinish"]!.ToString());
        Assert.Equal(3, schedule["negativeSlackTasks"]!.GetValue<int>());
        var slack = schedule["tasks"]!.AsArray().ToDictionary(t => t!["id"]!.ToString(), t => t!["slack"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["a"] = -1, ["b"] = -1, ["d"] = -1, ["c"] = 7 }, slack);
        var d = schedule["tasks"]!.AsArray().Single(t => t!["id"]!.ToString() == "d")!;
        Assert.Equal(("2020-06-17", "2020-06-19", "2020-06-18", true), (d["earliestStart"]!.ToString(), d["projectedFinish"]!.ToString(), d["latestFinish"]!.ToString(), d["critical"]!.GetValue<bool>()));
        var counties = schedule["counties"]!.AsArray();
        Assert.Equal(["pingyang", "ruian"], counties.Select(c => c!["key"]!.ToString()));
        Assert.Equal(("2020-06-16", -1, true), (counties[0]!["projectedFinish"]!.ToString(), counties[0]!["minSlack"]!.GetValue<int>(), counties[0]!["atRisk"]!.GetValue<bool>()));

        // A county sees its own tasks and county; the summit-wide figures stay.
        var ruian = await (await (await gateway.As("county-ruian")).GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["c"], ruian["tasks"]!.AsArray().Select(t => t!["id"]!.ToString()));
        Assert.Empty(ruian["criticalPath"]!.AsArray());
        Assert.Equal(["ruian"], ruian["counties"]!.AsArray().Select(c => c!["key"]!.ToString()));
        Assert.Equal("2020-06-19", ruian["projectedFinish"]!.ToString());

        var leader = await (await (await gateway.As("leader")).GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(4, leader["tasks"]!.AsArray().Count);
        await (await gateway.As("secretariat")).GetAsync("/api/summits/no-such-summit/schedule").ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_readiness_endpoint_gives_scores_with_reasons_per_scope()
    {
        var summit = await CreateSummitAsync();
        var secretariat = await gateway.As("secretariat");
        await secretariat.PostAsync($"/api/summits/{summit}/counties", new { county = "pingyang", name = "平阳", venue = "平阳分会场" })
            .ShouldBe(HttpStatusCode.Created);
        await secretariat.PostAsync($"/api/summits/{summit}/counties", new { county = "ruian", name = "瑞安", venue = "瑞安分会场" })
            .ShouldBe(HttpStatusCode.Created);
        await CreateTaskAsync(summit, "late-1", "2020-06-08");
        await CreateTaskAsync(summit, "late-2", "2020-06-09");
        await CreateTaskAsync(summit, "fine", "2020-07-30");
        await CreateTaskAsync(summit, "ruian-fine", "2020-07-30", "county:ruian");
        var path = $"/api/summits/{summit}/readiness";

        var report = await (await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

        var counties = report["counties"]!.AsArray();
        Assert.Equal(["pingyang", "ruian"], counties.Select(c => c!["key"]!.ToString()));
        var pingyang = counties[0]!;
        var overdue = pingyang["reasons"]!.AsArray().First()!;
        Assert.Equal(("overdueTasks", 2, "2 overdue tasks", "2 项任务逾期"),
            (overdue["code"]!.ToString(), overdue["count"]!.GetValue<int>(), overdue["en"]!.ToString(), overdue["zh"]!.ToString()));
        Assert.True(pingyang["score"]!.GetValue<int>() < counties[1]!["score"]!.GetValue<int>());
        Assert.Equal("overall", report["overall"]!["scope"]!.ToString());

        var ruian = await (await (await gateway.As("county-ruian")).GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["ruian"], ruian["counties"]!.AsArray().Select(c => c!["key"]!.ToString()));
        Assert.NotNull(ruian["overall"]);
    }

    [Fact]
    public async Task The_working_calendar_is_read_by_all_set_by_the_secretariat_and_used_for_due_in_working_days()
    {
        var summit = await CreateSummitAsync();
        var path = $"/api/summits/{summit}/calendar";
        var secretariat = await gateway.As("secretariat");

        var initial = await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"1\"", initial.ETag());
        var calendar = await initial.ReadJsonAsync();
        Assert.True(calendar["isDefault"]!.GetValue<bool>());
        Assert.Contains("2020-10-01", calendar["holidays"]!.AsArray().Select(d => d!.ToString()));
        Assert.Contains("2020-06-28", calendar["makeUpWorkingDays"]!.AsArray().Select(d => d!.ToString()));

        var county = await gateway.As("county-pingyang");
        await county.GetAsync(path).ShouldBe(HttpStatusCode.OK);
        await county.SendAsync(HttpMethod.Put, path, new { holidays = Array.Empty<string>(), makeUpWorkingDays = Array.Empty<string>() })
            .ShouldBe(HttpStatusCode.Forbidden);

        async Task RefusedAsync(string body, string field)
        {
            var response = await secretariat.SendAsync(HttpMethod.Put, path, Api.Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
            Assert.Contains(field, await response.ErrorFieldsAsync());
        }
        await RefusedAsync("""{"holidays": [], "makeUpWorkingDays": ["2020-06-29"]}""", "makeUpWorkingDays[0]");
        await RefusedAsync("""{"holidays": ["2020-06-11", "2020-06-11"], "makeUpWorkingDays": []}""", "holidays[1]");
        await RefusedAsync("""{"holidays": ["11 June"], "makeUpWorkingDays": []}""", "holidays[0]");
        await RefusedAsync("""{"makeUpWorkingDays": []}""", "holidays");
        await RefusedAsync("""{"holidays": [], "makeUpWorkingDays": [], "extra": 1}""", "extra");

        // 11 June off for this summit: "due in one working day" from Wednesday 10 June is Friday 12 June.
        var set = await secretariat.SendAsync(HttpMethod.Put, path, new { holidays = new[] { "2020-06-11" }, makeUpWorkingDays = Array.Empty<string>(), source = "local test" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", set.ETag());
        Assert.False((await set.ReadJsonAsync())["isDefault"]!.GetValue<bool>());
        await secretariat.SendAsync(HttpMethod.Put, path, new { holidays = Array.Empty<string>(), makeUpWorkingDays = Array.Empty<string>() }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);

        var created = await secretariat.PostAsync($"/api/summits/{summit}/tasks", new
        {
            id = "quick",
            title = "Quick task",
            category = "budget",
            owner = new { kind = "county", code = "pingyang" },
            dueInWorkingDays = 1,
            remainingDays = 1,
        }).ShouldBe(HttpStatusCode.Created);
        var task = await created.ReadJsonAsync();
        Assert.Equal(("2020-06-12", 1), (task["dueDate"]!.ToString(), task["remainingDays"]!.GetValue<int>()));
        var both = await secretariat.PostAsync($"/api/summits/{summit}/tasks", new
        {
            title = "Both", category = "budget", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-06-30", dueInWorkingDays = 1,
        }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("dueInWorkingDays", await both.ErrorFieldsAsync());

        var reset = await secretariat.SendAsync(HttpMethod.Delete, path).ShouldBe(HttpStatusCode.OK);
        Assert.True((await reset.ReadJsonAsync())["isDefault"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Reminder_lead_times_are_set_per_summit()
    {
        var summit = await CreateSummitAsync();
        var path = $"/api/summits/{summit}/reminders";
        var secretariat = await gateway.As("secretariat");

        var initial = await (await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal([3, 1], initial["leadDays"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("09:00:00", initial["announceAt"]!.ToString());

        var bad = await secretariat.SendAsync(HttpMethod.Put, path, new { leadDays = new[] { 0, 90 } }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("leadDays[0]", await bad.ErrorFieldsAsync());
        Assert.Contains("leadDays[1]", await bad.ErrorFieldsAsync());

        var set = await (await secretariat.SendAsync(HttpMethod.Put, path, new { leadDays = new[] { 1, 5 }, announceAt = "08:30", leadsInWorkingDays = true })
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal([5, 1], set["leadDays"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(("08:30:00", true), (set["announceAt"]!.ToString(), set["leadsInWorkingDays"]!.GetValue<bool>()));
        await (await gateway.As("leader")).SendAsync(HttpMethod.Put, path, new { leadDays = new[] { 2 } }).ShouldBe(HttpStatusCode.Forbidden);
    }
}
