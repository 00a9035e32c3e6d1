using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Summit.Domain;
using Summit.Gateway.Live;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;
using Summit.Tests.Live;

namespace Summit.Tests.Hosting;

/// <summary>
/// Faults get bounded, honest answers: a database outage is a 503 with <c>Retry-After</c>, never a 500; signed-in
/// sessions keep working through it; a disabled account loses its live connection at once.
/// </summary>
public sealed class FaultAnswerTests
{
    private static string Tasks => $"/api/summits/{GatewayFactory.Summit}/tasks";

    [Fact]
    public async Task A_database_outage_is_answered_503_with_retry_after_and_signed_in_tokens_keep_working()
    {
        // A server of its own: this test stops it.
        var server = await PostgresServer.Private();
        try
        {
            var database = await server.CreateDatabaseAsync("outage");
            await using var gateway = new GatewayFactory(database);
            await gateway.StartAsync();
            var secretariat = await gateway.SignedInAsync("secretariat");
            (await secretariat.GetAsync(Tasks)).StatusCode.ShouldEqual(HttpStatusCode.OK);

            await server.StopAsync();
            NpgsqlConnection.ClearAllPools();

            // The token check needs no database: the account was checked before the outage.
            var read = await secretariat.GetAsync($"/api/summits/{GatewayFactory.Summit}");
            Assert.NotEqual(HttpStatusCode.Unauthorized, read.StatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, read.StatusCode);

            // A write needs the grain storage.
            var write = await secretariat.PostAsync(Tasks, new
            {
                id = "outage-1", title = "Written during an outage", category = "logistics",
                owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-07",
            });
            await AssertUnavailableAsync(write);

            // Signing in needs the accounts table.
            using var anonymous = gateway.CreateClient();
            var signIn = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "leader", password = "summit2020" });
            await AssertUnavailableAsync(signIn);

            await server.StartAgainAsync();
            NpgsqlConnection.ClearAllPools();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            HttpResponseMessage again;
            do again = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "leader", password = "summit2020" });
            while (again.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());
            again.StatusCode.ShouldEqual(HttpStatusCode.OK);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_store_on_a_closed_port_is_answered_503_with_retry_after()
    {
        // Nothing listens there: every database call of the Gateway's own stores fails to connect.
        var closed = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = FreePort.Next(), Database = "none", Username = "none", Timeout = 2 };
        var store = new Summit.Data.Accounts.PostgresAccountStore(Summit.Data.Audit.SummitDataSource.Create(closed.ConnectionString));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.FindAsync("leader"));
        Assert.True(Summit.Gateway.Api.ServiceUnavailable.Matches(failure), failure.ToString());
        var problem = Summit.Gateway.Api.ServiceUnavailable.Problem(failure);
        Assert.Equal(StatusCodes503, problem.Status);
    }

    private const int StatusCodes503 = 503;

    [Fact]
    public void Database_failures_inside_a_grain_become_a_serializable_exception()
    {
        var npgsql = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
        // Orleans' storage providers wrap what they get.
        var translated = StorageFaults.Translate(new Orleans.Runtime.OrleansException("Error reading state", npgsql));
        var unavailable = Assert.IsType<StorageUnavailableException>(translated);

        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(StorageUnavailableException).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(unavailable));
        var received = Assert.IsType<StorageUnavailableException>(copy);
        Assert.Equal(unavailable.Message, received.Message);
        Assert.True(Summit.Gateway.Api.ServiceUnavailable.Matches(received));

        // A broken query is no outage: it stays a server error, but one that can cross the grain boundary.
        Assert.IsType<InvalidOperationException>(StorageFaults.Translate(new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01")));
        Assert.Null(StorageFaults.Translate(new EntityNotFoundException(EntityKind.Task, "t1")));
    }

    [Fact]
    public async Task Disabling_an_account_closes_its_live_connection_within_five_seconds()
    {
        await using var gateway = new GatewayFactory();
        await gateway.StartAsync();
        await using var live = await LiveClient.ConnectAsync(gateway, "leader");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        // The server registers the connection in OnConnectedAsync, which may finish just after the client's handshake.
        var sessions = gateway.Services.GetRequiredService<LiveSessions>();
        for (var waited = 0; sessions.CountOf("leader") == 0 && waited < 100; waited++) await Task.Delay(50);
        Assert.Equal(1, sessions.CountOf("leader"));

        var admin = await gateway.SignedInAsync("admin");
        var started = DateTime.UtcNow;
        (await admin.PostAsync("/api/accounts/leader/disable", new { })).StatusCode.ShouldEqual(HttpStatusCode.OK);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(HubConnectionState.Disconnected, live.Connection.State);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.RetryAfter is not null, "503 without Retry-After");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}

internal static class StatusAssertions
{
    public static void ShouldEqual(this HttpStatusCode actual, HttpStatusCode expected) => Assert.Equal(expected, actual);
}
