using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

[Collection(SecurityGatewayCollection.Name)]
public sealed class AccountsApiTests(GatewayFixture gateway)
{
    public static readonly string[] DemoAccounts =
    [
        "admin", "secretariat", "leader",
        "county-lucheng", "county-ouhai", "county-longwan", "county-dongtou", "county-yueqing", "county-ruian",
        "county-yongjia", "county-wencheng", "county-pingyang", "county-taishun", "county-cangnan", "county-longgang",
        "university-wmu", "university-wzu", "university-wzpt", "university-wzvcst",
        "org-pingyang-kx", "org-pingyang-zx", "org-pingyang-aojiang", "org-ruian-kx", "org-wmu-eye", "org-wz-youth-st",
    ];

    [Fact]
    public async Task Demo_mode_seeds_every_demo_account_and_each_can_sign_in()
    {
        using var admin = await gateway.BearerAsync("admin");
        var list = await (await admin.GetAsync("/api/accounts?limit=1000")).ReadJsonAsync();
        var items = list["items"]!.AsArray().Select(a => a!.AsObject()).ToArray();
        var names = items.Select(a => a["username"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(DemoAccounts.ToHashSet(), names);
        Assert.DoesNotContain("hash", list.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", list.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var pingyang = items.Single(a => a["username"]!.GetValue<string>() == "county-pingyang");
        Assert.Equal("county", pingyang["role"]!.GetValue<string>());
        Assert.Equal("pingyang", pingyang["unit"]!.GetValue<string>());
        Assert.Null(items.Single(a => a["username"]!.GetValue<string>() == "leader")["unit"]);

        using var http = gateway.Anonymous();
        foreach (var account in DemoAccounts) await TokenAsync(http, account);
    }

    [Fact]
    public async Task Admin_creates_an_account_that_can_sign_in_with_its_role_and_unit()
    {
        using var admin = await gateway.BearerAsync("admin");
        var username = NewUsername("county");
        var created = await admin.PostAsJsonAsync("/api/accounts", new { username, role = "county", unit = "yongjia", password = "pump-valve-2020" });
        await Expect(created, HttpStatusCode.Created);
        Assert.Equal($"/api/accounts/{username}", created.Headers.Location?.ToString());
        var body = await created.ReadJsonAsync();
        Assert.Equal("admin", body["createdBy"]!.GetValue<string>());
        Assert.False(body["disabled"]!.GetValue<bool>());

        await Expect(await admin.GetAsync($"/api/accounts/{username}"), HttpStatusCode.OK);
        using var user = await gateway.BearerAsync(username, "pump-valve-2020");
        var me = await (await user.GetAsync("/api/auth/me")).ReadJsonAsync();
        Assert.Equal("county", me["role"]!.GetValue<string>());
        Assert.Equal("yongjia", me["unit"]!.GetValue<string>());

        var duplicate = await admin.PostAsJsonAsync("/api/accounts", new { username = username.ToUpperInvariant(), role = "leader", password = "another-password" });
        await ExpectProblem(duplicate, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"username":"x-county","role":"county","password":"long-enough"}""", "unit")]
    [InlineData("""{"username":"x-leader","role":"leader","unit":"ouhai","password":"long-enough"}""", "unit")]
    [InlineData("""{"username":"x-short","role":"leader","password":"short"}""", "password")]
    [InlineData("""{"username":"Bad Name!","role":"leader","password":"long-enough"}""", "username")]
    [InlineData("""{"username":"x-system","role":"system","password":"long-enough"}""", "role")]
    [InlineData("""{"username":"x-norole","password":"long-enough"}""", "role")]
    [InlineData("""{"username":"x-unit","role":"university","unit":"Not A Code","password":"long-enough"}""", "unit")]
    public async Task Bad_account_fields_are_400_problems_naming_the_field(string json, string field)
    {
        using var admin = await gateway.BearerAsync("admin");
        var response = await admin.PostAsync("/api/accounts", Api.Api.Json(json));
        var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        var username = JsonNode.Parse(json)!["username"]!.GetValue<string>().ToLowerInvariant();
        Assert.NotEqual(HttpStatusCode.OK, (await admin.GetAsync($"/api/accounts/{Uri.EscapeDataString(username)}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_role_is_a_400_problem()
    {
        using var admin = await gateway.BearerAsync("admin");
        var response = await admin.PostAsync("/api/accounts", Api.Api.Json("""{"username":"x-boss","role":"boss","password":"long-enough"}"""));
        await ExpectProblem(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("secretariat")]
    [InlineData("leader")]
    [InlineData("county-pingyang")]
    [InlineData("university-wzu")]
    public async Task Only_admins_manage_accounts(string account)
    {
        using var http = await gateway.BearerAsync(account);
        await ExpectProblem(await http.GetAsync("/api/accounts"), HttpStatusCode.Forbidden);
        await ExpectProblem(await http.PostAsJsonAsync("/api/accounts", new { username = NewUsername("sneaky"), role = "admin", password = "long-enough" }),
            HttpStatusCode.Forbidden);
        await ExpectProblem(await http.PostAsync("/api/accounts/admin/disable", null), HttpStatusCode.Forbidden);
        await ExpectProblem(await http.GetAsync("/api/security/events"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account_or_the_last_admin()
    {
        using var admin = await gateway.BearerAsync("admin");
        await ExpectProblem(await admin.PostAsync("/api/accounts/admin/disable", null), HttpStatusCode.Conflict);
        await ExpectProblem(await admin.PostAsync("/api/accounts/nobody-such/disable", null), HttpStatusCode.NotFound);
        await ExpectProblem(await admin.PostAsJsonAsync("/api/accounts/secretariat/password", new { password = "x" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Failed_sign_ins_and_refused_requests_are_in_the_security_log()
    {
        using var http = gateway.Anonymous();
        var stranger = NewUsername("stranger");
        await http.PostAsJsonAsync("/api/auth/token", new { username = stranger, password = "guessing" });

        var username = NewUsername("county");
        using var admin = await gateway.BearerAsync("admin");
        await Expect(await admin.PostAsJsonAsync("/api/accounts", new { username, role = "county", unit = "taishun", password = "tea-garden-2020" }), HttpStatusCode.Created);
        using var county = await gateway.BearerAsync(username, "tea-garden-2020");
        await county.GetAsync("/api/accounts");

        var failed = await (await admin.GetAsync($"/api/security/events?account={stranger}")).ReadJsonAsync();
        var signIn = Assert.Single(failed["items"]!.AsArray());
        Assert.Equal("signInFailed", signIn!["kind"]!.GetValue<string>());
        Assert.Equal("unknown account", signIn["detail"]!.GetValue<string>());

        var refused = await (await admin.GetAsync($"/api/security/events?account={username}")).ReadJsonAsync();
        var entry = Assert.Single(refused["items"]!.AsArray());
        Assert.Equal("accessRefused", entry!["kind"]!.GetValue<string>());
        Assert.Equal("/api/accounts", entry["path"]!.GetValue<string>());
        Assert.Equal("county", entry["role"]!.GetValue<string>());
    }
}
