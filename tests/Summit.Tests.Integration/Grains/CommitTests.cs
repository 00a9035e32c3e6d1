using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Summit.Tests.Infrastructure;
using NodaTime;
using Orleans.TestingHost;
using Summit.Hosting;
using Summit.Data;
using NodaTime.Testing;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using System.Text.Json;
using Summit.Data.Audit;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Tests.Grains;

/// <summary>
/// The commit pattern, tested on a grain with an entity store that can stall or fail a commit: reads answer only
/// committed data, and a failed write leaves the grain exactly as it was.
/// </summary>
public class CommitTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly Actor Actor = new("secretariat", Role.Secretariat);

    private static ControlledStore Store = null!;
    private static string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.Shared.CreateMigratedDatabaseAsync("commit");
        Store = new ControlledStore(new PostgresEntityStore(SummitDataSource.Create(_connectionString), NullLogger<PostgresEntityStore>.Instance));
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private TestCluster _cluster = null!;

    private async Task<(IPartnerUniversityGrain Grain, ControlledStore Store)> ActivateAsync()
    {
        var summit = $"commit-{Guid.NewGuid():N}"[..16];
        // A change is judged on its summit's facts, so the summit exists.
        await _cluster.GrainFactory.GetGrain<ISummitGrain>(summit).Create(ClusterFixture.Draft(), Actor);
        var university = UniversityRules.Create(summit, "wmu", new UniversityDraft("Wenzhou Medical University", "Science office"), Actor, Now).Entity;
        var key = new EntityKey(summit, EntityKind.University, "wmu");
        await Store.CommitAsync(new EntityCommit(key, 0, 1, JsonSerializer.Serialize(university, SummitJson.Options),
            new ChangeRecord(summit, EntityKind.University, "wmu", 1, Now, Actor.Account, Actor.Role, null, [], null), null));
        Store.Writes = 0;
        return (_cluster.GrainFactory.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, "wmu")), Store);
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<IEntityStore>(Store);
            silo.Services.AddSingleton<IClock>(new FakeClock(Now + Duration.FromHours(1)));
            silo.Services.AddSingleton(SummitDataSource.Create(_connectionString));
            silo.Services.AddSingleton<IChangeJournal>(sp => new PostgresChangeJournal(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
            silo.AddSummitStorage(_connectionString);
        }
    }

    [Fact]
    public async Task Reads_during_a_write_answer_the_last_persisted_state()
    {
        var (grain, store) = await ActivateAsync();
        store.Stall = new TaskCompletionSource();

        var change = grain.Change(new UniversityChange(Engagement: EngagementStatus.Committed), Actor);
        Assert.False(change.IsCompleted);
        Assert.Equal((1, EngagementStatus.Contacted), ((await grain.Get())!.Version, (await grain.Get())!.Engagement));
        Assert.Single(await grain.GetHistory());

        store.Stall.SetResult();
        store.Stall = null;
        Assert.Equal(2, (await change).Version);
        Assert.Equal((2, EngagementStatus.Committed), ((await grain.Get())!.Version, (await grain.Get())!.Engagement));
        Assert.Equal(2, (await grain.GetHistory()).Count);
    }

    [Fact]
    public async Task A_failed_write_restores_the_previous_state()
    {
        var (grain, store) = await ActivateAsync();
        store.FailNext = true;

        await Assert.ThrowsAnyAsync<Exception>(() => grain.Change(new UniversityChange(Name: "WMU"), Actor));

        Assert.Equal(("Wenzhou Medical University", 1), ((await grain.Get())!.Name, (await grain.Get())!.Version));
        Assert.Single(await grain.GetHistory());

        // The next accepted change is version 2: the failed one left no trace.
        var retried = await grain.Change(new UniversityChange(Name: "WMU"), Actor);
        Assert.Equal(2, retried.Version);
        Assert.Equal([1, 2], (await grain.GetHistory()).Select(h => h.Version));
        Assert.Equal(1, store.Writes);
    }

    /// <summary>An entity store whose commits can be stalled or failed.</summary>
    private sealed class ControlledStore(PostgresEntityStore inner) : IEntityStore
    {
        public TaskCompletionSource? Stall { get; set; }
        public bool FailNext { get; set; }
        public int Writes { get; set; }

        public Task<StoredEntity?> LoadAsync(EntityKey key, CancellationToken cancellationToken = default) => inner.LoadAsync(key, cancellationToken);

        public async Task<CommitOutcome> CommitAsync(EntityCommit commit, CancellationToken cancellationToken = default)
        {
            if (Stall is { } stall) await stall.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("storage unavailable");
            }
            Writes++;
            return await inner.CommitAsync(commit, cancellationToken);
        }

        public Task<(IReadOnlyList<HistoryEntry> Items, int Total)> HistoryAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default) =>
            inner.HistoryAsync(key, offset, limit, cancellationToken);
    }
}
