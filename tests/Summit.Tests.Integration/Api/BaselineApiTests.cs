using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// The plan baseline: the secretariat approves the tasks' planned dates as they stand, later moves show against it, approving
/// again needs replace and a note and keeps the history; retries with a key apply once; bad input changes nothing.
/// Each test plans a summit of its own, so the demo summit's baseline (and other tests) cannot interfere.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BaselineApiTests(GatewayFixture gateway)
{
    private async Task<string> NewSummitAsync(HttpClient http)
    {
        var code = $"bl-{Guid.NewGuid():N}"[..14];
        await http.PostAsync("/api/summits", new
        {
            code, name = "基线测试峰会", city = "温州", openingDate = "2020-10-18", closingDate = "2020-10-19", timeZone = "Asia/Shanghai",
            mode = "offline", targets = new { innovationAlliances = 1, cooperationProjects = 2, enterprises = 3, startupFinalists = 4 },
            preparationStart = "2020-04-01",
        }).ShouldBe(HttpStatusCode.Created);
        return code;
    }

    private static async Task<string> TaskAsync(HttpClient http, string summit, string owner, string dueDate, string? start = null, int? durationDays = null, bool milestone = false)
    {
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var body = new JsonObject
        {
            ["id"] = id, ["title"] = $"基线任务 {id}", ["category"] = "plan", ["dueDate"] = dueDate, ["milestone"] = milestone,
            ["owner"] = new JsonObject { ["kind"] = owner.Split(':')[0], ["code"] = owner.Split(':')[1] },
        };
        if (start is not null) body["start"] = start;
        if (durationDays is not null) body["durationDays"] = durationDays;
        await http.PostAsync($"/api/summits/{summit}/tasks", Api.Json(body.ToJsonString())).ShouldBe(HttpStatusCode.Created);
        return id;
    }

    [Fact]
    public async Task Approving_keeps_the_plan_as_it_stood_and_approving_again_needs_replace_and_a_note()
    {
        var http = await gateway.As("secretariat");
        var summit = await NewSummitAsync(http);
        var planned = await TaskAsync(http, summit, "secretariat:office", "2020-06-30", start: "2020-06-01", durationDays: 10);
        var milestone = await TaskAsync(http, summit, "secretariat:office", "2020-07-15", milestone: true);
        var cancelled = await TaskAsync(http, summit, "secretariat:office", "2020-07-20");
        await http.PatchAsync($"/api/summits/{summit}/tasks/{cancelled}", new { status = "cancelled" }).ShouldBe(HttpStatusCode.OK);

        var none = await (await http.GetAsync($"/api/summits/{summit}/baseline").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.False(none["approved"]!.GetValue<bool>());
        Assert.Equal(0, none["version"]!.GetValue<int>());

        var approved = await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "首次批准" }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"1\"", approved.ETag());
        var first = await approved.ReadJsonAsync();
        Assert.True(first["approved"]!.GetValue<bool>());
        Assert.Equal(2, first["taskCount"]!.GetValue<int>());
        Assert.Equal("secretariat", first["approvedBy"]!.GetValue<string>());

        var rows = await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks")).ReadJsonAsync();
        Assert.Equal(2, rows["total"]!.GetValue<int>());
        var row = rows["items"]!.AsArray().Single(r => r!["task"]!.GetValue<string>() == planned)!;
        Assert.Equal("2020-06-01", row["start"]!.GetValue<string>());
        Assert.Equal("2020-06-30", row["dueDate"]!.GetValue<string>());
        Assert.Equal(10, row["durationDays"]!.GetValue<int>());
        Assert.Equal("secretariat:office", row["owner"]!.GetValue<string>());
        var mile = await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks/{milestone}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(mile["milestone"]!.GetValue<bool>());
        Assert.Null(mile["start"]);
        await http.GetAsync($"/api/summits/{summit}/baseline/tasks/{cancelled}").ShouldBe(HttpStatusCode.NotFound);
        var one = await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks?task={milestone}")).ReadJsonAsync();
        Assert.Equal(milestone, one["items"]!.AsArray().Single()!["task"]!.GetValue<string>());
        Assert.Equal(0, (await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks?task={cancelled}")).ReadJsonAsync())["total"]!.GetValue<int>());

        // The plan moves; the baseline does not.
        await http.PatchAsync($"/api/summits/{summit}/tasks/{planned}", new { dueDate = "2020-07-10", note = "顺延" }).ShouldBe(HttpStatusCode.OK);
        var kept = await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks/{planned}")).ReadJsonAsync();
        Assert.Equal("2020-06-30", kept["dueDate"]!.GetValue<string>());

        // Approving again: replace and a note are required, and If-Match must name the version in force.
        Assert.Contains("replace", await (await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "再批" })
            .ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("note", await (await http.PostAsync($"/api/summits/{summit}/baseline", new { replace = true })
            .ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        await http.SendAsync(HttpMethod.Post, $"/api/summits/{summit}/baseline", new { replace = true, note = "调整" }, ifMatch: "\"7\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        var second = await (await http.SendAsync(HttpMethod.Post, $"/api/summits/{summit}/baseline", new { replace = true, note = "省科协对接后调整" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, second["version"]!.GetValue<int>());
        Assert.Equal("省科协对接后调整", second["note"]!.GetValue<string>());
        var moved = await (await http.GetAsync($"/api/summits/{summit}/baseline/tasks/{planned}")).ReadJsonAsync();
        Assert.Equal("2020-07-10", moved["dueDate"]!.GetValue<string>());
        await http.SendAsync(HttpMethod.Post, $"/api/summits/{summit}/baseline", new { replace = true, note = "过期的版本" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);

        var history = await (await http.GetAsync($"/api/summits/{summit}/baseline/history")).ReadJsonAsync();
        Assert.Equal(2, history["total"]!.GetValue<int>());
        Assert.Equal([2, 1], history["items"]!.AsArray().Select(i => i!["version"]!.GetValue<int>()));
        Assert.Equal("首次批准", history["items"]![1]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_with_the_same_key_is_answered_once_and_approves_once()
    {
        var http = await gateway.As("secretariat");
        var summit = await NewSummitAsync(http);
        await TaskAsync(http, summit, "secretariat:office", "2020-06-30");
        var key = Guid.NewGuid().ToString();
        var first = await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "批准" }, key).ShouldBe(HttpStatusCode.OK);
        var again = await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "批准" }, key).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var history = await (await http.GetAsync($"/api/summits/{summit}/baseline/history")).ReadJsonAsync();
        Assert.Equal(1, history["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Leaders_read_it_units_read_their_own_rows_and_only_the_secretariat_approves()
    {
        var http = await gateway.As("secretariat");
        var summit = await NewSummitAsync(http);
        var pingyang = await TaskAsync(http, summit, "county:pingyang", "2020-07-15");
        var office = await TaskAsync(http, summit, "secretariat:office", "2020-07-15");
        var version = 0;
        await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "批准" }).ShouldBe(HttpStatusCode.OK);

        var leader = await gateway.As("leader");
        await leader.GetAsync($"/api/summits/{summit}/baseline").ShouldBe(HttpStatusCode.OK);
        await leader.GetAsync($"/api/summits/{summit}/baseline/tasks/{office}").ShouldBe(HttpStatusCode.OK);
        var refused = await leader.PostAsync($"/api/summits/{summit}/baseline", new { replace = true, note = "领导不能批准" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var county = await gateway.As("county-pingyang");
        await county.GetAsync($"/api/summits/{summit}/baseline/tasks/{pingyang}").ShouldBe(HttpStatusCode.OK);
        await county.GetAsync($"/api/summits/{summit}/baseline/tasks/{office}").ShouldBe(HttpStatusCode.NotFound);
        for (var offset = 0; ; offset += 1000)
        {
            var page = await (await county.GetAsync($"/api/summits/{summit}/baseline/tasks?offset={offset}&limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            var items = page["items"]!.AsArray();
            Assert.All(items, i => Assert.Equal("county:pingyang", i!["owner"]!.GetValue<string>()));
            if (items.Count < 1000) break;
        }
        await county.PostAsync($"/api/summits/{summit}/baseline", new { replace = true, note = "县里不能批准" }).ShouldBe(HttpStatusCode.Forbidden);
        var after = await (await http.GetAsync($"/api/summits/{summit}/baseline")).ReadJsonAsync();
        Assert.Equal(version + 1, after["version"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadApprovals() => new()
    {
        { """{"note": 5}""", "note" },
        { """{"replace": "yes"}""", "replace" },
        { "{\"note\": \"" + new string('备', 501) + "\"}", "note" },
        { "{\"note\": \"a\\u0000b\"}", "note" },
        { """{"notes": "x"}""", "notes" },
        { """[1, 2]""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadApprovals))]
    public async Task Bad_input_is_a_chinese_problem_naming_the_field_and_approves_nothing(string body, string field)
    {
        var http = await gateway.As("secretariat");
        var summit = await NewSummitAsync(http);
        await TaskAsync(http, summit, "secretariat:office", "2020-06-30");
        var response = await http.PostAsync($"/api/summits/{summit}/baseline", Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ErrorFieldsAsync();
        Assert.True(fields.Any(f => f == field || f.StartsWith(field, StringComparison.Ordinal)),
            $"errors {string.Join(", ", fields)} do not name {field}");
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        var state = await (await http.GetAsync($"/api/summits/{summit}/baseline")).ReadJsonAsync();
        Assert.False(state["approved"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?owner=county:pingyang", "owner")]
    [InlineData("?task=NOT%20A%20CODE", "task")]
    public async Task Bad_list_parameters_are_named(string query, string field)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync($"/api/summits/{gateway.Summit}/baseline/tasks{query}").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task The_demo_summit_has_an_approved_baseline_and_a_few_tasks_moved_since_with_their_reasons()
    {
        var http = await gateway.As("leader");
        var current = await (await http.GetAsync($"/api/summits/{gateway.Summit}/baseline")).ReadJsonAsync();
        Assert.True(current["approved"]!.GetValue<bool>());
        Assert.Equal("2020-05-08T09:30:00Z", current["approvedAt"]!.GetValue<string>());
        Assert.True(current["taskCount"]!.GetValue<int>() >= 30);

        var moved = 0;
        var rows = await (await http.GetAsync($"/api/summits/{gateway.Summit}/baseline/tasks?limit=1000")).ReadJsonAsync();
        var tasks = (await (await http.GetAsync($"/api/summits/{gateway.Summit}/tasks?limit=1000")).ReadJsonAsync())["items"]!.AsArray()
            .ToDictionary(t => t!["id"]!.GetValue<string>(), t => t!);
        foreach (var row in rows["items"]!.AsArray())
        {
            var id = row!["task"]!.GetValue<string>();
            if (!tasks.TryGetValue(id, out var task)) continue;
            if (task["dueDate"]!.GetValue<string>()[..10] == row["dueDate"]!.GetValue<string>()) continue;
            moved++;
            Assert.True(string.CompareOrdinal(task["dueDate"]!.GetValue<string>()[..10], row["dueDate"]!.GetValue<string>()) > 0, $"{id} moved earlier");
        }
        Assert.InRange(moved, 1, 8);
    }

    [Fact]
    public async Task Approving_again_without_replace_says_so_in_chinese()
    {
        var http = await gateway.As("secretariat");
        var summit = await NewSummitAsync(http);
        await TaskAsync(http, summit, "secretariat:office", "2020-06-30");
        await http.PostAsync($"/api/summits/{summit}/baseline", new { }).ShouldBe(HttpStatusCode.OK);
        var problem = await (await http.PostAsync($"/api/summits/{summit}/baseline", new { note = "再批" }).ShouldBe(HttpStatusCode.BadRequest)).ReadJsonAsync();
        Assert.Contains("重新批准", problem["detail"]!.GetValue<string>());
        Assert.Contains("第 1 版", problem["detail"]!.GetValue<string>());
    }
}
