using System.Net;
using System.Text.Json.Nodes;
using Summit.Domain;
using Summit.Tests.Live;

namespace Summit.Tests.Api;

/// <summary>
/// Forwarding on PostgreSQL: the secretariat publishes a notice to the counties, Pingyang forwards it to two of its
/// registered organisations with its own requirements and an earlier deadline, they hand in (one is returned and
/// handed in again), Pingyang reviews them, and the secretariat sees how far the forward is on its board. Organisations
/// see only their own submission and files; other counties see nothing of Pingyang's forward.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ForwardingApiTests(GatewayFixture gateway)
{
    private string Campaigns => $"/api/summits/{gateway.Summit}/campaigns";
    private string Organizations => $"/api/summits/{gateway.Summit}/organizations";

    private async Task<string> PublishedAsync()
    {
        var secretariat = await gateway.As("secretariat");
        var id = $"fwd-{Guid.NewGuid():N}"[..20];
        await secretariat.PostAsync(Campaigns, new
        {
            id,
            title = "关于开展2020年全国科技工作者日活动的通知",
            body = "<p>请各县（市、区）于6月15日前报送活动总结。</p>",
            audience = new { allOf = new[] { "county" }, units = Array.Empty<object>() },
            deadline = "2020-06-15",
            template = new { sections = new[] { "活动总结" }, minImages = 1, fileKinds = new[] { "image" } },
            receivers = new[] { new { unitKind = "county", department = "office" } },
        }).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private async Task<string> PhotoAsync(string account)
    {
        using var bitmap = new SkiaSharp.SKBitmap(40, 30);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap)) canvas.Clear(SkiaSharp.SKColors.Orange);
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png.ToArray()), "files", "活动照片.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/summits/{gateway.Summit}/files") { Content = form };
        var response = await Task.FromResult(await (await gateway.As(account)).SendAsync(request)).ShouldBe(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["files"]![0]!["id"]!.ToString();
    }

    private static object Summary(string text, string photo) => new
    {
        sections = new[] { new { title = "活动总结", text } },
        files = new[] { photo },
    };

    [Fact]
    public async Task A_county_forwards_to_its_organisations_reviews_them_and_the_secretariat_sees_the_roll_up()
    {
        var secretariat = await gateway.As("secretariat");
        var pingyang = await gateway.As("county-pingyang");
        var ouhai = await gateway.As("county-ouhai");
        var kx = await gateway.As("org-pingyang-kx");
        var zx = await gateway.As("org-pingyang-zx");
        var parent = await PublishedAsync();

        // The campaign says Pingyang may forward it; the secretariat and other kinds of account may not.
        var read = await (await pingyang.GetAsync($"{Campaigns}/{parent}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(read["actions"]!["forward"]!.GetValue<bool>());
        Assert.False(read["actions"]!["review"]!.GetValue<bool>());
        await kx.GetAsync($"{Campaigns}/{parent}").ShouldBe(HttpStatusCode.NotFound);

        // Refusals name the field in Chinese and store nothing.
        var late = await pingyang.PostAsync($"{Campaigns}/{parent}/forward",
            new { deadline = "2020-06-16", organizations = new[] { "pingyang-kx" } }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("deadline", await late.ErrorFieldsAsync());
        var stranger = await pingyang.PostAsync($"{Campaigns}/{parent}/forward",
            new { deadline = "2020-06-12", organizations = new[] { "ruian-kx" } }).ShouldBe(HttpStatusCode.BadRequest);
        var problem = await stranger.ReadJsonAsync();
        Assert.Contains("不是本单位登记在册的下属单位", problem["errors"]!["organizations[0]"]![0]!.ToString(), StringComparison.Ordinal);
        await ouhai.PostAsync($"{Campaigns}/{parent}/forward",
            new { deadline = "2020-06-12", organizations = new[] { "pingyang-kx" }, unit = "county:pingyang" }).ShouldBe(HttpStatusCode.Forbidden);
        await kx.PostAsync($"{Campaigns}/{parent}/forward", new { deadline = "2020-06-12", allOrganizations = true }).ShouldBe(HttpStatusCode.NotFound);
        var listed = await (await secretariat.GetAsync($"{Campaigns}?forwardedFrom={parent}")).ReadJsonAsync();
        Assert.Equal(0, listed["total"]!.GetValue<int>());

        // Pingyang forwards to two of its organisations with an earlier deadline; a second forward is a conflict.
        var created = await pingyang.PostAsync($"{Campaigns}/{parent}/forward", new
        {
            body = "<p>请于6月12日前报县科协。</p><script>x()</script>",
            deadline = "2020-06-12",
            organizations = new[] { "pingyang-kx", "pingyang-zx" },
        }).ShouldBe(HttpStatusCode.Created);
        var forward = await created.ReadJsonAsync();
        var id = forward["id"]!.ToString();
        Assert.Equal(parent, forward["parent"]!.ToString());
        Assert.Equal("county", forward["owner"]!["kind"]!.ToString());
        Assert.Equal("published", forward["status"]!.ToString());
        Assert.StartsWith("转发：", forward["title"]!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("script", forward["body"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["organization:pingyang-kx", "organization:pingyang-zx"],
            forward["addressees"]!.AsArray().Select(a => $"{a!["kind"]}:{a["code"]}").ToArray());
        Assert.True(forward["actions"]!["review"]!.GetValue<bool>());
        await pingyang.PostAsync($"{Campaigns}/{parent}/forward", new { deadline = "2020-06-12", allOrganizations = true }).ShouldBe(HttpStatusCode.Conflict);

        // Who sees the forward: Pingyang, its two organisations, the secretariat; not Ouhai, not another organisation.
        await ouhai.GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.NotFound);
        await (await gateway.As("org-ruian-kx")).GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.NotFound);
        var own = await (await kx.GetAsync($"{Campaigns}?limit=1000")).ReadJsonAsync();
        Assert.Contains(own["items"]!.AsArray(), c => c!["id"]!.ToString() == id);
        Assert.DoesNotContain(own["items"]!.AsArray(), c => c!["id"]!.ToString() == parent);
        var mine = await (await pingyang.GetAsync($"{Campaigns}?limit=1000")).ReadJsonAsync();
        Assert.Contains(mine["items"]!.AsArray(), c => c!["id"]!.ToString() == id);
        listed = await (await secretariat.GetAsync($"{Campaigns}?forwardedFrom={parent}")).ReadJsonAsync();
        Assert.Equal(id, listed["items"]![0]!["id"]!.ToString());

        // Pingyang may 催报 its own forward (both organisations have not handed in); its organisations and Ouhai may not.
        var nudged = await (await pingyang.PostAsync($"{Campaigns}/{id}/remind", new { }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, nudged["reminded"]!.GetValue<int>());
        await kx.PostAsync($"{Campaigns}/{id}/remind", new { }).ShouldBe(HttpStatusCode.Forbidden);
        await ouhai.PostAsync($"{Campaigns}/{id}/remind", new { }).ShouldBe(HttpStatusCode.NotFound);
        var reminded = await (await pingyang.GetAsync($"{Campaigns}/{id}/reminders").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, reminded["units"]!.AsArray().Count);

        // The organisations hand in; one cannot see the other's submission or photo.
        var kxPhoto = await PhotoAsync("org-pingyang-kx");
        await kx.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang-kx/submit", Summary("<p>科技工作者座谈会</p>", kxPhoto))
            .ShouldBe(HttpStatusCode.OK);
        await zx.GetAsync($"{Campaigns}/{id}/submissions/organization:pingyang-kx").ShouldBe(HttpStatusCode.NotFound);
        await zx.GetAsync($"/api/summits/{gateway.Summit}/files/{kxPhoto}").ShouldBe(HttpStatusCode.NotFound);
        await ouhai.GetAsync($"/api/summits/{gateway.Summit}/files/{kxPhoto}").ShouldBe(HttpStatusCode.NotFound);
        await zx.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang-zx/submit", Summary("<p>科技创新成果展</p>", await PhotoAsync("org-pingyang-zx")))
            .ShouldBe(HttpStatusCode.OK);

        // Pingyang reviews its organisations (reading their photos); Ouhai and the organisations may not.
        await pingyang.GetAsync($"/api/summits/{gateway.Summit}/files/{kxPhoto}").ShouldBe(HttpStatusCode.OK);
        await kx.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang-kx/accept", new { }).ShouldBe(HttpStatusCode.Forbidden);
        await ouhai.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/organization:pingyang-kx/accept", new { }).ShouldBe(HttpStatusCode.NotFound);
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/organization:pingyang-kx/return", new { comment = "请补充参加人数" })
            .ShouldBe(HttpStatusCode.OK);
        await kx.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang-kx/submit", Summary("<p>座谈会2场，参加60人</p>", kxPhoto))
            .ShouldBe(HttpStatusCode.OK);
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/organization:pingyang-kx/accept", new { }).ShouldBe(HttpStatusCode.OK);

        // Pingyang's board of its forward: both organisations by name; it may collect them.
        var board = await (await pingyang.GetAsync($"{Campaigns}/{id}/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, board["total"]!.GetValue<int>());
        Assert.Equal("平阳县科学技术协会", board["items"]![0]!["name"]!.ToString());
        Assert.Equal((1, 1), (board["counts"]!["accepted"]!.GetValue<int>(), board["counts"]!["submitted"]!.GetValue<int>()));
        await pingyang.GetAsync($"{Campaigns}/{id}/export/submissions.zip?status=all").ShouldBe(HttpStatusCode.OK);
        await kx.GetAsync($"{Campaigns}/{id}/export/submissions.zip").ShouldBe(HttpStatusCode.Forbidden);
        var kxBoard = await (await kx.GetAsync($"{Campaigns}/{id}/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(1, kxBoard["total"]!.GetValue<int>());

        // The secretariat's board rolls the forward up on Pingyang's row; Ouhai's row has none.
        var rows = (await (await secretariat.GetAsync($"{Campaigns}/{parent}/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync())["items"]!.AsArray();
        var row = rows.Single(r => r!["unit"]!["code"]!.ToString() == "pingyang")!;
        Assert.Equal(id, row["forward"]!["campaign"]!.ToString());
        Assert.Equal((2, 2, 1), (row["forward"]!["addressed"]!.GetValue<int>(), row["forward"]!["handedIn"]!.GetValue<int>(), row["forward"]!["accepted"]!.GetValue<int>()));
        Assert.Null(rows.Single(r => r!["unit"]!["code"]!.ToString() == "ouhai")!["forward"]);

        // Pingyang hands in its own summary upward, as any addressee.
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{parent}/submissions/pingyang/submit", Summary("<p>全县汇总</p>", await PhotoAsync("county-pingyang")))
            .ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_forwarding_county_follows_its_organisations_submissions_live_and_no_other_county_does()
    {
        var pingyang = await gateway.As("county-pingyang");
        var parent = await PublishedAsync();
        await using var pingyangLive = await LiveClient.ConnectAsync(gateway.Factory, "county-pingyang");
        await pingyangLive.SubscribeAsync(gateway.Summit);
        await using var ouhaiLive = await LiveClient.ConnectAsync(gateway.Factory, "county-ouhai");
        await ouhaiLive.SubscribeAsync(gateway.Summit);

        var forward = await (await pingyang.PostAsync($"{Campaigns}/{parent}/forward",
            new { deadline = "2020-06-12", organizations = new[] { "pingyang-kx" } }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        var id = forward["id"]!.ToString();
        // Its own forward's change, and the parent notice's publication seen by an addressee, reach Pingyang.
        await pingyangLive.WaitForAsync(e => e.Kind == EntityKind.Campaign && e.Id == id, what: "the forward's own event");
        await (await gateway.As("org-pingyang-kx")).SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang-kx/submit",
            Summary("<p>座谈会</p>", await PhotoAsync("org-pingyang-kx"))).ShouldBe(HttpStatusCode.OK);
        var handedIn = await pingyangLive.WaitForAsync(e => e.Kind == EntityKind.Submission && e.Id == $"{id}:organization:pingyang-kx",
            what: "the organisation's submission on the forwarding county's connection");
        Assert.Equal(new OwningUnit(UnitKind.County, "pingyang"), Assert.Single(handedIn.Scope.Readers!));

        // Ouhai's own later change arrives; nothing of Pingyang's forward came before it.
        await (await gateway.As("county-ouhai")).SendAsync(HttpMethod.Put, $"{Campaigns}/{parent}/submissions/ouhai",
            new { sections = new[] { new { title = "活动总结", text = "<p>草稿</p>" } } }).ShouldBe(HttpStatusCode.OK);
        await ouhaiLive.WaitForAsync(e => e.Kind == EntityKind.Submission && e.Id == $"{parent}:county:ouhai", what: "Ouhai's own draft");
        Assert.DoesNotContain(ouhaiLive.Applied, e => e.Id == id || e.Id.StartsWith(id + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counties_register_organisations_under_themselves_only()
    {
        var pingyang = await gateway.As("county-pingyang");
        var ouhai = await gateway.As("county-ouhai");
        var code = $"py-{Guid.NewGuid():N}"[..16];
        var created = await (await pingyang.PostAsync(Organizations, new { code, name = "平阳县某科技企业", category = "company", contact = "张三 0577-1234567" })
            .ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal("pingyang", created["parentUnit"]!["code"]!.ToString());
        await ouhai.PostAsync(Organizations, new { code = code + "x", name = "x", category = "company", parentUnit = "county:pingyang" })
            .ShouldBe(HttpStatusCode.Forbidden);
        var bad = await pingyang.PostAsync(Organizations, new { code = "Bad Code", name = "", category = "company" }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(["code", "name"], (await bad.ErrorFieldsAsync()).Order());
        await ouhai.GetAsync($"{Organizations}/{code}").ShouldBe(HttpStatusCode.NotFound);
        await ouhai.PatchAsync($"{Organizations}/{code}", new { name = "改名" }).ShouldBe(HttpStatusCode.NotFound);
        var theirs = await (await pingyang.GetAsync($"{Organizations}?limit=100")).ReadJsonAsync();
        Assert.Contains(theirs["items"]!.AsArray(), o => o!["code"]!.ToString() == code);
        Assert.Contains(theirs["items"]!.AsArray(), o => o!["code"]!.ToString() == "pingyang-kx");
        Assert.DoesNotContain(theirs["items"]!.AsArray(), o => o!["code"]!.ToString() == "ruian-kx");
        var archived = await (await pingyang.PatchAsync($"{Organizations}/{code}", new { archived = true, note = "已注销" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(archived["archived"]!.GetValue<bool>());
        var city = await (await (await gateway.As("secretariat")).GetAsync($"{Organizations}?parentUnit=city")).ReadJsonAsync();
        Assert.Equal(["wz-youth-st"], city["items"]!.AsArray().Select(o => o!["code"]!.ToString()).ToArray());
    }
}
