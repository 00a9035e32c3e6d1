using System.Net;
using System.Net.Http.Json;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

[Collection(SecurityGatewayCollection.Name)]
public sealed class CookieSignInTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Login_sets_an_http_only_cookie_and_me_answers_from_it()
    {
        using var browser = gateway.Browser();
        var response = await browser.PostAsJsonAsync("/api/auth/login", new { username = "university-wmu", password = "summit2020" });
        await Expect(response, HttpStatusCode.OK);
        var cookies = response.Headers.GetValues("Set-Cookie").ToArray();
        Assert.Contains(cookies, c => c.StartsWith("summit.auth=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        // The script-readable copy of the antiforgery token.
        Assert.Contains(cookies, c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal) && !c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        var me = await (await browser.GetAsync("/api/auth/me")).ReadJsonAsync();
        Assert.Equal("university-wmu", me["username"]!.GetValue<string>());
        Assert.Equal("university", me["role"]!.GetValue<string>());
        Assert.Equal("wmu", me["unit"]!.GetValue<string>());
        Assert.Equal("cookie", me["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task Session_answers_200_whether_or_not_anyone_is_signed_in()
    {
        using var browser = gateway.Browser();
        var before = await (await browser.GetAsync("/api/auth/session")).ReadJsonAsync();
        Assert.False(before["signedIn"]!.GetValue<bool>());
        Assert.Null(before["account"]);

        var antiforgery = await LoginAsync(browser, "county-pingyang");
        var response = await browser.GetAsync("/api/auth/session");
        await Expect(response, HttpStatusCode.OK);
        var signedIn = await response.ReadJsonAsync();
        Assert.True(signedIn["signedIn"]!.GetValue<bool>());
        Assert.Equal(("county-pingyang", "county", "pingyang", "cookie"), (signedIn["account"]!["username"]!.GetValue<string>(),
            signedIn["account"]!["role"]!.GetValue<string>(), signedIn["account"]!["unit"]!.GetValue<string>(), signedIn["account"]!["scheme"]!.GetValue<string>()));

        await Expect(await browser.SendAsync(Request(HttpMethod.Post, "/api/auth/logout", antiforgery: antiforgery)), HttpStatusCode.NoContent);
        Assert.False((await (await browser.GetAsync("/api/auth/session")).ReadJsonAsync())["signedIn"]!.GetValue<bool>());
        // A bearer token that is no token is no session either, and still no error.
        using var bearer = gateway.Browser();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
        var odd = await bearer.GetAsync("/api/auth/session");
        await Expect(odd, HttpStatusCode.OK);
        Assert.False((await odd.ReadJsonAsync())["signedIn"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Cookie_writes_need_the_antiforgery_header()
    {
        using var browser = gateway.Browser();
        var antiforgery = await LoginAsync(browser, "admin");
        var username = NewUsername("county");
        var account = new { username, role = "county", unit = "ouhai", password = "ouhai-password" };

        var without = await browser.SendAsync(Request(HttpMethod.Post, "/api/accounts", account));
        var problem = await ExpectProblem(without, HttpStatusCode.BadRequest);
        Assert.Contains("antiforgery", problem["title"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        var wrong = await browser.SendAsync(Request(HttpMethod.Post, "/api/accounts", account, antiforgery: "not-the-token"));
        await ExpectProblem(wrong, HttpStatusCode.BadRequest);

        // Refused writes changed nothing.
        using var admin = await gateway.BearerAsync("admin");
        await ExpectProblem(await admin.GetAsync($"/api/accounts/{username}"), HttpStatusCode.NotFound);

        await Expect(await browser.SendAsync(Request(HttpMethod.Post, "/api/accounts", account, antiforgery)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_antiforgery_endpoint_gives_a_token_that_works_for_the_signed_in_user()
    {
        using var browser = gateway.Browser();
        await LoginAsync(browser, "admin");
        var body = await (await browser.GetAsync("/api/auth/antiforgery")).ReadJsonAsync();
        Assert.Equal("X-XSRF-TOKEN", body["headerName"]!.GetValue<string>());
        var token = body["token"]!.GetValue<string>();
        var username = NewUsername("leader");
        await Expect(await browser.SendAsync(Request(HttpMethod.Post, "/api/accounts", new { username, role = "leader", password = "leader-password" }, token)),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_token_of_another_user_does_not_pass()
    {
        using var admin = gateway.Browser();
        await LoginAsync(admin, "admin");
        using var other = gateway.Browser();
        var othersToken = await LoginAsync(other, "secretariat");
        var response = await admin.SendAsync(Request(HttpMethod.Post, "/api/accounts",
            new { username = NewUsername("leader"), role = "leader", password = "leader-password" }, othersToken));
        await ExpectProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bearer_writes_need_no_antiforgery_token()
    {
        using var admin = await gateway.BearerAsync("admin");
        var response = await admin.PostAsJsonAsync("/api/accounts", new { username = NewUsername("leader"), role = "leader", password = "leader-password" });
        await Expect(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Logout_with_the_token_ends_the_cookie_session()
    {
        using var browser = gateway.Browser();
        var antiforgery = await LoginAsync(browser, "leader");
        await ExpectProblem(await browser.SendAsync(Request(HttpMethod.Post, "/api/auth/logout")), HttpStatusCode.BadRequest);
        await Expect(await browser.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        await Expect(await browser.SendAsync(Request(HttpMethod.Post, "/api/auth/logout", antiforgery: antiforgery)), HttpStatusCode.NoContent);
        await ExpectProblem(await browser.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Forbidden_cookie_requests_are_403_problems_not_redirects()
    {
        using var browser = gateway.Browser();
        await LoginAsync(browser, "secretariat");
        await ExpectProblem(await browser.GetAsync("/api/accounts"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Wrong_password_sets_no_cookie()
    {
        using var browser = gateway.Browser();
        var response = await browser.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "nope-nope" });
        await ExpectProblem(response, HttpStatusCode.Unauthorized);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("summit.auth=", StringComparison.Ordinal)));
        await ExpectProblem(await browser.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
    }
}
