using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Summit.Tests.Infrastructure;

public static class SignIn
{
    public const string DemoPassword = "summit2020";

    /// <summary>Gets a bearer token for a demo account and sends it with every later request of <paramref name="http"/>.</summary>
    public static async Task<HttpClient> AsAsync(this HttpClient http, string username, string password = DemoPassword)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return http;
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken);
}
