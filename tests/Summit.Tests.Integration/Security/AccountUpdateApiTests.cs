using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

/// <summary><c>PATCH /api/accounts/{username}</c> (display name, unit) and the display name given at creation.</summary>
[Collection(SecurityGatewayCollection.Name)]
public sealed class AccountUpdateApiTests(GatewayFixture gateway)
{
    private static StringContent Json(string raw) => Summit.Tests.Api.Api.Json(raw);

    private async Task<(HttpClient Admin, string Username)> NewCountyAsync(string unit = "ouhai", string password = "river-bank-2020")
    {
        var admin = await gateway.BearerAsync("admin");
        var username = NewUsername("county");
        await Expect(await admin.PostAsJsonAsync("/api/accounts", new { username, role = "county", unit, password, displayName = "瓯海区筹备办" }),
            HttpStatusCode.Created);
        return (admin, username);
    }

    private static async Task<JsonObject> GetAsync(HttpClient admin, string username) =>
        await (await admin.GetAsync($"/api/accounts/{username}")).ReadJsonAsync();

    [Fact]
    public async Task An_account_is_created_with_a_display_name_which_the_admin_changes_and_clears()
    {
        var (admin, username) = await NewCountyAsync();
        using var _ = admin;
        Assert.Equal("瓯海区筹备办", (await GetAsync(admin, username))["displayName"]!.GetValue<string>());

        var renamed = await admin.PatchAsync($"/api/accounts/{username}", Json("""{"displayName":"  瓯海区会务组  "}"""));
        await Expect(renamed, HttpStatusCode.OK);
        Assert.Equal("瓯海区会务组", (await renamed.ReadJsonAsync())["displayName"]!.GetValue<string>());
        var listed = await (await admin.GetAsync("/api/accounts?limit=1000")).ReadJsonAsync();
        Assert.Equal("瓯海区会务组", listed["items"]!.AsArray().Single(a => a!["username"]!.GetValue<string>() == username)!["displayName"]!.GetValue<string>());

        await Expect(await admin.PatchAsync($"/api/accounts/{username}", Json("""{"displayName":""}""")), HttpStatusCode.OK);
        Assert.Null((await GetAsync(admin, username))["displayName"]);
    }

    [Fact]
    public async Task A_new_unit_applies_at_the_next_sign_in_and_ends_the_sessions_of_the_old_one()
    {
        var (admin, username) = await NewCountyAsync("ouhai", "river-bank-2020");
        using var _ = admin;
        using var before = await gateway.BearerAsync(username, "river-bank-2020");
        await Expect(await before.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        var moved = await admin.PatchAsync($"/api/accounts/{username}", Json("""{"unit":"pingyang"}"""));
        await Expect(moved, HttpStatusCode.OK);
        Assert.Equal("pingyang", (await moved.ReadJsonAsync())["unit"]!.GetValue<string>());

        // The old token was issued for Ouhai: it stops working rather than keep reading Ouhai.
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/auth/me")).StatusCode);
        using var after = await gateway.BearerAsync(username, "river-bank-2020");
        var me = await (await after.GetAsync("/api/auth/me")).ReadJsonAsync();
        Assert.Equal("pingyang", me["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_unit_again_keeps_the_sessions()
    {
        var (admin, username) = await NewCountyAsync("ouhai", "river-bank-2020");
        using var _ = admin;
        using var session = await gateway.BearerAsync(username, "river-bank-2020");
        await Expect(await admin.PatchAsync($"/api/accounts/{username}", Json("""{"unit":"ouhai","displayName":"瓯海"}""")), HttpStatusCode.OK);
        await Expect(await session.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"unit":"Not A Code"}""", "unit")]
    [InlineData("""{"unit":""}""", "unit")]
    [InlineData("""{"unit":"ping\u0000yang"}""", "unit")]
    [InlineData("""{"displayName":"a\u0000b"}""", "displayName")]
    [InlineData("""{"displayName":"line\nbreak"}""", "displayName")]
    [InlineData("""{"displayName":7}""", "displayName")]
    [InlineData("""{"unit":["pingyang"]}""", "unit")]
    [InlineData("""{"role":"admin"}""", "role")]
    [InlineData("""{"password":"long-enough-1"}""", "password")]
    public async Task Bad_changes_are_400_problems_naming_the_field_and_change_nothing(string json, string field)
    {
        var (admin, username) = await NewCountyAsync();
        using var _ = admin;
        var before = await GetAsync(admin, username);
        var problem = await ExpectProblem(await admin.PatchAsync($"/api/accounts/{username}", Json(json)), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Equal(before.ToJsonString(), (await GetAsync(admin, username)).ToJsonString());
        using var session = await gateway.BearerAsync(username, "river-bank-2020");
        Assert.Equal("ouhai", (await (await session.GetAsync("/api/auth/me")).ReadJsonAsync())["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_huge_display_name_is_refused_naming_it()
    {
        var (admin, username) = await NewCountyAsync();
        using var _ = admin;
        var problem = await ExpectProblem(
            await admin.PatchAsJsonAsync($"/api/accounts/{username}", new { displayName = new string('名', 101) }), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("displayName"), problem.ToJsonString());
        Assert.Equal("瓯海区筹备办", (await GetAsync(admin, username))["displayName"]!.GetValue<string>());

        var created = await admin.PostAsJsonAsync("/api/accounts",
            new { username = NewUsername("leader"), role = "leader", password = "long-enough", displayName = new string('名', 101) });
        Assert.True((await ExpectProblem(created, HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("displayName"));
    }

    [Fact]
    public async Task Accounts_without_a_unit_cannot_be_given_one()
    {
        using var admin = await gateway.BearerAsync("admin");
        var problem = await ExpectProblem(await admin.PatchAsync("/api/accounts/leader", Json("""{"unit":"pingyang"}""")), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("unit"), problem.ToJsonString());
        Assert.Null((await GetAsync(admin, "leader"))["unit"]);
    }

    [Fact]
    public async Task Unknown_or_unreadable_accounts_are_404_and_only_admins_may_change_accounts()
    {
        using var admin = await gateway.BearerAsync("admin");
        await ExpectProblem(await admin.PatchAsync("/api/accounts/nobody-such", Json("""{"displayName":"x"}""")), HttpStatusCode.NotFound);
        await ExpectProblem(await admin.PatchAsync("/api/accounts/BAD%20NAME", Json("""{"displayName":"x"}""")), HttpStatusCode.NotFound);
        foreach (var account in new[] { "secretariat", "leader", "county-pingyang", "university-wzu" })
        {
            using var http = await gateway.BearerAsync(account);
            await ExpectProblem(await http.PatchAsync("/api/accounts/county-ruian", Json("""{"unit":"pingyang"}""")), HttpStatusCode.Forbidden);
        }
        Assert.Equal("ruian", (await GetAsync(admin, "county-ruian"))["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Account_conflicts_are_worded_in_Chinese_for_the_screen()
    {
        var (admin, username) = await NewCountyAsync();
        using var _ = admin;
        var taken = await ExpectProblem(await admin.PostAsJsonAsync("/api/accounts", new { username, role = "leader", password = "long-enough" }),
            HttpStatusCode.Conflict);
        Assert.Equal($"账号“{username}”已经存在。", taken["detail"]!.GetValue<string>());
        var own = await ExpectProblem(await admin.PostAsync("/api/accounts/admin/disable", null), HttpStatusCode.Conflict);
        Assert.Equal("不能停用自己正在使用的账号。", own["detail"]!.GetValue<string>());
    }
}
