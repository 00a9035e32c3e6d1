using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// Clients writing task progress through several Gateways, the way a county office's app would: each writer loop sends
/// one PATCH at a time (status, percent and a note carrying a unique marker) with its own <c>Idempotency-Key</c>; when an
/// attempt fails (non-2xx, a timeout, a connection error) it retries the same request with the same key on the next
/// Gateway until one answers 2xx. Every attempt and every acknowledgement is recorded for <see cref="ChangeChecker"/>
/// and for the recovery figures of <see cref="RecoveryAfter"/>.
/// </summary>
/// <remarks>
/// Each task belongs to exactly one loop, so a loop knows what it last asked a task to be. Besides the faults a test
/// injects, the load loses some answers itself: the first attempt of every <see cref="DropAnswerEvery"/>th change gives
/// up after a few milliseconds, as a client whose connection dropped would, so the change may or may not be applied and
/// its retry on the other Gateway must neither apply it twice nor lose it. Those attempts are <see cref="Attempt.Injected"/>
/// and do not count as failures in the recovery figures.
/// </remarks>
public sealed class WriteLoad : IAsyncDisposable
{
    public const string Summit = "wyss-2020";

    /// <summary>Longer than any answer the README promises (a grain call gives up after about 15 s).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A change not acknowledged within this time is given up (and reported as such).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(120);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>One change in this many has its first answer dropped by the client.</summary>
    public const int DropAnswerEvery = 8;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient[] _gateways;
    private readonly Writer[] _writers;
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentQueue<Change> _abandoned = new();
    private readonly List<Change> _sent = [];
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];

    private WriteLoad(string run, HttpClient[] gateways, Writer[] writers)
    {
        Run = run;
        _gateways = gateways;
        _writers = writers;
    }

    /// <summary>Prefix of every marker this load writes into notes.</summary>
    public string Run { get; }

    /// <summary>Time since the load was created: the clock of every recorded attempt, and of the faults a test notes.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Writer> Writers => _writers;

    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    public IReadOnlyCollection<Ack> Acks => _acks;

    public IReadOnlyCollection<Change> Abandoned => _abandoned;

    public IReadOnlyCollection<Change> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    /// <summary>Every task a loop writes.</summary>
    public IReadOnlyList<string> Tasks => [.. _writers.SelectMany(w => w.Tasks)];

    /// <summary>
    /// Picks the writers: two secretariat loops on tasks no county loop writes and a loop for each of up to
    /// <paramref name="counties"/> counties on its own open tasks, signs them in, and starts them.
    /// </summary>
    public static async Task<WriteLoad> StartAsync(IReadOnlyList<Uri> gateways, string run, int counties = 4, int tasksPerLoop = 4)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) };
        var clients = gateways.Select(g => new HttpClient(handler, disposeHandler: false) { BaseAddress = g, Timeout = Timeout.InfiniteTimeSpan }).ToArray();

        using var secretariat = new HttpClient { BaseAddress = gateways[0] };
        var token = await TokenAsync(secretariat, "secretariat");
        secretariat.DefaultRequestHeaders.Authorization = token;
        var list = await secretariat.GetFromJsonAsync<JsonElement>($"/api/summits/{Summit}/tasks?limit=500");
        // Any of these may move to inProgress; done and cancelled tasks may not without other steps.
        var open = list.GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("status").GetString() is "notStarted" or "inProgress" or "blocked")
            .Select(t => (Id: t.GetProperty("id").GetString()!, Kind: t.GetProperty("owner").GetProperty("kind").GetString()!,
                Code: t.GetProperty("owner").GetProperty("code").GetString()!, Percent: t.GetProperty("percentComplete").GetInt32()))
            .ToList();

        var writers = new List<Writer>();
        foreach (var county in open.Where(t => t.Kind == "county").GroupBy(t => t.Code).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(counties))
            writers.Add(new Writer(writers.Count, $"county-{county.Key}", [.. county.Take(tasksPerLoop).Select(t => t.Id)]));
        var taken = writers.SelectMany(w => w.Tasks).ToHashSet();
        var rest = open.Where(t => !taken.Contains(t.Id)).Take(2 * tasksPerLoop).Select(t => t.Id).ToArray();
        writers.Add(new Writer(writers.Count, "secretariat", rest[..(rest.Length / 2)]));
        writers.Add(new Writer(writers.Count, "secretariat", rest[(rest.Length / 2)..]));
        var percents = open.ToDictionary(t => t.Id, t => t.Percent);

        var load = new WriteLoad(run, clients, [.. writers.Where(w => w.Tasks.Count > 0)]);
        var tokens = new Dictionary<string, AuthenticationHeaderValue> { ["secretariat"] = token };
        foreach (var account in load._writers.Select(w => w.Account).Distinct().Where(a => !tokens.ContainsKey(a)))
            tokens[account] = await TokenAsync(secretariat, account);
        load._loops = [.. load._writers.Select(w => Task.Run(() => load.LoopAsync(w, tokens[w.Account], percents)))];
        return load;
    }

    private static async Task<AuthenticationHeaderValue> TokenAsync(HttpClient http, string account)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = account, password = SignIn.DemoPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
    }

    /// <summary>Waits until <paramref name="count"/> more changes are acknowledged.</summary>
    public async Task WaitForAcksAsync(int count, TimeSpan timeout)
    {
        var target = _acks.Count + count;
        var deadline = Now + timeout;
        while (_acks.Count < target)
        {
            if (Now > deadline) throw new TimeoutException($"Only {_acks.Count} of {target} changes acknowledged within {timeout.TotalSeconds:0} s.\n{Summary()}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until every loop has had a change acknowledged that it started after <paramref name="since"/> and after
    /// its own last failed attempt: writes are served again everywhere. Returns false on timeout.
    /// </summary>
    public async Task<bool> WaitRecoveredAsync(TimeSpan since, TimeSpan timeout)
    {
        var deadline = Now + timeout;
        while (Now < deadline)
        {
            if (IsRecovered(since)) return true;
            await Task.Delay(100);
        }
        return IsRecovered(since);
    }

    private bool IsRecovered(TimeSpan since)
    {
        var attempts = _attempts.ToArray();
        var acks = _acks.ToArray();
        return _writers.All(w =>
        {
            var lastFailure = attempts.Where(a => a.Loop == w.Loop && a.Failed).Select(a => a.Start).DefaultIfEmpty(TimeSpan.Zero).Max();
            var after = lastFailure > since ? lastFailure : since;
            return acks.Any(a => a.Change.Loop == w.Loop && a.LastAttemptStart > after);
        });
    }

    /// <summary>Stops the loops once each has finished (or given up) the change it is on.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    private async Task LoopAsync(Writer writer, AuthenticationHeaderValue token, IReadOnlyDictionary<string, int> percents)
    {
        var counters = writer.Tasks.ToDictionary(t => t, t => percents.GetValueOrDefault(t));
        var gateway = writer.Loop % _gateways.Length;
        for (var seq = 0; !_stop.IsCancellationRequested; seq++)
        {
            var task = writer.Tasks[seq % writer.Tasks.Count];
            // Each change moves the percent, so each audit row names the percent it set; notes are unique markers.
            var percent = counters[task] = (counters[task] + 1) % 100;
            // Loops drop answers at different moments, so a fault never finds all of them on a dropped one.
            var change = new Change($"{Run}-{writer.Loop}-{seq}", Guid.NewGuid().ToString("N"), writer.Loop, writer.Account, task, percent);
            lock (_sent) _sent.Add(change);
            gateway = await SendUntilAcknowledgedAsync(change, token, gateway, dropFirstAnswer: (seq + writer.Loop) % DropAnswerEvery == DropAnswerEvery - 1);
            try
            {
                await Task.Delay(Pace, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <returns>The Gateway that answered, which the loop keeps using.</returns>
    private async Task<int> SendUntilAcknowledgedAsync(Change change, AuthenticationHeaderValue token, int gateway, bool dropFirstAnswer)
    {
        var first = Now;
        for (var attempt = 1; ; attempt++)
        {
            var start = Now;
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/summits/{Summit}/tasks/{change.Task}")
            {
                Content = JsonContent.Create(new { status = "inProgress", percentComplete = change.Percent, note = change.Marker }),
            };
            request.Headers.Authorization = token;
            request.Headers.Add("Idempotency-Key", change.Key);
            // A dropped answer: the request reaches the Gateway, which may or may not apply it before it sees the client gone.
            var injected = dropFirstAnswer && attempt == 1;
            using var timeout = new CancellationTokenSource(injected ? TimeSpan.FromMilliseconds(Random.Shared.Next(2, 60)) : AttemptTimeout);
            int? status = null;
            string? error = null, body = null;
            var retryAfter = false;
            int? version = null;
            var replayed = false;
            try
            {
                using var response = await _gateways[gateway].SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter is not null;
                body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    version = VersionOf(response, body);
                    replayed = response.Headers.Contains("Idempotent-Replayed");
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                error = injected ? "answer dropped (injected)" : "timeout";
            }
            catch (HttpRequestException e)
            {
                error = $"connection: {e.HttpRequestError}";
            }
            var end = Now;
            var succeeded = version is not null;
            _attempts.Enqueue(new Attempt(change.Loop, gateway, start, end - start, status, retryAfter, error,
                succeeded ? null : body?[..Math.Min(body.Length, 300)], succeeded, injected && !succeeded));
            if (succeeded)
            {
                _acks.Enqueue(new Ack(change, version!.Value, first, start, end, replayed, attempt));
                return gateway;
            }
            if (end - first > GiveUpAfter)
            {
                _abandoned.Enqueue(change);
                return gateway;
            }
            gateway = (gateway + 1) % _gateways.Length;
            await Task.Delay(RetryDelay);
        }
    }

    private static int? VersionOf(HttpResponseMessage response, string body)
    {
        if (response.Headers.ETag is { } etag && int.TryParse(etag.Tag.Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tagged))
            return tagged;
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>The recovery figures of a fault at <paramref name="faultAt"/>, judged from the attempts until <paramref name="until"/>.</summary>
    public Recovery RecoveryAfter(string fault, TimeSpan faultAt, TimeSpan? until = null)
    {
        var end = until ?? TimeSpan.MaxValue;
        var attempts = _attempts.Where(a => a.End >= faultAt && a.Start < end && !a.Injected).ToArray();
        var acks = _acks.Where(a => a.At >= faultAt && a.FirstAttempt < end).ToArray();
        TimeSpan? servedAgain = TimeSpan.Zero;
        foreach (var writer in _writers)
        {
            var loop = attempts.Where(a => a.Loop == writer.Loop).OrderBy(a => a.Start).ToArray();
            var firstFailure = Array.FindIndex(loop, a => a.Failed);
            if (firstFailure < 0) continue;
            var next = loop.Skip(firstFailure).FirstOrDefault(a => a.Succeeded);
            if (next is null)
            {
                servedAgain = null;
                break;
            }
            if (next.End - faultAt > servedAgain) servedAgain = next.End - faultAt;
        }
        var failures = attempts.Where(a => a.Failed).ToArray();
        return new Recovery(
            fault,
            faultAt,
            servedAgain,
            failures.Length == 0 ? null : failures.Max(a => a.End) - faultAt,
            attempts.Length == 0 ? TimeSpan.Zero : attempts.Max(a => a.Duration),
            acks.Length == 0 ? TimeSpan.Zero : acks.Max(a => a.At - a.FirstAttempt),
            attempts.Length,
            failures.Length,
            Describe(failures));
    }

    /// <summary>Counts of every kind of failed attempt: status codes and client-side errors.</summary>
    public static string Describe(IEnumerable<Attempt> failures)
    {
        var kinds = failures.GroupBy(a => a.Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : a.Error ?? "?")
            .OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}").ToArray();
        return kinds.Length == 0 ? "none" : string.Join(", ", kinds);
    }

    public string Summary()
    {
        var attempts = _attempts.ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{_writers.Length} loops, {Tasks.Count} tasks; {Sent.Count} changes sent, {_acks.Count} acknowledged ({_acks.Count(a => a.Replayed)} as replays), " +
            $"{_abandoned.Count} given up; {attempts.Length} attempts over {Now.TotalSeconds:0.0} s " +
            $"({(Now.TotalSeconds > 0 ? _acks.Count / Now.TotalSeconds : 0):0.0} acknowledged/s); answers dropped by the client: {attempts.Count(a => a.Injected)}; " +
            $"failed attempts: {Describe(attempts.Where(a => a.Failed))}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        foreach (var client in _gateways) client.Dispose();
        _stop.Dispose();
    }

    public sealed record Writer(int Loop, string Account, IReadOnlyList<string> Tasks);

    /// <summary>One logical change: the request a loop sends (and resends) until it is acknowledged.</summary>
    public sealed record Change(string Marker, string Key, int Loop, string Account, string Task, int Percent);

    /// <summary>One HTTP attempt of a change. Times are on <see cref="Now"/>'s clock.</summary>
    /// <param name="Injected">The client dropped this attempt's answer on purpose (not a fault of the cluster).</param>
    public sealed record Attempt(int Loop, int Gateway, TimeSpan Start, TimeSpan Duration, int? Status, bool RetryAfter, string? Error, string? Body, bool Succeeded, bool Injected)
    {
        public TimeSpan End => Start + Duration;

        /// <summary>Failed for a reason of the cluster's.</summary>
        public bool Failed => !Succeeded && !Injected;
    }

    /// <summary>A 2xx answer to a change: the version it reported, when the change was first tried and when it was answered.</summary>
    public sealed record Ack(Change Change, int Version, TimeSpan FirstAttempt, TimeSpan LastAttemptStart, TimeSpan At, bool Replayed, int Attempts);

    /// <param name="ServedAgain">From the fault to the moment every loop that saw a failure had a 2xx again (zero if none failed; null if one never did).</param>
    /// <param name="ErrorsUntil">From the fault to the end of the last failed attempt (null: none failed).</param>
    /// <param name="LongestAttempt">The longest single HTTP attempt.</param>
    /// <param name="LongestChange">The longest time from a change's first attempt to its acknowledgement, retries included.</param>
    public sealed record Recovery(
        string Fault, TimeSpan FaultAt, TimeSpan? ServedAgain, TimeSpan? ErrorsUntil, TimeSpan LongestAttempt, TimeSpan LongestChange,
        int Attempts, int Failures, string FailureKinds)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Fault}: writes served again after {Seconds(ServedAgain)}, last failure at +{Seconds(ErrorsUntil)}, " +
            $"longest request {LongestAttempt.TotalSeconds:0.00} s, longest change (with retries) {LongestChange.TotalSeconds:0.00} s; " +
            $"{Failures} of {Attempts} attempts failed ({FailureKinds})");

        private static string Seconds(TimeSpan? value) => value is { } v ? $"{v.TotalSeconds:0.00} s" : "never";
    }
}
