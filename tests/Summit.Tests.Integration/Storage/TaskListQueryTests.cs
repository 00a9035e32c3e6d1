using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Gateway.Api;
using Summit.Data.Audit;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Scheduling;
using Summit.Serialization;
using Summit.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// The task list as a query (migration 0150): PostgreSQL and the in-memory store give the same pages as the list's
/// old definition (filter everything, order by due instant then id), and PostgreSQL reads them through an index.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TaskListQueryTests(PostgresServer server) : IAsyncLifetime
{
    private const string Summit = "tl";
    private const string BigSummit = "tl-big";
    private const int BigTasks = 20_000;
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 30); // 09:30 in Wenzhou
    private static readonly LocalDateTime LocalNow = Now.InZone(Zone).LocalDateTime;

    private static readonly OwningUnit[] Owners =
    [
        OwningUnit.County("pingyang"), OwningUnit.County("ruian"), OwningUnit.County("lucheng"),
        OwningUnit.University("wmu"), OwningUnit.University("wzu"), OwningUnit.Department("office"),
    ];

    // One database for the class, built by the first test and shared by the rest (the server drops it at the end).
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Shared? _shared;

    private sealed record Shared(NpgsqlDataSource DataSource, PostgresEntityStore Postgres, List<PreparationTask> Tasks);

    private NpgsqlDataSource _dataSource = null!;
    private PostgresEntityStore _postgres = null!;
    private List<PreparationTask> _tasks = null!;

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
        (_dataSource, _postgres, _tasks) = _shared;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Shared> CreateAsync()
    {
        var connectionString = await server.CreateDatabaseAsync("task_list");
        DatabaseMigrator.Apply(connectionString, NullLogger.Instance);
        var dataSource = SummitDataSource.Create(connectionString);
        var postgres = new PostgresEntityStore(dataSource, NullLogger<PostgresEntityStore>.Instance);
        var tasks = Generate(400);
        foreach (var task in tasks)
        {
            var commit = new EntityCommit(new EntityKey(Summit, EntityKind.Task, task.Id), 0, task.Version,
                JsonSerializer.Serialize(task, SummitJson.Options), null, null);
            Assert.Equal(CommitOutcome.Committed, await postgres.CommitAsync(commit));
        }
        await SeedBigSummitAsync(dataSource);
        return new Shared(dataSource, postgres, tasks);
    }

    /// <summary>A mix of owners, statuses, categories and deadlines around the clock's now, with the ties that matter.</summary>
    private static List<PreparationTask> Generate(int count)
    {
        var random = new Random(150);
        var statuses = Enum.GetValues<WorkStatus>();
        var categories = Enum.GetValues<TaskCategory>();
        var tasks = new List<PreparationTask>();
        for (var i = 0; i < count; i++)
        {
            var date = new LocalDate(2020, 6, 10).PlusDays(random.Next(-20, 21));
            LocalTime? time = random.Next(3) == 0 ? null : new LocalTime(random.Next(0, 24), random.Next(4) * 15);
            tasks.Add(NewTask($"t-{i:D4}", Owners[random.Next(Owners.Length)], new Deadline(date, time),
                statuses[random.Next(statuses.Length)], categories[random.Next(4)]) with { SetAside = random.Next(10) == 0 });
        }
        // The same day, timed and date-only: the date alone is due at the end of the day, after the timed one, whatever
        // the ids. And a date alone ties with 00:00 the next day: the same instant, so the id decides.
        tasks.Add(NewTask("z-date-only", Owners[0], new Deadline(new LocalDate(2020, 6, 10)), WorkStatus.InProgress, TaskCategory.Budget));
        tasks.Add(NewTask("a-timed", Owners[0], new Deadline(new LocalDate(2020, 6, 10), new LocalTime(17, 0)), WorkStatus.InProgress, TaskCategory.Budget));
        tasks.Add(NewTask("b-midnight", Owners[0], new Deadline(new LocalDate(2020, 6, 11), LocalTime.Midnight), WorkStatus.InProgress, TaskCategory.Budget));
        tasks.Add(NewTask("y-now", Owners[0], new Deadline(new LocalDate(2020, 6, 10), new LocalTime(9, 30)), WorkStatus.Blocked, TaskCategory.Budget));
        return tasks;
    }

    private static PreparationTask NewTask(string id, OwningUnit owner, Deadline due, WorkStatus status, TaskCategory category) =>
        new(Summit, id, $"任务 {id}", category, owner, null, due, status, status == WorkStatus.Done ? 100 : 10, false, [], 1,
            Now, Now, "secretariat");

    public static TheoryData<string> Queries() => new(QueryCases.Keys);

    private static readonly Dictionary<string, Func<TaskListQuery, TaskListQuery>> QueryCases = new()
    {
        ["first page"] = q => q with { Limit = 100 },
        ["second page"] = q => q with { Offset = 100, Limit = 100 },
        ["everything"] = q => q with { Limit = null },
        ["past the end"] = q => q with { Offset = 1000, Limit = 10 },
        ["one owner"] = q => q with { Units = [OwningUnit.County("pingyang")], Limit = 50 },
        ["two owners"] = q => q with { Units = [OwningUnit.County("pingyang"), OwningUnit.University("wmu")], Limit = 50 },
        ["no owner"] = q => q with { Units = [] },
        ["unknown owner"] = q => q with { Units = [OwningUnit.County("taishun")] },
        ["status"] = q => q with { Status = WorkStatus.InProgress, Limit = 50 },
        ["owner and status"] = q => q with { Units = [OwningUnit.County("pingyang")], Status = WorkStatus.InProgress, Limit = 20, Offset = 5 },
        ["category"] = q => q with { Category = TaskCategory.Plan },
        ["due range"] = q => q with { DueFrom = new LocalDate(2020, 6, 5), DueTo = new LocalDate(2020, 6, 12), Limit = 1000 },
        ["due day"] = q => q with { DueFrom = new LocalDate(2020, 6, 10), DueTo = new LocalDate(2020, 6, 10) },
        ["overdue"] = q => q with { Overdue = true },
        ["not overdue"] = q => q with { Overdue = false, Limit = 70 },
        ["open and due by now"] = q => q with { OpenOnly = true, DueAtOrBefore = LocalNow },
        ["due in a moment range"] = q => q with { DueAfter = LocalNow, DueAtOrBefore = LocalNow.PlusDays(2), Limit = 30 },
        ["open in a window"] = q => q with { OpenOnly = true, DueFrom = new LocalDate(2020, 6, 9), DueTo = new LocalDate(2020, 6, 14), Limit = null },
        ["everything at once"] = q => q with
        {
            Units = [OwningUnit.County("pingyang"), OwningUnit.County("ruian")], Status = WorkStatus.Blocked,
            Category = TaskCategory.Approval, DueFrom = new LocalDate(2020, 5, 25), Overdue = true,
        },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_query_gives_the_pages_of_the_old_list(string name)
    {
        var query = QueryCases[name](new TaskListQuery(Summit) { Now = LocalNow });

        // The list as the API computed it before: every task filtered in memory, by due instant, then id.
        var matches = _tasks.Where(t => query.Units is null || query.Units.Contains(t.Owner))
            .Where(t => query.Category is null || t.Category == query.Category)
            .Where(t => query.Status is null || t.Status == query.Status)
            .Where(t => query.DueFrom is null || t.Due.Date >= query.DueFrom)
            .Where(t => query.DueTo is null || t.Due.Date <= query.DueTo)
            .Where(t => query.Overdue is null || (t.IsOpen && t.Due.DueInstant(Zone) < Now) == query.Overdue)
            .Where(t => query.DueAfter is null || t.Due.DueInstant(Zone) > query.DueAfter.Value.InZoneStrictly(Zone).ToInstant())
            .Where(t => query.DueAtOrBefore is null || t.Due.DueInstant(Zone) <= query.DueAtOrBefore.Value.InZoneStrictly(Zone).ToInstant())
            .Where(t => !query.OpenOnly || t.IsOpen)
            .OrderBy(t => t.Due.DueInstant(Zone))
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToArray();
        var expected = matches.Skip(query.Offset).Take(query.Limit ?? int.MaxValue).Select(t => t.Id).ToArray();

        var postgres = await _postgres.QueryTasksAsync(query);
        Assert.Equal(expected, Ids(postgres));
        Assert.Equal(matches.Length, postgres.Total);
    }

    [Fact]
    public async Task A_date_alone_is_due_after_the_timed_deadlines_of_its_day()
    {
        var day = new TaskListQuery(Summit) { Now = LocalNow, Units = [Owners[0]], Category = TaskCategory.Budget };
        var ids = Ids(await _postgres.QueryTasksAsync(day with
        {
            DueFrom = new LocalDate(2020, 6, 10), DueTo = new LocalDate(2020, 6, 11),
        })).Where(id => !id.StartsWith("t-", StringComparison.Ordinal)).ToArray();
        // 09:30 and 17:00 on the 10th, then the 10th's end and the 11th's 00:00 (the same instant, so by id).
        Assert.Equal(["y-now", "a-timed", "b-midnight", "z-date-only"], ids);
        // Due at 09:30 sharp with the clock at 09:30: due by now, but not yet "overdue" (that is strictly after).
        Assert.Contains("y-now", Ids(await _postgres.QueryTasksAsync(day with { OpenOnly = true, DueAtOrBefore = LocalNow })));
        Assert.DoesNotContain("y-now", Ids(await _postgres.QueryTasksAsync(day with { Overdue = true })));
    }

    [Fact]
    public async Task The_generated_columns_read_the_stored_json()
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT task_owner, task_status, task_category, task_due_date::text, task_due_at::text, task_open
            FROM summit_entity WHERE summit = $1 AND kind = 'task' AND id = ANY($2) ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Summit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ["a-timed", "z-date-only"] });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        Assert.Equal(
        [
            "county:pingyang|inProgress|budget|2020-06-10|2020-06-10 17:00:00|True",
            "county:pingyang|inProgress|budget|2020-06-10|2020-06-11 00:00:00|True",
        ], rows);
    }

    [Fact]
    public async Task The_owners_are_listed_once_each_in_key_order()
    {
        var expected = _tasks.Select(t => t.Owner).Distinct().OrderBy(TaskListQuery.OwnerKey, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, await _postgres.ListTaskOwnersAsync(Summit));
        Assert.Empty(await _postgres.ListTaskOwnersAsync("no-such-summit"));
    }

    public static TheoryData<string> PlannedQueries() => new(PlannedCases.Keys);

    private static readonly Dictionary<string, Func<TaskListQuery, TaskListQuery>> PlannedCases = new()
    {
        ["a page of everything"] = q => q,
        ["a county's own tasks"] = q => q with { Units = [OwningUnit.County("pingyang")] },
        ["owner and status"] = q => q with { Units = [OwningUnit.County("pingyang")], Status = WorkStatus.InProgress },
        ["status"] = q => q with { Status = WorkStatus.Blocked },
        ["owner, status, category and due range"] = q => q with
        {
            Units = [OwningUnit.County("pingyang")], Status = WorkStatus.InProgress, Category = TaskCategory.Publicity,
            DueFrom = new LocalDate(2020, 6, 1), DueTo = new LocalDate(2020, 7, 31),
        },
        ["overdue of one owner"] = q => q with { Units = [OwningUnit.County("pingyang")], Overdue = true },
        ["due by now"] = q => q with { OpenOnly = true, DueAtOrBefore = LocalNow },
    };

    [Theory]
    [MemberData(nameof(PlannedQueries))]
    public async Task The_page_query_reads_an_index_of_a_large_summit(string name)
    {
        var query = PlannedCases[name](new TaskListQuery(BigSummit) { Now = LocalNow, Limit = 50, Offset = 100 });
        var (where, parameters) = PostgresEntityReader.TaskFilter(query);

        var page = await ExplainAsync(PostgresEntityReader.TaskPageSql(query, where, parameters.Count), parameters,
            new NpgsqlParameter<int> { TypedValue = query.Offset }, new NpgsqlParameter<int> { TypedValue = query.Limit!.Value });
        Assert.DoesNotContain("Seq Scan", page);
        Assert.Contains("ix_summit_task_", page);
        Assert.DoesNotContain("Sort", page);

        // The total counts every match: from an index as well, not the table.
        var count = await ExplainAsync($"SELECT count(*) FROM summit_entity WHERE {where}", parameters.Select(p => p.Clone()).ToArray());
        Assert.DoesNotContain("Seq Scan", count);
        Assert.Contains("Index Only Scan", count);

        // And it answers what the definition says.
        var result = await _postgres.QueryTasksAsync(query);
        Assert.Equal(Math.Max(0, Math.Min(50, result.Total - 100)), result.Items.Count);
    }

    /// <summary>20,000 tasks written directly in SQL (the store would take a while): 16 owners, 5 statuses, 8 months of deadlines.</summary>
    private static async Task SeedBigSummitAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO summit_entity (summit, kind, id, revision, version, state)
            SELECT '{BigSummit}', 'task', 'b-' || lpad(i::text, 6, '0'), 1, 1, jsonb_strip_nulls(jsonb_build_object(
                'summit', '{BigSummit}', 'id', 'b-' || lpad(i::text, 6, '0'), 'title', 'task ' || i,
                'category', (ARRAY['approval','plan','organisation','budget','logistics','office','venue','publicity'])[1 + i % 8],
                'owner', jsonb_build_object('kind', CASE WHEN i % 16 < 12 THEN 'county' ELSE 'university' END,
                                            'code', (ARRAY['pingyang','ruian','lucheng','ouhai','longwan','dongtou','yueqing',
                                                           'yongjia','wencheng','taishun','cangnan','longgang','wmu','wzu',
                                                           'wzpt','wzvcst'])[1 + i % 16]),
                'due', jsonb_strip_nulls(jsonb_build_object(
                    'date', to_char(date '2020-03-01' + (i * 7919) % 240, 'YYYY-MM-DD'),
                    'time', CASE WHEN i % 3 = 0 THEN NULL ELSE lpad(((i / 3) % 24)::text, 2, '0') || ':00:00' END)),
                'status', (ARRAY['notStarted','inProgress','blocked','done','cancelled'])[1 + (i / 16) % 5],
                'percentComplete', 10, 'milestone', false, 'dependsOn', '[]'::jsonb, 'version', 1,
                'createdAt', '2020-03-01T00:00:00Z', 'updatedAt', '2020-03-01T00:00:00Z', 'updatedBy', 'secretariat',
                'setAside', i % 50 = 0))
            FROM generate_series(1, {BigTasks}) AS i
            """);
        await command.ExecuteNonQueryAsync();
        // VACUUM marks a page all-visible (so a count reads only the index) once the commits that wrote its rows are on
        // disk; the test server commits asynchronously, so wait for the WAL writer if needed.
        for (var attempt = 0; ; attempt++)
        {
            await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE summit_entity"))
                await vacuum.ExecuteNonQueryAsync();
            await using var visible = dataSource.CreateCommand("SELECT relallvisible >= relpages FROM pg_class WHERE relname = 'summit_entity'");
            if ((bool)(await visible.ExecuteScalarAsync())! || attempt == 20) break;
            await Task.Delay(250);
        }
    }

    private async Task<string> ExplainAsync(string sql, IEnumerable<NpgsqlParameter> parameters, params NpgsqlParameter[] more)
    {
        await using var command = _dataSource.CreateCommand("EXPLAIN " + sql);
        foreach (var p in parameters.Concat(more)) command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    private static string[] Ids(TaskPage page) =>
        page.Items.Select(json => JsonSerializer.Deserialize<PreparationTask>(json, SummitJson.Options)!.Id).ToArray();
}

/// <summary>The <c>?due=</c> lists as conditions of the task list query say what the deadline rules say.</summary>
public sealed class DueWindowTests
{
    public static TheoryData<string> Settings() => new(SettingCases.Keys);

    private static readonly Dictionary<string, Func<DateTimeZone, DueStates>> SettingCases = new()
    {
        ["default"] = zone => new DueStates(zone),
        ["working-day leads"] = zone => new DueStates(zone, new DueOptions([10, 3, 1], new LocalTime(9, 0)), WorkingCalendar.China2020),
        ["no leads"] = zone => new DueStates(zone, new DueOptions([], new LocalTime(9, 0))),
        ["evening announcement"] = zone => new DueStates(zone, new DueOptions([2], new LocalTime(18, 30))),
        ["midnight announcement"] = zone => new DueStates(zone, new DueOptions([1], LocalTime.Midnight)),
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_due_lists_as_query_conditions_select_what_the_deadline_rules_select(string settings)
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var due = SettingCases[settings](zone);
        var random = new Random(11);
        var statuses = Enum.GetValues<WorkStatus>();
        var times = new LocalTime?[] { null, LocalTime.Midnight, new(0, 30), new(8, 0), new(9, 0), new(9, 30), new(17, 0), new(18, 30), new(23, 45) };
        for (var n = 0; n < 200; n++)
        {
            var now = Instant.FromUtc(2020, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(0, 365 * 24 * 4) * 15);
            var today = now.InZone(zone).Date;
            var queries = Enum.GetValues<DueFilter>().ToDictionary(f => f, f => DueQuery.Apply(new TaskListQuery("s") { Now = now.InZone(zone).LocalDateTime }, due, f, now));
            for (var day = today.PlusDays(-3); day <= today.PlusDays(20); day = day.PlusDays(1))
                foreach (var time in times)
                {
                    var task = new PreparationTask("s", "t", "t", TaskCategory.Plan, OwningUnit.County("pingyang"), null,
                        new Deadline(day, time), statuses[random.Next(statuses.Length)], 0, false, [], 1, now, now, "secretariat")
                    { SetAside = random.Next(8) == 0 };
                    foreach (var (filter, query) in queries)
                        Assert.True(DueQuery.Matches(due, filter, task, now) == query.Matches(task),
                            $"{filter} at {now.InZone(zone)} for {task.Due} ({task.Status}, set aside {task.SetAside})");
                }
        }
    }


    public static TheoryData<bool> Calendars() => new() { false, true };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Every_task_due_soon_or_today_is_due_in_the_window(bool workingDayLeads)
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var due = new DueStates(zone, new DueOptions([10, 3, 1], new LocalTime(9, 0)), workingDayLeads ? WorkingCalendar.China2020 : null);
        var random = new Random(7);
        for (var n = 0; n < 300; n++)
        {
            // Clocks across the year, holidays included, at every hour.
            var now = Instant.FromUtc(2020, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(0, 365 * 24 * 60));
            var (from, to) = DueQuery.Window(due, now);
            var today = now.InZone(zone).Date;
            for (var day = today.PlusDays(-5); day <= today.PlusDays(40); day = day.PlusDays(1))
                foreach (var time in new LocalTime?[] { null, LocalTime.Midnight, new(8, 0), new(9, 0), new(9, 30), new(23, 45) })
                {
                    var task = new PreparationTask("s", "t", "t", TaskCategory.Plan, OwningUnit.County("pingyang"), null,
                        new Deadline(day, time), WorkStatus.InProgress, 0, false, [], 1, now, now, "secretariat");
                    if (DueQuery.Matches(due, DueFilter.Soon, task, now))
                        Assert.InRange(day, from, to);
                }
        }
    }
}
