using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// <c>GET /search</c> and the lists' <c>q</c> on real PostgreSQL: ranking, what each role finds, Chinese one- and
/// two-character queries, English, hostile input; and every list refusing a parameter it does not take.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SearchApiTests(GatewayFixture gateway)
{
    private string Base => $"/api/summits/{gateway.Summit}";

    // Characters no demo text holds, so the tasks made here are the only ones these queries find.
    private const string Ranked = "鲲鹏计划";
    private const string Rare = "鳐";

    private sealed record Made(string Exact, string Prefix, string Inside, string ByAssignee, string Pingyang, string Ruian, string English);

    private Task<Made> MadeAsync() => gateway.SharedAsync(nameof(SearchApiTests), async g =>
    {
        var exact = await g.CreateTaskAsync(title: Ranked);
        var prefix = await g.CreateTaskAsync(title: Ranked + "筹备");
        var inside = await g.CreateTaskAsync(title: "筹备" + Ranked + "会议");
        var byAssignee = await CreateAsync(g, "county:pingyang", "宣传材料印制", assignee: Ranked + "工作组");
        var pingyang = await g.CreateTaskAsync("county:pingyang", title: $"{Rare}鱼平阳共建签约");
        var ruian = await g.CreateTaskAsync("county:ruian", title: $"{Rare}鱼瑞安共建签约");
        var english = await g.CreateTaskAsync("county:pingyang", title: "Pump Valve Xqzforum briefing");
        return new Made(exact, prefix, inside, byAssignee, pingyang, ruian, english);
    });

    private static async Task<string> CreateAsync(GatewayFixture g, string owner, string title, string assignee)
    {
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var (kind, code) = (owner.Split(':')[0], owner.Split(':')[1]);
        await (await g.As("secretariat")).PostAsync($"/api/summits/{g.Summit}/tasks", new
        {
            id, title, category = "publicity", owner = new { kind, code }, dueDate = "2020-07-20", assignee,
        }).ShouldBe(HttpStatusCode.Created);
        return id;
    }

    private async Task<JsonObject> SearchAsync(string account, string q, int? limit = null)
    {
        var http = await gateway.As(account);
        var url = $"{Base}/search?q={Uri.EscapeDataString(q)}" + (limit is null ? "" : $"&limit={limit}");
        return await (await http.GetAsync(url).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
    }

    private static JsonArray Group(JsonObject result, string kind) =>
        result["groups"]!.AsArray().Single(g => g!["kind"]!.GetValue<string>() == kind)!["items"]!.AsArray();

    private static string[] Ids(JsonObject result, string kind) => Group(result, kind).Select(i => i!["id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Tasks_rank_equal_titles_first_then_titles_starting_with_the_query_then_titles_holding_it_then_other_fields()
    {
        var made = await MadeAsync();
        var result = await SearchAsync("secretariat", Ranked, limit: 10);
        Assert.Equal([made.Exact, made.Prefix, made.Inside, made.ByAssignee], Ids(result, "task"));
        Assert.Equal([0, 1, 2, 3], Group(result, "task").Select(i => i!["rank"]!.GetValue<int>()));
        Assert.Equal(Ranked, Group(result, "task")[0]!["title"]!.GetValue<string>());
        Assert.Equal("county:pingyang", Group(result, "task")[0]!["unit"]!.GetValue<string>());
        Assert.Equal([Ranked], result["terms"]!.AsArray().Select(t => t!.GetValue<string>()));
        // Every kind has its group, in a fixed order, even when empty.
        Assert.Equal(["task", "subEvent", "subForum", "project", "county", "university", "person", "alliance", "finalist"],
            result["groups"]!.AsArray().Select(g => g!["kind"]!.GetValue<string>()));

        var two = await SearchAsync("secretariat", Ranked, limit: 2);
        Assert.Equal([made.Exact, made.Prefix], Ids(two, "task"));
        Assert.True(two["groups"]![0]!["more"]!.GetValue<bool>());
        Assert.False(result["groups"]![0]!["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task One_and_two_character_Chinese_queries_find_their_tasks()
    {
        var made = await MadeAsync();
        var both = new[] { made.Pingyang, made.Ruian }.Order(StringComparer.Ordinal);
        Assert.Equal(both, Ids(await SearchAsync("secretariat", Rare, 10), "task").Order(StringComparer.Ordinal));
        Assert.Equal(both, Ids(await SearchAsync("secretariat", Rare + "鱼", 10), "task").Order(StringComparer.Ordinal));
        // Both words must match; the pair "鱼平" exists only in one title.
        Assert.Equal([made.Pingyang], Ids(await SearchAsync("secretariat", $"{Rare} 平阳"), "task"));
        Assert.Equal([made.Pingyang], Ids(await SearchAsync("secretariat", "鱼平"), "task"));
        // The characters of a pair that sit apart are no match: 鳐 and 阳 are both in the title, "鳐阳" is not.
        Assert.Empty(Ids(await SearchAsync("secretariat", Rare + "阳"), "task"));
    }

    [Fact]
    public async Task English_queries_ignore_case_and_find_codes()
    {
        var made = await MadeAsync();
        Assert.Equal([made.English], Ids(await SearchAsync("secretariat", "valve XQZFORUM"), "task"));
        Assert.Equal([made.English], Ids(await SearchAsync("secretariat", made.English.ToUpperInvariant()), "task"));
        var units = await SearchAsync("secretariat", "PingYang");
        Assert.Contains("pingyang", Ids(units, "county"));
        Assert.Contains("county-pingyang", Ids(units, "person"));
    }

    [Fact]
    public async Task Demo_summit_is_found_by_county_name_and_industry()
    {
        var result = await SearchAsync("secretariat", "平阳", 50);
        var county = Group(result, "county").Single(i => i!["id"]!.GetValue<string>() == "pingyang")!;
        Assert.Equal(1, county["rank"]!.GetValue<int>());
        Assert.Equal("平阳县", county["title"]!.GetValue<string>());
        // A county's accounts are found by its name.
        Assert.Contains("county-pingyang", Ids(result, "person"));
        // Demo tasks of Pingyang carry its name in their titles, and those come before matches in other fields.
        Assert.Contains("平阳", Group(result, "task")[0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_county_never_finds_another_countys_tasks_venue_sub_events_or_people()
    {
        var made = await MadeAsync();
        var secretariat = await gateway.As("secretariat");
        var title = $"{Rare}瑞安子活动";
        await secretariat.PostAsync($"{Base}/counties/ruian/sub-events", new { title }).ShouldBe(HttpStatusCode.Created);

        var all = await SearchAsync("secretariat", Rare, 50);
        Assert.Contains(made.Ruian, Ids(all, "task"));
        Assert.Contains(title, Group(all, "subEvent").Select(i => i!["title"]!.GetValue<string>()));
        Assert.Equal("ruian", Group(all, "subEvent").First(i => i!["title"]!.GetValue<string>() == title)!["county"]!.GetValue<string>());

        var pingyang = await SearchAsync("county-pingyang", Rare, 50);
        Assert.Equal([made.Pingyang], Ids(pingyang, "task"));
        Assert.All(Group(pingyang, "subEvent"), e => Assert.Equal("pingyang", e!["county"]!.GetValue<string>()));
        Assert.DoesNotContain(title, Group(pingyang, "subEvent").Select(i => i!["title"]!.GetValue<string>()));
        var ruianByName = await SearchAsync("county-pingyang", "瑞安", 50);
        Assert.All(Group(ruianByName, "task"), t => Assert.Equal("county:pingyang", t!["unit"]!.GetValue<string>()));
        Assert.Empty(Group(ruianByName, "county"));
        Assert.Empty(Group(ruianByName, "person"));
        Assert.Empty(Ids(await SearchAsync("county-pingyang", "county-ruian"), "person"));
        // Its own unit and accounts it does find.
        var own = await SearchAsync("county-pingyang", "平阳");
        Assert.Equal(["pingyang"], Ids(own, "county"));
        Assert.All(Group(own, "person"), p => Assert.Equal("county:pingyang", p!["unit"]!.GetValue<string>()));

        // The other county sees its own and not Pingyang's.
        var ruian = await SearchAsync("county-ruian", Rare, 50);
        Assert.Equal([made.Ruian], Ids(ruian, "task"));
        Assert.Contains(title, Group(ruian, "subEvent").Select(i => i!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Leaders_read_everything_and_universities_only_their_own()
    {
        var made = await MadeAsync();
        Assert.Equal(new[] { made.Pingyang, made.Ruian }.Order(StringComparer.Ordinal),
            Ids(await SearchAsync("leader", Rare, 10), "task").Order(StringComparer.Ordinal));
        var university = await SearchAsync("university-wmu", Rare, 10);
        Assert.Empty(Ids(university, "task"));
        var units = await SearchAsync("university-wmu", "温州");
        Assert.All(Group(units, "university"), u => Assert.Equal("wmu", u!["id"]!.GetValue<string>()));
        Assert.Empty(Group(units, "county"));
        Assert.All(Group(units, "person"), p => Assert.Equal("university:wmu", p!["unit"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_lists_filter_by_q()
    {
        var made = await MadeAsync();
        var http = await gateway.As("secretariat");
        var tasks = await (await http.GetAsync($"{Base}/tasks?q={Uri.EscapeDataString(Ranked)}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(4, tasks["total"]!.GetValue<int>());
        Assert.Equal(new[] { made.Exact, made.Prefix, made.Inside, made.ByAssignee }.Order(),
            tasks["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).Order());
        var own = await (await (await gateway.As("county-ruian")).GetAsync($"{Base}/tasks?q={Rare}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal([made.Ruian], own["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));

        var counties = await (await http.GetAsync($"{Base}/counties?q=平阳").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["pingyang"], counties["items"]!.AsArray().Select(c => c!["county"]!.GetValue<string>()));
        var universities = await (await http.GetAsync($"{Base}/universities?q=WMU").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["wmu"], universities["items"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()));

        var forums = await (await http.GetAsync($"{Base}/subforums?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var theme = forums["items"]![0]!["theme"]!.GetValue<string>();
        var found = await (await http.GetAsync($"{Base}/subforums?q={Uri.EscapeDataString(theme[..2])}&limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.All(found["items"]!.AsArray(), f => Assert.Contains(theme[..2], f!.ToJsonString(Json)));
        Assert.Contains(theme, found["items"]!.AsArray().Select(f => f!["theme"]!.GetValue<string>()));

        var projects = await (await http.GetAsync($"{Base}/projects?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var project = projects["items"]![0]!["title"]!.GetValue<string>();
        var byTitle = await (await http.GetAsync($"{Base}/projects?q={Uri.EscapeDataString(project)}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(project, byTitle["items"]!.AsArray().Select(p => p!["title"]!.GetValue<string>()));

        var title = $"{Rare}平阳科普子活动";
        await http.PostAsync($"{Base}/counties/pingyang/sub-events", new { title }).ShouldBe(HttpStatusCode.Created);
        var events = await (await http.GetAsync($"{Base}/counties/pingyang/sub-events?q={Rare}%20科普").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal([title], events["items"]!.AsArray().Select(e => e!["title"]!.GetValue<string>()));
        Assert.Equal(1, events["total"]!.GetValue<int>());
        var found2 = await SearchAsync("county-pingyang", "科普子活动");
        Assert.Contains(title, Group(found2, "subEvent").Select(e => e!["title"]!.GetValue<string>()));
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string, string> HostileSearches() => new()
    {
        { "/search", "q" },
        { "/search?q=", "q" },
        { "/search?q=%20%20", "q" },
        { "/search?q=" + new string('平', 101), "q" },
        { "/search?q=a%00b", "q" },
        { "/search?q=%01", "q" },
        { "/search?q=a%0Ab", "q" },
        { "/search?q=a%C2%85b", "q" },
        { "/search?q=" + string.Join("%20", Enumerable.Range(1, 9).Select(i => $"w{i}")), "q" },
        { "/search?q=x&limit=0", "limit" },
        { "/search?q=x&limit=51", "limit" },
        { "/search?q=x&limit=-1", "limit" },
        { "/search?q=x&limit=abc", "limit" },
        { "/search?q=x&limit=99999999999", "limit" },
        { "/search?q=x&unknown=1", "unknown" },
        { "/search?q=x&qq=1", "qq" },
        { "/tasks?q=" + new string('x', 101), "q" },
        { "/tasks?q=%00", "q" },
        { "/counties?q=a%1Fb", "q" },
        { "/subforums?q=" + new string('y', 500), "q" },
        { "/projects?q=%7F", "q" },
        { "/universities?q=%0D", "q" },
        { "/counties/pingyang/sub-events?q=%00", "q" },
    };

    [Theory]
    [MemberData(nameof(HostileSearches))]
    public async Task Bad_queries_are_problems_naming_the_parameter(string query, string parameter)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync(Base + query).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(parameter, await response.ErrorFieldsAsync());
    }

    [Theory]
    [InlineData("' OR 1=1 --")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("$1")]
    [InlineData("{平阳}")]
    [InlineData("平阳'); DROP TABLE summit_entity; --")]
    [InlineData("🎉")]
    [InlineData("\uFFFD")]
    public async Task Queries_that_look_like_sql_or_patterns_are_plain_text(string q)
    {
        var result = await SearchAsync("secretariat", q, 50);
        // Only what holds the text itself is found (other tests may name a task "100% 签约"): no wildcard, no injection.
        Assert.All(result["groups"]!.AsArray(), g => Assert.All(g!["items"]!.AsArray(), i => Assert.Contains(q, i!["title"]!.ToString(), StringComparison.OrdinalIgnoreCase)));
        var list = await (await (await gateway.As("secretariat")).GetAsync($"{Base}/tasks?q={Uri.EscapeDataString(q)}&limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.All(list["items"]!.AsArray(), i => Assert.Contains(q, i!["title"]!.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.True(list["total"]!.GetValue<int>() < 50, "a pattern character matched like a wildcard");
    }

    [Fact]
    public async Task Search_of_a_summit_that_does_not_exist_or_by_an_admin_is_not_found()
    {
        await (await gateway.As("secretariat")).GetAsync("/api/summits/no-such/search?q=x").ShouldBe(HttpStatusCode.NotFound);
        await (await gateway.As("admin")).GetAsync($"{Base}/search?q=平阳").ShouldBe(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> Lists() => new()
    {
        { "secretariat", "/tasks" },
        { "secretariat", "/tasks/t-00001/history" },
        { "secretariat", "/counties" },
        { "secretariat", "/counties/pingyang/sub-events" },
        { "secretariat", "/counties/pingyang/history" },
        { "secretariat", "/subforums" },
        { "secretariat", "/projects" },
        { "secretariat", "/universities" },
        { "secretariat", "/universities/wmu/history" },
        { "secretariat", "/audit" },
        { "secretariat", "/announcements" },
        { "secretariat", "/red-list" },
        { "secretariat", "/webhooks" },
        { "secretariat", "/webhooks/dead-letters" },
        { "secretariat", "/api/summits" },
        { "secretariat", "/api/me/notifications" },
        { "admin", "/api/accounts" },
        { "admin", "/api/security/events" },
        { "county-pingyang", "/tasks" },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Every_list_refuses_a_parameter_it_does_not_take(string account, string list)
    {
        var http = await gateway.As(account);
        var path = list.StartsWith("/api/", StringComparison.Ordinal) ? list : Base + list;
        await http.GetAsync(path + "?limit=1").ShouldBe(HttpStatusCode.OK);
        var response = await http.GetAsync(path + "?limit=1&stauts=done").ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ErrorFieldsAsync();
        Assert.Equal(["stauts"], fields);
        var body = await response.ReadJsonAsync();
        Assert.Contains("limit", body["errors"]!["stauts"]![0]!.GetValue<string>());
        // Names compare ignoring case, as binding does.
        await http.GetAsync(path + "?LIMIT=1").ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/audit?q=x", "q")]
    [InlineData("/tasks/t-00001/history?q=x", "q")]
    [InlineData("/tasks?summit=x", "summit")]
    [InlineData("/tasks?unit=county:pingyang&units=county:ruian", "units")]
    public async Task A_parameter_of_another_list_or_a_route_value_is_refused(string query, string parameter)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync(Base + query).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal([parameter], await response.ErrorFieldsAsync());
    }
}
