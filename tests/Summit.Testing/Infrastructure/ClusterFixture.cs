using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans.TestingHost;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Grains;
using Summit.Grains.Deadlines;
using Summit.Hosting;
using Summit.Data;
using Summit.Data.Audit;
using Summit.Hosting.Notifications;
using Summit.Data.Notifications;
using Npgsql;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Journal;
using Summit.Notifications;
using Summit.Storage;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans test cluster (two silos on one PostgreSQL database of the test run's shared server, as a real
/// cluster shares its store of record) shared by the tests in the "cluster" collection. Tests isolate themselves by
/// creating their own summit.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>2020-06-10 09:00 in Wenzhou, the demo's starting moment.</summary>
    public static readonly Instant Start = Instant.FromUtc(2020, 6, 10, 1, 0);

    // Silos are built from configurator types, so the clock they share with the tests is static.
    private static readonly FakeClock SharedClock = new(Start);

    // The database both silos use; silos are built from configurator types, so it is static too.
    private static string _connectionString = null!;
    private static NpgsqlDataSource _dataSource = null!;

    private int _summits;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The silos' IClock. Tests that advance it should reset it with <see cref="ResetClock"/> when done.</summary>
    public FakeClock Clock => SharedClock;

    /// <summary>The audit trail the silos' commits write, readable by the tests.</summary>
    public IAuditReader Journal { get; private set; } = null!;

    public static Actor Secretariat { get; } = new("secretariat", Role.Secretariat);

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.Shared.CreateMigratedDatabaseAsync("cluster");
        _dataSource = SummitDataSource.Create(_connectionString);
        Journal = new PostgresChangeJournal(_dataSource);
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    public void ResetClock() => SharedClock.Reset(Start);

    /// <summary>Waits until the summit's change stream has delivered every committed change to the deadline engine and the live feed.</summary>
    public Task SettleAsync(string summit) => Grains.GetGrain<IChangeStreamGrain>(summit).Drain();

    /// <summary>A summit shaped like the 2020 edition (preparation from 1 April, three summit days, Asia/Shanghai); test dates, not the real ones.</summary>
    public static SummitDraft Draft(string name = "2020世界青年科学家峰会") => new(
        name, "温州", new LocalDate(2020, 11, 17), new LocalDate(2020, 11, 19), "Asia/Shanghai",
        SummitMode.Hybrid, SummitTargets.Wyss2020, new LocalDate(2020, 4, 1));

    /// <summary>Creates a summit with a code no other test uses.</summary>
    public Task<SummitEdition> CreateSummitAsync(SummitDraft? draft = null)
    {
        var code = $"test-{Environment.ProcessId % 10000}-{Interlocked.Increment(ref _summits)}-{Guid.NewGuid().ToString("N")[..6]}";
        return Grains.GetGrain<ISummitGrain>(code).Create(draft ?? Draft(), Secretariat);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton(_dataSource);
            silo.AddSummitStorage(_connectionString);
            silo.Services.AddSingleton<IClock>(SharedClock);
            silo.Services.AddSingleton<IChangeJournal>(new PostgresChangeJournal(_dataSource));
            silo.Services.AddSummitDeadlines();
        }
    }
}
