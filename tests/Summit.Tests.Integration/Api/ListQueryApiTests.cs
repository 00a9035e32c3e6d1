using System.Net;
using System.Text.Json.Nodes;
using Summit.Storage;

namespace Summit.Tests.Api;

/// <summary>
/// The lists through the API: pages read by offset or cursor add up to the whole list, a unit's account sees only its own
/// rows, a list read right after an acknowledged write shows it, and bad paging is a 400 naming the parameter.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ListQueryApiTests(GatewayFixture gateway)
{
    private string Base => $"/api/summits/{gateway.Summit}";

    public static TheoryData<string> Lists() => new() { "/counties", "/subforums", "/projects", "/universities", "/counties/pingyang/sub-events" };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Pages_of_a_list_add_up_to_the_whole_list(string list)
    {
        var http = await gateway.As("secretariat");
        var whole = await (await http.GetAsync($"{Base}{list}?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var all = Items(whole);
        Assert.Equal(all.Length, whole["total"]!.GetValue<int>());
        var paged = new List<string>();
        for (var offset = 0; offset < all.Length + 2; offset += 2)
        {
            var page = await (await http.GetAsync($"{Base}{list}?offset={offset}&limit=2").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Equal(all.Length, page["total"]!.GetValue<int>());
            paged.AddRange(Items(page));
        }
        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task A_county_lists_only_its_own_venue_and_projects()
    {
        var county = await gateway.As("county-pingyang");
        var venues = await (await county.GetAsync($"{Base}/counties").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(["pingyang"], venues["items"]!.AsArray().Select(v => v!["county"]!.GetValue<string>()));
        var projects = await (await county.GetAsync($"{Base}/projects?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.All(projects["items"]!.AsArray(), p => Assert.Equal("pingyang", p!["county"]!.GetValue<string>()));
        var all = await (await (await gateway.As("secretariat")).GetAsync($"{Base}/projects?limit=1000")).ReadJsonAsync();
        Assert.Equal(all["items"]!.AsArray().Count(p => p!["county"]?.GetValue<string>() == "pingyang"), projects["total"]!.GetValue<int>());
        Assert.Equal(0, (await (await county.GetAsync($"{Base}/subforums")).ReadJsonAsync())["total"]!.GetValue<int>());
        // Another county's sub-events are as missing as a county that does not exist.
        await county.GetAsync($"{Base}/counties/ruian/sub-events").ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_list_read_right_after_an_acknowledged_write_shows_it()
    {
        var http = await gateway.As("secretariat");
        var current = await http.GetAsync($"{Base}/universities/wzu").ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 5; i++)
        {
            var contact = $"国际合作处 {Guid.NewGuid():N}"[..16];
            var written = await (await http.PatchAsync($"{Base}/universities/wzu", new { contactUnit = contact }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            // No wait: the list reads the committed table, and the write was acknowledged after its commit.
            var list = await (await http.GetAsync($"{Base}/universities?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            var listed = list["items"]!.AsArray().Single(u => u!["code"]!.GetValue<string>() == "wzu")!;
            Assert.Equal(contact, listed["contactUnit"]!.GetValue<string>());
            Assert.Equal(written["version"]!.GetValue<int>(), listed["version"]!.GetValue<int>());
        }
        Assert.NotNull(current.ETag());
    }

    [Fact]
    public async Task History_and_audit_pages_follow_their_cursors_to_the_end()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        for (var percent = 10; percent <= 50; percent += 10)
            await http.PatchAsync($"{Base}/tasks/{id}", new { percentComplete = percent, status = "inProgress" }).ShouldBe(HttpStatusCode.OK);

        var versions = new List<int>();
        string? after = null;
        do
        {
            var page = await (await http.GetAsync($"{Base}/tasks/{id}/history?limit=2" + (after is null ? "" : $"&after={after}")).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Equal(6, page["total"]!.GetValue<int>());
            versions.AddRange(page["items"]!.AsArray().Select(h => h!["version"]!.GetValue<int>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.Equal([1, 2, 3, 4, 5, 6], versions);

        var audited = new List<int>();
        after = null;
        do
        {
            var page = await (await http.GetAsync($"{Base}/audit?entityId={id}&limit=4" + (after is null ? "" : $"&after={after}")).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            audited.AddRange(page["items"]!.AsArray().Select(h => h!["version"]!.GetValue<int>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.Equal([6, 5, 4, 3, 2, 1], audited);
    }

    public static TheoryData<string, string> BadQueries() => new()
    {
        { "/counties?limit=-1", "limit" },
        { "/counties?limit=0", "limit" },
        { "/subforums?offset=-1", "offset" },
        { "/projects?limit=1001", "limit" },
        { "/universities?offset=-3&limit=5", "offset" },
        { "/counties/pingyang/sub-events?limit=-2", "limit" },
        { "/counties/pingyang/history?after=garbage", "after" },
        { "/subforums/no-such/history?after=%25%25", "after" },
        { "/history?after=" + ListCursor.OfAudit(default), "after" },
        { "/audit?after=not-a-cursor", "after" },
        { "/audit?after=" + ListCursor.OfHistory(3), "after" },
        { "/audit?limit=-1", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_paging_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        var http = await gateway.As("secretariat");
        var response = await http.GetAsync(Base + query).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(parameter, await response.ErrorFieldsAsync());
    }

    private static string[] Items(JsonObject page) => page["items"]!.AsArray().Select(i => i!.ToJsonString()).ToArray();
}
