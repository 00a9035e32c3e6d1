using System.Net;

namespace Summit.Tests.Api;

/// <summary>A retried write with the same Idempotency-Key gets the first answer and is not applied twice.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IdempotencyTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    [Fact]
    public async Task A_retried_patch_returns_the_first_result_and_the_version_rises_once()
    {
        var id = await gateway.CreateTaskAsync("county:pingyang");
        var http = await gateway.As("county-pingyang");
        var key = Guid.NewGuid().ToString();

        var first = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 25, note = "on site" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        var retry = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 25, note = "on site" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.ETag(), retry.ETag());
        Assert.Equal("\"2\"", retry.ETag());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        var history = await (await http.GetAsync($"{Tasks}/{id}/history")).ReadJsonAsync();
        Assert.Equal(2, history["total"]!.GetValue<int>());
        Assert.Equal(2, (await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_retried_create_without_an_id_creates_one_entity()
    {
        var http = await gateway.As("secretariat");
        var key = Guid.NewGuid().ToString();
        var body = new { title = "Created once", category = "awards", owner = new { kind = "secretariat", code = "office" }, dueDate = "2020-08-08" };

        var first = await http.PostAsync(Tasks, body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        var retry = await http.PostAsync(Tasks, body, idempotencyKey: key).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.ETag(), retry.ETag());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        // Without the key the same body is a new task.
        var other = await http.PostAsync(Tasks, body).ShouldBe(HttpStatusCode.Created);
        Assert.NotEqual(first.Headers.Location, other.Headers.Location);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_changes_nothing()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var key = Guid.NewGuid().ToString();
        await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 10 }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        var reused = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 90 }, idempotencyKey: key).ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(10, (await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["percentComplete"]!.GetValue<int>());
    }

    [Fact]
    public async Task Keys_belong_to_one_account_and_one_route()
    {
        var id = await gateway.CreateTaskAsync("county:pingyang");
        var other = await gateway.CreateTaskAsync("county:pingyang");
        var key = Guid.NewGuid().ToString();
        var county = await gateway.As("county-pingyang");
        var secretariat = await gateway.As("secretariat");

        await county.PatchAsync($"{Tasks}/{id}", new { note = "same key" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        var byOther = await secretariat.PatchAsync($"{Tasks}/{id}", new { note = "same key" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        Assert.False(byOther.Headers.Contains("Idempotent-Replayed"));
        var onOther = await county.PatchAsync($"{Tasks}/{other}", new { note = "same key" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        Assert.False(onOther.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, (await (await county.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_refused_request_does_not_use_up_its_key()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var key = Guid.NewGuid().ToString();
        await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 50 }, ifMatch: "\"7\"", idempotencyKey: key).ShouldBe(HttpStatusCode.PreconditionFailed);
        var retry = await http.PatchAsync($"{Tasks}/{id}", new { percentComplete = 50 }, ifMatch: "\"1\"", idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Concurrent_duplicates_apply_once()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => http.PatchAsync($"{Tasks}/{id}", new { note = "flaky network" }, idempotencyKey: key)));
        // A duplicate that arrives while the first still runs is told to retry; the rest replay the first answer.
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(2, (await (await http.GetAsync($"{Tasks}/{id}")).ReadJsonAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_malformed_key_is_400()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var response = await http.PatchAsync($"{Tasks}/{id}", new { note = "x" }, idempotencyKey: new string('k', 300)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("idempotency-key", await response.ErrorFieldsAsync());
    }
}
