using System.Net;

namespace Summit.Tests.Api;

/// <summary>Versions as ETags: a stale If-Match is refused with 412 and the current version; of two writers that read the same version, exactly one wins.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConcurrencyTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    [Fact]
    public async Task Stale_if_match_is_412_with_the_current_version_and_changes_nothing()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var read = await http.GetAsync($"{Tasks}/{id}");
        Assert.Equal("\"1\"", read.ETag());

        var first = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 10 }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", first.ETag());

        var stale = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 20 }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        var problem = await stale.ReadJsonAsync();
        Assert.Equal(2, problem["currentVersion"]!.GetValue<int>());
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);

        var now = await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync();
        Assert.Equal(10, now["percentComplete"]!.GetValue<int>());
        Assert.Equal(2, now["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Of_two_concurrent_writers_with_the_same_if_match_exactly_one_wins()
    {
        var county = await gateway.As("county-pingyang");
        var secretariat = await gateway.As("secretariat");
        for (var round = 0; round < 5; round++)
        {
            var id = await gateway.CreateTaskAsync("county:pingyang");
            var etag = (await secretariat.GetAsync($"{Tasks}/{id}")).ETag()!;
            var responses = await Task.WhenAll(
                county.PatchAsync($"{Tasks}/{id}", new { percentComplete = 30, note = "county says 30" }, ifMatch: etag),
                secretariat.PatchAsync($"{Tasks}/{id}", new { percentComplete = 60, note = "secretariat says 60" }, ifMatch: etag));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
            var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadJsonAsync();
            var now = await (await secretariat.GetAsync($"{Tasks}/{id}")).ReadJsonAsync();
            Assert.Equal(2, now["version"]!.GetValue<int>());
            Assert.Equal(winner["percentComplete"]!.GetValue<int>(), now["percentComplete"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Writers_without_if_match_are_applied_one_after_the_other()
    {
        var id = await gateway.CreateTaskAsync("county:pingyang");
        var http = await gateway.As("secretariat");
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => http.PatchAsync($"{Tasks}/{id}", new { note = $"visit {i}" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(9, (await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task If_none_match_answers_304_a_weak_if_match_412_and_a_malformed_one_400()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var etag = (await http.GetAsync($"{Tasks}/{id}")).ETag()!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"{Tasks}/{id}");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.ETag());

        // If-Match compares strongly: a weak tag is well-formed but never matches.
        await http.PatchAsync($"{Tasks}/{id}", new { note = "x" }, ifMatch: "W/\"1\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        var malformed = await http.PatchAsync($"{Tasks}/{id}", new { note = "x" }, ifMatch: "not-a-tag").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("if-match", await malformed.ErrorFieldsAsync());
        Assert.Equal(etag, (await http.GetAsync($"{Tasks}/{id}")).ETag());
    }

    [Fact]
    public async Task Sub_events_use_their_own_version()
    {
        var http = await gateway.As("county-pingyang");
        var created = await http.PostAsync($"/api/summits/{gateway.Summit}/counties/pingyang/sub-events", new { title = "Versioned sub-event" })
            .ShouldBe(HttpStatusCode.Created);
        Assert.Equal("\"1\"", created.ETag());
        var path = created.Headers.Location!.ToString();

        await http.PatchAsync(path, new { status = "preparing" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        var stale = await http.PatchAsync(path, new { status = "planned" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (await stale.ReadJsonAsync())["currentVersion"]!.GetValue<int>());
        Assert.Equal("\"2\"", (await http.GetAsync(path)).ETag());
    }

    [Fact]
    public async Task Summit_update_honours_if_match()
    {
        var http = await gateway.As("secretariat");
        var code = $"cc-{Guid.NewGuid():N}"[..14];
        var definition = new
        {
            name = "Concurrency summit", city = "温州", openingDate = "2021-10-18", closingDate = "2021-10-19", timeZone = "Asia/Shanghai",
            mode = "offline", targets = new { innovationAlliances = 1, cooperationProjects = 2, enterprises = 3, startupFinalists = 4 },
            preparationStart = "2021-04-01",
        };
        var created = await http.PostAsync("/api/summits", new
        {
            code, definition.name, definition.city, definition.openingDate, definition.closingDate, definition.timeZone, definition.mode,
            definition.targets, definition.preparationStart,
        }).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"/api/summits/{code}", created.Headers.Location!.ToString());

        await http.SendAsync(HttpMethod.Put, $"/api/summits/{code}", definition with { city = "Wenzhou" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        var stale = await http.SendAsync(HttpMethod.Put, $"/api/summits/{code}", definition with { city = "Ouhai" }, ifMatch: "\"1\"")
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (await stale.ReadJsonAsync())["currentVersion"]!.GetValue<int>());
        Assert.Equal("Wenzhou", (await (await http.GetAsync($"/api/summits/{code}")).ReadJsonAsync())["city"]!.ToString());
    }
}
