using System.Net;
using System.Text;

namespace Summit.Tests.Api;

/// <summary>
/// Every kind of bad input gets an RFC 9457 problem naming the field, never a 500, and leaves the entity exactly as it
/// was: same ETag before and after.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ValidationTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    public static TheoryData<string, string> BadTaskPatches() => new()
    {
        { """{"status": "finished"}""", "status" },
        { """{"category": "catering"}""", "category" },
        { """{"percentComplete": "fifty"}""", "percentComplete" },
        { """{"percentComplete": "50"}""", "percentComplete" },
        { """{"percentComplete": 150}""", "percentComplete" },
        { """{"percentComplete": -1}""", "percentComplete" },
        { """{"percentComplete": 1e40}""", "percentComplete" },
        { """{"milestone": "yes"}""", "milestone" },
        { """{"title": ""}""", "title" },
        { "{\"title\": \"" + new string('x', 201) + "\"}", "title" },
        { "{\"note\": \"" + new string('x', 2001) + "\"}", "note" },
        { "{\"assignee\": \"" + new string('x', 101) + "\"}", "assignee" },
        { """{"dueDate": "2021-06-12"}""", "dueDate" },
        { """{"dueDate": "2020-03-31T17:00"}""", "dueDate" },
        { """{"dueDate": "12/06/2020"}""", "dueDate" },
        { """{"dueDate": "2020-06-12T17:00+08:00"}""", "dueDate" },
        { """{"owner": {"kind": "county", "code": "Not A Code"}}""", "owner.code" },
        { """{"owner": {"kind": "province", "code": "zj"}}""", "owner.kind" },
        { """{"owner": {"code": "pingyang"}}""", "owner.kind" },
        { """{"dependsOn": ["no-such-task"]}""", "dependsOn[0]" },
        { """{"dependsOn": "t-00001"}""", "dependsOn" },
        { """{"percent": 50}""", "percent" },
        { """{"status": 1}""", "status" },
        { """{"title": "x",""", "body" },
        { """[1, 2]""", "body" },
        { """null""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadTaskPatches))]
    public async Task Bad_task_patch_names_the_field_and_changes_nothing(string body, string field)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");

        var response = await http.PatchAsync($"{Tasks}/{id}", Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ErrorFieldsAsync();
        Assert.True(fields.Any(f => f == field || f.StartsWith(field + "[", StringComparison.Ordinal) || (field == "body" && f.Length > 0)),
            $"errors {string.Join(", ", fields)} do not name {field}: {await response.Content.ReadAsStringAsync()}");

        var after = await http.GetAsync($"{Tasks}/{id}");
        Assert.Equal(before.ETag(), after.ETag());
        Assert.Equal(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forbidden_transition_and_dependency_cycle_are_refused_by_field()
    {
        var http = await gateway.As("secretariat");
        var a = await gateway.CreateTaskAsync();
        var b = await gateway.CreateTaskAsync();
        await http.PatchAsync($"{Tasks}/{b}", new { dependsOn = new[] { a } }).ShouldBe(HttpStatusCode.OK);
        var before = await http.GetAsync($"{Tasks}/{a}");

        var cycle = await http.PatchAsync($"{Tasks}/{a}", new { dependsOn = new[] { b } }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("dependsOn", await cycle.ErrorFieldsAsync());

        await http.PatchAsync($"{Tasks}/{a}", new { status = "done" }).ShouldBe(HttpStatusCode.OK);
        var move = await http.PatchAsync($"{Tasks}/{a}", new { status = "blocked" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("status", await move.ErrorFieldsAsync());
        var lower = await http.PatchAsync($"{Tasks}/{a}", new { percentComplete = 50 }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("percentComplete", await lower.ErrorFieldsAsync());

        var after = await (await http.GetAsync($"{Tasks}/{a}")).ReadJsonAsync();
        Assert.Empty(after["dependsOn"]!.AsArray());
        Assert.Equal("done", after["status"]!.ToString());
        Assert.Equal(int.Parse(before.ETag()!.Trim('"')) + 1, after["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_unit_changing_a_plan_field_gets_403_naming_it()
    {
        var id = await gateway.CreateTaskAsync("county:pingyang");
        var county = await gateway.As("county-pingyang");
        var before = await county.GetAsync($"{Tasks}/{id}");

        var response = await county.PatchAsync($"{Tasks}/{id}", new { title = "Renamed", dueDate = "2020-08-01", note = "why not" })
            .ShouldBe(HttpStatusCode.Forbidden);
        var fields = await response.ErrorFieldsAsync();
        Assert.Contains("title", fields);
        Assert.Contains("dueDate", fields);
        Assert.DoesNotContain("note", fields);
        Assert.Equal(before.ETag(), (await county.GetAsync($"{Tasks}/{id}")).ETag());

        // What a unit may change, it may.
        await county.PatchAsync($"{Tasks}/{id}", new { status = "inProgress", percentComplete = 40, note = "venue booked", assignee = "张三" })
            .ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_reports_every_missing_and_invalid_field_at_once_and_creates_nothing()
    {
        var http = await gateway.As("secretariat");
        var empty = await http.PostAsync(Tasks, new { id = "t-missing-fields" }).ShouldBe(HttpStatusCode.BadRequest);
        var fields = await empty.ErrorFieldsAsync();
        foreach (var field in new[] { "title", "category", "owner", "dueDate" }) Assert.Contains(field, fields);
        await http.GetAsync($"{Tasks}/t-missing-fields").ShouldBe(HttpStatusCode.NotFound);

        var bad = await http.PostAsync(Tasks, new { id = "Bad Id", title = "x", category = "budget", owner = new { kind = "county", code = "pingyang" }, dueDate = "2019-01-01" })
            .ShouldBe(HttpStatusCode.BadRequest);
        fields = await bad.ErrorFieldsAsync();
        Assert.Contains("id", fields);
        Assert.Contains("dueDate", fields);
    }

    [Fact]
    public async Task Create_with_an_existing_id_is_409_and_leaves_the_first()
    {
        var id = await gateway.CreateTaskAsync(title: "The first");
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");
        await http.PostAsync(Tasks, new { id, title = "The second", category = "budget", owner = new { kind = "county", code = "ruian" }, dueDate = "2020-07-01" })
            .ShouldBe(HttpStatusCode.Conflict);
        var after = await http.GetAsync($"{Tasks}/{id}");
        Assert.Equal(before.ETag(), after.ETag());
        Assert.Equal("The first", (await after.ReadJsonAsync())["title"]!.ToString());
    }

    [Fact]
    public async Task Sub_event_checklist_and_status_are_checked_by_field()
    {
        var http = await gateway.As("county-pingyang");
        var events = $"/api/summits/{gateway.Summit}/counties/pingyang/sub-events";
        var created = await http.PostAsync(events, new { title = "Validation sub-event", date = "2020-09-10" }).ShouldBe(HttpStatusCode.Created);
        var path = created.Headers.Location!.ToString();
        var before = await http.GetAsync(path);

        async Task Refused(string body, string field)
        {
            var response = await http.PatchAsync(path, Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
            var fields = await response.ErrorFieldsAsync();
            Assert.True(fields.Any(f => f.StartsWith(field, StringComparison.Ordinal)), $"{body}: {string.Join(", ", fields)}");
        }

        await Refused("""{"status": "held"}""", "status");
        await Refused("""{"status": "ready"}""", "status");
        await Refused("""{"checklist": {"venue": "finished"}}""", "checklist.venue");
        await Refused("""{"checklist": {"catering": "done"}}""", "checklist");
        await Refused("""{"date": "2019-09-10"}""", "date");
        await Refused("""{"checklist": ["venue"]}""", "checklist");
        Assert.Equal(before.ETag(), (await http.GetAsync(path)).ETag());

        var done = await http.PatchAsync(path, new { status = "preparing", checklist = new { venue = "done", guests = "inProgress" }, note = "hall booked" })
            .ShouldBe(HttpStatusCode.OK);
        var body = await done.ReadJsonAsync();
        Assert.Equal("done", body["checklist"]!["venue"]!.ToString());
        Assert.Equal("preparing", body["status"]!.ToString());
    }

    [Fact]
    public async Task Sub_forum_and_project_moves_are_checked()
    {
        var http = await gateway.As("secretariat");
        var s = $"/api/summits/{gateway.Summit}";
        var forum = await http.PostAsync($"{s}/subforums", new { theme = "Moves", day = "2020-10-18", start = "14:00", end = "16:00", venue = "Hall B", format = "online" })
            .ShouldBe(HttpStatusCode.Created);
        var forumPath = forum.Headers.Location!.ToString();
        Assert.Contains("status", await (await http.PatchAsync(forumPath, new { status = "live" }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("end", await (await http.PatchAsync(forumPath, new { end = "13:00" }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("day", await (await http.PatchAsync(forumPath, new { day = "2020-10-20" }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        await http.PatchAsync(forumPath, new { status = "programmeSet", note = "programme agreed" }).ShouldBe(HttpStatusCode.OK);

        var project = await http.PostAsync($"{s}/projects", new { title = "Stage moves", industry = "shoes", partners = new[] { new { name = "A society", kind = "nationalSociety" } } })
            .ShouldBe(HttpStatusCode.Created);
        var projectPath = project.Headers.Location!.ToString();
        Assert.Contains("stage", await (await http.PatchAsync(projectPath, new { stage = "signed" }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("enterprisesInvolved", await (await http.PatchAsync(projectPath, new { enterprisesInvolved = -3 }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("partners[0].kind", await (await http.PatchAsync(projectPath, Api.Json("""{"partners": [{"name": "x"}]}""")).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("universities", await (await http.PatchAsync(projectPath, new { universities = new[] { "wmu", "wmu" } }).ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        var moved = await http.PatchAsync(projectPath, new { stage = "matched", note = "partners found" }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("matched", (await moved.ReadJsonAsync())["stage"]!.ToString());
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_and_non_json_is_415()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");

        var huge = "{\"note\": \"" + new string('x', 300 * 1024) + "\"}";
        var tooLarge = await http.PatchAsync($"{Tasks}/{id}", Api.Json(huge)).ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);

        var text = await http.PatchAsync($"{Tasks}/{id}", new StringContent("""{"note": "x"}""", Encoding.UTF8, "text/plain"))
            .ShouldBe(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);

        Assert.Equal(before.ETag(), (await http.GetAsync($"{Tasks}/{id}")).ETag());
    }

    [Fact]
    public async Task Missing_entities_are_404_problems()
    {
        var http = await gateway.As("secretariat");
        var s = $"/api/summits/{gateway.Summit}";
        foreach (var path in new[]
                 {
                     $"{s}/tasks/no-such-task", $"{s}/subforums/nope", $"{s}/projects/nope", $"{s}/universities/nope",
                     $"{s}/counties/nope", $"{s}/counties/pingyang/sub-events/nope", "/api/summits/no-such-summit/tasks",
                     $"{s}/tasks/Not%20A%20Code",
                 })
        {
            var response = await http.GetAsync(path).ShouldBe(HttpStatusCode.NotFound);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        await http.PatchAsync($"{s}/tasks/no-such-task", new { note = "x" }).ShouldBe(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadQueries() => new()
    {
        { "category=catering", "category" },
        { "status=finished", "status" },
        { "unit=pingyang", "unit" },
        { "unit=province:zj", "unit" },
        { "dueFrom=June", "dueFrom" },
        { "dueTo=2020-13-01", "dueTo" },
        { "overdue=maybe", "overdue" },
        { "limit=0", "limit" },
        { "limit=5000", "limit" },
        { "offset=-1", "offset" },
        { "offset=abc", "offset" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_list_filters_name_the_parameter(string query, string field)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync($"{Tasks}?{query}").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Task_filters_select_what_they_say()
    {
        var http = await gateway.As("secretariat");
        var due = await gateway.CreateTaskAsync("county:wencheng", dueDate: "2020-05-01");
        var later = await gateway.CreateTaskAsync("county:wencheng", dueDate: "2020-09-30T17:00");

        var all = await (await http.GetAsync($"{Tasks}?unit=county:wencheng&limit=1000")).ReadJsonAsync();
        var items = all["items"]!.AsArray();
        Assert.All(items, t => Assert.Equal("wencheng", t!["owner"]!["code"]!.ToString()));
        Assert.Equal(items.Count, all["total"]!.GetValue<int>());

        // The demo clock stands in June 2020: a task due on 1 May and still open is overdue, one due in September is not.
        var overdue = (await (await http.GetAsync($"{Tasks}?unit=county:wencheng&overdue=true&limit=1000")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Contains(overdue, t => t!["id"]!.ToString() == due);
        Assert.DoesNotContain(overdue, t => t!["id"]!.ToString() == later);
        Assert.All(overdue, t => Assert.True(t!["overdue"]!.GetValue<bool>()));

        var range = (await (await http.GetAsync($"{Tasks}?unit=county:wencheng&dueFrom=2020-09-01&dueTo=2020-09-30&category=publicity&status=notStarted")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Contains(range, t => t!["id"]!.ToString() == later);
        Assert.DoesNotContain(range, t => t!["id"]!.ToString() == due);
        Assert.Equal("2020-09-30T17:00", range.First(t => t!["id"]!.ToString() == later)!["dueDate"]!.ToString());

        var page = await (await http.GetAsync($"{Tasks}?offset=1&limit=2")).ReadJsonAsync();
        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.True(page["total"]!.GetValue<int>() > 2);
    }
}
