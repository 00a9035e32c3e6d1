using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Grains;
using Summit.Journal;
using Summit.Storage;
using Xunit.Abstractions;

namespace Summit.Tests.Api;

/// <summary>
/// The acknowledgement path of a write through the real Gateway: one PATCH of a task is one grain call (the task's, which
/// keeps its summit's facts and judges access, If-Match and the rules itself) and one commit; a commit the store refuses
/// for another writer's change is retried once inside the grain, and answered 409 (retry) rather than 412 when it races again.
/// </summary>
public sealed class WritePathTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CallCounter _calls = new();
    private readonly RacingStore.Control _race = new();
    private GatewayFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory(services: services =>
        {
            services.AddSingleton<IIncomingGrainCallFilter>(_calls);
            // A store that can report "another writer was first" for chosen commits, as two racing activations would.
            services.AddSingleton<IEntityStore>(sp => new RacingStore(sp.GetRequiredService<PostgresEntityStore>(), _race));
            services.AddSingleton<IIdempotencyLedger>(sp => sp.GetRequiredService<PostgresEntityStore>());
            services.AddSingleton<IEntityQueries>(sp => sp.GetRequiredService<PostgresEntityStore>());
            services.AddSingleton<IChangeStream>(sp => sp.GetRequiredService<PostgresEntityStore>());
        });
        await _factory.StartAsync();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private const string Summit = GatewayFactory.Summit;

    private async Task<(HttpClient Http, string Id, string ETag)> NewTaskAsync()
    {
        var secretariat = await _factory.SignedInAsync("secretariat");
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var created = await secretariat.PostAsync($"/api/summits/{Summit}/tasks", new
        {
            id, title = "调用次数测试", category = "publicity", owner = new { kind = "county", code = "pingyang" }, dueDate = "2020-07-15",
        }).ShouldBe(HttpStatusCode.Created);
        return (secretariat, id, created.ETag()!);
    }

    [Fact]
    public async Task A_task_patch_is_one_grain_call()
    {
        var county = await _factory.SignedInAsync("county-pingyang");
        var (_, id, etag) = await NewTaskAsync();
        // Warm: the task's activation reads its summit's facts once, from the store.
        await county.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 10 }, etag).ShouldBe(HttpStatusCode.OK);

        var key = GrainKeys.Of(Summit, id);
        for (var round = 0; round < 3; round++)
        {
            _calls.Start(key, Summit);
            var response = await county.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 20 + round, note = "进展" });
            var calls = _calls.Stop();
            await Task.FromResult(response).ShouldBe(HttpStatusCode.OK);
            output.WriteLine($"PATCH {round}: {string.Join(", ", calls)}");
            // The one-way nudge of the change stream is not waited for and may land after the answer; everything else counts.
            var answered = calls.Where(c => !c.StartsWith("IChangeStreamGrain.", StringComparison.Ordinal)).ToArray();
            Assert.Equal(["IPreparationTaskGrain.Patch"], answered);
        }
    }

    [Fact]
    public async Task A_sub_event_patch_is_one_grain_call_too()
    {
        var county = await _factory.SignedInAsync("county-pingyang");
        var id = $"e-{Guid.NewGuid():N}"[..12];
        var path = $"/api/summits/{Summit}/counties/pingyang/sub-events";
        await county.PostAsync(path, new { id, title = "调用次数测试", date = "2020-09-20" }).ShouldBe(HttpStatusCode.Created);

        var key = GrainKeys.Of(Summit, "pingyang");
        _calls.Start(key, Summit);
        var response = await county.PatchAsync($"{path}/{id}", new { status = "preparing", note = "进展" });
        var calls = _calls.Stop();
        await Task.FromResult(response).ShouldBe(HttpStatusCode.OK);
        output.WriteLine($"PATCH: {string.Join(", ", calls)}");
        Assert.Equal(["ICountyVenueGrain.PatchSubEvent"], calls.Where(c => !c.StartsWith("IChangeStreamGrain.", StringComparison.Ordinal)));
        // Another county's sub-event is answered as missing by the same one call.
        var other = await _factory.SignedInAsync("county-ruian");
        await other.PatchAsync($"{path}/{id}", new { status = "ready" }).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_missing_summit_still_answers_404()
    {
        var county = await _factory.SignedInAsync("county-pingyang");
        var response = await county.PatchAsync("/api/summits/no-such-summit/tasks/t-1", new { percentComplete = 10 }).ShouldBe(HttpStatusCode.NotFound);
        Assert.Contains("summit", (await response.ReadJsonAsync())["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_lost_race_is_retried_once_inside_the_grain()
    {
        var (secretariat, id, etag) = await NewTaskAsync();
        _race.Refuse(id, times: 1);
        var response = await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 30 }, etag).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(0, _race.Pending(id));
    }

    [Fact]
    public async Task A_race_lost_twice_is_409_in_chinese_and_changes_nothing()
    {
        var (secretariat, id, etag) = await NewTaskAsync();
        _race.Refuse(id, times: 2);
        var response = await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 40 }, etag).ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.ReadJsonAsync();
        output.WriteLine(problem.ToJsonString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("其他人修改", problem["detail"]!.GetValue<string>());
        Assert.True(problem["retryable"]!.GetValue<bool>());
        Assert.NotNull(response.Headers.RetryAfter);

        // Nothing was written: the same request (same If-Match) now succeeds as version 2.
        var again = await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 40 }, etag).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", again.ETag());
    }

    [Fact]
    public async Task A_stale_if_match_is_still_412()
    {
        var (secretariat, id, etag) = await NewTaskAsync();
        await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 10 }, etag).ShouldBe(HttpStatusCode.OK);
        await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 20 }, etag).ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task The_task_sees_a_summit_change_made_after_it_cached_the_facts()
    {
        var (secretariat, id, etag) = await NewTaskAsync();
        // The task now keeps the summit's facts; the closing date moves later.
        var summit = await secretariat.GetAsync($"/api/summits/{Summit}");
        var body = await summit.ReadJsonAsync();
        var closing = NodaTime.LocalDate.FromDateTime(DateTime.Parse(body["closingDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var later = closing.PlusDays(20);
        await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { dueDate = later.ToString("yyyy-MM-dd", null) }, etag)
            .ShouldBe(HttpStatusCode.BadRequest);
        body["closingDate"] = later.PlusDays(5).ToString("yyyy-MM-dd", null);
        // The PUT takes the definition only.
        var definition = new System.Text.Json.Nodes.JsonObject();
        foreach (var field in new[] { "name", "city", "openingDate", "closingDate", "timeZone", "mode", "targets", "preparationStart" })
            definition[field] = body[field]?.DeepClone();
        await secretariat.SendAsync(HttpMethod.Put, $"/api/summits/{Summit}", Api.Json(definition.ToJsonString()), summit.ETag()).ShouldBe(HttpStatusCode.OK);
        await secretariat.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { dueDate = later.ToString("yyyy-MM-dd", null) }, etag)
            .ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Records the grain calls that touch one task or its summit grain while started.</summary>
    private sealed class CallCounter : IIncomingGrainCallFilter
    {
        private volatile string? _task;
        private string? _summit;
        private ConcurrentQueue<string> _seen = new();

        public void Start(string taskKey, string summit)
        {
            _seen = new ConcurrentQueue<string>();
            _summit = summit;
            _task = taskKey;
        }

        public IReadOnlyList<string> Stop()
        {
            _task = null;
            return _seen.ToArray();
        }

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (_task is { } task)
            {
                var target = context.TargetId.Key.ToString();
                var source = context.SourceId?.Key.ToString();
                var fromOutside = context.SourceId is null || context.SourceId.Value.IsClient();
                // Calls to the task, calls the task makes, and reads of its summit grain made for the request.
                if (target == task || source == task || (target == _summit && fromOutside && context.InterfaceName.Contains("ISummitGrain", StringComparison.Ordinal)))
                    _seen.Enqueue($"{Short(context.InterfaceName)}.{context.MethodName}");
            }
            return context.Invoke();
        }

        private static string Short(string name) => name[(name.LastIndexOf('.') + 1)..];
    }

    /// <summary>Answers RevisionConflict, writing nothing, for the next commits of the chosen tasks.</summary>
    private sealed class RacingStore(PostgresEntityStore inner, RacingStore.Control control) : IEntityStore
    {
        public sealed class Control
        {
            private readonly ConcurrentDictionary<string, int> _refusals = new();

            public void Refuse(string id, int times) => _refusals[id] = times;

            public int Pending(string id) => _refusals.GetValueOrDefault(id);

            public bool TakeRefusal(string id)
            {
                while (_refusals.TryGetValue(id, out var left) && left > 0)
                    if (_refusals.TryUpdate(id, left - 1, left)) return true;
                return false;
            }
        }

        public Task<StoredEntity?> LoadAsync(EntityKey key, CancellationToken cancellationToken = default) => inner.LoadAsync(key, cancellationToken);

        public Task<CommitOutcome> CommitAsync(EntityCommit commit, CancellationToken cancellationToken = default) =>
            commit.Key.Kind == EntityKind.Task && control.TakeRefusal(commit.Key.Id)
                ? Task.FromResult(CommitOutcome.RevisionConflict)
                : inner.CommitAsync(commit, cancellationToken);

        public Task<(IReadOnlyList<HistoryEntry> Items, int Total)> HistoryAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default) =>
            inner.HistoryAsync(key, offset, limit, cancellationToken);
    }
}
