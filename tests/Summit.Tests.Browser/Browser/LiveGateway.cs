using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Browser;

/// <summary>
/// The real Gateway as a process (in-process silo, demo data) keeping its state in a PostgreSQL database of its own,
/// on ports fixed for its lifetime so that a restart comes back at the same address with the same data, as a
/// deployment's restart does.
/// </summary>
public sealed class LiveGateway : IAsyncDisposable
{
    public const string Summit = "wyss-2020";

    private readonly Dictionary<string, string?> _environment;
    private ProcessHost? _process;
    private readonly List<string> _logs = [];

    private LiveGateway(Dictionary<string, string?> environment, int port)
    {
        _environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>Everything the Gateway processes wrote so far, for failure messages.</summary>
    public string Log => string.Join("\n--- restart ---\n", _logs.Append(_process?.Log ?? ""));

    public static async Task<LiveGateway> StartAsync(PostgresServer postgres, string name, int tasks = 400)
    {
        var port = FreePort.Next();
        var gateway = new LiveGateway(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Summit"] = await postgres.CreateDatabaseAsync(name),
            // ProcessHost picks a port of its own; this later value wins, so restarts keep the address.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Summit__ClusterId"] = $"b{Guid.NewGuid():N}"[..12],
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
            ["Summit__Demo__Enabled"] = "true",
            ["Summit__Demo__Tasks"] = tasks.ToString(),
            // The browser tests sign in many times from one address; limits are tested elsewhere.
            ["Summit__RateLimits__SignInPerAccount"] = "0",
            ["Summit__RateLimits__SignInPerAddress"] = "0",
            ["Summit__RateLimits__WritesPerUser"] = "0",
        }, port);
        await gateway.StartProcessAsync();
        return gateway;
    }

    public async Task StartProcessAsync()
    {
        _process = ProcessHost.Standalone(_environment);
        await WaitHealthyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Stops the process gracefully (SIGTERM), as an operator's restart does.</summary>
    public async Task StopProcessAsync()
    {
        if (_process is null) return;
        await _process.DisposeAsync();
        _logs.Add(_process.Log);
        _process = null;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"The Gateway exited:\n{Log}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The Gateway was not healthy after {timeout.TotalSeconds:0} s:\n{Log}");
    }

    /// <summary>An API client signed in with a bearer token, for arranging data and checking it behind the browser's back.</summary>
    public async Task<HttpClient> ApiAsync(string account)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = account, password = SignIn.DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>PATCHes with If-Match set to the current version read just before.</summary>
    public static async Task<JsonNode> PatchAsync(HttpClient http, string path, object body)
    {
        var current = await http.GetAsync(path);
        current.EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PATCH {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync() => await StopProcessAsync();
}
