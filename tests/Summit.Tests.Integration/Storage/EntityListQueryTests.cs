using Summit.Rules;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Data.Audit;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// The entity lists, histories and the audit trail as queries (migration 0180): each SQL page equals the list's
/// definition computed in memory (every entity the actor may read by <see cref="AccessRules.Allows"/>, in list order,
/// then paged); keyset pages return every row once while rows are added; and on a table of 20,000 rows every list query
/// reads an index, never the whole <c>summit_entity</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EntityListQueryTests(PostgresServer server) : IAsyncLifetime
{
    private const string Summit = "el";
    private const string BigSummit = "el-big";
    private const int BigRows = 20_000;
    private static readonly Instant T0 = Instant.FromUtc(2020, 6, 1, 1, 0);

    private static readonly string[] Counties = ["pingyang", "ruian", "lucheng", "ouhai", "taishun"];
    private static readonly string[] Universities = ["wmu", "wzu", "wzpt", "wzvcst"];

    private static readonly Actor[] Actors =
    [
        new("secretariat", Role.Secretariat, null),
        new("leader", Role.Leader, null),
        new("admin", Role.Admin, null),
        new("county-pingyang", Role.County, "pingyang"),
        new("county-ruian", Role.County, "ruian"),
        new("county-longgang", Role.County, "longgang"),
        new("university-wmu", Role.University, "wmu"),
        new("university-wzu", Role.University, "wzu"),
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Shared? _shared;

    private sealed record Shared(NpgsqlDataSource DataSource, PostgresEntityStore Store, PostgresChangeJournal Journal, Seeded Entities);

    private sealed record Seeded(List<CountyVenue> Venues, List<SubForum> Forums, List<CooperationProject> Projects, List<PartnerUniversity> Universities);

    private NpgsqlDataSource _dataSource = null!;
    private PostgresEntityStore _store = null!;
    private PostgresChangeJournal _journal = null!;
    private Seeded _entities = null!;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _shared ??= await CreateAsync();
        }
        finally
        {
            Gate.Release();
        }
        (_dataSource, _store, _journal, _entities) = _shared;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Shared> CreateAsync()
    {
        var connectionString = await server.CreateMigratedDatabaseAsync("entity_lists");
        var dataSource = SummitDataSource.Create(connectionString);
        var store = new PostgresEntityStore(dataSource, NullLogger<PostgresEntityStore>.Instance);
        var seeded = Generate();
        foreach (var v in seeded.Venues) await PutAsync(store, EntityKind.County, v.County, v);
        foreach (var f in seeded.Forums) await PutAsync(store, EntityKind.SubForum, f.Id, f);
        foreach (var p in seeded.Projects) await PutAsync(store, EntityKind.Project, p.Id, p);
        foreach (var u in seeded.Universities) await PutAsync(store, EntityKind.University, u.Code, u);
        await SeedBigSummitAsync(dataSource);
        return new Shared(dataSource, store, new PostgresChangeJournal(dataSource), seeded);
    }

    private static async Task PutAsync<T>(PostgresEntityStore store, EntityKind kind, string id, T entity)
    {
        var commit = new EntityCommit(new EntityKey(Summit, kind, id), 0, 1, JsonSerializer.Serialize(entity, SummitJson.Options), null, null);
        Assert.Equal(CommitOutcome.Committed, await store.CommitAsync(commit));
    }

    /// <summary>Entities of every unit, none, several; sub-forums with equal days and starts, so the id decides.</summary>
    private static Seeded Generate()
    {
        var random = new Random(180);
        var last = new LastUpdate("secretariat", T0, null);
        var venues = Counties.Select(c => new CountyVenue(Summit, c, c + "区", c + " hall", null,
            Enumerable.Range(0, random.Next(0, 9)).Select(i => new SubEvent($"e-{i:D2}", $"活动 {i}", new LocalDate(2020, 6, 10 + i % 5), null,
                SubEventStatus.Planned, new Dictionary<ChecklistItem, ChecklistState>(), 1, last)).ToArray(), 1, last)).ToList();
        var forums = Enumerable.Range(0, 80).Select(i => new SubForum(Summit, $"f-{random.Next(1000):D3}-{i}", $"论坛 {i}",
            random.Next(5) == 0 ? null : Universities[random.Next(Universities.Length)],
            new LocalDate(2020, 6, 12 + random.Next(3)), new LocalTime(8 + random.Next(3), random.Next(2) * 30), new LocalTime(18, 0),
            "hall", EventFormat.Offline, [], SubForumStatus.Planned, 1, T0, "secretariat")).ToList();
        var projects = Enumerable.Range(0, 150).Select(i => new CooperationProject(Summit, $"p-{random.Next(10000):D4}-{i}", $"项目 {i}",
            "biotech", [], random.Next(4) == 0 ? null : Counties[random.Next(Counties.Length)],
            Universities.Where(_ => random.Next(3) == 0).ToArray(), ProjectStage.Matched, 1, null, 1, T0, "secretariat")).ToList();
        var universities = Universities.Concat(["zju", "nju"]).Select(u => new PartnerUniversity(Summit, u, u + " 大学", "office",
            EngagementStatus.Contacted, [], [], 1, T0, "secretariat")).ToList();
        return new Seeded(venues, forums, projects, universities);
    }

    public static TheoryData<string, string, int, int?> ListCases()
    {
        var data = new TheoryData<string, string, int, int?>();
        foreach (var kind in new[] { "county", "subForum", "project", "university" })
            foreach (var actor in Actors)
                foreach (var (offset, limit) in new (int, int?)[] { (0, 100), (0, 7), (7, 7), (140, 20), (0, null), (1000, 10) })
                    data.Add(kind, actor.Account, offset, limit);
        return data;
    }

    [Theory]
    [MemberData(nameof(ListCases))]
    public async Task A_page_of_a_list_is_the_page_of_what_the_actor_may_read(string kind, string account, int offset, int? limit)
    {
        var actor = Actors.Single(a => a.Account == account);
        var entityKind = Enum.Parse<EntityKind>(kind, ignoreCase: true);
        // The list's definition: every entity of the kind, those the actor may read, in list order.
        IEnumerable<(string Id, object Entity)> all = entityKind switch
        {
            EntityKind.County => _entities.Venues.Where(v => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(v))).Select(v => (v.County, (object)v)),
            EntityKind.SubForum => _entities.Forums.Where(f => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(f))).Select(f => (f.Id, (object)f)),
            EntityKind.Project => _entities.Projects.Where(p => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(p))).Select(p => (p.Id, (object)p)),
            _ => _entities.Universities.Where(u => AccessRules.Allows(actor, Access.Read, ResourceScope.Of(u))).Select(u => (u.Code, (object)u)),
        };
        var expected = EntityListQuery.Order(entityKind, all.ToArray(), i => i.Entity).Select(i => i.Id).ToArray();

        var page = await _store.QueryEntitiesAsync(new EntityListQuery(Summit, entityKind)
        {
            Units = AccessRules.ReadableUnits(actor),
            Offset = offset,
            Limit = limit,
        });

        Assert.Equal(expected.Skip(offset).Take(limit ?? int.MaxValue), page.Items.Select(json => IdOf(entityKind, json)));
        Assert.Equal(expected.Length, page.Total);
    }

    [Fact]
    public async Task A_county_never_sees_another_countys_rows()
    {
        foreach (var county in Counties)
        {
            var units = AccessRules.ReadableUnits(new Actor("county-" + county, Role.County, county));
            var venues = await _store.QueryEntitiesAsync(new EntityListQuery(Summit, EntityKind.County) { Units = units });
            Assert.Equal([county], venues.Items.Select(j => IdOf(EntityKind.County, j)));
            var projects = await _store.QueryEntitiesAsync(new EntityListQuery(Summit, EntityKind.Project) { Units = units });
            Assert.All(projects.Items, j => Assert.Equal(county, JsonNode.Parse(j)!["county"]!.GetValue<string>()));
            Assert.Equal(_entities.Projects.Count(p => p.County == county), projects.Total);
            Assert.Equal(0, (await _store.QueryEntitiesAsync(new EntityListQuery(Summit, EntityKind.SubForum) { Units = units })).Total);
            Assert.Equal(0, (await _store.QueryEntitiesAsync(new EntityListQuery(Summit, EntityKind.University) { Units = units })).Total);
        }
    }

    [Fact]
    public async Task A_page_of_sub_events_is_cut_from_the_venue()
    {
        foreach (var venue in _entities.Venues)
            foreach (var (offset, limit) in new (int, int?)[] { (0, 100), (0, 3), (3, 3), (6, 3), (20, 5), (0, null) })
            {
                var page = await _store.QuerySubEventsAsync(Summit, venue.County, offset, limit);
                Assert.NotNull(page);
                Assert.Equal(venue.SubEvents.Skip(offset).Take(limit ?? int.MaxValue).Select(e => e.Id),
                    page.Items.Select(j => JsonSerializer.Deserialize<SubEvent>(j, SummitJson.Options)!.Id));
                Assert.Equal(venue.SubEvents.Count, page.Total);
            }
        Assert.Null(await _store.QuerySubEventsAsync(Summit, "longgang", 0, 10));
    }

    [Fact]
    public async Task History_pages_after_a_cursor_return_every_version_once_while_changes_are_committed()
    {
        // Its own summit, so the lists of the shared one stay as generated.
        var key = new EntityKey("el-history", EntityKind.University, "history-" + Guid.NewGuid().ToString("N")[..8]);
        var next = 1;
        async Task CommitAsync()
        {
            var version = next++;
            var change = new ChangeRecord(key.Summit, EntityKind.University, key.Id, version, T0 + Duration.FromMinutes(version), "secretariat",
                Role.Secretariat, null, [new FieldChange("name", null, "v" + version)], null);
            Assert.Equal(CommitOutcome.Committed, await _store.CommitAsync(new EntityCommit(key, version - 1, version, $$"""{"version":{{version}}}""", change, null)));
        }
        for (var i = 0; i < 30; i++) await CommitAsync();

        // While the pages are read, 40 more versions are committed (one writer, as the grain is).
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await CommitAsync();
                await Task.Delay(5);
            }
        });
        var seen = new List<int>();
        int? after = null;
        var pages = 0;
        while (true)
        {
            var page = await _store.QueryHistoryAsync(new HistoryQuery(key) { AfterVersion = after, Limit = 7 });
            seen.AddRange(page.Items.Select(h => h.Version));
            pages++;
            if (page.NextAfterVersion is null)
            {
                if (writer.IsCompleted && page.Items.Count < 7) break;
                await Task.Delay(20);
                after = seen.Count > 0 ? seen[^1] : null;
                continue;
            }
            Assert.Equal(page.Items[^1].Version, page.NextAfterVersion);
            after = page.NextAfterVersion;
        }
        await writer;
        Assert.Equal(Enumerable.Range(1, 70), seen);
        Assert.True(pages >= 10);

        // Offset paging of the same rows gives the same pages.
        var byOffset = await _store.QueryHistoryAsync(new HistoryQuery(key) { Offset = 21, Limit = 7 });
        Assert.Equal(Enumerable.Range(22, 7), byOffset.Items.Select(h => h.Version));
        Assert.Equal(70, byOffset.Total);
        Assert.Equal(28, byOffset.NextAfterVersion);

        // The grain's whole history (limit int.MaxValue) is one page with nothing after it.
        var (everything, total) = await _store.HistoryAsync(key, 0, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, 70), everything.Select(h => h.Version));
        Assert.Equal(70, total);
        Assert.Null((await _store.QueryHistoryAsync(new HistoryQuery(key) { Limit = int.MaxValue })).NextAfterVersion);
    }

    [Fact]
    public async Task Audit_pages_after_a_cursor_return_every_row_once_while_changes_are_recorded()
    {
        var summit = "audit-" + Guid.NewGuid().ToString("N")[..8];
        var recorded = new List<ChangeRecord>();
        ChangeRecord Change(int n) => new(summit, n % 3 == 0 ? EntityKind.Task : EntityKind.Project, $"e-{n % 7}", n,
            T0 + Duration.FromSeconds(n / 2), n % 2 == 0 ? "secretariat" : "county-pingyang", Role.Secretariat, null, [], null);
        for (var n = 1; n <= 120; n++)
        {
            recorded.Add(Change(n));
            await _journal.RecordAsync(recorded[^1]);
        }

        // Newer changes arrive while the trail is read newest first: a cursor keeps its place, so each row that was there
        // at the start is read exactly once (an offset would shift under them and repeat rows).
        var writer = Task.Run(async () =>
        {
            for (var n = 121; n <= 180; n++)
            {
                await _journal.RecordAsync(Change(n));
                await Task.Delay(3);
            }
        });
        var seen = new List<int>();
        AuditPosition? after = null;
        do
        {
            var page = await _journal.QueryAsync(new AuditQuery(summit, Limit: 9, After: after));
            seen.AddRange(page.Items.Select(c => c.Version));
            after = page.Next;
        }
        while (after is not null);
        await writer;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(180, (await _journal.QueryAsync(new AuditQuery(summit, Limit: int.MaxValue))).Items.Count);
        Assert.Superset(Enumerable.Range(1, 120).ToHashSet(), seen.ToHashSet());

        // With every filter, the pages read by cursor are the oracle's list, in order (newest first, by at then id).
        var all = recorded.Concat(Enumerable.Range(121, 60).Select(Change)).Select((c, i) => (Change: c, Id: i)).ToArray();
        foreach (var query in new[]
        {
            new AuditQuery(summit, Limit: 13),
            new AuditQuery(summit, Kind: EntityKind.Task, Limit: 4),
            new AuditQuery(summit, EntityId: "e-3", Limit: 5),
            new AuditQuery(summit, Kind: EntityKind.Project, EntityId: "e-2", Limit: 2),
            new AuditQuery(summit, Account: "county-pingyang", From: T0 + Duration.FromSeconds(10), To: T0 + Duration.FromSeconds(60), Limit: 6),
        })
        {
            var expected = all.Where(r => (query.Kind is null || r.Change.Kind == query.Kind) && (query.EntityId is null || r.Change.EntityId == query.EntityId)
                    && (query.Account is null || r.Change.Account == query.Account)
                    && (query.From is null || r.Change.At >= query.From) && (query.To is null || r.Change.At < query.To))
                .OrderByDescending(r => r.Change.At).ThenByDescending(r => r.Id)
                .Select(r => r.Change.Version).ToArray();
            var read = new List<int>();
            AuditPosition? position = null;
            var total = -1;
            do
            {
                var page = await _journal.QueryAsync(query with { After = position });
                read.AddRange(page.Items.Select(c => c.Version));
                total = page.Total;
                position = page.Next;
            }
            while (position is not null);
            Assert.Equal(expected, read);
            Assert.Equal(expected.Length, total);
            // An offset page is the same slice.
            var byOffset = await _journal.QueryAsync(query with { Offset = 3 });
            Assert.Equal(expected.Skip(3).Take(query.Limit), byOffset.Items.Select(c => c.Version));
        }
    }

    [Fact]
    public void Cursors_read_back_and_refuse_what_is_not_theirs()
    {
        Assert.True(ListCursor.TryHistory(ListCursor.OfHistory(42), out var version));
        Assert.Equal(42, version);
        var position = new AuditPosition(T0 + Duration.FromTicks(17), 99);
        Assert.True(ListCursor.TryAudit(ListCursor.OfAudit(position), out var read));
        Assert.Equal(position, read);
        Assert.False(ListCursor.TryHistory(ListCursor.OfAudit(position), out _));
        Assert.False(ListCursor.TryAudit(ListCursor.OfHistory(1), out _));
        foreach (var bad in new[] { "", "x", "!!!", "aDE6LTE", "YTE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OjE", new string('A', 500) })
        {
            Assert.False(ListCursor.TryHistory(bad, out _), bad);
            Assert.False(ListCursor.TryAudit(bad, out _), bad);
        }
    }

    public static TheoryData<string> PlannedLists() => new(PlannedCases.Keys);

    private static readonly Dictionary<string, Func<EntityListQuery>> PlannedCases = new()
    {
        ["counties, all"] = () => new EntityListQuery(BigSummit, EntityKind.County) { Offset = 100, Limit = 50 },
        ["counties, one county's"] = () => new EntityListQuery(BigSummit, EntityKind.County) { Units = [OwningUnit.County("c-00042")], Limit = 50 },
        ["sub-forums, all"] = () => new EntityListQuery(BigSummit, EntityKind.SubForum) { Offset = 100, Limit = 50 },
        ["sub-forums, a university's"] = () => new EntityListQuery(BigSummit, EntityKind.SubForum) { Units = [OwningUnit.University("wmu")], Limit = 50 },
        ["projects, all"] = () => new EntityListQuery(BigSummit, EntityKind.Project) { Offset = 100, Limit = 50 },
        ["projects, a county's"] = () => new EntityListQuery(BigSummit, EntityKind.Project) { Units = [OwningUnit.County("pingyang")], Limit = 50 },
        ["projects, a university's"] = () => new EntityListQuery(BigSummit, EntityKind.Project) { Units = [OwningUnit.University("wzu")], Limit = 50 },
        ["universities, all"] = () => new EntityListQuery(BigSummit, EntityKind.University) { Offset = 100, Limit = 50 },
        ["universities, its own"] = () => new EntityListQuery(BigSummit, EntityKind.University) { Units = [OwningUnit.University("u-00007")], Limit = 50 },
    };

    [Theory]
    [MemberData(nameof(PlannedLists))]
    public async Task Each_list_query_reads_an_index_of_a_large_table(string name)
    {
        var query = PlannedCases[name]();
        var (where, parameters) = PostgresEntityReader.EntityFilter(query);
        var page = await ExplainAsync(PostgresEntityReader.EntityPageSql(query, where, parameters.Count),
            [.. parameters.Select(p => p.Clone()), new NpgsqlParameter<int> { TypedValue = query.Offset }, new NpgsqlParameter<int> { TypedValue = query.Limit!.Value }]);
        AssertIndexed(page);
        var count = await ExplainAsync($"SELECT count(*) FROM summit_entity WHERE {where}", [.. parameters.Select(p => p.Clone())]);
        AssertIndexed(count);

        var result = await _store.QueryEntitiesAsync(query);
        Assert.True(result.Total > 0);
        Assert.Equal(Math.Min(50, Math.Max(0, result.Total - query.Offset)), result.Items.Count);
    }

    [Fact]
    public async Task The_sub_event_history_and_audit_queries_read_an_index_of_a_large_table()
    {
        AssertIndexed(await ExplainAsync(PostgresEntityReader.SubEventPageSql,
        [
            new NpgsqlParameter<string> { TypedValue = BigSummit }, new NpgsqlParameter<string> { TypedValue = "c-00042" },
            new NpgsqlParameter<int> { TypedValue = 0 }, new NpgsqlParameter<int> { TypedValue = 10 },
            new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text },
        ]));

        var history = PostgresEntityReader.HistorySql(new HistoryQuery(new EntityKey(BigSummit, EntityKind.Project, "p-00004")) { AfterVersion = 100, Limit = 20 });
        AssertIndexed(await ExplainAsync(history.Page, [.. history.Filter.Concat(history.Paging).Select(p => p.Clone())]), "summit_audit");
        AssertIndexed(await ExplainAsync(history.Count, [.. history.Filter.Select(p => p.Clone())]), "summit_audit");

        var after = new AuditPosition(T0 + Duration.FromMinutes(5000), 5000);
        foreach (var query in new[]
        {
            new AuditQuery(BigSummit, Limit: 50, After: after),
            new AuditQuery(BigSummit, Kind: EntityKind.Task, Limit: 50, After: after),
            new AuditQuery(BigSummit, EntityId: "p-00004", Limit: 50, After: after),
            new AuditQuery(BigSummit, Account: "county-pingyang", Limit: 50, After: after),
            new AuditQuery(BigSummit, From: T0, To: T0 + Duration.FromDays(2), Limit: 50),
        })
        {
            var (count, page, filter, paging) = PostgresChangeJournal.QuerySql(query);
            var plan = await ExplainAsync(page, [.. filter.Concat(paging).Select(p => p.Clone())]);
            AssertIndexed(plan, "summit_audit");
            Assert.DoesNotContain("\"Sort\"", plan);
            // The total of a filtered trail is counted in the filter's index. (The whole trail's total counts every row of the
            // summit, which PostgreSQL may rightly do by reading the table.)
            if (filter.Count > 1)
                AssertIndexed(await ExplainAsync(count, [.. filter.Select(p => p.Clone())]), "summit_audit");
        }
    }

    /// <summary>
    /// 20,000 entities of the listed kinds (5,000 each) written directly in SQL, each with two audit rows, so every list
    /// reads a table far larger than its page.
    /// </summary>
    private static async Task SeedBigSummitAsync(NpgsqlDataSource dataSource)
    {
        await using (var command = dataSource.CreateCommand($"""
            INSERT INTO summit_entity (summit, kind, id, revision, version, state)
            SELECT '{BigSummit}', k.kind, k.id, 1, 1, CASE k.kind
                WHEN 'county' THEN jsonb_build_object('summit', '{BigSummit}', 'county', k.id, 'name', k.id, 'venue', 'hall',
                    'subEvents', jsonb_build_array(jsonb_build_object('id', 'e-1', 'title', 'x')), 'version', 1)
                WHEN 'university' THEN jsonb_build_object('summit', '{BigSummit}', 'code', k.id, 'name', k.id, 'version', 1)
                WHEN 'subForum' THEN jsonb_build_object('summit', '{BigSummit}', 'id', k.id, 'theme', 't',
                    'hostUniversity', (ARRAY['wmu','wzu','wzpt','wzvcst'])[1 + (i / 4) % 4],
                    'day', to_char(date '2020-06-12' + (i / 4) % 3, 'YYYY-MM-DD'), 'start', lpad((8 + (i / 4) % 10)::text, 2, '0') || ':00:00', 'version', 1)
                ELSE jsonb_build_object('summit', '{BigSummit}', 'id', k.id, 'title', 't',
                    'county', (ARRAY['pingyang','ruian','lucheng','ouhai','longwan','dongtou','yueqing','yongjia','wencheng','taishun','cangnan','longgang'])[1 + (i / 4) % 12],
                    'universities', CASE WHEN (i / 4) % 5 = 0 THEN '["wzu"]'::jsonb ELSE '[]'::jsonb END, 'version', 1)
                END
            FROM generate_series(0, {BigRows} - 1) AS i
            CROSS JOIN LATERAL (SELECT (ARRAY['county','subForum','project','university'])[1 + i % 4] AS kind) t
            CROSS JOIN LATERAL (SELECT t.kind,
                (CASE t.kind WHEN 'county' THEN 'c-' WHEN 'subForum' THEN 'f-' WHEN 'project' THEN 'p-' ELSE 'u-' END) || lpad((i / 4)::text, 5, '0') AS id) k
            """))
            await command.ExecuteNonQueryAsync();
        await using (var command = dataSource.CreateCommand($"""
            INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, changes)
            SELECT e.summit, e.kind, e.id, v, timestamptz '2020-06-01 01:00:00+00' + (row_number() OVER (ORDER BY e.id, v)) * interval '1 minute',
                   CASE WHEN v = 1 THEN 'secretariat'
                        ELSE 'county-' || (ARRAY['pingyang','ruian','lucheng','ouhai','longwan','dongtou','yueqing','yongjia','wencheng','taishun','cangnan','longgang'])[1 + abs(hashtext(e.id)) % 12] END,
                   'secretariat', '[]'::jsonb
            FROM summit_entity e CROSS JOIN generate_series(1, 2) AS v
            WHERE e.summit = '{BigSummit}'
            """))
            await command.ExecuteNonQueryAsync();
        // VACUUM marks pages all-visible (so counts read only an index) once their commits are on disk; the test server
        // commits asynchronously, so wait for the WAL writer if needed.
        for (var attempt = 0; ; attempt++)
        {
            await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE summit_entity"))
                await vacuum.ExecuteNonQueryAsync();
            await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE summit_audit"))
                await vacuum.ExecuteNonQueryAsync();
            await using var visible = dataSource.CreateCommand("SELECT relallvisible >= relpages FROM pg_class WHERE relname = 'summit_entity'");
            if ((bool)(await visible.ExecuteScalarAsync())! || attempt == 20) break;
            await Task.Delay(250);
        }
    }

    /// <summary>EXPLAIN (FORMAT JSON) of a query, as its JSON text.</summary>
    private async Task<string> ExplainAsync(string sql, IReadOnlyList<NpgsqlParameter> parameters)
    {
        await using var command = _dataSource.CreateCommand("EXPLAIN (FORMAT JSON) " + sql);
        foreach (var p in parameters) command.Parameters.Add(p);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>No node of the plan scans <paramref name="table"/> sequentially, and some node reads an index of it.</summary>
    private static void AssertIndexed(string planJson, string table = "summit_entity")
    {
        var nodes = Nodes(JsonNode.Parse(planJson)![0]!["Plan"]!).ToArray();
        Assert.False(nodes.Any(n => (string?)n["Node Type"] == "Seq Scan" && (string?)n["Relation Name"] == table), planJson);
        Assert.DoesNotContain(nodes, n => (string?)n["Node Type"] == "Seq Scan" && (string?)n["Relation Name"] == table);
        Assert.Contains(nodes, n => n["Index Name"] is not null && ((string?)n["Relation Name"] == table || ((string?)n["Node Type"])!.StartsWith("Bitmap Index", StringComparison.Ordinal)));
    }

    private static IEnumerable<JsonNode> Nodes(JsonNode plan)
    {
        yield return plan;
        if (plan["Plans"] is JsonArray children)
            foreach (var child in children)
                foreach (var node in Nodes(child!))
                    yield return node;
    }

    private static string IdOf(EntityKind kind, string json) => kind switch
    {
        EntityKind.County => JsonSerializer.Deserialize<CountyVenue>(json, SummitJson.Options)!.County,
        EntityKind.SubForum => JsonSerializer.Deserialize<SubForum>(json, SummitJson.Options)!.Id,
        EntityKind.Project => JsonSerializer.Deserialize<CooperationProject>(json, SummitJson.Options)!.Id,
        _ => JsonSerializer.Deserialize<PartnerUniversity>(json, SummitJson.Options)!.Code,
    };
}
