using System.Net;
using System.Text.Json.Nodes;
using Summit.Tests.Api;

namespace Summit.Tests.Notifications;

/// <summary><c>PUT /api/summits/{summit}/mode</c> through the real Gateway: who may, what it does, and the way back.</summary>
[Collection(NotificationsGatewayCollection.Name)]
public sealed class ContingencyApiTests(NotificationsGatewayFixture gateway)
{
    private const string Reason = "台风预警，改为线上举办";
    private const string Back = "预警解除，恢复线上线下结合";

    private string Summit => gateway.Summit;

    private async Task<JsonObject> TaskAsync(string id) =>
        await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{Summit}/tasks/{id}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

    [Fact]
    public async Task Switching_the_plan_sets_aside_and_restores_tasks_with_audit_rows()
    {
        var path = $"/api/summits/{Summit}/mode";
        // The demo summit runs hybrid.
        var onSite = await gateway.CreateTaskAsync("county:dongtou", "2020-10-15", "洞头现场分会场搭建", plan: "hybrid");
        var streaming = await gateway.CreateTaskAsync("county:dongtou", "2020-10-15", "洞头线上直播", plan: "online");
        Assert.True((bool)(await TaskAsync(streaming))["setAside"]!);
        await (await gateway.As("county-dongtou")).PatchAsync($"/api/summits/{Summit}/tasks/{onSite}", new { status = "inProgress", percentComplete = 35, note = "搭建中" })
            .ShouldBe(HttpStatusCode.OK);

        await (await gateway.As("county-dongtou")).SendAsync(HttpMethod.Put, path, new { mode = "online", reason = Reason }).ShouldBe(HttpStatusCode.Forbidden);
        await (await gateway.As("leader")).SendAsync(HttpMethod.Put, path, new { mode = "online", reason = Reason }).ShouldBe(HttpStatusCode.Forbidden);
        var secretariat = await gateway.As("secretariat");
        var noReason = await secretariat.SendAsync(HttpMethod.Put, path, new { mode = "online" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("reason", await noReason.ErrorFieldsAsync());
        var badMode = await secretariat.SendAsync(HttpMethod.Put, path, new { mode = "underwater", reason = Reason }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("mode", await badMode.ErrorFieldsAsync());

        var switched = await (await secretariat.SendAsync(HttpMethod.Put, path, new { mode = "online", reason = Reason }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(("online", "hybrid"), (switched["mode"]!.ToString(), switched["previousMode"]!.ToString()));
        Assert.Contains(switched["setAside"]!.AsArray(), i => i!.ToString() == onSite);
        Assert.Contains(switched["activated"]!.AsArray(), i => i!.ToString() == streaming);

        var aside = await TaskAsync(onSite);
        Assert.Equal((true, "inProgress", 35, false), ((bool)aside["setAside"]!, aside["status"]!.ToString(), (int)aside["percentComplete"]!, (bool)aside["overdue"]!));
        Assert.False((bool)(await TaskAsync(streaming))["setAside"]!);
        var summit = await (await secretariat.GetAsync($"/api/summits/{Summit}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("online", summit["mode"]!.ToString());

        var back = await (await secretariat.SendAsync(HttpMethod.Put, path, new { mode = "hybrid", reason = Back }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(back["activated"]!.AsArray(), i => i!.ToString() == onSite);
        var restored = await TaskAsync(onSite);
        Assert.Equal((false, "inProgress", 35), ((bool)restored["setAside"]!, restored["status"]!.ToString(), (int)restored["percentComplete"]!));
        Assert.True((bool)(await TaskAsync(streaming))["setAside"]!);

        var history = await (await secretariat.GetAsync($"/api/summits/{Summit}/tasks/{onSite}/history").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["搭建中", Reason, Back], history["items"]!.AsArray().Skip(1).Select(h => h!["note"]!.ToString()));

        var audit = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?kind=task&entityId={onSite}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var notes = audit["items"]!.AsArray().Select(r => r!["note"]?.ToString()).ToArray();
        Assert.Contains(Reason, notes);
        Assert.Contains(Back, notes);
        var summitAudit = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?kind=summit").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(summitAudit["items"]!.AsArray(), r => r!["note"]?.ToString() == Reason);

        // A plan can be cleared: the task then belongs to every mode.
        var cleared = await (await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{streaming}", new { plan = "all" }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal((false, null), ((bool)cleared["setAside"]!, cleared["plan"]?.ToString()));
        var refused = await (await gateway.As("county-dongtou")).PatchAsync($"/api/summits/{Summit}/tasks/{onSite}", new { plan = "online" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("plan", await refused.ErrorFieldsAsync());
    }

    [Fact]
    public async Task County_sub_events_follow_the_plan_and_the_summit_definition_cannot_bypass_the_switch()
    {
        var secretariat = await gateway.As("secretariat");
        var county = await gateway.As("county-dongtou");
        var events = $"/api/summits/{Summit}/counties/dongtou/sub-events";
        var stream = $"stream-{Guid.NewGuid():N}"[..15];
        var onSite = $"onsite-{Guid.NewGuid():N}"[..15];

        var refused = await county.PostAsync(events, new { id = stream, title = "洞头线上分会场", date = "2020-10-18", plan = "online" })
            .ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("plan", await refused.ErrorFieldsAsync());
        var created = await (await secretariat.PostAsync(events, new { id = stream, title = "洞头线上分会场", date = "2020-10-18", plan = "online" })
            .ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal(("online", true), (created["plan"]!.ToString(), (bool)created["setAside"]!));
        await secretariat.PostAsync(events, new { id = onSite, title = "洞头现场分会场", date = "2020-10-18" }).ShouldBe(HttpStatusCode.Created);
        await (await county.PatchAsync($"{events}/{onSite}", new { status = "preparing", checklist = new { venue = "done" }, note = "场地已定" })
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var patchRefused = await county.PatchAsync($"{events}/{onSite}", new { plan = "hybrid" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("plan", await patchRefused.ErrorFieldsAsync());
        await secretariat.PatchAsync($"{events}/{onSite}", new { plan = "hybrid" }).ShouldBe(HttpStatusCode.OK);

        // The summit's definition may not change the mode behind the plan's back.
        var summitPath = $"/api/summits/{Summit}";
        var definition = await (await secretariat.GetAsync(summitPath).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var body = new JsonObject
        {
            ["name"] = definition["name"]!.ToString(), ["city"] = definition["city"]!.ToString(),
            ["openingDate"] = definition["openingDate"]!.ToString(), ["closingDate"] = definition["closingDate"]!.ToString(),
            ["timeZone"] = definition["timeZone"]!.ToString(), ["mode"] = "online",
            ["targets"] = definition["targets"]!.DeepClone(), ["preparationStart"] = definition["preparationStart"]!.ToString(),
        };
        var bypass = await secretariat.SendAsync(HttpMethod.Put, summitPath, body).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(["mode"], await bypass.ErrorFieldsAsync());
        Assert.Equal("hybrid", (await (await secretariat.GetAsync(summitPath)).ReadJsonAsync())["mode"]!.ToString());

        var switched = await (await secretariat.SendAsync(HttpMethod.Put, $"{summitPath}/mode", new { mode = "online", reason = Reason })
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        try
        {
            Assert.Contains(switched["setAsideSubEvents"]!.AsArray(), i => i!.ToString() == $"dongtou/{onSite}");
            Assert.Contains(switched["activatedSubEvents"]!.AsArray(), i => i!.ToString() == $"dongtou/{stream}");
            var aside = await (await county.GetAsync($"{events}/{onSite}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Equal((true, "preparing", "done"), ((bool)aside["setAside"]!, aside["status"]!.ToString(), aside["checklist"]!["venue"]!.ToString()));
            Assert.False((bool)(await (await county.GetAsync($"{events}/{stream}")).ReadJsonAsync())["setAside"]!);
        }
        finally
        {
            await secretariat.SendAsync(HttpMethod.Put, $"{summitPath}/mode", new { mode = "hybrid", reason = Back }).ShouldBe(HttpStatusCode.OK);
        }
        var restored = await (await county.GetAsync($"{events}/{onSite}")).ReadJsonAsync();
        Assert.Equal((false, "preparing"), ((bool)restored["setAside"]!, restored["status"]!.ToString()));
        Assert.True((bool)(await (await county.GetAsync($"{events}/{stream}")).ReadJsonAsync())["setAside"]!);

        var audit = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?kind=county&entityId=dongtou").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var notes = audit["items"]!.AsArray().Select(r => r!["note"]?.ToString()).ToArray();
        Assert.Contains(Reason, notes);
        Assert.Contains(Back, notes);
    }

    [Fact]
    public async Task A_sub_forum_is_linked_to_its_host_after_the_summit_changed_since_the_host_last_read_it()
    {
        var secretariat = await gateway.As("secretariat");
        // The host reads the summit's facts when it is changed ...
        await secretariat.PatchAsync($"/api/summits/{Summit}/universities/wzu", new { note = "联系人已确认" }).ShouldBe(HttpStatusCode.OK);
        // ... then the summit changes ...
        var summitPath = $"/api/summits/{Summit}";
        await secretariat.SendAsync(HttpMethod.Put, $"{summitPath}/mode", new { mode = "online", reason = Reason }).ShouldBe(HttpStatusCode.OK);
        await secretariat.SendAsync(HttpMethod.Put, $"{summitPath}/mode", new { mode = "hybrid", reason = Back }).ShouldBe(HttpStatusCode.OK);
        // ... and linking a new sub-forum to it (no judgement on the summit) is no conflict.
        var id = $"link-{Guid.NewGuid():N}"[..15];
        await secretariat.PostAsync($"{summitPath}/subforums", new { id, theme = "青年科学家交流分论坛", day = "2020-10-18", start = "14:00", end = "16:00",
            venue = "Hall B", format = "offline", hostUniversity = "wzu" }).ShouldBe(HttpStatusCode.Created);
        var host = await (await secretariat.GetAsync($"{summitPath}/universities/wzu").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(host["hostedSubForums"]!.AsArray(), s => s!.ToString() == id);
    }

    [Fact]
    public async Task Only_the_secretariat_assigns_a_sub_forums_plan()
    {
        var secretariat = await gateway.As("secretariat");
        var id = $"plan-{Guid.NewGuid():N}"[..15];
        var path = $"/api/summits/{Summit}/subforums";
        await secretariat.PostAsync(path, new { id, theme = "线上线下结合分论坛", day = "2020-10-18", start = "09:00", end = "11:00",
            venue = "Hall A", format = "hybrid", hostUniversity = "wmu" }).ShouldBe(HttpStatusCode.Created);

        // The host may change its sub-forum, but not which plan it belongs to.
        var host = await gateway.As("university-wmu");
        var refused = await host.PatchAsync($"{path}/{id}", new { plan = "online" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("plan", await refused.ErrorFieldsAsync());
        await host.PatchAsync($"{path}/{id}", new { venue = "Hall B" }).ShouldBe(HttpStatusCode.OK);

        var changed = await (await secretariat.PatchAsync($"{path}/{id}", new { plan = "hybrid" }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(("hybrid", "Hall B"), (changed["plan"]!.ToString(), changed["venue"]!.ToString()));
    }
}
