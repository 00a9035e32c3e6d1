using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// Planning a task in the browser: a planned start and length, archiving and restoring, and finding tasks by title.
/// Bad input is a problem naming the field and changes nothing (same ETag, same body, no new audit row).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TaskPlanningApiTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    public static TheoryData<string, string> BadPlanningPatches() => new()
    {
        { """{"start": "2021-06-12"}""", "start" },
        { """{"start": "2020-03-31"}""", "start" },
        { """{"start": "2020-07-16"}""", "start" },
        { """{"start": "12/06/2020"}""", "start" },
        { """{"start": 20200612}""", "start" },
        { """{"start": "2020-06-12T09:00"}""", "start" },
        { "{\"start\": \"2020-06-12\\u0000\"}", "start" },
        { "{\"start\": \"" + new string('2', 5000) + "\"}", "start" },
        { """{"durationDays": -1}""", "durationDays" },
        { """{"durationDays": 1001}""", "durationDays" },
        { """{"durationDays": "five"}""", "durationDays" },
        { """{"durationDays": 2.5}""", "durationDays" },
        { """{"durationDays": 1e40}""", "durationDays" },
        { """{"archived": "yes"}""", "archived" },
        { """{"archived": 1}""", "archived" },
        { """{"archive": true}""", "archive" },
        { """{"startDate": "2020-06-12"}""", "startDate" },
    };

    [Theory]
    [MemberData(nameof(BadPlanningPatches))]
    public async Task Bad_planning_input_names_the_field_and_changes_nothing(string body, string field)
    {
        var id = await gateway.CreateTaskAsync(dueDate: "2020-07-15");
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");

        var response = await http.PatchAsync($"{Tasks}/{id}", Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ErrorFieldsAsync();
        Assert.True(fields.Contains(field), $"errors {string.Join(", ", fields)} do not name {field}: {await response.Content.ReadAsStringAsync()}");

        var after = await http.GetAsync($"{Tasks}/{id}");
        Assert.Equal(before.ETag(), after.ETag());
        Assert.Equal(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Start_and_duration_are_stored_shown_and_kept_in_the_history()
    {
        var http = await gateway.As("secretariat");
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var created = await (await http.PostAsync(Tasks, new
        {
            id,
            title = "布置主会场",
            category = "venue",
            owner = new { kind = "county", code = "pingyang" },
            dueDate = "2020-07-10",
            start = "2020-06-20",
            durationDays = 5,
        }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal("2020-06-20", created["start"]!.GetValue<string>());
        Assert.Equal(5, created["durationDays"]!.GetValue<int>());
        Assert.False(created["archived"]!.GetValue<bool>());

        var changed = await (await http.PatchAsync($"{Tasks}/{id}", new { start = "2020-06-22", durationDays = 0, note = "推迟两天开工" }, "\"1\"")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("2020-06-22", changed["start"]!.GetValue<string>());
        Assert.Equal(0, changed["durationDays"]!.GetValue<int>());

        var history = await (await http.GetAsync($"{Tasks}/{id}/history")).ReadJsonAsync();
        var last = history["items"]!.AsArray().Last()!;
        Assert.Equal("推迟两天开工", last["note"]!.GetValue<string>());
        var changes = last["changes"]!.AsArray().ToDictionary(c => c!["field"]!.GetValue<string>(), c => c!);
        Assert.Equal("2020-06-20", changes["start"]["from"]!.GetValue<string>());
        Assert.Equal("2020-06-22", changes["start"]["to"]!.GetValue<string>());
        Assert.Equal("5", changes["durationDays"]["from"]!.GetValue<string>());
        Assert.Equal("0", changes["durationDays"]["to"]!.GetValue<string>());

        // Moving the deadline before the planned start is refused on dueDate; the task stays as it was.
        var tooEarly = await http.PatchAsync($"{Tasks}/{id}", new { dueDate = "2020-06-21" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("dueDate", await tooEarly.ErrorFieldsAsync());
        Assert.Equal("\"2\"", (await http.GetAsync($"{Tasks}/{id}")).ETag());
    }

    [Theory]
    [InlineData("""{"start": "2020-07-20", "dueDate": "2020-07-15"}""", "start")]
    [InlineData("""{"start": "2019-12-01", "dueDate": "2020-07-15"}""", "start")]
    [InlineData("""{"durationDays": -3, "dueDate": "2020-07-15"}""", "durationDays")]
    [InlineData("""{"durationDays": "3", "dueDate": "2020-07-15"}""", "durationDays")]
    [InlineData("""{"start": null, "dueDate": "2020-07-15", "archived": true}""", "archived")]
    public async Task A_create_with_bad_planning_input_writes_nothing(string planning, string field)
    {
        var http = await gateway.As("secretariat");
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var body = JsonNode.Parse(planning)!.AsObject();
        body["id"] = id;
        body["title"] = "坏的计划";
        body["category"] = "venue";
        body["owner"] = new JsonObject { ["kind"] = "county", ["code"] = "pingyang" };
        var response = await http.PostAsync(Tasks, Api.Json(body.ToJsonString())).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
        await http.GetAsync($"{Tasks}/{id}").ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Archiving_takes_a_task_out_of_the_list_keeps_it_readable_and_restoring_brings_it_back()
    {
        var http = await gateway.As("secretariat");
        var title = "归档测试" + Guid.NewGuid().ToString("N")[..8];
        // Due in the past by the summit clock: overdue until archived.
        var id = await gateway.CreateTaskAsync(title: title, dueDate: "2020-05-01");
        Assert.True((await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["overdue"]!.GetValue<bool>());

        // A stale version is 412 and archives nothing.
        await http.PatchAsync($"{Tasks}/{id}", new { archived = true }, "\"7\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        // A county may not archive even its own task.
        var county = await gateway.As("county-pingyang");
        var refused = await county.PatchAsync($"{Tasks}/{id}", new { archived = true }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("archived", await refused.ErrorFieldsAsync());
        Assert.Equal("\"1\"", (await http.GetAsync($"{Tasks}/{id}")).ETag());

        var archived = await (await http.PatchAsync($"{Tasks}/{id}", new { archived = true, note = "方案调整，不再需要" }, "\"1\"")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.False(archived["overdue"]!.GetValue<bool>());

        Assert.DoesNotContain(id, await IdsAsync(http, $"{Tasks}?q={Uri.EscapeDataString(title)}"));
        Assert.DoesNotContain(id, await IdsAsync(http, $"{Tasks}?overdue=true&limit=1000"));
        Assert.Contains(id, await IdsAsync(http, $"{Tasks}?archived=true&q={Uri.EscapeDataString(title)}"));
        Assert.Contains(id, await IdsAsync(county, $"{Tasks}?archived=true&limit=1000"));
        await http.GetAsync($"{Tasks}/{id}").ShouldBe(HttpStatusCode.OK);

        var history = await (await http.GetAsync($"{Tasks}/{id}/history")).ReadJsonAsync();
        var entry = history["items"]!.AsArray().Last()!;
        Assert.Equal("方案调整，不再需要", entry["note"]!.GetValue<string>());
        var change = Assert.Single(entry["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "archived")!;
        Assert.Equal("false", change["from"]!.GetValue<string>());
        Assert.Equal("true", change["to"]!.GetValue<string>());

        await http.PatchAsync($"{Tasks}/{id}", new { archived = false, note = "恢复" }, "\"2\"").ShouldBe(HttpStatusCode.OK);
        Assert.Contains(id, await IdsAsync(http, $"{Tasks}?q={Uri.EscapeDataString(title)}"));
        Assert.DoesNotContain(id, await IdsAsync(http, $"{Tasks}?archived=true&q={Uri.EscapeDataString(title)}"));
        Assert.True((await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Tasks_are_found_by_parts_of_their_title_ignoring_case_and_taking_wildcards_literally()
    {
        var http = await gateway.As("secretariat");
        var marker = Guid.NewGuid().ToString("N")[..8];
        var plain = await gateway.CreateTaskAsync(title: $"Venue Check {marker}");
        var percent = await gateway.CreateTaskAsync(title: $"完成 100% 签约 {marker}");

        var found = await IdsAsync(http, $"{Tasks}?q={Uri.EscapeDataString("venue CHECK " + marker)}");
        Assert.Equal(new[] { plain }, found);
        Assert.Equal(new[] { percent }, await IdsAsync(http, $"{Tasks}?q={Uri.EscapeDataString("0% 签约 " + marker)}"));
        // '%' and '_' are plain characters here, not patterns.
        Assert.Empty(await IdsAsync(http, $"{Tasks}?q={Uri.EscapeDataString("%" + marker + "_")}"));
        var both = await IdsAsync(http, $"{Tasks}?q={marker}");
        Assert.Equal(2, both.Count);
        // A county account finds only what it may read.
        var ruian = await gateway.CreateTaskAsync(owner: "county:ruian", title: $"瑞安 {marker}");
        var county = await gateway.As("county-pingyang");
        Assert.DoesNotContain(ruian, await IdsAsync(county, $"{Tasks}?q={marker}"));
    }

    [Theory]
    [InlineData("q=", "x201", "q")]
    [InlineData("archived=maybe", null, "archived")]
    [InlineData("archived=1", null, "archived")]
    [InlineData("q=a%00b", null, "q")]
    [InlineData("q=a%0Ab", null, "q")]
    public async Task A_bad_text_or_archived_filter_is_400_naming_it(string query, string? suffix, string field)
    {
        var http = await gateway.As("secretariat");
        if (suffix == "x201") query += new string('x', 201);
        var response = await http.GetAsync($"{Tasks}?{query}").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    private static async Task<List<string>> IdsAsync(HttpClient http, string path)
    {
        var page = await (await http.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }
}
