using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// <c>/campaigns</c> and their <c>/submissions</c> on PostgreSQL: the secretariat drafts and publishes a notice, units hand
/// in their submissions, the secretariat returns and accepts them, every handed-in version stays readable, and the board
/// counts where each unit stands. The demo clock stands at 10 June 2020 (Wenzhou).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CampaignApiTests(GatewayFixture gateway)
{
    private string Campaigns => $"/api/summits/{gateway.Summit}/campaigns";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static object CampaignBody(string id, string deadline = "2020-06-15") => new
    {
        id,
        title = "关于开展2020年全国科技工作者日活动的通知",
        body = "<p>请各单位于6月15日前报送活动总结和图片。</p><script>alert('x')</script>",
        periodStart = "2020-05-15",
        periodEnd = "2020-06-05",
        audience = new { allOf = new[] { "county" }, units = new[] { new { kind = "university", code = "wmu" } } },
        deadline,
        template = new { sections = new[] { "活动总结", "主要成效" }, minImages = 1, fileKinds = new[] { "image", "document" } },
        receivers = new[] { new { unitKind = "county", department = "office" }, new { unitKind = "university", department = "academic" } },
    };

    private static object Sections(string summary, string results = "参与科技工作者 300 人", params string[] files) => new
    {
        sections = new[] { new { title = "活动总结", text = summary }, new { title = "主要成效", text = results } },
        files,
    };

    /// <summary>Uploads a small photo as <paramref name="account"/> and answers its file id.</summary>
    private async Task<string> PhotoAsync(string account, string name = "活动照片.png")
    {
        using var bitmap = new SkiaSharp.SKBitmap(40, 30);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap)) canvas.Clear(SkiaSharp.SKColors.SteelBlue);
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var form = new System.Net.Http.MultipartFormDataContent { { new System.Net.Http.ByteArrayContent(png.ToArray()), "files", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/summits/{gateway.Summit}/files") { Content = form };
        var response = await Task.FromResult(await (await gateway.As(account)).SendAsync(request)).ShouldBe(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["files"]![0]!["id"]!.ToString();
    }

    private async Task<string> PublishedAsync()
    {
        var secretariat = await gateway.As("secretariat");
        var id = NewId("cp");
        await secretariat.PostAsync(Campaigns, CampaignBody(id)).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task The_whole_flow_from_draft_to_board()
    {
        var secretariat = await gateway.As("secretariat");
        var pingyang = await gateway.As("county-pingyang");
        var ouhai = await gateway.As("county-ouhai");
        var lucheng = await gateway.As("county-lucheng");
        var id = NewId("cp");

        var created = await secretariat.PostAsync(Campaigns, CampaignBody(id)).ShouldBe(HttpStatusCode.Created);
        var draft = await created.ReadJsonAsync();
        Assert.Equal("draft", draft["status"]!.ToString());
        Assert.DoesNotContain("script", draft["body"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(draft["addressees"]!.AsArray());
        Assert.Equal("2020-06-15", draft["deadline"]!.ToString());
        // A draft is the secretariat's alone.
        await pingyang.GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.NotFound);

        var published = await (await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published", note = "印发" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var addressees = published["addressees"]!.AsArray().Select(a => $"{a!["kind"]}:{a["code"]}").ToArray();
        Assert.Equal(13, addressees.Length);
        Assert.Equal("university:wmu", addressees[^1]);
        Assert.Contains("county:pingyang", addressees);

        // The addressed county reads it and its own board row; it may not change it.
        await pingyang.GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.OK);
        await pingyang.PatchAsync($"{Campaigns}/{id}", new { title = "x" }).ShouldBe(HttpStatusCode.Forbidden);
        var listed = await (await pingyang.GetAsync($"{Campaigns}?q=科技工作者日&limit=1000")).ReadJsonAsync();
        Assert.Contains(listed["items"]!.AsArray(), c => c!["id"]!.ToString() == id);

        // Pingyang drafts (bare code), then hands in; Ouhai hands in at once.
        var saved = await pingyang.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/pingyang",
            new { sections = new[] { new { title = "活动总结", text = "<p>初稿</p>" } } }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"1\"", saved.ETag());
        Assert.Equal("draft", (await saved.ReadJsonAsync())["status"]!.ToString());
        var photo1 = await PhotoAsync("county-pingyang");
        var photo2 = await PhotoAsync("county-pingyang", "座谈会.png");
        var first = await (await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:pingyang/submit",
            Sections("<p>举办科技工作者座谈会</p>", files: [photo1]), ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(("submitted", false, 1), (first["status"]!.ToString(), first["late"]!.GetValue<bool>(), first["submittedVersions"]!.GetValue<int>()));
        Assert.Equal("office", first["receiver"]!.ToString());
        await ouhai.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/ouhai/submit", Sections("<p>瓯海区活动总结</p>", files: [await PhotoAsync("county-ouhai")])).ShouldBe(HttpStatusCode.OK);

        // Returned with a comment, revised and handed in again: both versions stay readable.
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang/accept", new { }).ShouldBe(HttpStatusCode.Forbidden);
        var returned = await (await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:pingyang/return",
            new { comment = "请补充活动照片的文字说明" }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("returned", returned["status"]!.ToString());
        await pingyang.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/pingyang", Sections("<p>座谈会（附照片说明）</p>", files: [photo1, photo2]))
            .ShouldBe(HttpStatusCode.OK);
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang/submit", new { }).ShouldBe(HttpStatusCode.OK);
        var versions = await (await pingyang.GetAsync($"{Campaigns}/{id}/submissions/pingyang/versions").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, versions["total"]!.GetValue<int>());
        Assert.Equal(1, versions["items"]![0]!["number"]!.GetValue<int>());
        Assert.Equal("<p>举办科技工作者座谈会</p>", versions["items"]![0]!["submission"]!["sections"]![0]!["text"]!.ToString());
        var second = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/versions/2").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("<p>座谈会（附照片说明）</p>", second["submission"]!["sections"]![0]!["text"]!.ToString());
        Assert.Equal(2, second["submission"]!["files"]!.AsArray().Count);
        var one = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/versions/1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(photo1, one["submission"]!["files"]![0]!.ToString());
        await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/versions/3").ShouldBe(HttpStatusCode.NotFound);

        // The secretariat brings the deadline forward to this morning; Lucheng's first submission is then late.
        await secretariat.PatchAsync($"{Campaigns}/{id}", new { deadline = "2020-06-10T09:00", note = "提前截止" }).ShouldBe(HttpStatusCode.OK);
        var late = await (await lucheng.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/lucheng/submit", Sections("<p>鹿城区总结</p>", files: [await PhotoAsync("county-lucheng")]))
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(late["late"]!.GetValue<bool>());
        var lateVersion = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:lucheng/versions/1")).ReadJsonAsync();
        Assert.True(lateVersion["late"]!.GetValue<bool>());
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/ouhai/accept", new { comment = "材料齐全" }).ShouldBe(HttpStatusCode.OK);

        var board = await (await secretariat.GetAsync($"{Campaigns}/{id}/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var counts = board["counts"]!;
        Assert.Equal((13, 10, 0, 2, 0, 1, 1), (counts["total"]!.GetValue<int>(), counts["notStarted"]!.GetValue<int>(), counts["draft"]!.GetValue<int>(),
            counts["submitted"]!.GetValue<int>(), counts["returned"]!.GetValue<int>(), counts["accepted"]!.GetValue<int>(), counts["late"]!.GetValue<int>()));
        Assert.True(board["overdue"]!.GetValue<bool>());
        Assert.True(board["secondsLeft"]!.GetValue<long>() < 0);
        var pingyangRow = board["items"]!.AsArray().Single(r => r!["unit"]!["code"]!.ToString() == "pingyang")!;
        Assert.Equal(("submitted", 2, "平阳县"), (pingyangRow["status"]!.ToString(), pingyangRow["submittedVersions"]!.GetValue<int>(), pingyangRow["name"]!.ToString()));
        var waiting = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?unitKind=county&status=notStarted&limit=5")).ReadJsonAsync();
        Assert.Equal(9, waiting["total"]!.GetValue<int>());
        Assert.Equal(5, waiting["items"]!.AsArray().Count);
        Assert.Equal(12, waiting["counts"]!["total"]!.GetValue<int>());
        var lateOnly = await (await secretariat.GetAsync($"{Campaigns}/{id}/board?late=true")).ReadJsonAsync();
        Assert.Equal("lucheng", lateOnly["items"]!.AsArray().Single()!["unit"]!["code"]!.ToString());

        // A unit's board and list hold only itself.
        var own = await (await pingyang.GetAsync($"{Campaigns}/{id}/board")).ReadJsonAsync();
        Assert.Equal(1, own["counts"]!["total"]!.GetValue<int>());
        var all = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions")).ReadJsonAsync();
        Assert.Equal(3, all["total"]!.GetValue<int>());
        var mine = await (await pingyang.GetAsync($"{Campaigns}/{id}/submissions")).ReadJsonAsync();
        Assert.Equal("county:pingyang", $"{mine["items"]![0]!["unit"]!["kind"]}:{mine["items"]![0]!["unit"]!["code"]}");
        Assert.Equal(1, mine["total"]!.GetValue<int>());

        // History keeps each step with who did it.
        var history = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/history")).ReadJsonAsync();
        Assert.Equal(5, history["total"]!.GetValue<int>());
        var campaignHistory = await (await secretariat.GetAsync($"{Campaigns}/{id}/history")).ReadJsonAsync();
        Assert.Equal("印发", campaignHistory["items"]![1]!["note"]!.ToString());
    }

    [Fact]
    public async Task Units_see_only_their_own_submission_and_only_campaigns_addressed_to_them()
    {
        var id = await PublishedAsync();
        var pingyang = await gateway.As("county-pingyang");
        var ouhai = await gateway.As("county-ouhai");
        var wzu = await gateway.As("university-wzu");
        var leader = await gateway.As("leader");
        await pingyang.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/pingyang/submit", Sections("<p>平阳</p>", files: [await PhotoAsync("county-pingyang")])).ShouldBe(HttpStatusCode.OK);

        // Another county guessing Pingyang's submission finds nothing, by any spelling, nor its versions or history.
        foreach (var path in new[] { "county:pingyang", "pingyang", "county:pingyang/versions", "county:pingyang/versions/1", "county:pingyang/history" })
            await ouhai.GetAsync($"{Campaigns}/{id}/submissions/{path}").ShouldBe(HttpStatusCode.NotFound);
        await ouhai.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/county:pingyang", Sections("x")).ShouldBe(HttpStatusCode.NotFound);
        // Its own, not yet started, is 404 too (the board says notStarted).
        await ouhai.GetAsync($"{Campaigns}/{id}/submissions/ouhai").ShouldBe(HttpStatusCode.NotFound);

        // A university not addressed sees nothing of the campaign.
        await wzu.GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.NotFound);
        await wzu.GetAsync($"{Campaigns}/{id}/board").ShouldBe(HttpStatusCode.NotFound);
        await wzu.GetAsync($"{Campaigns}/{id}/submissions").ShouldBe(HttpStatusCode.NotFound);
        await wzu.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/wzu", Sections("x")).ShouldBe(HttpStatusCode.NotFound);
        var listed = await (await wzu.GetAsync($"{Campaigns}?limit=1000")).ReadJsonAsync();
        Assert.DoesNotContain(listed["items"]!.AsArray(), c => c!["id"]!.ToString() == id);

        // A leader reads everything and changes nothing.
        await leader.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang").ShouldBe(HttpStatusCode.OK);
        await leader.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/versions/1").ShouldBe(HttpStatusCode.OK);
        var board = await (await leader.GetAsync($"{Campaigns}/{id}/board")).ReadJsonAsync();
        Assert.Equal(13, board["counts"]!["total"]!.GetValue<int>());
        await leader.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/county:ouhai", Sections("x")).ShouldBe(HttpStatusCode.Forbidden);
        await leader.PostAsync(Campaigns, CampaignBody(NewId("cp"))).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task If_Match_conflicts_and_idempotent_retries_apply_once()
    {
        var id = await PublishedAsync();
        var secretariat = await gateway.As("secretariat");
        var pingyang = await gateway.As("county-pingyang");

        await secretariat.PatchAsync($"{Campaigns}/{id}", new { title = "过期的修改" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        Assert.NotEqual("过期的修改", (await (await secretariat.GetAsync($"{Campaigns}/{id}")).ReadJsonAsync())["title"]!.ToString());

        var path = $"{Campaigns}/{id}/submissions/pingyang";
        await pingyang.SendAsync(HttpMethod.Put, path, Sections("<p>一稿</p>", files: [await PhotoAsync("county-pingyang")])).ShouldBe(HttpStatusCode.OK);
        // A stale version, and a version for a submission not yet started, are refused.
        await pingyang.SendAsync(HttpMethod.Put, path, Sections("<p>二稿</p>"), ifMatch: "\"7\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        await (await gateway.As("county-ouhai")).SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/ouhai", Sections("x"), ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);

        var key = $"submit-{Guid.NewGuid():N}";
        var once = await pingyang.SendAsync(HttpMethod.Post, $"{path}/submit", new { }, ifMatch: "\"1\"", idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        var again = await pingyang.SendAsync(HttpMethod.Post, $"{path}/submit", new { }, ifMatch: "\"1\"", idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(once.ETag(), again.ETag());
        Assert.Equal(1, (await (await pingyang.GetAsync($"{path}/versions")).ReadJsonAsync())["total"]!.GetValue<int>());
        Assert.Equal(2, (await (await pingyang.GetAsync($"{path}/history")).ReadJsonAsync())["total"]!.GetValue<int>());

        var createKey = $"create-{Guid.NewGuid():N}";
        var made = await (await secretariat.PostAsync(Campaigns, new { title = "幂等创建", deadline = "2020-06-15" }, createKey).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        var remade = await (await secretariat.PostAsync(Campaigns, new { title = "幂等创建", deadline = "2020-06-15" }, createKey).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal(made["id"]!.ToString(), remade["id"]!.ToString());
    }

    [Fact]
    public async Task Bad_input_is_named_in_Chinese_and_writes_nothing()
    {
        var secretariat = await gateway.As("secretariat");
        var id = NewId("cp");
        // Saturday 13 June is not a working day; a unit that does not exist; a department that does not exist.
        var refused = await secretariat.PostAsync(Campaigns, new
        {
            id,
            title = "报送通知",
            deadline = "2020-06-13",
            audience = new { allOf = Array.Empty<string>(), units = new[] { new { kind = "county", code = "atlantis" } } },
            receivers = new[] { new { unitKind = "county", department = "kitchen" } },
        }).ShouldBe(HttpStatusCode.BadRequest);
        var fields = await refused.ErrorFieldsAsync();
        Assert.Contains("deadline", fields);
        Assert.Contains("audience.units[0]", fields);
        Assert.Contains("receivers[0].department", fields);
        var detail = (await refused.ReadJsonAsync())["detail"]!.ToString();
        Assert.Contains("报送截止时间", detail, StringComparison.Ordinal);
        Assert.Contains("不是峰会工作日历上的工作日", detail, StringComparison.Ordinal);
        await secretariat.GetAsync($"{Campaigns}/{id}").ShouldBe(HttpStatusCode.NotFound);

        var published = await PublishedAsync();
        var pingyang = await gateway.As("county-pingyang");
        var path = $"{Campaigns}/{published}/submissions/pingyang";
        var badFiles = await pingyang.SendAsync(HttpMethod.Put, path, new { files = new[] { "../x", "../x" } }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("files[0]", await badFiles.ErrorFieldsAsync());
        var incomplete = await pingyang.SendAsync(HttpMethod.Post, $"{path}/submit", new { sections = new[] { new { title = "活动总结", text = "<p> </p>" } } })
            .ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("报送前须填写", (await incomplete.ReadJsonAsync())["detail"]!.ToString(), StringComparison.Ordinal);
        await pingyang.GetAsync(path).ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"{Campaigns}/{published}/board?stauts=draft").ShouldBe(HttpStatusCode.BadRequest);
        await secretariat.GetAsync($"{Campaigns}/{published}/board?status=finished").ShouldBe(HttpStatusCode.BadRequest);
        // After publishing the template is fixed.
        var fixedTemplate = await secretariat.PatchAsync($"{Campaigns}/{published}", new { template = new { sections = new[] { "别的" } } })
            .ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("template", await fixedTemplate.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Attached_files_are_the_units_own_stay_with_every_version_and_are_kept_from_pruning()
    {
        var id = await PublishedAsync();
        var pingyang = await gateway.As("county-pingyang");
        var ouhai = await gateway.As("county-ouhai");
        var secretariat = await gateway.As("secretariat");
        var path = $"{Campaigns}/{id}/submissions/pingyang";
        var photo = await PhotoAsync("county-pingyang", "平阳座谈会.png");
        var other = await PhotoAsync("county-pingyang", "科普展.png");

        // Ouhai cannot attach Pingyang's photo, nor an id that names no file; nothing is written.
        var stolen = await ouhai.SendAsync(HttpMethod.Put, $"{Campaigns}/{id}/submissions/ouhai", Sections("<p>瓯海</p>", files: [photo]))
            .ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("files[0]", await stolen.ErrorFieldsAsync());
        Assert.Contains("不是本单位上传的文件", (await stolen.ReadJsonAsync())["detail"]!.ToString(), StringComparison.Ordinal);
        await ouhai.GetAsync($"{Campaigns}/{id}/submissions/ouhai").ShouldBe(HttpStatusCode.NotFound);
        await pingyang.SendAsync(HttpMethod.Put, path, Sections("<p>平阳</p>", files: ["f-00000000000000000000000000000000"])).ShouldBe(HttpStatusCode.BadRequest);

        // Handed in with both photos; the store marks them attached to the submission.
        await pingyang.SendAsync(HttpMethod.Post, $"{path}/submit", Sections("<p>平阳</p>", files: [photo, other])).ShouldBe(HttpStatusCode.OK);
        var info = await (await pingyang.GetAsync($"/api/summits/{gateway.Summit}/files/{photo}/info").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal($"submission:{id}:county:pingyang", info["attachedTo"]!.ToString());

        // A file attached to Pingyang's submission cannot be attached to another campaign's submission as well.
        var second = await PublishedAsync();
        await pingyang.SendAsync(HttpMethod.Put, $"{Campaigns}/{second}/submissions/pingyang", Sections("<p>平阳</p>", files: [photo]))
            .ShouldBe(HttpStatusCode.BadRequest);

        // Returned, revised without the second photo: version 1 still names it and the reviewer can still download it.
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:pingyang/return", new { comment = "只保留一张照片" }).ShouldBe(HttpStatusCode.OK);
        await pingyang.SendAsync(HttpMethod.Post, $"{path}/submit", Sections("<p>平阳（修改）</p>", files: [photo])).ShouldBe(HttpStatusCode.OK);
        var first = await (await secretariat.GetAsync($"{Campaigns}/{id}/submissions/county:pingyang/versions/1")).ReadJsonAsync();
        Assert.Equal([photo, other], first["submission"]!["files"]!.AsArray().Select(f => f!.ToString()));
        await secretariat.GetAsync($"/api/summits/{gateway.Summit}/files/{other}").ShouldBe(HttpStatusCode.OK);
        // Ouhai cannot read Pingyang's photo by its id.
        await ouhai.GetAsync($"/api/summits/{gateway.Summit}/files/{photo}").ShouldBe(HttpStatusCode.NotFound);
    }
}
