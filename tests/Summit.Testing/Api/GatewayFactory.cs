using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>
/// The real Gateway in-process: its standalone silo with demo data (60 tasks for speed), its own silo ports, rate
/// limits off unless a test sets them, and PostgreSQL: the given database, else a new one on the test run's shared server.
/// Start it with <see cref="StartAsync"/>, which waits for <c>/healthz</c>.
/// </summary>
/// <param name="services">Changes to the Gateway's services after its own, for what settings cannot reach.</param>
public sealed class GatewayFactory(
    string? connectionString = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string Summit = "wyss-2020";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = new Dictionary<string, string?>
        {
            ["Summit:Silo:SiloPort"] = FreePort.Next().ToString(),
            ["Summit:Silo:GatewayPort"] = FreePort.Next().ToString(),
            ["Summit:Demo:Tasks"] = "60",
            ["Summit:RateLimits:WritesPerUser"] = "0",
            ["Summit:RateLimits:SignInPerAccount"] = "0",
            ["Summit:RateLimits:SignInPerAddress"] = "0",
            // Without one of its own, a database of the test run's shared PostgreSQL, migrated from the template.
            ["ConnectionStrings:Summit"] = connectionString ??= PostgresServer.Shared.CreateMigratedDatabaseAsync("gateway").GetAwaiter().GetResult(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Summit"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        foreach (var (key, value) in all)
            if (value is not null) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        // A test host is stopped while the rest of the suite loads the machine; let its silo finish a graceful stop
        // rather than fail the test at the production limit (silo processes are held to that limit in FaultInjectionTests).
        builder.ConfigureServices(s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60)));
        if (services is not null) builder.ConfigureServices(services);
    }

    /// <summary>Starts the gateway and waits until the demo data is in.</summary>
    public async Task StartAsync()
    {
        using var http = CreateClient();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The gateway was not healthy within {StartTimeout}.");
            await Task.Delay(200);
        }
    }

    /// <summary>A client signed in as a demo account (<c>admin</c>, <c>secretariat</c>, <c>leader</c>, <c>county-…</c>, <c>university-…</c>).</summary>
    public async Task<HttpClient> SignedInAsync(string account)
    {
        var http = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        return await http.AsAsync(account);
    }
}

/// <summary>Small helpers for talking JSON to the API.</summary>
public static class Api
{
    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    public static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient http, HttpMethod method, string path, object? body = null, string? ifMatch = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = body as HttpContent ?? Json(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient http, string path, object body, string? ifMatch = null, string? idempotencyKey = null) =>
        http.SendAsync(HttpMethod.Patch, path, body, ifMatch, idempotencyKey);

    public static Task<HttpResponseMessage> PostAsync(this HttpClient http, string path, object body, string? idempotencyKey = null) =>
        http.SendAsync(HttpMethod.Post, path, body, idempotencyKey: idempotencyKey);

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject() ?? throw new InvalidOperationException("Empty body.");

    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task<HttpResponseMessage> ShouldBe(this Task<HttpResponseMessage> pending, HttpStatusCode expected)
    {
        var response = await pending;
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode} for {response.RequestMessage?.Method} " +
                        $"{response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>The field names of a 400/403 problem's <c>errors</c> map.</summary>
    public static async Task<IReadOnlyCollection<string>> ErrorFieldsAsync(this HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body["errors"] is JsonObject errors ? errors.Select(e => e.Key).ToArray() : [];
    }

    public static MediaTypeHeaderValue JsonType { get; } = new("application/json");
}
