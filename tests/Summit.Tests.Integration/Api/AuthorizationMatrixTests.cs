using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// Every resource endpoint × every role × an entity of the role's own unit and one of another unit: the status code
/// the issue's role rules call for, and no data of an entity the role may not read in any answer. The expectations
/// are written from the rules themselves (not from AccessRules), so this checks the Gateway asks it correctly.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AuthorizationMatrixTests(GatewayFixture gateway)
{
    public static readonly string[] Roles = ["admin", "secretariat", "leader", "county", "university"];

    /// <summary>The county role is played by pingyang, the university role by wmu; ruian and wzu are the "other" units.</summary>
    private static string Account(string role) => role switch
    {
        "county" => "county-pingyang",
        "university" => "university-wmu",
        _ => role,
    };

    /// <summary>One entity of the matrix: where it lives and whom it belongs to.</summary>
    public sealed record Entity(
        string Key, string Kind, string Path, bool HasHistory, string? Owner = null, string? County = null, string[]? Universities = null)
    {
        public string Secret { get; set; } = "";
    }

    public sealed class World
    {
        public Dictionary<string, Entity> Entities { get; } = [];
    }

    public static readonly string[] EntityKeys =
    [
        "task-pingyang", "task-ruian", "task-wmu", "task-wzu", "task-office",
        "forum-wmu", "forum-wzu", "county-pingyang", "county-ruian", "event-pingyang", "event-ruian",
        "project-a", "project-b", "university-wmu", "university-wzu",
    ];

    public static TheoryData<string, string, string> EntityCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in Roles)
        foreach (var key in EntityKeys)
        foreach (var operation in new[] { "get", "patch", "history" })
            data.Add(role, key, operation);
        return data;
    }

    public static readonly string[] Collections =
        ["summits", "tasks", "subforums", "counties", "sub-events-pingyang", "sub-events-ruian", "projects", "universities"];

    public static TheoryData<string, string> CollectionCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in Roles)
        foreach (var collection in Collections)
            data.Add(role, collection);
        return data;
    }

    public static TheoryData<string> RoleCases()
    {
        var data = new TheoryData<string>();
        foreach (var role in Roles) data.Add(role);
        return data;
    }

    private static bool Readable(string role, Entity e) => role switch
    {
        "secretariat" or "leader" => true,
        "county" => e.Kind switch
        {
            "task" => e.Owner == "county:pingyang",
            "county" or "subEvent" or "project" => e.County == "pingyang",
            _ => false,
        },
        "university" => e.Kind switch
        {
            "task" => e.Owner == "university:wmu",
            "subForum" or "project" or "university" => e.Universities?.Contains("wmu") == true,
            _ => false,
        },
        _ => false,
    };

    private static bool Writable(string role, Entity e) =>
        role == "secretariat" || (role is "county" or "university" && Readable(role, e));

    [Theory]
    [MemberData(nameof(EntityCases))]
    public async Task Entity_endpoint_answers_by_role_and_shows_nothing_of_what_it_refuses(string role, string key, string operation)
    {
        var world = await WorldAsync();
        var entity = world.Entities[key];
        if (operation == "history" && !entity.HasHistory) return;
        var http = await gateway.As(Account(role));

        var (response, expected) = operation switch
        {
            "get" => (await http.GetAsync(entity.Path), Readable(role, entity) ? HttpStatusCode.OK : HttpStatusCode.NotFound),
            "history" => (await http.GetAsync(entity.Path + "/history"), Readable(role, entity) ? HttpStatusCode.OK : HttpStatusCode.NotFound),
            _ => (await http.PatchAsync(entity.Path, new { note = $"matrix check by {role}" }),
                Writable(role, entity) ? HttpStatusCode.OK : Readable(role, entity) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound),
        };

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{role} {operation} {key}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (response.IsSuccessStatusCode)
        {
            if (operation != "history") Assert.NotNull(response.ETag());
            return;
        }
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(entity.Secret, body);
        Assert.DoesNotContain("\"version\"", body);
        Assert.Null(response.Headers.ETag);
        if (expected == HttpStatusCode.NotFound)
        {
            // A refused entity reads exactly like one that does not exist.
            var missing = await http.GetAsync(entity.Path[..(entity.Path.LastIndexOf('/') + 1)] + "no-such-entity");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            var refused = await response.ReadJsonAsync();
            var absent = await missing.ReadJsonAsync();
            Assert.Equal(absent["title"]?.ToString(), refused["title"]?.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(CollectionCases))]
    public async Task List_answers_by_role_and_holds_only_readable_entities(string role, string collection)
    {
        var world = await WorldAsync();
        var http = await gateway.As(Account(role));
        var path = collection switch
        {
            "summits" => "/api/summits",
            "sub-events-pingyang" => $"/api/summits/{gateway.Summit}/counties/pingyang/sub-events",
            "sub-events-ruian" => $"/api/summits/{gateway.Summit}/counties/ruian/sub-events",
            _ => $"/api/summits/{gateway.Summit}/{collection}",
        };
        var response = await http.GetAsync(path + "?limit=1000");
        var body = await response.Content.ReadAsStringAsync();

        var venue = collection.StartsWith("sub-events-", StringComparison.Ordinal) ? world.Entities["county-" + collection[11..]] : null;
        var expected = collection == "summits" ? HttpStatusCode.OK
            : role == "admin" ? HttpStatusCode.NotFound
            : venue is not null && !Readable(role, venue) ? HttpStatusCode.NotFound
            : HttpStatusCode.OK;
        Assert.True(expected == response.StatusCode, $"{role} list {collection}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");

        var kind = collection switch
        {
            "tasks" => "task",
            "subforums" => "subForum",
            "counties" => "county",
            "projects" => "project",
            "universities" => "university",
            "summits" => "summit",
            _ => "subEvent",
        };
        var mine = world.Entities.Values.Where(e => e.Kind == kind && (venue is null || e.County == venue.County)).ToArray();
        if (expected != HttpStatusCode.OK)
        {
            foreach (var e in mine) Assert.DoesNotContain(e.Secret, body);
            return;
        }

        var list = JsonNode.Parse(body)!.AsObject();
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToArray();
        Assert.Equal(items.Length, list["total"]!.GetValue<int>());
        if (kind == "summit")
        {
            Assert.Equal(role != "admin", items.Any(i => i["code"]?.ToString() == gateway.Summit));
            return;
        }
        var ids = items.Select(i => (i["id"] ?? i["code"] ?? i["county"])!.ToString()).ToHashSet();
        foreach (var e in mine)
            Assert.True(Readable(role, e) == ids.Contains(IdOf(e)), $"{role} list {collection}: {e.Key} listed={ids.Contains(IdOf(e))}");
        // Every item, fixture or demo, must be one the role may read.
        foreach (var item in items) Assert.True(ItemReadable(role, kind, item, venue?.County), $"{role} may not see {item.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(CollectionCases))]
    public async Task Create_answers_by_role(string role, string collection)
    {
        await WorldAsync();
        var http = await gateway.As(Account(role));
        var id = $"mx-{Guid.NewGuid():N}"[..16];
        var s = $"/api/summits/{gateway.Summit}";
        var (path, body) = collection switch
        {
            "summits" => ("/api/summits", (object)new
            {
                code = id, name = "Matrix summit", city = "温州", openingDate = "2021-10-18", closingDate = "2021-10-19",
                timeZone = "Asia/Shanghai", mode = "hybrid",
                targets = new { innovationAlliances = 1, cooperationProjects = 1, enterprises = 1, startupFinalists = 1 },
                preparationStart = "2021-04-01",
            }),
            "tasks" => ($"{s}/tasks", new { id, title = "Matrix task", category = "budget", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-01" }),
            "subforums" => ($"{s}/subforums", new { id, theme = "Matrix forum", day = "2020-10-18", start = "09:00", end = "10:00", venue = "Hall", format = "offline" }),
            "counties" => ($"{s}/counties", new { county = id, name = "Matrix county", venue = "Hall" }),
            "projects" => ($"{s}/projects", new { id, title = "Matrix project", industry = "pumps" }),
            "universities" => ($"{s}/universities", new { code = id, name = "Matrix university", contactUnit = "Office" }),
            _ => ($"{s}/counties/{collection[11..]}/sub-events", new { id, title = "Matrix sub-event", date = "2020-07-01" }),
        };
        var response = await http.PostAsync(path, body);

        var ownVenue = collection == "sub-events-pingyang";
        var anyVenue = collection.StartsWith("sub-events-", StringComparison.Ordinal);
        var expected = role switch
        {
            "secretariat" => HttpStatusCode.Created,
            "admin" => collection == "summits" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound,
            "county" when ownVenue => HttpStatusCode.Created,
            "county" when anyVenue => HttpStatusCode.NotFound,
            "university" when anyVenue => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Forbidden,
        };
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{role} create {collection}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (expected == HttpStatusCode.Created)
        {
            Assert.NotNull(response.Headers.Location);
            Assert.NotNull(response.ETag());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(response.Headers.Location)).StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(RoleCases))]
    public async Task Summit_endpoints_answer_by_role(string role)
    {
        var http = await gateway.As(Account(role));
        var path = $"/api/summits/{gateway.Summit}";
        var get = await http.GetAsync(path);
        Assert.Equal(role == "admin" ? HttpStatusCode.NotFound : HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(role == "admin" ? HttpStatusCode.NotFound : HttpStatusCode.OK, (await http.GetAsync(path + "/history")).StatusCode);

        // The same definition again: accepted without a new version, so the shared summit is left as it is.
        var secretariat = await gateway.As("secretariat");
        var current = await (await secretariat.GetAsync(path)).ReadJsonAsync();
        var definition = new JsonObject();
        foreach (var field in new[] { "name", "city", "openingDate", "closingDate", "timeZone", "mode", "targets", "preparationStart" })
            definition[field] = current[field]!.DeepClone();
        var put = await http.SendAsync(HttpMethod.Put, path, Api.Json(definition.ToJsonString()));
        var expected = role switch
        {
            "secretariat" => HttpStatusCode.OK,
            "admin" => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Forbidden,
        };
        Assert.True(expected == put.StatusCode, $"{role} PUT summit: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        if (role == "secretariat") Assert.Equal(current["version"]!.GetValue<int>(), (await put.ReadJsonAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unauthenticated_requests_get_401_and_no_data()
    {
        using var anonymous = gateway.Factory.CreateClient();
        foreach (var path in new[] { "/api/summits", $"/api/summits/{gateway.Summit}", $"/api/summits/{gateway.Summit}/tasks" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("\"items\"", await response.Content.ReadAsStringAsync());
        }
        var patch = await anonymous.PatchAsync($"/api/summits/{gateway.Summit}/tasks/t-00001", new { note = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, patch.StatusCode);
    }

    [Fact]
    public async Task A_unit_may_not_give_its_project_away()
    {
        var world = await WorldAsync();
        var county = await gateway.As("county-pingyang");
        var project = world.Entities["project-a"];
        var before = await (await gateway.As("secretariat")).GetAsync(project.Path);
        var response = await county.PatchAsync(project.Path, new { county = "ruian" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Contains("county", await response.ErrorFieldsAsync());
        var after = await (await gateway.As("secretariat")).GetAsync(project.Path);
        Assert.Equal(before.ETag(), after.ETag());
    }

    private static string IdOf(Entity e) => e.Path[(e.Path.LastIndexOf('/') + 1)..];

    private static bool ItemReadable(string role, string kind, JsonObject item, string? venueCounty)
    {
        var entity = kind switch
        {
            "task" => new Entity("", kind, "", false, Owner: $"{item["owner"]!["kind"]}:{item["owner"]!["code"]}"),
            "subForum" => new Entity("", kind, "", false, Universities: item["hostUniversity"] is { } host ? [host.ToString()] : []),
            "county" => new Entity("", kind, "", false, County: item["county"]!.ToString()),
            "subEvent" => new Entity("", kind, "", false, County: venueCounty),
            "project" => new Entity("", kind, "", false, County: item["county"]?.ToString(),
                Universities: item["universities"]!.AsArray().Select(u => u!.ToString()).ToArray()),
            _ => new Entity("", kind, "", false, Universities: [item["code"]!.ToString()]),
        };
        return Readable(role, entity);
    }

    private Task<World> WorldAsync() => gateway.SharedAsync("authorization-matrix", BuildAsync);

    private static async Task<World> BuildAsync(GatewayFixture gateway)
    {
        var http = await gateway.As("secretariat");
        var s = $"/api/summits/{gateway.Summit}";
        var run = Guid.NewGuid().ToString("N")[..8];
        var world = new World();

        async Task<Entity> Add(Entity entity, string? createPath, object? body)
        {
            if (createPath is not null && (await http.GetAsync(entity.Path)).StatusCode == HttpStatusCode.NotFound)
                await http.PostAsync(createPath, body!).ShouldBe(HttpStatusCode.Created);
            var read = await (await http.GetAsync(entity.Path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            entity.Secret = (read["title"] ?? read["theme"] ?? read["name"])!.ToString();
            world.Entities[entity.Key] = entity;
            return entity;
        }

        foreach (var county in new[] { "pingyang", "ruian" })
            await Add(new Entity($"county-{county}", "county", $"{s}/counties/{county}", true, County: county),
                $"{s}/counties", new { county, name = $"{county} venue", venue = $"{county} hall" });
        foreach (var university in new[] { "wmu", "wzu" })
            await Add(new Entity($"university-{university}", "university", $"{s}/universities/{university}", true, Universities: [university]),
                $"{s}/universities", new { code = university, name = $"{university} university", contactUnit = "Office" });

        foreach (var (key, kind, code) in new[]
                 {
                     ("task-pingyang", "county", "pingyang"), ("task-ruian", "county", "ruian"), ("task-wmu", "university", "wmu"),
                     ("task-wzu", "university", "wzu"), ("task-office", "secretariat", "office"),
                 })
        {
            var id = $"{key}-{run}";
            await Add(new Entity(key, "task", $"{s}/tasks/{id}", true, Owner: $"{kind}:{code}"), $"{s}/tasks",
                new { id, title = $"secret {key} {run}", category = "venue", owner = new { kind, code }, dueDate = "2020-07-20" });
        }
        foreach (var host in new[] { "wmu", "wzu" })
        {
            var id = $"forum-{host}-{run}";
            await Add(new Entity($"forum-{host}", "subForum", $"{s}/subforums/{id}", true, Universities: [host]), $"{s}/subforums",
                new { id, theme = $"secret forum {host} {run}", day = "2020-10-18", start = "09:00", end = "11:00", venue = "Hall A", format = "hybrid", hostUniversity = host });
        }
        foreach (var county in new[] { "pingyang", "ruian" })
        {
            var id = $"event-{run}";
            await Add(new Entity($"event-{county}", "subEvent", $"{s}/counties/{county}/sub-events/{id}", false, County: county),
                $"{s}/counties/{county}/sub-events", new { id, title = $"secret event {county} {run}", date = "2020-09-01" });
        }
        foreach (var (key, county, university) in new[] { ("project-a", "pingyang", "wmu"), ("project-b", "ruian", "wzu") })
        {
            var id = $"{key}-{run}";
            await Add(new Entity(key, "project", $"{s}/projects/{id}", true, County: county, Universities: [university]), $"{s}/projects",
                new { id, title = $"secret {key} {run}", industry = "pumps", county, universities = new[] { university } });
        }
        return world;
    }
}
