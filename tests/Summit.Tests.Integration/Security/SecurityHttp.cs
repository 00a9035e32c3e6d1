using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Security;

/// <summary>The security tests' own <see cref="GatewayFixture"/>, so that they run beside the API tests' one.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityGatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "security-gateway";
}

/// <summary>Helpers of the security tests.</summary>
public static class SecurityHttp
{
    public const string JsonProblem = "application/problem+json";

    /// <summary>No cookies, no redirects followed: what an API script sees.</summary>
    public static HttpClient Anonymous(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Keeps cookies like a browser (and, like a browser, sends no Authorization header).</summary>
    public static HttpClient Browser(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> BearerAsync(WebApplicationFactory<Program> factory, string account, string password = SignIn.DemoPassword)
    {
        var http = Anonymous(factory);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, account, password));
        return http;
    }

    public static async Task<string> TokenAsync(HttpClient http, string account, string password = SignIn.DemoPassword)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = account, password });
        await Expect(response, HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["access_token"]!.GetValue<string>();
    }

    /// <summary>Signs a browser client in with the cookie; returns the antiforgery token to send on writes.</summary>
    public static async Task<string> LoginAsync(HttpClient browser, string account, string password = SignIn.DemoPassword)
    {
        var response = await browser.PostAsJsonAsync("/api/auth/login", new { username = account, password });
        await Expect(response, HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        Assert.Equal("X-XSRF-TOKEN", body["antiforgery"]!["headerName"]!.GetValue<string>());
        return body["antiforgery"]!["token"]!.GetValue<string>();
    }

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            Assert.Fail($"Expected {(int)status} but got {(int)response.StatusCode} for {response.RequestMessage?.Method} " +
                        $"{response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts an RFC 9457 problem response with this status, and no redirect.</summary>
    public static async Task<JsonObject> ExpectProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        await Expect(response, status);
        Assert.Null(response.Headers.Location);
        Assert.Equal(JsonProblem, response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        return body;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? antiforgery = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Api.Api.Json(body);
        if (antiforgery is not null) request.Headers.Add("X-XSRF-TOKEN", antiforgery);
        return request;
    }

    /// <summary>A username no other test uses.</summary>
    public static string NewUsername(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
