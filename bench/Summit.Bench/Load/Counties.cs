using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Summit.Bench.Measurement;

namespace Summit.Bench.Load;

/// <summary>One thing a county updates: one of its sub-events, or one of the tasks its county owns.</summary>
public sealed record UpdateTarget(string County, string Token, string Path, bool IsTask);

/// <summary>
/// The simulated counties: every county account signs in once, then updates go to its sub-events (a progress note) and
/// to its open tasks (percent complete with a note), spread round-robin over counties and entities. Writes are
/// unconditional (no If-Match), as a county's one-tap update is; the note carries the run's marker.
/// </summary>
public sealed class Counties
{
    public static readonly string[] Codes =
        ["lucheng", "ouhai", "longwan", "dongtou", "yueqing", "ruian", "yongjia", "wencheng", "pingyang", "taishun", "cangnan", "longgang"];

    public const string Password = "summit2020";

    private readonly HttpClient _http;
    private readonly IReadOnlyList<UpdateTarget> _targets;

    private Counties(HttpClient http, IReadOnlyList<UpdateTarget> targets)
    {
        _http = http;
        _targets = targets;
    }

    public int Targets => _targets.Count;
    public int SubEventTargets => _targets.Count(t => !t.IsTask);

    public static HttpClient CreateHttpClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<string> SignInAsync(HttpClient http, string username)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username, password = Password });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sign-in of {username} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return token!.AccessToken;
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken);

    /// <summary>Signs every county in and collects what it may update: its sub-events and up to <paramref name="tasksPerCounty"/> of its open tasks.</summary>
    public static async Task<Counties> PrepareAsync(HttpClient http, string summit, int tasksPerCounty)
    {
        var perCounty = await Task.WhenAll(Codes.Select(async county =>
        {
            var token = await SignInAsync(http, $"county-{county}");
            var targets = new List<UpdateTarget>();
            using (var request = Get($"/api/summits/{summit}/counties/{county}", token))
            using (var response = await http.SendAsync(request))
            {
                if (response.StatusCode == HttpStatusCode.NotFound) return targets; // a county without a venue in this plan
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                foreach (var e in doc.RootElement.GetProperty("subEvents").EnumerateArray())
                    targets.Add(new UpdateTarget(county, token, $"/api/summits/{summit}/counties/{county}/sub-events/{e.GetProperty("id").GetString()}", false));
            }
            if (tasksPerCounty > 0)
            {
                using var request = Get($"/api/summits/{summit}/tasks?unit=county:{county}&limit=1000", token);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                // Open tasks only: a Done task's percentage is fixed at 100.
                foreach (var t in doc.RootElement.GetProperty("items").EnumerateArray()
                             .Where(t => t.GetProperty("status").GetString() is "notStarted" or "inProgress" or "blocked")
                             .Take(tasksPerCounty))
                    targets.Add(new UpdateTarget(county, token, $"/api/summits/{summit}/tasks/{t.GetProperty("id").GetString()}", true));
            }
            return targets;
        }));

        // Interleave counties and entity kinds so consecutive updates hit different grains.
        var queues = perCounty.Where(l => l.Count > 0).Select(l => new Queue<UpdateTarget>(l.OrderBy(t => t.IsTask).ThenBy(t => t.Path)))
            .ToList();
        var order = new List<UpdateTarget>();
        while (queues.Count > 0)
        {
            foreach (var q in queues) order.Add(q.Dequeue());
            queues.RemoveAll(q => q.Count == 0);
        }
        if (order.Count == 0) throw new InvalidOperationException("The demo summit has no sub-events or open county tasks to update.");
        return new Counties(http, order);
    }

    private static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Sends update <paramref name="index"/> and records its outcome; never throws.</summary>
    public async Task SendAsync(Probe probe, int index, UpdateTally tally)
    {
        var target = _targets[index % _targets.Count];
        var note = probe.Note(index);
        // Percent moves so the change is real; never 100, which the rules tie to Done.
        var body = target.IsTask
            ? $"{{\"percentComplete\":{1 + index % 98},\"note\":\"{note}\"}}"
            : $"{{\"note\":\"{note}\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Patch, target.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
        string outcome;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            // Drain the body: the exchange is finished only once it is read.
            await response.Content.CopyToAsync(Stream.Null);
            outcome = response.IsSuccessStatusCode ? "ok" : ((int)response.StatusCode).ToString();
        }
        catch (TaskCanceledException)
        {
            outcome = "timeout";
        }
        catch (HttpRequestException ex)
        {
            outcome = ex.HttpRequestError.ToString();
        }
        tally.Record(probe, index, outcome, Stopwatch.GetTimestamp());
    }
}

/// <summary>Outcomes and response times of the updates of one run.</summary>
public sealed class UpdateTally(Probe probe)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly bool[] _accepted = new bool[probe.Count];
    public Latencies Latency { get; } = new(probe.Count);
    public int Completed;
    public int Ok;
    public int WarmupErrors;
    public long LastResponse;

    public void Record(Probe probe, int index, string outcome, long now)
    {
        Interlocked.Increment(ref Completed);
        Volatile.Write(ref LastResponse, now);
        var measured = probe.Measured(index);
        if (outcome == "ok")
        {
            _accepted[index] = true;
            if (!measured) return;
            Interlocked.Increment(ref Ok);
            Latency.Add(probe.Planned(index), now);
            return;
        }
        if (!measured)
        {
            Interlocked.Increment(ref WarmupErrors);
            return;
        }
        lock (_gate) _errors[outcome] = _errors.GetValueOrDefault(outcome) + 1;
    }

    public bool Accepted(int index) => _accepted[index];

    public IReadOnlyDictionary<string, int> Errors
    {
        get { lock (_gate) return new Dictionary<string, int>(_errors); }
    }
}
