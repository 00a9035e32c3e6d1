using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Summit.Tests.Api;

/// <summary>
/// Comments on tasks: threads one level deep, oldest first with replies after their thread, access as the task's, the
/// comment and its Idempotency-Key in one transaction, refusals in Chinese that write nothing, and mentions that reach
/// the mentioned unit's inbox after the commit.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TaskCommentApiTests(GatewayFixture gateway)
{
    private string Comments(string task) => $"/api/summits/{gateway.Summit}/tasks/{task}/comments";

    private async Task<JsonObject> ListAsync(string task, string account = "secretariat", string query = "") =>
        await (await (await gateway.As(account)).GetAsync(Comments(task) + query).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();

    private async Task<int> TotalAsync(string task) => (await ListAsync(task))["total"]!.GetValue<int>();

    [Fact]
    public async Task Comments_and_replies_list_oldest_first_with_each_reply_after_its_thread()
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        var secretariat = await gateway.As("secretariat");
        var county = await gateway.As("county-pingyang");

        var first = await (await secretariat.PostAsync(Comments(task), new { text = "请平阳县本周五前反馈分会场布置进度。" }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        var second = await (await county.PostAsync(Comments(task), new { text = "彩排时间另行通知。" }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        var reply = await county.PostAsync(Comments(task), new { text = "  收到，周四前反馈。\n谢谢！  ", parent = first["id"]!.ToString() }).ShouldBe(HttpStatusCode.Created);
        var replied = await reply.ReadJsonAsync();
        Assert.Equal($"{Comments(task)}/{replied["id"]}", reply.Headers.Location?.OriginalString);

        Assert.Equal("secretariat", first["author"]!.ToString());
        Assert.Equal("secretariat", first["role"]!.ToString());
        Assert.Null(first["unit"]);
        Assert.Null(first["parent"]);
        Assert.Equal("county", second["unit"]!["kind"]!.ToString());
        Assert.Equal("pingyang", second["unit"]!["code"]!.ToString());
        Assert.Equal(first["id"]!.ToString(), replied["parent"]!.ToString());
        Assert.Equal("收到，周四前反馈。\n谢谢！", replied["text"]!.ToString());

        var list = await ListAsync(task, "county-pingyang");
        Assert.Equal(3, list["total"]!.GetValue<int>());
        Assert.Equal(new[] { first["id"]!.ToString(), replied["id"]!.ToString(), second["id"]!.ToString() },
            list["items"]!.AsArray().Select(i => i!["id"]!.ToString()));

        var page = await ListAsync(task, query: "?offset=1&limit=1");
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal(replied["id"]!.ToString(), Assert.Single(page["items"]!.AsArray())!["id"]!.ToString());

        var one = await (await secretariat.GetAsync($"{Comments(task)}/{second["id"]}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("彩排时间另行通知。", one["text"]!.ToString());
        await secretariat.GetAsync($"{Comments(task)}/c-no-such").ShouldBe(HttpStatusCode.NotFound);
        // A comment is found only under its own task.
        var other = await gateway.CreateTaskAsync("county:pingyang");
        await secretariat.GetAsync($"{Comments(other)}/{second["id"]}").ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Whoever_reads_the_task_comments_and_everyone_else_gets_404()
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        foreach (var reader in new[] { "secretariat", "leader", "county-pingyang" })
            await (await gateway.As(reader)).PostAsync(Comments(task), new { text = $"来自 {reader}" }).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(3, await TotalAsync(task));

        foreach (var outsider in new[] { "county-ouhai", "university-wmu", "admin" })
        {
            var http = await gateway.As(outsider);
            await http.GetAsync(Comments(task)).ShouldBe(HttpStatusCode.NotFound);
            await http.PostAsync(Comments(task), new { text = "看不到的任务" }).ShouldBe(HttpStatusCode.NotFound);
        }
        Assert.Equal(3, await TotalAsync(task));

        var secretariat = await gateway.As("secretariat");
        await secretariat.GetAsync(Comments("t-no-such-task")).ShouldBe(HttpStatusCode.NotFound);
        await secretariat.PostAsync(Comments("t-no-such-task"), new { text = "x" }).ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"/api/summits/no-such-summit/tasks/{task}/comments").ShouldBe(HttpStatusCode.NotFound);
        await gateway.Anonymous().GetAsync(Comments(task)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{\"text\":\"\"}", "text", "评论内容：必填。")]
    [InlineData("{\"text\":\"   \"}", "text", "评论内容：必填。")]
    [InlineData("{}", "text", "评论内容：必填。")]
    [InlineData("{\"text\":\"a\\u0000b\"}", "text", "评论内容：不能包含控制字符。")]
    [InlineData("{\"text\":\"a\\ud800b\"}", "text", "评论内容")]
    [InlineData("{\"text\":\"ok\",\"parent\":\"c-no-such\"}", "parent", "回复的评论：不是本任务的评论。")]
    [InlineData("{\"text\":\"ok\",\"parent\":\"c-bad\\n\"}", "parent", "回复的评论：不是本任务的评论。")]
    [InlineData("{\"text\":\"ok\",\"mentions\":[\"county:nowhere\"]}", "mentions[0]", "提及的单位（第 1 项）：“county:nowhere”不是本届峰会的单位。")]
    [InlineData("{\"text\":\"ok\",\"mentions\":[\"county:pingyang\",\"university:wmu\"]}", "mentions[1]", "提及的单位（第 2 项）：“university:wmu”无权查看此任务，不能提及。")]
    [InlineData("{\"text\":\"ok\",\"mentions\":[\"pingyang\"]}", "mentions[0]", "提及的单位（第 1 项）：“pingyang”不是单位")]
    [InlineData("{\"text\":\"ok\",\"mentions\":[\"county:pingyang\",\"county:pingyang\"]}", "mentions", "提及的单位：county:pingyang 重复出现。")]
    [InlineData("{\"text\":\"ok\",\"mentions\":[null]}", "mentions[0]", "提及的单位（第 1 项）")]
    [InlineData("{\"text\":\"ok\",\"mentions\":\"county:pingyang\"}", "mentions", "提及的单位")]
    [InlineData("{\"text\":\"ok\",\"author\":\"leader\"}", "author", "不是有效的字段")]
    [InlineData("{\"text\":42}", "text", "评论内容")]
    public async Task Bad_comments_are_refused_in_Chinese_naming_the_field_and_write_nothing(string body, string field, string detail)
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        var http = await gateway.As("secretariat");
        var response = await http.PostAsync(Comments(task), Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.ErrorFieldsAsync());
        var problem = await response.ReadJsonAsync();
        Assert.Contains(detail, problem["detail"]!.ToString());
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal(0, await TotalAsync(task));
    }

    [Fact]
    public async Task Length_count_parent_and_query_limits_hold()
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        var http = await gateway.As("secretariat");
        await http.PostAsync(Comments(task), new { text = new string('长', 2000) }).ShouldBe(HttpStatusCode.Created);
        var tooLong = await http.PostAsync(Comments(task), new { text = new string('长', 2001) }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("评论内容：须为 1–2000 个字符。", (await tooLong.ReadJsonAsync())["detail"]!.ToString());
        var many = Enumerable.Range(0, 21).Select(_ => "secretariat:office").ToArray();
        var tooMany = await http.PostAsync(Comments(task), new { text = "ok", mentions = many }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("提及的单位：最多 20 项。", (await tooMany.ReadJsonAsync())["detail"]!.ToString());

        // A reply to a reply is refused: replies are one level deep.
        var root = (await (await http.PostAsync(Comments(task), new { text = "root" }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync())["id"]!.ToString();
        var reply = (await (await http.PostAsync(Comments(task), new { text = "reply", parent = root }).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync())["id"]!.ToString();
        var nested = await http.PostAsync(Comments(task), new { text = "nested", parent = reply }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("回复只有一层", (await nested.ReadJsonAsync())["detail"]!.ToString());
        // A parent of another task is not this task's comment.
        var other = await gateway.CreateTaskAsync("county:pingyang");
        await http.PostAsync(Comments(other), new { text = "elsewhere", parent = root }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(3, await TotalAsync(task));
        Assert.Equal(0, await TotalAsync(other));

        // English on request; unknown and bad query parameters are 400s naming them.
        using var english = new HttpRequestMessage(HttpMethod.Post, Comments(task)) { Content = Api.Json("{\"text\":\"\"}") };
        english.Headers.AcceptLanguage.ParseAdd("en");
        var refused = await http.SendAsync(english);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("is required.", (await refused.ReadJsonAsync())["errors"]!["text"]![0]!.ToString());
        Assert.Contains("stauts", await (await http.GetAsync($"{Comments(task)}?stauts=done").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("limit", await (await http.GetAsync($"{Comments(task)}?limit=0").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
        Assert.Contains("offset", await (await http.GetAsync($"{Comments(task)}?offset=-1").ShouldBe(HttpStatusCode.BadRequest)).ErrorFieldsAsync());
    }

    [Fact]
    public async Task A_retried_comment_is_stored_once_even_when_its_first_answer_was_lost()
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        var http = await gateway.As("county-pingyang");
        var key = Guid.NewGuid().ToString();
        var body = new { text = "场地已确认。", mentions = new[] { "secretariat:office" } };

        var first = await http.PostAsync(Comments(task), body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        var retry = await http.PostAsync(Comments(task), body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);

        // The answer was lost after the commit: the key's record (written with the comment) still names it.
        var dataSource = gateway.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var command = dataSource.CreateCommand(
            "UPDATE summit_idempotency SET status = NULL, headers = NULL, body = NULL WHERE account = 'county-pingyang' AND idempotency_key = $1 RETURNING applied_id"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            Assert.Equal((await first.ReadJsonAsync())["id"]!.ToString(), await command.ExecuteScalarAsync());
        }
        var afterLoss = await http.PostAsync(Comments(task), body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        Assert.Equal((await first.ReadJsonAsync())["id"]!.ToString(), (await afterLoss.ReadJsonAsync())["id"]!.ToString());

        await http.PostAsync(Comments(task), new { text = "另一条" }, idempotencyKey: key).ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await TotalAsync(task));

        // Concurrent attempts with one key store one comment.
        var other = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.PostAsync(Comments(task), new { text = "并发" }, idempotencyKey: other)));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Equal(2, await TotalAsync(task));
    }

    [Fact]
    public async Task A_mention_reaches_the_units_inbox_naming_the_commenters_unit_and_the_task()
    {
        var title = $"平阳分会场签到动线确认 {Guid.NewGuid():N}"[..24];
        var task = await gateway.CreateTaskAsync("county:pingyang", title);
        var secretariat = await gateway.As("secretariat");
        var county = await gateway.As("county-pingyang");

        var comment = await (await secretariat.PostAsync(Comments(task), new { text = "请平阳县确认签到动线。", mentions = new[] { "county:pingyang" } })
            .ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();
        Assert.Equal("county", comment["mentions"]![0]!["kind"]!.ToString());

        var mention = await WaitForMentionAsync(county, task);
        Assert.Equal("峰会秘书处在任务「" + title + "」的评论中提到了您的单位：“请平阳县确认签到动线。”", mention["text"]!["zh"]!.ToString());
        Assert.Contains($"mentioned your unit in a comment on task \"{title}\"", mention["text"]!["en"]!.ToString());
        Assert.False(mention["read"]!.GetValue<bool>());

        // The county's reply mentions the secretariat's office: the secretariat's inbox hears of it, naming 平阳县.
        await county.PostAsync(Comments(task), new { text = "已确认。", parent = comment["id"]!.ToString(), mentions = new[] { "secretariat:office" } })
            .ShouldBe(HttpStatusCode.Created);
        var back = await WaitForMentionAsync(secretariat, task);
        Assert.StartsWith("平阳县在任务「" + title + "」", back["text"]!["zh"]!.ToString());

        // Nobody else: another county's inbox has no mention of this task.
        var ouhai = await (await (await gateway.As("county-ouhai")).GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.DoesNotContain(ouhai["items"]!.AsArray(), n => n!["taskId"]?.ToString() == task);
        // Each mention is delivered once.
        var inbox = await (await county.GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Single(inbox["items"]!.AsArray(), n => n!["taskId"]?.ToString() == task && n["kind"]!.ToString() == "mentioned");
    }

    [Fact]
    public async Task The_demo_summit_carries_comments_whose_mentions_reach_the_inboxes()
    {
        var dataSource = gateway.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var command = dataSource.CreateCommand(
            "SELECT count(*), count(*) FILTER (WHERE cardinality(mentions) > 0) FROM summit_task_comment WHERE id LIKE 'c-demo-%'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) >= 1, "no demo comments");
            Assert.True(reader.GetInt64(1) >= 1, "no demo mentions");
        }
        // The medical university's comment on its health block mentions the academic department: the secretariat hears it.
        var secretariat = await gateway.As("secretariat");
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var inbox = await (await secretariat.GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            if (inbox["items"]!.AsArray().Any(n => n!["kind"]!.ToString() == "mentioned" && n["text"]!["zh"]!.ToString().StartsWith("温州医科大学在任务「", StringComparison.Ordinal)))
                break;
            if (DateTime.UtcNow > until) Assert.Fail("The demo mention did not reach the secretariat's inbox.");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonObject> WaitForMentionAsync(HttpClient http, string task)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var inbox = await (await http.GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            if (inbox["items"]!.AsArray().FirstOrDefault(n => n!["kind"]!.ToString() == "mentioned" && n["taskId"]?.ToString() == task) is JsonObject found)
                return found;
            if (DateTime.UtcNow > until) Assert.Fail($"No mention of {task} arrived within 20 s.");
            await Task.Delay(200);
        }
    }

    private static readonly string[] Nasty =
    [
        "", " ", "\0", "a\0b", "\n", "\u0001", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\u202e", "\ufeff", "😀", "中文", "\ud800",
        "x\udc00y", "null", "-1", "county:", ":pingyang", "county:pingyang\n", "county:pingyang", "county:PINGYANG", "university:wmu",
        "secretariat:office", "secretariat:-", "county:no-such", "' OR '1'='1", "\"", "\\", "<script>alert(1)</script>",
        new string('x', 300), new string('a', 2001), string.Concat(Enumerable.Repeat("中", 2001)), "c-no-such", "c-", "../x",
    ];

    private static Gen<string> Text { get; } = Gen.Frequency<string>(
        (4, Gen.OneOf(Nasty)),
        (2, Gen.Char["\0\n\r\t\u0001\u007f az09-:.%\"\\'{}中😀"].Array[0, 12].Select(c => new string(c))),
        (1, Gen.String[0, 30]));

    private static Gen<JsonNode?> Value { get; } = Gen.Frequency<JsonNode?>(
        (5, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Bool.Select(_ => (JsonNode?)null)),
        (2, Text.Array[0, 25].Select(a => (JsonNode?)new JsonArray(a.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()))),
        (1, Gen.Bool.Select(_ => (JsonNode?)new JsonObject { ["kind"] = "county", ["code"] = "pingyang" })));

    private static Gen<string> Body { get; } = Gen.Frequency<string>(
        (6, Gen.Select(Gen.Frequency<string>((6, Gen.OneOf("text", "parent", "mentions")), (1, Text)), Value).Array[0, 4].Select(fields =>
        {
            var o = new JsonObject();
            foreach (var (name, value) in fields) o[name] = value?.DeepClone();
            return o.ToJsonString();
        })),
        (1, Gen.OneOf("", "{", "[", "null", "\"\\ud800\"", "{\"text\":\"\\ud800\"}", "{\"text\":\"\\u0000\"}", "{\"mentions\":[\"\\udc00\"],\"text\":\"x\"}",
            new string('[', 2000), "{\"text\":" + new string('1', 400) + "}")));

    [Fact]
    public async Task Hostile_comment_requests_never_fail_the_server_and_refusals_write_nothing()
    {
        var task = await gateway.CreateTaskAsync("county:pingyang");
        var accounts = new[] { "secretariat", "leader", "county-pingyang", "county-ouhai", "university-wmu", "admin" };
        var clients = new Dictionary<string, HttpClient>();
        foreach (var account in accounts) clients[account] = await gateway.As(account);
        var dataSource = gateway.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        async Task<long> StoredAsync()
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM summit_task_comment WHERE task_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = task });
            return (long)(await command.ExecuteScalarAsync())!;
        }
        var accepted = 0;
        var refused = 0;

        var cases = from account in Gen.OneOf(accounts)
                    from body in Body
                    from key in Gen.Frequency<string?>((3, Gen.Bool.Select(_ => (string?)null)), (1, Gen.OneOf<string?>("k", "key-1", new string('k', 300), "ключ")))
                    from list in Gen.Bool
                    from query in Gen.OneOf("", "?offset=-1", "?limit=0", "?limit=1001", "?after=x", "?q=1", "?offset=abc", "?limit=5&offset=1", "?x%00=1")
                    select (account, body, key, list, query);
        await cases.SampleAsync(async c =>
        {
            using var request = c.list
                ? new HttpRequestMessage(HttpMethod.Get, Comments(task) + c.query)
                : new HttpRequestMessage(HttpMethod.Post, Comments(task)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.body)) };
            request.Content?.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            if (c.key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", c.key);
            var before = await StoredAsync();
            using var response = await clients[c.account].SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{request.Method} {request.RequestUri} as {c.account} with {c.body} answered {status}: {text}");
            if (status >= 400)
            {
                refused++;
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(before, await StoredAsync());
            }
            else if (!c.list && response.Headers.Contains("Idempotent-Replayed") is false) accepted++;
        }, threads: 1, time: 10);
        Assert.True(refused > 0);
    }
}
