using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// <c>/alliances</c> and <c>/finalists</c>: the secretariat's records of innovation alliances and Startup World Cup
/// finalists, from which the dashboard counts two of the summit's targets.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OutcomesApiTests(GatewayFixture gateway)
{
    private string Alliances => $"/api/summits/{gateway.Summit}/alliances";
    private string Finalists => $"/api/summits/{gateway.Summit}/finalists";
    private string Dashboard => $"/api/summits/{gateway.Summit}/dashboard";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static object AllianceBody(string id) => new
    {
        id,
        name = "眼镜产业产学研用协同创新联盟",
        nameEn = "Eyewear Industry Innovation Alliance",
        field = "眼镜",
        leadUnit = new { kind = "county", code = "ouhai" },
        memberUnits = new[] { "温州医科大学眼视光学院", "中国眼镜协会" },
        memberEnterprises = new[] { "浙江雅视眼镜有限公司" },
    };

    private static object FinalistBody(string id) => new
    {
        id,
        projectName = "智能助听眼镜",
        team = "陈思远团队",
        university = "温州医科大学",
        country = "中国",
        track = "生命健康",
        subForum = "startup-world-cup",
    };

    [Fact]
    public async Task An_alliance_is_created_moved_to_signed_under_If_Match_and_its_history_kept()
    {
        var http = await gateway.As("secretariat");
        var id = NewId("al");
        var created = await http.PostAsync(Alliances, AllianceBody(id)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"{Alliances}/{id}", created.Headers.Location?.ToString());
        Assert.Equal("\"1\"", created.ETag());
        var body = await created.ReadJsonAsync();
        Assert.Equal("proposed", body["status"]!.ToString());
        Assert.Equal("county", body["leadUnit"]!["kind"]!.ToString());
        Assert.Equal(2, body["memberUnits"]!.AsArray().Count);

        await http.PatchAsync($"{Alliances}/{id}", new { status = "forming" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        // A stale version is refused and changes nothing.
        await http.PatchAsync($"{Alliances}/{id}", new { status = "signed", signingDate = "2020-06-09" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        // Signed needs its date: a problem naming the field in Chinese.
        var refused = await http.PatchAsync($"{Alliances}/{id}", new { status = "signed" }, ifMatch: "\"2\"").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("signingDate", await refused.ErrorFieldsAsync());
        Assert.Contains("签约日期", (await refused.ReadJsonAsync())["detail"]!.ToString());
        // Skipping a step is refused.
        var skipped = await http.PostAsync(Alliances, new { id = NewId("al"), name = "x", field = "y", leadUnit = new { kind = "county", code = "ouhai" } })
            .ShouldBe(HttpStatusCode.Created);
        var skippedId = (await skipped.ReadJsonAsync())["id"]!.ToString();
        var jump = await http.PatchAsync($"{Alliances}/{skippedId}", new { status = "signed", signingDate = "2020-06-09" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("status", await jump.ErrorFieldsAsync());

        var signed = await http.PatchAsync($"{Alliances}/{id}", new { status = "signed", signingDate = "2020-06-09", note = "线上签约" }, ifMatch: "\"2\"")
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"3\"", signed.ETag());
        var history = await (await http.GetAsync($"{Alliances}/{id}/history")).ReadJsonAsync();
        Assert.Equal(3, history["total"]!.GetValue<int>());
        Assert.Equal("线上签约", history["items"]![2]!["note"]!.ToString());

        var listed = await (await http.GetAsync($"{Alliances}?status=signed&q=眼镜产业")).ReadJsonAsync();
        Assert.Contains(listed["items"]!.AsArray(), a => a!["id"]!.ToString() == id);
        var proposed = await (await http.GetAsync($"{Alliances}?status=proposed&q=眼镜产业")).ReadJsonAsync();
        Assert.DoesNotContain(proposed["items"]!.AsArray(), a => a!["id"]!.ToString() == id);
    }

    [Fact]
    public async Task A_finalist_is_confirmed_and_withdrawn_only_as_the_pipeline_allows()
    {
        var http = await gateway.As("secretariat");
        var id = NewId("fi");
        var created = await (await http.PostAsync(Finalists, FinalistBody(id)).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal("nominated", created["status"]!.ToString());
        Assert.Equal("startup-world-cup", created["subForum"]!.ToString());

        var confirmed = await (await http.PatchAsync($"{Finalists}/{id}", new { status = "confirmed" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("confirmed", confirmed["status"]!.ToString());
        await http.PatchAsync($"{Finalists}/{id}", new { status = "withdrawn" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        await http.PatchAsync($"{Finalists}/{id}", new { subForum = "no-such-forum" }).ShouldBe(HttpStatusCode.BadRequest);

        var track = await (await http.GetAsync($"{Finalists}?track=生命健康&status=confirmed&limit=1000")).ReadJsonAsync();
        Assert.Contains(track["items"]!.AsArray(), f => f!["id"]!.ToString() == id);
        Assert.All(track["items"]!.AsArray(), f => Assert.Equal("生命健康", f!["track"]!.ToString()));
        var found = await (await http.GetAsync($"{Finalists}?q=助听")).ReadJsonAsync();
        Assert.Contains(found["items"]!.AsArray(), f => f!["id"]!.ToString() == id);
    }

    [Fact]
    public async Task Retried_writes_with_an_Idempotency_Key_apply_once()
    {
        var http = await gateway.As("secretariat");
        var key = Guid.NewGuid().ToString();
        var body = new { name = "幂等联盟", field = "电气", leadUnit = new { kind = "county", code = "yueqing" } };
        var first = await http.PostAsync(Alliances, body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        var retry = await http.PostAsync(Alliances, body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        var path = first.Headers.Location!.ToString();
        var patchKey = Guid.NewGuid().ToString();
        await http.PatchAsync(path, new { status = "forming" }, idempotencyKey: patchKey).ShouldBe(HttpStatusCode.OK);
        var replay = await http.PatchAsync(path, new { status = "forming" }, idempotencyKey: patchKey).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var history = await (await http.GetAsync($"{path}/history")).ReadJsonAsync();
        Assert.Equal(2, history["total"]!.GetValue<int>());

        var finalistKey = Guid.NewGuid().ToString();
        var f1 = await http.PostAsync(Finalists, FinalistBody(NewId("fi")), idempotencyKey: finalistKey).ShouldBe(HttpStatusCode.Created);
        var f2 = await http.PostAsync(Finalists, FinalistBody(NewId("fi")), idempotencyKey: finalistKey).ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", f2.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, f1.StatusCode);
    }

    [Fact]
    public async Task Leaders_read_units_see_nothing_and_only_the_secretariat_writes()
    {
        var secretariat = await gateway.As("secretariat");
        var id = NewId("al");
        await secretariat.PostAsync(Alliances, AllianceBody(id)).ShouldBe(HttpStatusCode.Created);
        var finalist = NewId("fi");
        await secretariat.PostAsync(Finalists, FinalistBody(finalist)).ShouldBe(HttpStatusCode.Created);

        var leader = await gateway.As("leader");
        Assert.True((await (await leader.GetAsync(Alliances).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["total"]!.GetValue<int>() >= 10);
        await leader.GetAsync($"{Alliances}/{id}").ShouldBe(HttpStatusCode.OK);
        await leader.GetAsync($"{Finalists}/{finalist}/history").ShouldBe(HttpStatusCode.OK);
        await leader.PostAsync(Alliances, AllianceBody(NewId("al"))).ShouldBe(HttpStatusCode.Forbidden);
        await leader.PatchAsync($"{Alliances}/{id}", new { status = "forming" }).ShouldBe(HttpStatusCode.Forbidden);
        await leader.PatchAsync($"{Finalists}/{finalist}", new { status = "confirmed" }).ShouldBe(HttpStatusCode.Forbidden);

        // The lead county (ouhai) reads none of them either: alliances are the secretariat's summit-level records.
        foreach (var account in new[] { "county-ouhai", "county-pingyang", "university-wmu" })
        {
            var unit = await gateway.As(account);
            var list = await (await unit.GetAsync(Alliances).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Equal(0, list["total"]!.GetValue<int>());
            Assert.Equal(0, (await (await unit.GetAsync(Finalists).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["total"]!.GetValue<int>());
            await unit.GetAsync($"{Alliances}/{id}").ShouldBe(HttpStatusCode.NotFound);
            await unit.GetAsync($"{Finalists}/{finalist}").ShouldBe(HttpStatusCode.NotFound);
            await unit.PatchAsync($"{Alliances}/{id}", new { status = "forming" }).ShouldBe(HttpStatusCode.NotFound);
            await unit.PostAsync(Finalists, FinalistBody(NewId("fi"))).ShouldBe(HttpStatusCode.Forbidden);
        }
        var admin = await gateway.As("admin");
        await admin.GetAsync($"{Alliances}/{id}").ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal("\"1\"", (await secretariat.GetAsync($"{Alliances}/{id}")).ETag());
    }

    public static TheoryData<string, string, string> BadAllianceBodies() => new()
    {
        { """{"name": "", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}}""", "name", "名称" },
        { """{"name": "联盟", "leadUnit": {"kind": "county", "code": "ouhai"}}""", "field", "领域（产业）" },
        { """{"name": "联盟", "field": "泵阀"}""", "leadUnit", "牵头单位" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "province", "code": "zj"}}""", "leadUnit.kind", "牵头单位" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "Not A Code"}}""", "leadUnit.code", "牵头单位" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "status": "signed"}""", "signingDate", "签约日期" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "status": "signed", "signingDate": "2019-01-01"}""", "signingDate", "签约日期" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "status": "done"}""", "status", "状态" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "memberUnits": ["甲", "甲"]}""", "memberUnits", "成员单位" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "memberEnterprises": [""]}""", "memberEnterprises[0]", "成员企业" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "memberEnterprises": "甲"}""", "memberEnterprises", "成员企业" },
        { "{\"name\": \"" + new string('联', 101) + "\", \"field\": \"泵阀\", \"leadUnit\": {\"kind\": \"county\", \"code\": \"ouhai\"}}", "name", "名称" },
        { """{"name": "联\u0000盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}}""", "name", "名称" },
        { """{"name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}, "members": []}""", "members", "members" },
        { """{"id": "Bad Id", "name": "联盟", "field": "泵阀", "leadUnit": {"kind": "county", "code": "ouhai"}}""", "id", "编号" },
    };

    [Theory]
    [MemberData(nameof(BadAllianceBodies))]
    public async Task A_bad_alliance_is_refused_in_Chinese_naming_the_field_and_nothing_is_written(string body, string field, string label)
    {
        var http = await gateway.As("secretariat");
        var before = await (await http.GetAsync($"{Alliances}?limit=1")).ReadJsonAsync();
        var response = await http.PostAsync(Alliances, Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        Assert.Contains(field, await response.ErrorFieldsAsync());
        Assert.Contains(label, (await response.ReadJsonAsync())["detail"]!.ToString());
        var after = await (await http.GetAsync($"{Alliances}?limit=1")).ReadJsonAsync();
        Assert.Equal(before["total"]!.GetValue<int>(), after["total"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadFinalistPatches() => new()
    {
        { """{"projectName": ""}""", "projectName" },
        { """{"team": "   "}""", "team" },
        { """{"status": "finalist"}""", "status" },
        { """{"status": "withdrawn", "track": ""}""", "track" },
        { "{\"country\": \"" + new string('x', 101) + "\"}", "country" },
        { """{"subForum": "Not A Code"}""", "subForum" },
        { """{"subForum": "no-such-forum"}""", "subForum" },
        { """{"university": 7}""", "university" },
        { """{"rank": 1}""", "rank" },
        { "{\"note\": \"" + new string('x', 2001) + "\"}", "note" },
    };

    [Theory]
    [MemberData(nameof(BadFinalistPatches))]
    public async Task A_bad_finalist_patch_names_the_field_and_changes_nothing(string body, string field)
    {
        var http = await gateway.As("secretariat");
        var id = NewId("fi");
        await http.PostAsync(Finalists, FinalistBody(id)).ShouldBe(HttpStatusCode.Created);
        var before = await http.GetAsync($"{Finalists}/{id}");
        var response = await http.PatchAsync($"{Finalists}/{id}", Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
        var after = await http.GetAsync($"{Finalists}/{id}");
        Assert.Equal(before.ETag(), after.ETag());
        Assert.Equal(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("alliances?stauts=signed", "stauts")]
    [InlineData("alliances?status=done", "status")]
    [InlineData("alliances?track=生命健康", "track")]
    [InlineData("finalists?status=signed", "status")]
    [InlineData("finalists?limit=0", "limit")]
    [InlineData("finalists?q=%00", "q")]
    public async Task A_bad_or_unknown_list_parameter_is_a_400_naming_it(string path, string field)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync($"/api/summits/{gateway.Summit}/{path}").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task The_dashboard_counts_signed_alliances_and_confirmed_finalists_from_the_records()
    {
        var secretariat = await gateway.As("secretariat");
        var leader = await gateway.As("leader");

        // Count what the records say, sign one more alliance and confirm one more finalist, and see the figures follow.
        var (alliances, finalists) = await TargetsAsync(leader, await CountAsync(secretariat, $"{Alliances}?status=signed"),
            await CountAsync(secretariat, $"{Finalists}?status=confirmed"));
        Assert.True(alliances["tracked"]!.GetValue<bool>());
        Assert.True(finalists["tracked"]!.GetValue<bool>());
        Assert.Equal(10, alliances["target"]!.GetValue<int>());
        Assert.Equal(75, finalists["target"]!.GetValue<int>());

        var id = NewId("al");
        await secretariat.PostAsync(Alliances, new
        {
            id, name = "计数联盟", field = "鞋革", leadUnit = new { kind = "county", code = "lucheng" }, status = "forming",
        }).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Alliances}/{id}", new { status = "signed", signingDate = "2020-06-10" }).ShouldBe(HttpStatusCode.OK);
        var finalist = NewId("fi");
        await secretariat.PostAsync(Finalists, FinalistBody(finalist)).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Finalists}/{finalist}", new { status = "confirmed" }).ShouldBe(HttpStatusCode.OK);

        var signed = await CountAsync(secretariat, $"{Alliances}?status=signed");
        var confirmed = await CountAsync(secretariat, $"{Finalists}?status=confirmed");
        await TargetsAsync(leader, signed, confirmed);

        // Withdrawing takes it off again.
        await secretariat.PatchAsync($"{Finalists}/{finalist}", new { status = "withdrawn" }).ShouldBe(HttpStatusCode.OK);
        await TargetsAsync(leader, signed, confirmed - 1);
    }

    [Fact]
    public async Task The_summit_search_finds_alliances_and_finalists_for_those_who_read_them()
    {
        var path = $"/api/summits/{gateway.Summit}/search";
        static IEnumerable<string> Ids(JsonObject result, string kind) =>
            result["groups"]!.AsArray().Single(g => g!["kind"]!.ToString() == kind)!["items"]!.AsArray().Select(i => i!["id"]!.ToString());

        foreach (var account in new[] { "secretariat", "leader" })
        {
            var http = await gateway.As(account);
            var alliances = await (await http.GetAsync($"{path}?q=泵阀产业产学研用").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Contains("pumpvalve", Ids(alliances, "alliance"));
            var hit = alliances["groups"]!.AsArray().Single(g => g!["kind"]!.ToString() == "alliance")!["items"]![0]!;
            Assert.Equal(("泵阀产业产学研用协同创新联盟", 1, "county:longwan", "signed"),
                (hit["title"]!.ToString(), hit["rank"]!.GetValue<int>(), hit["unit"]!.ToString(), hit["status"]!.ToString()));
            // By a member enterprise, and a finalist by its project.
            Assert.Contains("pumpvalve", Ids(await (await http.GetAsync($"{path}?q=超达阀门")).ReadJsonAsync(), "alliance"));
            Assert.Contains("swc-001", Ids(await (await http.GetAsync($"{path}?q=角膜接触镜")).ReadJsonAsync(), "finalist"));
        }
        // The county that leads it finds none: no unit reads them.
        var longwan = await gateway.As("county-longwan");
        var none = await (await longwan.GetAsync($"{path}?q=泵阀产业产学研用").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Empty(Ids(none, "alliance"));
        Assert.Empty(Ids(await (await longwan.GetAsync($"{path}?q=角膜接触镜")).ReadJsonAsync(), "finalist"));
    }

    private static async Task<int> CountAsync(HttpClient http, string path) =>
        (await (await http.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["total"]!.GetValue<int>();

    /// <summary>The dashboard's two targets once they show these figures (the projection follows the change stream).</summary>
    private async Task<(JsonObject Alliances, JsonObject Finalists)> TargetsAsync(HttpClient leader, int alliances, int finalists)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var body = await (await leader.GetAsync(Dashboard).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            var targets = body["funnel"]!["targets"]!.AsArray().ToDictionary(t => t!["key"]!.ToString(), t => t!.AsObject());
            var (a, f) = (targets["innovationAlliances"], targets["startupFinalists"]);
            if (a["actual"]!.GetValue<int>() == alliances && f["actual"]!.GetValue<int>() == finalists) return (a, f);
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The dashboard shows {a["actual"]} alliances and {f["actual"]} finalists; the records say {alliances} and {finalists}.");
            await Task.Delay(200);
        }
    }
}
