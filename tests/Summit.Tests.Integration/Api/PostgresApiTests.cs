using System.Net;
using Npgsql;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>The API on PostgreSQL: entity state in the grain storage, idempotency keys in <c>summit_idempotency</c>.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresServer server) : IAsyncLifetime
{
    private string _database = null!;
    private GatewayFactory _gateway = null!;

    private static string Tasks => $"/api/summits/{GatewayFactory.Summit}/tasks";

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync("api");
        _gateway = new GatewayFactory(_database);
        await _gateway.StartAsync();
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_idempotent_retry_is_answered_from_the_database_even_after_a_restart()
    {
        var secretariat = await _gateway.SignedInAsync("secretariat");
        var id = $"pg-{Guid.NewGuid():N}"[..16];
        await secretariat.PostAsync(Tasks, new { id, title = "Stored key", category = "logistics", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-07" })
            .ShouldBe(HttpStatusCode.Created);
        var county = await _gateway.SignedInAsync("county-pingyang");
        var key = Guid.NewGuid().ToString();
        var first = await county.PatchAsync($"{Tasks}/{id}", new { status = "inProgress", note = "started" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);

        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT status FROM summit_idempotency WHERE account = 'county-pingyang' AND idempotency_key = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            Assert.Equal(200, await command.ExecuteScalarAsync());
        }

        await _gateway.DisposeAsync();
        _gateway = new GatewayFactory(_database);
        await _gateway.StartAsync();
        county = await _gateway.SignedInAsync("county-pingyang");

        var retry = await county.PatchAsync($"{Tasks}/{id}", new { status = "inProgress", note = "started" }, idempotencyKey: key).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.ETag(), retry.ETag());
        await county.PatchAsync($"{Tasks}/{id}", new { status = "blocked", note = "changed my mind" }, idempotencyKey: key)
            .ShouldBe(HttpStatusCode.UnprocessableEntity);

        var now = await (await county.GetAsync($"{Tasks}/{id}")).ReadJsonAsync();
        Assert.Equal(2, now["version"]!.GetValue<int>());
        Assert.Equal("inProgress", now["status"]!.ToString());
    }

    [Fact]
    public async Task Versions_guard_stored_entities()
    {
        var secretariat = await _gateway.SignedInAsync("secretariat");
        var leader = await _gateway.SignedInAsync("leader");
        var id = $"pg-{Guid.NewGuid():N}"[..16];
        var created = await secretariat.PostAsync(Tasks, new { id, title = "Guarded", category = "budget", owner = new { kind = "secretariat", code = "finance" }, dueDate = "2020-06-30" })
            .ShouldBe(HttpStatusCode.Created);
        var etag = created.ETag()!;

        var responses = await Task.WhenAll(
            secretariat.PatchAsync($"{Tasks}/{id}", new { percentComplete = 20 }, ifMatch: etag),
            secretariat.PatchAsync($"{Tasks}/{id}", new { percentComplete = 40 }, ifMatch: etag));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);

        var before = await secretariat.GetAsync($"{Tasks}/{id}");
        await secretariat.PatchAsync($"{Tasks}/{id}", new { dueDate = "2030-01-01" }).ShouldBe(HttpStatusCode.BadRequest);
        await leader.PatchAsync($"{Tasks}/{id}", new { note = "leaders read only" }).ShouldBe(HttpStatusCode.Forbidden);
        Assert.Equal(before.ETag(), (await secretariat.GetAsync($"{Tasks}/{id}")).ETag());
    }

    [Fact]
    public async Task Control_characters_in_filters_and_names_are_refused_before_reaching_the_database()
    {
        var admin = await _gateway.SignedInAsync("admin");
        // NUL made PostgreSQL fail the query (SQLSTATE 22021) and the request answered 500.
        var refused = await admin.GetAsync("/api/security/events?account=ad%00min").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("account", await refused.ErrorFieldsAsync());
        await admin.GetAsync("/api/accounts/ad%0Amin").ShouldBe(HttpStatusCode.BadRequest);

        // A failed sign-in with a hostile name is still recorded, with the name made safe for a text column.
        using var anonymous = _gateway.CreateClient();
        await anonymous.PostAsync("/api/auth/token", new { username = "who\u0000ever", password = "wrong password" }).ShouldBe(HttpStatusCode.Unauthorized);
        var events = await (await admin.GetAsync("/api/security/events?account=who%3Fever").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(1, events["total"]!.GetValue<int>());
    }
}
