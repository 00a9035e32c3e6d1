using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// A campaign's board a page at a time (<c>offset</c>, <c>limit</c> and the filters, the counts always over the whole
/// campaign), and the big screen's open campaigns (<c>/dashboard/campaigns</c>): published ones only, soonest deadline
/// first, counted per status from the submissions, each caller seeing what the access policy lets it. The demo clock
/// stands at 10 June 2020 09:00 (Wenzhou).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CampaignProgressTests(GatewayFixture gateway)
{
    private string Campaigns => $"/api/summits/{gateway.Summit}/campaigns";
    private string Open => $"/api/summits/{gateway.Summit}/dashboard/campaigns";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>A notice to every county and the medical university (13 units), published unless <paramref name="publish"/> is false.</summary>
    private async Task<string> CampaignAsync(string deadline, bool publish = true)
    {
        var secretariat = await gateway.As("secretariat");
        var id = NewId("cg");
        await secretariat.PostAsync(Campaigns, new
        {
            id,
            title = $"材料报送 {id}",
            body = "<p>请按时报送。</p>",
            audience = new { allOf = new[] { "county" }, units = new[] { new { kind = "university", code = "wmu" } } },
            deadline,
            template = new { sections = new[] { "工作进展" }, minImages = 0, fileKinds = new[] { "image", "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" }, new { unitKind = "university", department = "academic" } },
        }).ShouldBe(HttpStatusCode.Created);
        if (publish)
            await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private static object Text(string text) => new { sections = new[] { new { title = "工作进展", text } } };

    private async Task SubmitAsync(string campaign, string county) =>
        await (await gateway.As($"county-{county}")).SendAsync(HttpMethod.Post, $"{Campaigns}/{campaign}/submissions/{county}/submit", Text($"<p>{county}</p>"))
            .ShouldBe(HttpStatusCode.OK);

    private static string UnitOf(JsonNode? row) => $"{row!["unit"]!["kind"]}:{row["unit"]!["code"]}";

    [Fact]
    public async Task The_board_pages_through_its_units_in_order_with_counts_for_the_whole_campaign()
    {
        var id = await CampaignAsync("2020-06-16");
        var secretariat = await gateway.As("secretariat");
        await SubmitAsync(id, "pingyang");
        await SubmitAsync(id, "ouhai");
        await (await gateway.As("county-lucheng")).SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/lucheng", Text("<p>草稿</p>"))
            .ShouldBe(HttpStatusCode.OK);

        var whole = await (await secretariat.GetAsync($"{Campaigns}/{id}/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var order = whole["items"]!.AsArray().Select(UnitOf).ToArray();
        Assert.Equal(13, order.Length);

        // Pages of 5: 5, 5 and 3 rows, together the whole board in the campaign's order; every page counts all 13.
        var paged = new List<string>();
        foreach (var offset in new[] { 0, 5, 10 })
        {
            var page = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?offset={offset}&limit=5").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            Assert.Equal(13, page["total"]!.GetValue<int>());
            var counts = page["counts"]!;
            Assert.Equal((13, 10, 1, 2), (counts["total"]!.GetValue<int>(), counts["notStarted"]!.GetValue<int>(),
                counts["draft"]!.GetValue<int>(), counts["submitted"]!.GetValue<int>()));
            paged.AddRange(page["items"]!.AsArray().Select(UnitOf));
        }
        Assert.Equal(order, paged);
        var beyond = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?offset=20&limit=5")).ReadJsonAsync();
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Equal(13, beyond["total"]!.GetValue<int>());

        // The status filter pages its own rows (total 10 not started), the counts stay the campaign's.
        var waiting = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?status=notStarted&offset=8&limit=5")).ReadJsonAsync();
        Assert.Equal(10, waiting["total"]!.GetValue<int>());
        Assert.Equal(2, waiting["items"]!.AsArray().Count);
        Assert.All(waiting["items"]!.AsArray(), r => Assert.Equal("notStarted", r!["status"]!.ToString()));
        Assert.Equal(13, waiting["counts"]!["total"]!.GetValue<int>());
        // The kind filter narrows rows and counts to that kind.
        var universities = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?unitKind=university")).ReadJsonAsync();
        Assert.Equal(["university:wmu"], universities["items"]!.AsArray().Select(UnitOf));
        Assert.Equal(1, universities["counts"]!["total"]!.GetValue<int>());

        // Paging that makes no sense is refused, naming the parameter.
        Assert.Contains("limit", await (await secretariat.GetAsync($"{Campaigns}/{id}/board?limit=0").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("offset", await (await secretariat.GetAsync($"{Campaigns}/{id}/board?offset=-1").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
    }

    [Fact]
    public async Task The_screen_lists_open_campaigns_soonest_first_with_their_counts()
    {
        var secretariat = await gateway.As("secretariat");
        var later = await CampaignAsync("2020-06-12");
        var timed = await CampaignAsync("2020-06-12T10:00");
        var overdue = await CampaignAsync("2020-06-10T09:00");
        var draft = await CampaignAsync("2020-06-11", publish: false);
        var closed = await CampaignAsync("2020-06-11");
        await secretariat.PatchAsync($"{Campaigns}/{closed}", new { status = "closed" }, ifMatch: "\"2\"").ShouldBe(HttpStatusCode.OK);

        await SubmitAsync(later, "pingyang");
        await SubmitAsync(later, "ruian");
        await SubmitAsync(later, "wencheng");
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{later}/submissions/county:pingyang/accept", new { }).ShouldBe(HttpStatusCode.OK);
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{later}/submissions/county:wencheng/return", new { comment = "请补充" }).ShouldBe(HttpStatusCode.OK);
        await (await gateway.As("university-wmu")).SendAsync(HttpMethod.Put, $"{Campaigns}/{later}/submissions/wmu", Text("<p>草稿</p>")).ShouldBe(HttpStatusCode.OK);
        await SubmitAsync(overdue, "ouhai");

        var leader = await gateway.As("leader");
        var open = await (await leader.GetAsync($"{Open}?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var items = open["items"]!.AsArray();
        var ids = items.Select(i => i!["id"]!.ToString()).ToList();
        Assert.Equal(ids.Count, open["total"]!.GetValue<int>());
        Assert.DoesNotContain(draft, ids);
        Assert.DoesNotContain(closed, ids);
        // Soonest first: this morning's, then 12 June at 10:00, then 12 June (the end of that day).
        Assert.True(ids.IndexOf(overdue) < ids.IndexOf(timed) && ids.IndexOf(timed) < ids.IndexOf(later), string.Join(", ", ids));
        var dueAt = items.Select(i => i!["deadlineAt"]!.GetValue<DateTimeOffset>()).ToArray();
        Assert.Equal(dueAt.Order(), dueAt);

        var row = items.Single(i => i!["id"]!.ToString() == later)!;
        Assert.Equal($"材料报送 {later}", row["title"]!.ToString());
        Assert.Equal("2020-06-12", row["deadline"]!.ToString());
        Assert.False(row["overdue"]!.GetValue<bool>());
        Assert.True(row["secondsLeft"]!.GetValue<long>() > 0);
        var counts = row["counts"]!;
        Assert.Equal((13, 9, 1, 1, 1, 1, 0), (counts["total"]!.GetValue<int>(), counts["notStarted"]!.GetValue<int>(), counts["draft"]!.GetValue<int>(),
            counts["submitted"]!.GetValue<int>(), counts["returned"]!.GetValue<int>(), counts["accepted"]!.GetValue<int>(), counts["late"]!.GetValue<int>()));
        var past = items.Single(i => i!["id"]!.ToString() == overdue)!;
        Assert.True(past["overdue"]!.GetValue<bool>());
        Assert.True(past["secondsLeft"]!.GetValue<long>() < 0);
        Assert.Equal((1, 1), (past["counts"]!["submitted"]!.GetValue<int>(), past["counts"]!["late"]!.GetValue<int>()));

        // A page of them: the first ones of the same order; the total is every open campaign.
        var first = await (await leader.GetAsync($"{Open}?limit=2")).ReadJsonAsync();
        Assert.Equal(ids.Take(2), first["items"]!.AsArray().Select(i => i!["id"]!.ToString()));
        Assert.Equal(ids.Count, first["total"]!.GetValue<int>());

        // A county sees the open campaigns addressed to it, counting only its own row; a university not addressed, none of them.
        var pingyang = await (await (await gateway.As("county-pingyang")).GetAsync($"{Open}?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var own = pingyang["items"]!.AsArray().Single(i => i!["id"]!.ToString() == later)!["counts"]!;
        Assert.Equal((1, 1), (own["total"]!.GetValue<int>(), own["accepted"]!.GetValue<int>()));
        var wzu = await (await (await gateway.As("university-wzu")).GetAsync($"{Open}?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.DoesNotContain(wzu["items"]!.AsArray(), i => i!["id"]!.ToString() == later);

        // Unknown parameters and bad paging are 400s naming them.
        await leader.GetAsync($"{Open}?status=open").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("limit", await (await leader.GetAsync($"{Open}?limit=1001").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
    }
}
