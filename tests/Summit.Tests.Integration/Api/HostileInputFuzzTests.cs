using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Summit.Tests.Api;

/// <summary>Its own gateway: the fuzzer's accepted writes must not disturb the shared fixture's tests.</summary>
public sealed class FuzzGateway : IAsyncLifetime
{
    public GatewayFactory Factory { get; } = new();

    public Dictionary<string, HttpClient> Clients { get; } = new(StringComparer.Ordinal);

    public string TaskId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Factory.StartAsync();
        Clients["anonymous"] = Factory.CreateClient();
        foreach (var account in HostileInputFuzzTests.Accounts.Where(a => a != "anonymous"))
            Clients[account] = await Factory.SignedInAsync(account);
        TaskId = $"t-fuzz-{Guid.NewGuid():N}"[..20];
        await Clients["secretariat"].PostAsync($"/api/summits/{GatewayFactory.Summit}/tasks", new
        {
            id = TaskId,
            title = "Fuzz target",
            category = "publicity",
            owner = new { kind = "county", code = "pingyang" },
            dueDate = "2020-07-15",
        }).ShouldBe(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Clients.Values) client.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>
/// Property-based fuzzing of every API endpoint (taken from the app's <see cref="EndpointDataSource"/>, so new endpoints are
/// covered without touching this test) with generated hostile path segments, query strings, headers and bodies, as every
/// role and anonymously. Whatever the input: no 5xx, every 4xx is a problem document, and a refused request changes
/// nothing (the audit trail, the accounts, the target task's comments and the stored files and their chunks stay as they
/// were). Uploads get multipart bodies too. A failure prints the CsCheck seed that reproduces it.
/// </summary>
public sealed class HostileInputFuzzTests(FuzzGateway gateway, ITestOutputHelper output) : IClassFixture<FuzzGateway>
{
    public static readonly string[] Accounts = ["anonymous", "admin", "secretariat", "leader", "county-pingyang", "university-wmu"];

    /// <summary>Seconds of generated requests (a few thousand on a small machine); the gateway's start comes on top.</summary>
    private const int Seconds = 30;

    private sealed record Endpoint(string Method, string Template)
    {
        public override string ToString() => $"{Method} {Template}";
    }

    /// <summary>One generated request.</summary>
    private sealed record Case(
        int Endpoint, string Account, string?[] Segments, (string Name, string Value)[] Query,
        string? ContentType, string? IfMatch, string? IfNoneMatch, string? IdempotencyKey, string? Body)
    {
        public override string ToString() =>
            $"endpoint #{Endpoint} as {Account}; segments [{string.Join(", ", Segments.Select(Show))}]; query [{string.Join("&", Query.Select(q => Show(q.Name) + "=" + Show(q.Value)))}]; " +
            $"Content-Type {Show(ContentType)}; If-Match {Show(IfMatch)}; If-None-Match {Show(IfNoneMatch)}; Idempotency-Key {Show(IdempotencyKey)}; body {Show(Body)}";

        private static string Show(string? text) =>
            text is null ? "-" : JsonSerializer.Serialize(text.Length > 120 ? text[..120] + $"…({text.Length})" : text);
    }

    // Static generators are built in textual order: keep this first.
    private static Gen<string?> None { get; } = Gen.Bool.Select(_ => (string?)null);

    // Inputs that broke something once, or that commonly do.
    private static readonly string[] Nasty =
    [
        "", " ", "\0", "a\0b", "\n", "pingyang\n", "wyss-2020\n", "t-1\r\n", "\t", "\u0001", "\u001b[31m", "\u007f", "\u0085", "\u2028",
        "\u202e", "\ufeff", "\ufffd", "😀", "中文名称", "Ω≈ç√", "\ud800", "x\udc00y", "null", "true", "-1", "0", "2147483648", "1e400",
        "NaN", "2020-06-12\n", "2020-02-30", "county:pingyang\n", "county:", ":pingyang", "../../etc/passwd", "%00", "%0a", "' OR '1'='1",
        "\"", "\\", "<script>alert(1)</script>", "{}", "[]", "W/\"1\"", "*", "pingyang", "wyss-2020", "admin", new string('x', 300),
        new string('a', 5000), string.Concat(Enumerable.Repeat("中", 2000)),
    ];

    private static readonly string[] QueryNames =
    [
        "account", "kind", "entityId", "from", "to", "offset", "limit", "unit", "category", "status", "dueFrom", "dueTo", "overdue",
        "due", "task", "summit", "unread", "county", "university", "access_token", "q", "track", "unitKind", "late",
    ];

    private static readonly string[] BodyFields =
    [
        "id", "code", "title", "note", "status", "owner", "dueDate", "dueInWorkingDays", "username", "role", "unit", "password", "name",
        "venue", "lead", "city", "checklist", "percentComplete", "dependsOn", "theme", "day", "start", "end", "speakers", "universities",
        "county", "url", "secret", "mode", "reason", "holidays", "makeUpWorkingDays", "leadDays", "announceAt", "assignee", "category",
        "nameEn", "field", "leadUnit", "memberUnits", "memberEnterprises", "signingDate", "projectName", "team", "university", "country",
        "track", "subForum", "text", "parent", "mentions",
        // Campaigns and submissions.
        "body", "periodStart", "periodEnd", "audience", "allOf", "units", "deadline", "template", "sections", "minImages", "fileKinds",
        "receivers", "unitKind", "department", "files", "comment",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=\"utf-8\"", "application/json; charset=UTF8",
        "application/json; charset=latin-1", "application/json; charset=foo", "application/json; charset=\"\"", "application/json; charset=",
        "application/json; charset=utf-16", "application/json; charset=\"utf-8\"; charset=latin1", "application/json;;", "application/json; foo",
        "application/json; a=\"b", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=", "*/*", ";", "",
        "application/problem+json", "application/merge-patch+json", "APPLICATION/JSON; CHARSET=UTF-8",
        "multipart/form-data; boundary=fuzz", "multipart/form-data; boundary=\"fuzz\"", "multipart/form-data; boundary=fuzz; charset=utf-8",
        "multipart/form-data; boundary=" + new string('b', 71), "multipart/mixed; boundary=fuzz",
    ];

    private static readonly string[] EntityTags =
    [
        "*", "\"1\"", "\"2\"", "1", "W/\"1\"", "\"0-stale\"", "\"abc\"", "W/\"3\"", "\"1\", \"2\"", "\"1,2\"", "*, \"1\"", "\"", "\"1", "W/",
        "\"-1\"", "\"99999999999999\"", "\"\u00e9\"", "abc", "\"1\"\t,\t\"7\"",
    ];

    private static Gen<string> Text { get; } = Gen.Frequency<string>(
        (4, Gen.OneOf(Nasty)),
        (2, Gen.Char["\0\n\r\t\u0001\u001f\u007f\u0085 az09-:.%\"\\'{}中😀"].Array[0, 12].Select(c => new string(c))),
        (2, Gen.String[0, 30]),
        (1, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static Gen<JsonNode?> Json(int depth) => depth <= 0
        ? Gen.Frequency<JsonNode?>(
            (6, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
            (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, Gen.Bool.Select(_ => (JsonNode?)null)))
        : Gen.Frequency<JsonNode?>(
            (5, Json(0)),
            (2, Gen.Int[0, 4].SelectMany(n => Json(depth - 1).Array[n]).Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (3, Object(depth - 1)));

    private static Gen<JsonNode?> Object(int depth) =>
        Gen.Select(Gen.Frequency<string>((5, Gen.OneOf(BodyFields)), (1, Text)), Json(depth)).Array[0, 6].Select(fields =>
        {
            var o = new JsonObject();
            foreach (var (name, value) in fields) o[name] = value?.DeepClone();
            return (JsonNode?)o;
        });

    /// <summary>Multipart bodies for uploads (boundary <c>fuzz</c>): parts with hostile names, headers and content, or cut short.</summary>
    private static Gen<string?> Multipart { get; } =
        from parts in Gen.Select(Text, Text, Gen.OneOf("", "%PDF-1.4\n%%EOF\n", "\u0089PNG\r\n\u001a\n", "MZ\u0090", "GIF89a", "PK\u0003\u0004"), Gen.Bool).Array[0, 3]
        from end in Gen.OneOf("--fuzz--\r\n", "", "--fuzz", "--other--\r\n")
        select (string?)(string.Concat(parts.Select(p =>
            $"--fuzz\r\nContent-Disposition: form-data; name=\"files\"{(p.Item4 ? $"; filename=\"{p.Item1.Replace("\r", "").Replace("\n", "")}\"" : "")}\r\n" +
            $"Content-Type: {p.Item2.Replace("\r", "").Replace("\n", "")}\r\n\r\n{p.Item3}{p.Item2}\r\n")) + end);

    private static Gen<string?> Body { get; } = Gen.Frequency<string?>(
        (1, None),
        (1, Multipart),
        (5, Object(2).Select(o => (string?)o!.ToJsonString())),
        (2, Text.Select(s => (string?)s)),
        (1, Gen.OneOf<string?>("", "{", "[", "{\"id\":", "{\"a\":1}}", "\"\\ud800\"", "{\"title\":\"\\u0000\"}", "{\"title\":\"x\\ny\"}",
            "{\"id\":\"t-z\\n\",\"title\":\"t\",\"category\":\"publicity\",\"owner\":{\"kind\":\"county\",\"code\":\"pingyang\"},\"dueDate\":\"2020-07-15\"}",
            "{\"code\":\"wmu2\\n\",\"name\":\"x\"}", "{\"username\":\"fuzz\\n\",\"role\":\"county\",\"unit\":\"pingyang\",\"password\":\"long enough pw\"}",
            new string('[', 2000), "{\"a\":" + new string('1', 400) + "}")));

    private static Gen<string?> Maybe(Gen<string> gen, int absent = 2) =>
        Gen.Frequency<string?>((absent, None), (1, gen.Select(s => (string?)s)));

    private static Gen<Case> Cases(int endpoints) =>
        from endpoint in Gen.Int[0, endpoints - 1]
        from account in Gen.OneOf(Accounts)
        from segments in Maybe(Text, absent: 1).Array[3]
        from query in Gen.Select(Gen.Frequency<string>((4, Gen.OneOf(QueryNames)), (1, Text)), Text).Array[0, 3]
        from contentType in Maybe(Gen.OneOf(ContentTypes), absent: 1)
        from ifMatch in Maybe(Gen.Frequency<string>((3, Gen.OneOf(EntityTags)), (1, Text)))
        from ifNoneMatch in Maybe(Gen.OneOf(EntityTags), absent: 4)
        from key in Maybe(Gen.Frequency<string>((2, Gen.OneOf("k", "key-1")), (1, Text), (1, Gen.OneOf(new string('k', 300)))), absent: 3)
        from body in Body
        select new Case(endpoint, account, segments, query, contentType, ifMatch, ifNoneMatch, key, body);

    private Endpoint[] Endpoints() => gateway.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new Endpoint(m, e.RoutePattern.RawText!)))
        .Distinct()
        .OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
        .ToArray();

    /// <summary>A value for a route parameter: the generated one, or (when none was generated) one that names something real.</summary>
    private string Segment(string parameter, string? generated)
    {
        // NUL never reaches the app: the server refuses it while decoding the request line.
        if (generated is not null) return Uri.EscapeDataString(Wellformed(generated.Replace("\0", "", StringComparison.Ordinal)));
        return parameter switch
        {
            "summit" => GatewayFactory.Summit,
            "county" => "pingyang",
            "code" => "wmu",
            "unit" => "county:pingyang",
            "id" => gateway.TaskId,
            // Never a real account: disabling one would sign the fuzzer's own clients out.
            _ => "no-such-name",
        };
    }

    /// <summary>Lone surrogates cannot be percent-encoded; they become U+FFFD as a client would send them.</summary>
    private static string Wellformed(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private string PathOf(Endpoint endpoint, string?[] segments)
    {
        var index = 0;
        var path = System.Text.RegularExpressions.Regex.Replace(endpoint.Template, @"\{([^}:=?]+)[^}]*\}",
            m => Segment(m.Groups[1].Value, segments[Math.Min(index++, segments.Length - 1)]));
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>
    /// What a refused request must leave alone: the audit trail's length (every accepted entity change), the accounts, and
    /// the versions of the summit and its schedule settings, which are not in the audit trail.
    /// </summary>
    private async Task<string> StateAsync()
    {
        var secretariat = gateway.Clients["secretariat"];
        var summit = $"/api/summits/{GatewayFactory.Summit}";
        var audit = await (await secretariat.GetAsync($"{summit}/audit?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var accounts = await (await gateway.Clients["admin"].GetAsync("/api/accounts?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var versions = await Task.WhenAll(new[] { summit, $"{summit}/calendar", $"{summit}/reminders" }
            .Select(async path => (await secretariat.GetAsync(path).ShouldBe(HttpStatusCode.OK)).ETag()));
        var comments = await (await secretariat.GetAsync($"{summit}/tasks/{gateway.TaskId}/comments?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        await using var count = gateway.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>()
            .CreateCommand("SELECT (SELECT count(*) FROM summit_file) || '/' || (SELECT count(*) FROM summit_file_chunk)");
        var files = await count.ExecuteScalarAsync();
        return $"audit {audit["total"]}, accounts {accounts["total"]}, comments {comments["total"]}, files {files}, versions {string.Join(" ", versions)}";
    }

    [Fact]
    public async Task Hostile_requests_to_every_endpoint_never_fail_the_server_and_refusals_change_nothing()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Length > 40, $"only {endpoints.Length} API endpoints found");
        var statuses = new Dictionary<int, int>();
        var started = DateTime.UtcNow;

        await Cases(endpoints.Length).SampleAsync(async c =>
        {
            var endpoint = endpoints[c.Endpoint];
            var target = PathOf(endpoint, c.Segments);
            if (c.Query.Length > 0)
                target += "?" + string.Join("&", c.Query.Select(q => Uri.EscapeDataString(Wellformed(q.Name)) + "=" + Uri.EscapeDataString(Wellformed(q.Value))));

            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), target);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.Body));
                if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", Header(c.ContentType));
                else request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            }
            if (c.IfMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", Header(c.IfMatch));
            if (c.IfNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", Header(c.IfNoneMatch));
            if (c.IdempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", Header(c.IdempotencyKey));

            var before = await StateAsync();
            using var response = await gateway.Clients[c.Account].SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;

            Assert.True(status < 500, $"{endpoint.Method} {target} answered {status}: {text}");
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"{endpoint.Method} {target} answered {status} as {response.Content.Headers.ContentType}: {text}");
                var problem = JsonNode.Parse(text)!.AsObject();
                Assert.Equal(status, problem["status"]?.GetValue<int>());
                Assert.Equal(before, await StateAsync());
            }
        }, threads: 1, time: Seconds);

        output.WriteLine($"{endpoints.Length} endpoints, {statuses.Values.Sum()} requests in {(DateTime.UtcNow - started).TotalSeconds:0} s; statuses: " +
                         string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
    }

    /// <summary>
    /// 催报 and its reminders list of a real published campaign with hostile ids, queries, headers, bodies and accounts: no
    /// 5xx, every 4xx a problem, and a refusal records no nudge and stores no notification.
    /// </summary>
    [Fact]
    public async Task Hostile_reminders_of_a_real_campaign_never_fail_and_refusals_send_nothing()
    {
        var summit = $"/api/summits/{GatewayFactory.Summit}";
        var campaign = $"fz-{Guid.NewGuid():N}"[..16];
        var secretariat = gateway.Clients["secretariat"];
        await secretariat.PostAsync($"{summit}/campaigns", new
        {
            id = campaign,
            title = "催报模糊测试通知",
            audience = new { allOf = new[] { "county" }, units = Array.Empty<object>() },
            deadline = "2020-06-15",
            template = new { sections = new[] { "活动总结" }, minImages = 0, fileKinds = new[] { "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" } },
        }).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{summit}/campaigns/{campaign}", new { status = "published" }).ShouldBe(HttpStatusCode.OK);

        var data = gateway.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        async Task<long> CountAsync(string sql)
        {
            await using var command = data.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        // Every 催报 ever recorded: a refusal adds none.
        Task<long> SentAsync() => CountAsync("SELECT count(*) FROM summit_campaign_nudge");

        var statuses = new Dictionary<int, int>();
        var cases =
            from remind in Gen.Bool
            from account in Gen.OneOf(Accounts)
            from id in Maybe(Text, absent: 3)
            from query in Gen.Select(Gen.Frequency<string>((2, Gen.OneOf(QueryNames)), (1, Text)), Text).Array[0, 2]
            from contentType in Maybe(Gen.OneOf(ContentTypes), absent: 1)
            from key in Maybe(Gen.Frequency<string>((2, Gen.OneOf("k", "key-1")), (1, Text)), absent: 2)
            from language in Maybe(Gen.Frequency<string>((2, Gen.OneOf("en", "zh-CN", "en;q=0.1, zh", "*")), (1, Text)))
            from body in Body
            select (remind, account, id, query, contentType, key, language, body);
        await cases.SampleAsync(async c =>
        {
            var target = $"{summit}/campaigns/{(c.id is null ? campaign : Uri.EscapeDataString(Wellformed(c.id.Replace("\0", "", StringComparison.Ordinal))))}/{(c.remind ? "remind" : "reminders")}";
            if (c.query.Length > 0)
                target += "?" + string.Join("&", c.query.Select(q => Uri.EscapeDataString(Wellformed(q.Item1)) + "=" + Uri.EscapeDataString(Wellformed(q.Item2))));
            using var request = new HttpRequestMessage(c.remind ? HttpMethod.Post : HttpMethod.Get, target);
            if (c.body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Header(c.contentType ?? "application/json"));
            }
            if (c.key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", Header(c.key));
            if (c.language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", Header(c.language));

            var before = await SentAsync();
            using var response = await gateway.Clients[c.account].SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{request.Method} {target} answered {status}: {text}");
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{target} answered {status}: {text}");
                Assert.Equal(status, JsonNode.Parse(text)!["status"]?.GetValue<int>());
                Assert.Equal(before, await SentAsync());
            }
        }, threads: 1, time: 10);

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        // The campaign was reminded at most once: every later 催报 within the hour was refused. Its notifications (they follow
        // the nudge in the reminder grain's next turn) reached each county's inbox once.
        var nudges = await CountAsync($"SELECT count(*) FROM summit_campaign_nudge WHERE campaign = '{campaign}'");
        Assert.InRange(nudges, 0, 1);
        var expected = nudges * await CountAsync($"SELECT count(*) FROM summit_entity WHERE summit = '{GatewayFactory.Summit}' AND kind = 'county'");
        var notified = $"SELECT count(*) FROM summit_notification WHERE body ->> 'campaignId' = '{campaign}'";
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await CountAsync(notified) < expected && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Equal(expected, await CountAsync(notified));
    }

    /// <summary>CR and LF cannot be sent in a header value (no server sees them); every other character can.</summary>
    private static string Header(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal);
}
