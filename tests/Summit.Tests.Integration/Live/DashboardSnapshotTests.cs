using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Progress;
using Summit.Scheduling;
using Summit.Tests.Api;

namespace Summit.Tests.Live;

/// <summary><c>GET /api/summits/{summit}/dashboard</c>: content, scoping, and incremental updates.</summary>
[Collection(LiveCollection.Name)]
public sealed class DashboardSnapshotTests(LiveGatewayFixture fixture)
{
    private const string Summit = GatewayFactory.Summit;
    private static string Path => $"/api/summits/{Summit}/dashboard";

    private IGrainFactory Grains => fixture.Factory.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task The_leaders_snapshot_has_everything_the_big_screen_needs()
    {
        var leader = await fixture.As("leader");
        await Grains.GetGrain<IDashboardGrain>(Summit).RefreshReadiness();
        var response = await leader.GetAsync(Path).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.ReadJsonAsync();

        Assert.True(body["seq"]!.GetValue<long>() > 0);
        Assert.True(body["revision"]!.GetValue<long>() > 0);
        Assert.Equal("summit", body["scope"]!["kind"]!.ToString());
        var edition = body["edition"]!;
        Assert.Equal("Asia/Shanghai", edition["timeZone"]!.ToString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", edition["openingDate"]!.ToString());
        Assert.EndsWith("Z", edition["opening"]!.ToString());
        Assert.InRange(body["overall"]!["score"]!.GetValue<int>(), 0, 100);
        Assert.NotNull(body["readinessAsOf"]);

        var counties = body["counties"]!.AsArray();
        Assert.Equal(12, counties.Count);
        Assert.All(counties, c =>
        {
            Assert.NotNull(c!["readiness"]);
            Assert.NotNull(c["overdueTasks"]);
            Assert.NotNull(c["subEvents"]);
        });
        Assert.NotEmpty(body["subForums"]!.AsArray());
        Assert.All(body["subForums"]!.AsArray(), f => Assert.NotNull(f!["status"]));

        var targets = body["funnel"]!["targets"]!.AsArray().ToDictionary(t => t!["key"]!.ToString(), t => t!.AsObject());
        Assert.Equal(10, targets["innovationAlliances"]["target"]!.GetValue<int>());
        // Counted from the records: the demo's alliances signed and finalists confirmed (DemoOutcomes).
        Assert.True(targets["innovationAlliances"]["tracked"]!.GetValue<bool>());
        Assert.InRange(targets["innovationAlliances"]["actual"]!.GetValue<int>(), 7, 9);
        Assert.True(targets["startupFinalists"]["tracked"]!.GetValue<bool>());
        Assert.InRange(targets["startupFinalists"]["actual"]!.GetValue<int>(), 60, 74);
        Assert.Equal(100, targets["cooperationProjects"]["target"]!.GetValue<int>());
        Assert.Equal(1000, targets["enterprises"]["target"]!.GetValue<int>());
        Assert.Equal(75, targets["startupFinalists"]["target"]!.GetValue<int>());
        Assert.Equal(Enum.GetValues<ProjectStage>().Length, body["funnel"]!["stages"]!.AsArray().Count);

        var tasks = body["tasks"]!;
        Assert.True(tasks["total"]!.GetValue<int>() >= 60);
        Assert.Equal(tasks["overdue"]!.GetValue<int>(), body["overdue"]!["total"]!.GetValue<int>());
        Assert.True(body["overdue"]!["items"]!.AsArray().Count <= DashboardLimits.TaskListItems);
        AssertOrdered(body["overdue"]!["items"]!.AsArray());
        AssertOrdered(body["dueThisWeek"]!["items"]!.AsArray());
        Assert.True(body["activity"]!.AsArray().Count <= DashboardLimits.ActivityItems);
    }

    [Fact]
    public async Task The_projection_agrees_with_the_scheduling_rules()
    {
        // The projection hears of changes one-way after the grains commit them: a change an earlier test made may still
        // be on its way, and then the two sides agree a moment later, which is what the dashboard promises.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                await CompareProjectionWithRulesAsync();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task CompareProjectionWithRulesAsync()
    {
        var clock = fixture.Factory.Services.GetRequiredService<IClock>();
        var projection = Grains.GetGrain<IDashboardGrain>(Summit);
        await projection.RefreshReadiness();
        var snapshot = await projection.GetSnapshot(DashboardScope.Summit);

        var edition = (await Grains.GetGrain<ISummitGrain>(Summit).Get())!;
        var tasks = await ReadAsync<IPreparationTaskGrain, PreparationTask>(EntityKind.Task, g => g.Get());
        var signals = new ScheduleSignals(DueStates.For(edition), snapshot.ReadinessAsOf!.Value);
        var overdue = tasks.Count(signals.IsOverdue);
        // The scores take their negative slack from the deadline engine, as GET /readiness does.
        var report = await Grains.GetGrain<IDeadlinesGrain>(Summit).GetReadiness();

        Assert.Equal(tasks.Count, snapshot.Tasks.Total);
        Assert.Equal(overdue, snapshot.Tasks.Overdue);
        Assert.Equal(report.Overall.Score, snapshot.Overall!.Score);
        Assert.Equal(report.Overall.Reasons, snapshot.Overall.Reasons);
        Assert.NotNull(snapshot.Schedule);
        foreach (var row in snapshot.Counties)
        {
            var own = tasks.Where(t => t.Owner == OwningUnit.County(row.County)).ToArray();
            Assert.Equal(own.Count(signals.IsOverdue), row.OverdueTasks);
            Assert.Equal(report.Counties.Single(c => c.Key == row.County).Score, row.Readiness!.Score);
        }
        foreach (var row in snapshot.SubForums.Where(f => f.Readiness is not null))
            Assert.Equal(report.SubForums.Single(f => f.Key == row.Id).Score, row.Readiness!.Score);
        Assert.True(clock.GetCurrentInstant() >= snapshot.ReadinessAsOf.Value);
    }

    [Fact]
    public async Task Counties_and_universities_get_their_own_view_and_nothing_else()
    {
        var county = await (await fixture.As("county-pingyang")).GetAsync(Path).ShouldBe(HttpStatusCode.OK);
        var body = await county.ReadJsonAsync();
        Assert.Equal("county", body["scope"]!["kind"]!.ToString());
        Assert.Equal("pingyang", Assert.Single(body["counties"]!.AsArray())!["county"]!.ToString());
        Assert.Empty(body["subForums"]!.AsArray());
        Assert.All(body["overdue"]!["items"]!.AsArray().Concat(body["dueThisWeek"]!["items"]!.AsArray()),
            t => Assert.Equal("pingyang", t!["owner"]!["code"]!.ToString()));
        Assert.All(body["activity"]!.AsArray(), e => Assert.True(
            e!["kind"]!.ToString() == "summit" || e["scope"]!["county"]?.ToString() == "pingyang" || e["scope"]!["owner"]?["code"]?.ToString() == "pingyang"));

        await (await fixture.As("county-pingyang")).GetAsync($"{Path}?county=ruian").ShouldBe(HttpStatusCode.NotFound);
        await (await fixture.As("county-pingyang")).GetAsync($"{Path}?university=wmu").ShouldBe(HttpStatusCode.NotFound);
        await (await fixture.As("admin")).GetAsync(Path).ShouldBe(HttpStatusCode.NotFound);
        await (await fixture.As("leader")).GetAsync("/api/summits/no-such-summit/dashboard").ShouldBe(HttpStatusCode.NotFound);
        using (var anonymous = fixture.Factory.CreateClient())
            await anonymous.GetAsync(Path).ShouldBe(HttpStatusCode.Unauthorized);

        var university = await (await (await fixture.As("university-wmu")).GetAsync(Path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Empty(university["counties"]!.AsArray());
        Assert.All(university["subForums"]!.AsArray(), f => Assert.Equal("wmu", f!["hostUniversity"]!.ToString()));

        var watched = await (await (await fixture.As("secretariat")).GetAsync($"{Path}?county=ruian").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal("ruian", Assert.Single(watched["counties"]!.AsArray())!["county"]!.ToString());
    }

    [Fact]
    public async Task The_snapshot_follows_an_update()
    {
        var leader = await fixture.As("leader");
        var county = await fixture.As("county-pingyang");
        var subEvent = await LiveChanges.AddSubEventAsync(county, "pingyang");
        var before = await WaitForAsync(leader, s => Row(s)["subEvents"]!.AsArray().Any(e => e!["id"]!.ToString() == subEvent));
        var doneBefore = Row(before)["checklistDone"]!.GetValue<int>();
        var seqBefore = before["seq"]!.GetValue<long>();

        await LiveChanges.SetChecklistAsync(county, "pingyang", subEvent, "venue", "done", "snapshot test");

        var after = await WaitForAsync(leader, s => s["seq"]!.GetValue<long>() > seqBefore
            && s["activity"]!.AsArray().Any(e => e!["note"]?.ToString() == "snapshot test"));
        Assert.Equal(doneBefore + 1, Row(after)["checklistDone"]!.GetValue<int>());
        Assert.True(after["revision"]!.GetValue<long>() > before["revision"]!.GetValue<long>());
        var newest = after["activity"]!.AsArray()[0]!;
        Assert.Equal($"pingyang/{subEvent}", newest["id"]!.ToString());
        Assert.Null(newest["entity"]);

        // The patch since the earlier revision holds the changed county and not the others.
        var patch = await Grains.GetGrain<IDashboardGrain>(Summit).GetPatch(DashboardScope.Summit, before["revision"]!.GetValue<long>());
        Assert.NotNull(patch);
        Assert.Contains(patch.Counties!, c => c.County == "pingyang");
        Assert.DoesNotContain(patch.Counties!, c => c.County == "taishun");
    }

    private static JsonObject Row(JsonObject snapshot) =>
        snapshot["counties"]!.AsArray().Single(c => c!["county"]!.ToString() == "pingyang")!.AsObject();

    private static async Task<JsonObject> WaitForAsync(HttpClient http, Func<JsonObject, bool> ready)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var snapshot = await (await http.GetAsync(Path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
            if (ready(snapshot)) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The snapshot did not change in time.");
            await Task.Delay(20);
        }
    }

    private static void AssertOrdered(JsonArray items)
    {
        var due = items.Select(i => InstantOf(i!["dueAt"]!.ToString())).ToArray();
        Assert.Equal(due.Order(), due);
    }

    private static Instant InstantOf(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).Value;

    private async Task<List<TEntity>> ReadAsync<TGrain, TEntity>(EntityKind kind, Func<TGrain, Task<TEntity?>> get)
        where TGrain : IGrainWithStringKey where TEntity : class
    {
        var ids = await Catalog.ListAsync(Grains, Summit, kind);
        var all = await Task.WhenAll(ids.Select(id => get(Grains.GetGrain<TGrain>(GrainKeys.Of(Summit, id)))));
        return [.. all.OfType<TEntity>()];
    }
}
