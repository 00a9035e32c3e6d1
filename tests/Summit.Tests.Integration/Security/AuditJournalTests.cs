using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Domain;
using Summit.Data.Audit;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Journal;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Security;

/// <summary>The audit writer and reader on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditJournalTests(PostgresServer server)
{
    private static readonly Instant T0 = Instant.FromUtc(2020, 6, 10, 1, 0);

    public static TheoryData<string> Stores => ["postgres"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Records_round_trip_and_filter(string store)
    {
        var (writer, reader, dispose) = await CreateAsync(store);
        await using var _ = dispose;

        var changes = new FieldChange[] { new("status", "planned", "inProgress"), new("percentComplete", "0", "40"), new("assignee", null, "张三") };
        await writer.RecordAsync(new ChangeRecord("wyss-2020", EntityKind.Task, "t-001", 2, T0, "county-pingyang", Role.County, "pingyang", changes, "已完成场地踏勘"));
        await writer.RecordAsync(new ChangeRecord("wyss-2020", EntityKind.Task, "t-001", 3, T0 + Duration.FromMinutes(5), "secretariat", Role.Secretariat, null, [new("dueDate", "2020-07-01", "2020-07-15")], null));
        await writer.RecordAsync(new ChangeRecord("wyss-2020", EntityKind.SubForum, "health-1", 1, T0 + Duration.FromMinutes(10), "university-wmu", Role.University, "wmu", [], null));
        await writer.RecordAsync(new ChangeRecord("wyss-2020", EntityKind.County, "pingyang/opening", 4, T0 + Duration.FromHours(1), "county-pingyang", Role.County, "pingyang", [], "checklist"));
        await writer.RecordAsync(new ChangeRecord("other-summit", EntityKind.Task, "t-001", 2, T0, "secretariat", Role.Secretariat, null, [], null));

        var all = await reader.QueryAsync(new AuditQuery("wyss-2020"));
        Assert.Equal(4, all.Total);
        Assert.Equal(["pingyang/opening", "health-1", "t-001", "t-001"], all.Items.Select(r => r.EntityId));

        var first = all.Items[^1];
        Assert.Equal(new ChangeRecord("wyss-2020", EntityKind.Task, "t-001", 2, T0, "county-pingyang", Role.County, "pingyang", changes, "已完成场地踏勘"),
            first with { Changes = changes });
        Assert.Equal(changes, first.Changes);
        Assert.Null(all.Items[^2].Note);
        Assert.Null(all.Items[^2].Unit);

        Assert.Equal(2, (await reader.QueryAsync(new AuditQuery("wyss-2020", Kind: EntityKind.Task))).Total);
        Assert.Equal(1, (await reader.QueryAsync(new AuditQuery("wyss-2020", Kind: EntityKind.SubForum))).Total);
        Assert.Equal(2, (await reader.QueryAsync(new AuditQuery("wyss-2020", EntityId: "t-001"))).Total);
        Assert.Equal(2, (await reader.QueryAsync(new AuditQuery("wyss-2020", Account: "county-pingyang"))).Total);
        Assert.Equal(0, (await reader.QueryAsync(new AuditQuery("wyss-2020", Kind: EntityKind.Project))).Total);

        // From inclusive, to exclusive.
        var window = await reader.QueryAsync(new AuditQuery("wyss-2020", From: T0 + Duration.FromMinutes(5), To: T0 + Duration.FromHours(1)));
        Assert.Equal([1, 3], window.Items.Select(r => r.Version));

        var page = await reader.QueryAsync(new AuditQuery("wyss-2020", Offset: 1, Limit: 2));
        Assert.Equal(4, page.Total);
        Assert.Equal(["health-1", "t-001"], page.Items.Select(r => r.EntityId));
        Assert.Equal(3, page.Items[1].Version);

        Assert.Equal(0, (await reader.QueryAsync(new AuditQuery("no-such-summit"))).Total);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Recording_the_same_change_twice_keeps_one_row(string store)
    {
        var (writer, reader, dispose) = await CreateAsync(store);
        await using var _ = dispose;
        var change = new ChangeRecord("wyss-2020", EntityKind.Project, "ruian-auto-parts", 5, T0, "secretariat", Role.Secretariat, null, [new("stage", "matched", "signed")], null);
        await writer.RecordAsync(change);
        await writer.RecordAsync(change);
        Assert.Equal(1, (await reader.QueryAsync(new AuditQuery("wyss-2020"))).Total);
    }

    [Fact]
    public async Task Registration_needs_a_connection_string_and_registers_one_postgres_journal()
    {
        var withDatabase = new ServiceCollection()
            .AddSummitJournal(Configuration("Host=localhost;Database=unused"))
            .BuildServiceProvider();
        Assert.IsType<PostgresChangeJournal>(withDatabase.GetRequiredService<IChangeJournal>());
        Assert.Same(withDatabase.GetRequiredService<IChangeJournal>(), withDatabase.GetRequiredService<IAuditReader>());
        await withDatabase.DisposeAsync();

        // Without a database nothing starts, and the message names the setting.
        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSummitJournal(Configuration(null)));
        Assert.Contains("ConnectionStrings__Summit", refused.Message);

        // A second call keeps the first journal.
        var services = new ServiceCollection().AddSummitJournal(Configuration("Host=localhost;Database=first"));
        services.AddSummitJournal(Configuration("Host=localhost;Database=ignored-second-call"));
        Assert.Single(services, d => d.ServiceType == typeof(IChangeJournal));
    }

    private static IConfiguration Configuration(string? connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Summit"] = connectionString }).Build();

    private async Task<(IChangeJournal Writer, IAuditReader Reader, IAsyncDisposable Dispose)> CreateAsync(string store)
    {
        var connectionString = await server.CreateDatabaseAsync("audit");
        await DatabaseMigrator.ApplyAsync(connectionString, NullLogger.Instance);
        var dataSource = SummitDataSource.Create(connectionString);
        var journal = new PostgresChangeJournal(dataSource);
        return (journal, journal, dataSource);
    }

}
