using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

[Collection(SecurityGatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Right_password_gets_a_bearer_token_that_identifies_the_account()
    {
        using var http = gateway.Anonymous();
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = "county-pingyang", password = "summit2020" });
        await Expect(response, HttpStatusCode.OK);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.ReadJsonAsync();
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.True(body["expires_in"]!.GetValue<int>() > 0);
        var token = body["access_token"]!.GetValue<string>();

        // The token carries exactly the claims SummitClaims reads.
        var payload = JsonNode.Parse(Base64UrlDecode(token.Split('.')[1]))!.AsObject();
        Assert.Equal("county-pingyang", payload[ClaimTypes.Name]!.GetValue<string>());
        Assert.Equal("County", payload[ClaimTypes.Role]!.GetValue<string>());
        Assert.Equal("pingyang", payload["summit:unit"]!.GetValue<string>());

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await (await http.GetAsync("/api/auth/me")).ReadJsonAsync();
        Assert.Equal("county-pingyang", me["username"]!.GetValue<string>());
        Assert.Equal("county", me["role"]!.GetValue<string>());
        Assert.Equal("pingyang", me["unit"]!.GetValue<string>());
        Assert.Equal("bearer", me["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usernames_are_not_case_sensitive()
    {
        using var http = gateway.Anonymous();
        await Expect(await http.PostAsJsonAsync("/api/auth/token", new { username = " Secretariat ", password = "summit2020" }), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("secretariat", "wrong-password")]
    [InlineData("nobody-here", "summit2020")]
    [InlineData("secretariat", "SUMMIT2020")]
    public async Task Wrong_credentials_get_the_same_401_problem(string username, string password)
    {
        using var http = gateway.Anonymous();
        var problem = await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username, password }), HttpStatusCode.Unauthorized);
        Assert.Equal("登录失败", problem["title"]!.GetValue<string>());
        Assert.DoesNotContain("access_token", problem.ToJsonString());
    }

    [Fact]
    public async Task Missing_fields_and_malformed_json_are_400_problems()
    {
        using var http = gateway.Anonymous();
        var missing = await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username = "" }), HttpStatusCode.BadRequest);
        var errors = missing["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("username"));
        Assert.True(errors.ContainsKey("password"));

        var malformed = await http.PostAsync("/api/auth/token", new StringContent("{\"username\": ", Encoding.UTF8, "application/json"));
        await ExpectProblem(malformed, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/api/accounts")]
    [InlineData("/api/summits/wyss-2020/audit")]
    [InlineData("/api/summits/wyss-2020/tasks")]
    [InlineData("/api/no-such-endpoint")]
    public async Task Api_calls_without_credentials_are_401_problems_not_redirects(string path)
    {
        using var http = gateway.Anonymous();
        var response = await http.GetAsync(path);
        await ExpectProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_or_garbled_token_is_401()
    {
        using var http = gateway.Anonymous();
        var token = await TokenAsync(http, "secretariat");
        var parts = token.Split('.');
        // Same header and signature, payload claiming to be an admin.
        var forged = parts[0] + "." + Base64UrlEncode(Base64UrlDecode(parts[1]).Replace("Secretariat", "Admin")) + "." + parts[2];
        foreach (var bad in new[] { forged, "not-a-token", token[..^4] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bad);
            var response = await http.SendAsync(request);
            await ExpectProblem(response, HttpStatusCode.Unauthorized);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task Hubs_take_the_token_from_the_query_string()
    {
        using var http = gateway.Anonymous();
        var token = await TokenAsync(http, "leader");
        await ExpectProblem(await http.GetAsync("/hubs/anything"), HttpStatusCode.Unauthorized);
        // Authenticated: the request gets past authorization (no hub of that name exists, so 404).
        var response = await http.GetAsync($"/hubs/anything?access_token={Uri.EscapeDataString(token)}");
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        // Elsewhere the query string is not a credential.
        await ExpectProblem(await http.GetAsync($"/api/auth/me?access_token={Uri.EscapeDataString(token)}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Disabling_an_account_or_resetting_its_password_ends_its_tokens()
    {
        using var admin = await gateway.BearerAsync("admin");
        var username = NewUsername("leader");
        await Expect(await admin.PostAsJsonAsync("/api/accounts", new { username, role = "leader", password = "first-password" }), HttpStatusCode.Created);

        using var user = await gateway.BearerAsync(username, "first-password");
        await Expect(await user.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        await Expect(await admin.PostAsJsonAsync($"/api/accounts/{username}/password", new { password = "second-password" }), HttpStatusCode.OK);
        await ExpectProblem(await user.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        using var anonymous = gateway.Anonymous();
        await ExpectProblem(await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "first-password" }), HttpStatusCode.Unauthorized);

        using var again = await gateway.BearerAsync(username, "second-password");
        await Expect(await admin.PostAsync($"/api/accounts/{username}/disable", null), HttpStatusCode.OK);
        await ExpectProblem(await again.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        await ExpectProblem(await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "second-password" }), HttpStatusCode.Unauthorized);

        await Expect(await admin.PostAsync($"/api/accounts/{username}/enable", null), HttpStatusCode.OK);
        await Expect(await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "second-password" }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_is_anonymous_and_says_nothing_more()
    {
        using var http = gateway.Anonymous();
        var response = await http.GetAsync("/healthz");
        await Expect(response, HttpStatusCode.OK);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static string Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }

    private static string Base64UrlEncode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
