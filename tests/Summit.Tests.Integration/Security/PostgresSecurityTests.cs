using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Summit.Gateway.Accounts;
using Summit.Data.Accounts;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

/// <summary>Accounts, keys and the security log in PostgreSQL, outside demo mode, across Gateway restarts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSecurityTests(PostgresServer server)
{
    private const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    private static Dictionary<string, string?> Production(string? adminUsername = null, string? adminPassword = null) => new()
    {
        ["Summit:Demo:Enabled"] = "false",
        ["Summit:Auth:SigningKey"] = SigningKey,
        ["Summit:Admin:Username"] = adminUsername,
        ["Summit:Admin:Password"] = adminPassword,
    };

    [Fact]
    public async Task Accounts_cookies_and_tokens_survive_a_gateway_restart()
    {
        var connectionString = await server.CreateDatabaseAsync("accounts_restart");
        string token;
        string cookie;
        string username = NewUsername("county");

        await using (var first = new GatewayFactory(connectionString, Production("Root", "root-password-1")))
        {
            await first.StartAsync();
            using var root = await BearerAsync(first, "root", "root-password-1");
            await Expect(await root.PostAsJsonAsync("/api/accounts", new { username, role = "county", unit = "cangnan", password = "cangnan-2020" }), HttpStatusCode.Created);
            // No demo accounts outside demo mode, and no default password.
            await ExpectProblem(await Anonymous(first).PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "summit2020" }), HttpStatusCode.Unauthorized);

            token = await TokenAsync(Anonymous(first), username, "cangnan-2020");
            var login = await Anonymous(first).PostAsJsonAsync("/api/auth/login", new { username, password = "cangnan-2020" });
            await Expect(login, HttpStatusCode.OK);
            cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("summit.auth=", StringComparison.Ordinal)).Split(';')[0];
        }

        await using (var second = new GatewayFactory(connectionString, Production()))
        {
            await second.StartAsync();
            using var http = Anonymous(second);
            await TokenAsync(http, username, "cangnan-2020");
            await TokenAsync(http, "root", "root-password-1");

            using var bearer = Anonymous(second);
            bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await Expect(await bearer.GetAsync("/api/auth/me"), HttpStatusCode.OK);

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Add("Cookie", cookie);
            var me = await http.SendAsync(request);
            await Expect(me, HttpStatusCode.OK);
            Assert.Equal("cookie", (await me.ReadJsonAsync())["scheme"]!.GetValue<string>());
        }

        // The cookie outlived the first gateway because the data-protection keys are in the database.
        Assert.True(await ScalarAsync<long>(connectionString, "SELECT count(*) FROM summit_data_protection_keys") >= 1);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT role, unit, password_hash FROM summit_accounts WHERE username = @u", connection);
        command.Parameters.AddWithValue("u", username);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("county", reader.GetString(0));
        Assert.Equal("cangnan", reader.GetString(1));
        Assert.DoesNotContain("cangnan-2020", reader.GetString(2));
    }

    [Fact]
    public async Task Demo_accounts_are_seeded_once_into_postgres_and_failed_sign_ins_are_stored()
    {
        var connectionString = await server.CreateDatabaseAsync("accounts_demo");
        var demo = new Dictionary<string, string?> { ["Summit:Demo:Enabled"] = "true", ["Summit:Demo:Password"] = "wenzhou-demo" };
        for (var run = 0; run < 2; run++)
        {
            await using var gateway = new GatewayFactory(connectionString, demo);
            await gateway.StartAsync();
            using var http = Anonymous(gateway);
            await TokenAsync(http, "county-longgang", "wenzhou-demo");
            await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "summit2020" }), HttpStatusCode.Unauthorized);
        }

        Assert.Equal(AccountsApiTests.DemoAccounts.Length, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM summit_accounts"));
        Assert.Equal(2, await ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM summit_security_events WHERE kind = 'signInFailed' AND account = 'admin' AND detail = 'wrong password'"));
    }

    [Fact]
    public async Task Accepted_changes_are_written_to_the_postgres_audit_table()
    {
        var connectionString = await server.CreateDatabaseAsync("audit_api");
        await using var gateway = new GatewayFactory(connectionString, new Dictionary<string, string?> { ["Summit:Demo:Enabled"] = "true" });
        await gateway.StartAsync();
        var (id, secretariat) = await AuditApiTests.CreateAndChangeTaskAsync(gateway);
        using (secretariat)
        {
            var trail = await (await secretariat.GetAsync($"/api/summits/{GatewayFactory.Summit}/audit?entityId={id}")).ReadJsonAsync();
            Assert.Equal(2, trail["total"]!.GetValue<int>());
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT account, role, unit, version, changes::text, note FROM summit_audit WHERE summit = @s AND entity_kind = 'task' AND entity_id = @id ORDER BY version", connection);
        command.Parameters.AddWithValue("s", GatewayFactory.Summit);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("secretariat", "secretariat", 1), (reader.GetString(0), reader.GetString(1), reader.GetInt32(3)));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("county-pingyang", "county", "pingyang", 2), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        Assert.Contains("percentComplete", reader.GetString(4));
        Assert.Equal("场地已落实", reader.GetString(5));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public void Outside_demo_mode_the_gateway_refuses_to_start_without_a_signing_key()
    {
        using var gateway = new GatewayFactory(settings: new Dictionary<string, string?> { ["Summit:Demo:Enabled"] = "false" });
        var error = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());
        Assert.Contains("Summit:Auth:SigningKey", error.ToString());
    }

    [Fact]
    public async Task The_create_admin_command_creates_or_resets_an_admin_in_postgres()
    {
        var connectionString = await server.CreateDatabaseAsync("create_admin");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Summit"] = connectionString })
            .Build();

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(configuration, ["create-admin", "Ops"], new StringReader("first-secret\n"), output, error));
        Assert.Contains("created", output.ToString());
        Assert.True(await VerifyAsync(connectionString, "ops", "first-secret"));

        Assert.Equal(0, await AdminCommand.RunAsync(configuration, ["create-admin", "ops"], new StringReader("second-secret\n"), output, error));
        Assert.True(await VerifyAsync(connectionString, "ops", "second-secret"));
        Assert.False(await VerifyAsync(connectionString, "ops", "first-secret"));

        // Too short, no password, no username, a non-admin name, no database: refused with a message.
        Assert.Equal(1, await AdminCommand.RunAsync(configuration, ["create-admin", "ops2"], new StringReader("short\n"), output, error));
        Assert.Equal(1, await AdminCommand.RunAsync(configuration, ["create-admin", "ops2"], new StringReader(""), output, error));
        Assert.Equal(2, await AdminCommand.RunAsync(configuration, ["create-admin"], new StringReader("x"), output, error));
        await using (var dataSource = Summit.Data.Audit.SummitDataSource.Create(connectionString))
        {
            var store = new PostgresAccountStore(dataSource);
            await store.CreateAsync(new StoredAccount(
                new Account("county-ruian", Summit.Domain.Role.County, "ruian", NodaTime.SystemClock.Instance.GetCurrentInstant(), null, NodaTime.SystemClock.Instance.GetCurrentInstant()),
                AccountService.HashPassword("ruian-password"), StoredAccount.NewStamp()));
        }
        Assert.Equal(1, await AdminCommand.RunAsync(configuration, ["create-admin", "county-ruian"], new StringReader("long-enough\n"), output, error));
        Assert.Contains("county-ruian", error.ToString());
        var noDatabase = new ConfigurationBuilder().Build();
        Assert.Equal(2, await AdminCommand.RunAsync(noDatabase, ["create-admin", "ops"], new StringReader("long-enough\n"), output, error));
        Assert.Contains("ConnectionStrings__Summit", error.ToString());

        // The password may come from the environment's Summit__Admin__Password instead of standard input.
        var fromEnvironment = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Summit"] = connectionString, ["Summit:Admin:Password"] = "from-environment" })
            .Build();
        Assert.Equal(0, await AdminCommand.RunAsync(fromEnvironment, ["create-admin", "ops3"], TextReader.Null, output, error));
        Assert.True(await VerifyAsync(connectionString, "ops3", "from-environment"));
    }

    private static async Task<bool> VerifyAsync(string connectionString, string username, string password)
    {
        await using var dataSource = Summit.Data.Audit.SummitDataSource.Create(connectionString);
        var stored = await new PostgresAccountStore(dataSource).FindAsync(username);
        Assert.NotNull(stored);
        Assert.Equal(Summit.Domain.Role.Admin, stored.Account.Role);
        Assert.False(stored.Account.Disabled);
        return new PasswordHasher<Account>().VerifyHashedPassword(stored.Account, stored.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
