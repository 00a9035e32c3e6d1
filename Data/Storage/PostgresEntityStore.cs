using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Domain;
using Summit.Data.Audit;
using Summit.Data.Idempotency;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Data.Storage;

/// <summary>
/// Reads of the entities in PostgreSQL (<c>summit_entity</c>, <c>summit_audit</c>, <c>summit_idempotency</c>): what a
/// Gateway needs for lists and retries, without the writers of <see cref="PostgresEntityStore"/>.
/// </summary>
public class PostgresEntityReader(NpgsqlDataSource dataSource) : IEntityQueries, ICampaignQueries, IIdempotencyLedger, IChangeStream
{
    public async Task<bool> HasWithheldAsync(string summit, StreamPosition after, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM summit_audit a
                           WHERE a.summit = $1 AND a.tx IS NOT NULL AND (a.tx, a.id) > ($2::text::xid8, $3))
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Row });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task<IReadOnlyList<StreamedChange>> ReadAsync(string summit, StreamPosition after, int max, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT a.tx::text, {AuditRows.ColumnsOf("a")}, e.state::text
            FROM summit_audit a
            JOIN summit_entity e ON e.summit = a.summit AND e.kind = a.entity_kind AND e.id = a.entity_id
            WHERE a.summit = $1 AND a.tx IS NOT NULL AND (a.tx, a.id) > ($2::text::xid8, $3)
              AND a.tx < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY a.tx, a.id
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Row });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var result = new List<StreamedChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (AuditRows.Read(reader, 1) is not { } read) continue;
            var (change, row) = read;
            var position = new StreamPosition(ulong.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture), row);
            result.Add(new StreamedChange(position, change, reader.GetString(1 + AuditRows.ColumnCount)));
        }
        return result;
    }


    public async Task<StoredEntity?> LoadAsync(EntityKey key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text, revision FROM summit_entity WHERE summit = $1 AND kind = $2 AND id = $3");
        AddKey(command.Parameters, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredEntity(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public async Task<(IReadOnlyList<HistoryEntry> Items, int Total)> HistoryAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var page = await QueryHistoryAsync(new HistoryQuery(key) { Offset = offset, Limit = limit }, cancellationToken);
        return (page.Items, page.Total);
    }

    /// <summary>
    /// One entity's history by the audit table's unique key (summit, entity_kind, entity_id, version): a page after a
    /// version starts there in the index, so it reads the page, however long the history.
    /// </summary>
    public async Task<HistoryPage> QueryHistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Max(0, query.Limit);
        var (count, page, filter, paging) = HistorySql(query);
        var (items, total) = await CountAndPage.ReadAsync(dataSource, count, page, filter, paging,
            reader => AuditRows.Read(reader) is { } read ? AuditRows.ToHistory(read.Change) : null, cancellationToken);
        // One row more than the page was read: it says whether another page follows.
        var more = items.Count > limit;
        if (more) items.RemoveAt(items.Count - 1);
        return new HistoryPage(items, total, more && items.Count > 0 ? items[^1].Version : null);
    }

    /// <summary>The count and page queries of <see cref="QueryHistoryAsync"/> and their parameters (the page reads one row more than the limit).</summary>
    public static (string Count, string Page, IReadOnlyList<NpgsqlParameter> Filter, IReadOnlyList<NpgsqlParameter> Paging) HistorySql(HistoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string Where = "summit = $1 AND entity_kind = $2 AND entity_id = $3";
        var filter = KeyParameters(query.Key);
        var after = query.AfterVersion is not null ? $" AND version > ${filter.Count + 1}" : "";
        var paging = new List<NpgsqlParameter>();
        if (query.AfterVersion is { } v) paging.Add(new NpgsqlParameter<int> { TypedValue = v });
        paging.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Offset) });
        // One more than the limit, as a bigint: a limit of int.MaxValue (the grain's whole history) must not overflow.
        paging.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(0, query.Limit) + 1L });
        var page = $"""
            SELECT {AuditRows.Columns} FROM summit_audit
            WHERE {Where}{after}
            ORDER BY version OFFSET ${filter.Count + paging.Count - 1} LIMIT ${filter.Count + paging.Count}
            """;
        return ($"SELECT count(*) FROM summit_audit WHERE {Where}", page, filter, paging);
    }

    public async Task<byte[]?> FindAppliedAsync(string account, string route, string key, Instant now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT request_hash FROM summit_idempotency
            WHERE account = $1 AND route = $2 AND idempotency_key = $3 AND expires_at > $4 AND applied_version IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = route });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = now });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default)
    {
        await using var command = kind == EntityKind.Summit
            ? dataSource.CreateCommand("SELECT id FROM summit_entity WHERE kind = 'summit' ORDER BY id COLLATE \"C\"")
            : dataSource.CreateCommand("SELECT id FROM summit_entity WHERE summit = $1 AND kind = $2 ORDER BY id COLLATE \"C\"");
        if (kind != EntityKind.Summit)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AuditNames.Of(kind) });
        }
        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> LoadAllAsync(string summit, EntityKind kind, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT state::text FROM summit_entity WHERE summit = $1 AND kind = $2 ORDER BY id COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AuditNames.Of(kind) });
        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskProgressRow>> ReadTaskProgressAsync(string summit, CancellationToken cancellationToken = default)
    {
        // ix_summit_audit_entity serves (summit, entity_kind); the jsonpath keeps rows that touch neither field out.
        await using var command = dataSource.CreateCommand("""
            SELECT a.entity_id, a.at,
                   (SELECT c ->> 'to' FROM jsonb_array_elements(a.changes) c WHERE c ->> 'field' = 'status' LIMIT 1),
                   (SELECT c ->> 'to' FROM jsonb_array_elements(a.changes) c WHERE c ->> 'field' = 'percentComplete' LIMIT 1)
            FROM summit_audit a
            WHERE a.summit = $1 AND a.entity_kind = 'task'
              AND a.changes @? '$[*] ? (@.field == "status" || @.field == "percentComplete")'
            ORDER BY a.entity_id COLLATE "C", a.version
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        var rows = new List<TaskProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            WorkStatus? status = !reader.IsDBNull(2) && Enum.TryParse<WorkStatus>(reader.GetString(2), out var s) ? s : null;
            int? percent = !reader.IsDBNull(3) && int.TryParse(reader.GetString(3), System.Globalization.NumberStyles.Integer,
                System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;
            rows.Add(new TaskProgressRow(reader.GetString(0), reader.GetFieldValue<Instant>(1), status, percent));
        }
        return rows;
    }

    public async Task<IReadOnlyList<OwningUnit>> ListTaskOwnersAsync(string summit, CancellationToken cancellationToken = default)
    {
        // A loose index scan: one probe of ix_summit_task_owner_due per distinct owner, not a read of every task.
        await using var command = dataSource.CreateCommand("""
            WITH RECURSIVE owners AS (
                (SELECT task_owner FROM summit_entity
                 WHERE summit = $1 AND kind = 'task' AND task_owner IS NOT NULL
                 ORDER BY task_owner LIMIT 1)
                UNION ALL
                SELECT (SELECT e.task_owner FROM summit_entity e
                        WHERE e.summit = $1 AND e.kind = 'task' AND e.task_owner > o.task_owner
                        ORDER BY e.task_owner LIMIT 1)
                FROM owners o WHERE o.task_owner IS NOT NULL)
            SELECT task_owner FROM owners WHERE task_owner IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        return (await ReadStringsAsync(command, cancellationToken))
            .Order(StringComparer.Ordinal)
            .Select(TaskListQuery.ParseOwnerKey)
            .OfType<OwningUnit>()
            .ToArray();
    }

    public async Task<TaskPage> QueryTasksAsync(TaskListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Units is { Count: 0 }) return new TaskPage([], 0);
        var (where, parameters) = TaskFilter(query);
        var paging = CountAndPage.PagingParameters(query.Offset, query.Limit);
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) FROM summit_entity WHERE {where}",
            TaskPageSql(query, where, parameters.Count), parameters, paging, reader => reader.GetString(0), cancellationToken);
        return new TaskPage(items, total);
    }

    public async Task<EntityPage> QueryEntitiesAsync(EntityListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Units is { Count: 0 }) return new EntityPage([], 0);
        var (where, parameters) = EntityFilter(query);
        var paging = CountAndPage.PagingParameters(query.Offset, query.Limit);
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) FROM summit_entity WHERE {where}",
            EntityPageSql(query, where, parameters.Count), parameters, paging, reader => reader.GetString(0), cancellationToken);
        return new EntityPage(items, total);
    }

    /// <summary>
    /// The WHERE clause of an entity list (<see cref="EntityListQuery.Matches"/> in SQL, on the columns of migration 0180)
    /// and its parameters: the summit and kind, and the caller's units when it reads only its own.
    /// </summary>
    public static (string Where, IReadOnlyList<NpgsqlParameter> Parameters) EntityFilter(EntityListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!EntityListQuery.Kinds.Contains(query.Kind))
            throw new ArgumentException($"{query.Kind} is not listed by {nameof(QueryEntitiesAsync)}.", nameof(query));
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<string> { TypedValue = query.Summit },
            new NpgsqlParameter<string> { TypedValue = AuditNames.Of(query.Kind) },
        };
        var where = "summit = $1 AND kind = $2";
        var campaign = query.Kind == EntityKind.Campaign;
        if (query.Units is { } units && campaign)
        {
            // A campaign is listed to the units it addresses once published or closed (EntityListQuery.UnitsOf(Campaign)),
            // by containment in its addressees (migration 0270's GIN index).
            var any = new List<string>();
            foreach (var unit in units)
            {
                parameters.Add(new NpgsqlParameter<string>
                {
                    TypedValue = JsonSerializer.Serialize(new[] { unit }, SummitJson.Options),
                    NpgsqlDbType = NpgsqlDbType.Jsonb,
                });
                any.Add($"(state -> 'addressees') @> ${parameters.Count}");
            }
            // A forwarded campaign is also listed, whatever its status, to the unit that forwarded it.
            var owned = new List<string>();
            foreach (var unit in units)
            {
                parameters.Add(new NpgsqlParameter<string>
                {
                    TypedValue = JsonSerializer.Serialize(unit, SummitJson.Options),
                    NpgsqlDbType = NpgsqlDbType.Jsonb,
                });
                owned.Add($"(state -> 'owner') @> ${parameters.Count}");
            }
            where += $" AND (((state ->> 'status') IN ('published', 'closed') AND ({string.Join(" OR ", any)})) OR {string.Join(" OR ", owned)})";
        }
        else if (campaign)
        {
            // Those who read every campaign list the secretariat's; a campaign's forwards are listed with forwardedFrom.
            if (query.ForwardedFrom is null) where += " AND (state -> 'parent') IS NULL";
        }
        else if (query.Units is { } orgReaders && query.Kind == EntityKind.Organization)
        {
            // An organisation is listed to the unit it is registered under and to itself (EntityListQuery.UnitsOf(Organization)).
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = orgReaders.Select(TaskListQuery.OwnerKey).ToArray() });
            where += $" AND ({ParentKeySql} = ANY(${parameters.Count}) OR ('organization:' || id) = ANY(${parameters.Count}))";
        }
        else if (query.Units is { } listed && query.Kind != EntityKind.Organization)
        {
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = listed.Select(TaskListQuery.OwnerKey).ToArray() });
            where += $" AND list_units && ${parameters.Count}";
        }
        if (campaign && query.ForwardedFrom is { } forwardedFrom)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = forwardedFrom });
            where += $" AND (state ->> 'parent') = ${parameters.Count}";
        }
        if (query.Kind == EntityKind.Organization)
        {
            if (query.Parent is { } parent)
            {
                parameters.Add(new NpgsqlParameter<string> { TypedValue = TaskListQuery.OwnerKey(parent) });
                where += $" AND {ParentKeySql} = ${parameters.Count}";
            }
            if (query.CityLevel) where += $" AND {ParentKeySql} IS NULL";
            if (query.Archived is { } archived)
            {
                parameters.Add(new NpgsqlParameter<bool> { TypedValue = archived });
                where += $" AND coalesce((state ->> 'archived')::boolean, false) = ${parameters.Count}";
            }
        }
        if (query.Terms is { Count: > 0 } campaignTerms && (campaign || query.Kind == EntityKind.Organization))
        {
            // A summit has few campaigns and organisations: their titles and names are matched as they are, without the
            // search columns.
            var field = campaign ? "title" : "name";
            foreach (var term in campaignTerms)
            {
                parameters.Add(new NpgsqlParameter<string> { TypedValue = term });
                where += $" AND strpos(lower(state ->> '{field}'), ${parameters.Count}) > 0";
            }
        }
        else if (query.Terms is { Count: > 0 } terms)
        {
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = terms.ToArray() });
            where += " AND " + SearchSql.Matches("$" + parameters.Count, terms.Count);
        }
        // An alliance's or finalist's status and a finalist's track (migration 0250's indexes).
        if (query.Status is { } status)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
            where += " AND (state ->> 'status') = $" + parameters.Count;
        }
        if (query.Track is { } track)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = track });
            where += " AND (state ->> 'track') = $" + parameters.Count;
        }
        return (where, parameters);
    }

    // An organisation's parent as a unit key (county:pingyang); NULL at the city level (migration 0300 indexes it).
    private const string ParentKeySql = "((state #>> '{parentUnit,kind}') || ':' || (state #>> '{parentUnit,code}'))";

    /// <summary>The page query of <see cref="QueryEntitiesAsync"/>: the filter's parameters, then offset and limit.</summary>
    public static string EntityPageSql(EntityListQuery query, string where, int filterParameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        var order = query.Kind == EntityKind.SubForum ? "subforum_day, subforum_start, id COLLATE \"C\"" : "id COLLATE \"C\"";
        var sql = $"SELECT state::text FROM summit_entity WHERE {where} ORDER BY {order} OFFSET ${filterParameters + 1}";
        return query.Limit is null ? sql : sql + $" LIMIT ${filterParameters + 2}";
    }

    /// <summary>
    /// The page query of <see cref="QuerySummitsAsync"/>: $1 offset, $2 limit, in the order of ix_summit_entity_summits
    /// (migration 0200), which holds only the summit rows.
    /// </summary>
    public const string SummitPageSql = "SELECT state::text FROM summit_entity WHERE kind = 'summit' ORDER BY id COLLATE \"C\" OFFSET $1 LIMIT $2";

    public async Task<EntityPage> QuerySummitsAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        var (items, total) = await CountAndPage.ReadAsync(dataSource, "SELECT count(*) FROM summit_entity WHERE kind = 'summit'",
            SummitPageSql, [], CountAndPage.PagingParameters(offset, limit), reader => reader.GetString(0), cancellationToken);
        return new EntityPage(items, total);
    }

    public async Task<EntityPage?> QuerySubEventsAsync(string summit, string county, int offset, int? limit, IReadOnlyList<string>? terms = null, CancellationToken cancellationToken = default)
    {
        // One row by its primary key: the venue's sub-events are part of its state, so the page is cut from that row's
        // array in the database and only the page travels.
        await using var command = dataSource.CreateCommand(SubEventPageSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = county });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, offset) });
        command.Parameters.Add(new NpgsqlParameter { Value = limit is { } l ? Math.Max(0, l) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = terms is { Count: > 0 } ? terms.ToArray() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var total = reader.GetInt32(0);
        var items = reader.IsDBNull(1) ? [] : reader.GetFieldValue<string[]>(1);
        return new EntityPage(items, total);
    }

    /// <summary>
    /// The query of <see cref="QuerySubEventsAsync"/>: $1 summit, $2 county, $3 offset, $4 limit (null for all), $5 the
    /// text terms every listed sub-event's id, title and venue hold (null for all; migration 0230).
    /// </summary>
    public const string SubEventPageSql = """
        SELECT (SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.state -> 'subEvents') = 'array' THEN e.state -> 'subEvents' END) AS x(item)
                WHERE summit_search_all(summit_search_subevent(x.item), $5))::integer,
               ARRAY(SELECT x.item::text
                     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.state -> 'subEvents') = 'array' THEN e.state -> 'subEvents' END)
                          WITH ORDINALITY AS x(item, n)
                     WHERE summit_search_all(summit_search_subevent(x.item), $5)
                     ORDER BY x.n OFFSET $3 LIMIT $4)
        FROM summit_entity e
        WHERE e.summit = $1 AND e.kind = 'county' AND e.id = $2
        """;

    /// <summary>The page query of <see cref="QueryTasksAsync"/>: the filter's parameters, then offset and limit.</summary>
    public static string TaskPageSql(TaskListQuery query, string where, int filterParameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = $"SELECT state::text FROM summit_entity WHERE {where} ORDER BY task_due_at, id COLLATE \"C\" OFFSET ${filterParameters + 1}";
        return query.Limit is null ? sql : sql + $" LIMIT ${filterParameters + 2}";
    }

    /// <summary>
    /// The WHERE clause of a task list (<see cref="TaskListQuery.Matches"/> in SQL, on the columns of migration 0150) and
    /// its parameters. Only the filters given are written, so each query is planned for the index that serves it.
    /// </summary>
    public static (string Where, IReadOnlyList<NpgsqlParameter> Parameters) TaskFilter(TaskListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<NpgsqlParameter>();
        string Add<T>(T value)
        {
            parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
            return "$" + parameters.Count;
        }
        var where = new List<string> { $"summit = {Add(query.Summit)}", "kind = 'task'" };
        switch (query.Units)
        {
            case null:
                break;
            // One owner (a unit's own account, or the unit filter) is an equality, which the owner indexes serve in order.
            case [var single]:
                where.Add($"task_owner = {Add(TaskListQuery.OwnerKey(single))}");
                break;
            case var units:
                where.Add($"task_owner = ANY({Add(units.Select(TaskListQuery.OwnerKey).ToArray())})");
                break;
        }
        if (query.Category is { } category) where.Add($"task_category = {Add(TaskListQuery.JsonName(category))}");
        if (query.Status is { } status) where.Add($"task_status = {Add(TaskListQuery.JsonName(status))}");
        // A due date bounds the due moment too (from its day's start to the next day's, a date alone being due at the
        // end of its day): said as well, so the due indexes can start and stop the scan there.
        if (query.DueFrom is { } from) where.Add($"task_due_date >= {Add(from)} AND task_due_at >= {Add(from.AtMidnight())}");
        if (query.DueTo is { } to) where.Add($"task_due_date <= {Add(to)} AND task_due_at <= {Add(to.PlusDays(1).AtMidnight())}");
        if (query.Overdue is { } overdue)
        {
            var late = $"task_open AND task_due_at < {Add(query.Now)}";
            where.Add(overdue ? late : $"NOT coalesce({late}, false)");
        }
        if (query.DueAfter is { } after) where.Add($"task_due_at > {Add(after)}");
        if (query.DueAtOrBefore is { } by) where.Add($"task_due_at <= {Add(by)}");
        if (query.OpenOnly) where.Add("task_open");
        // Archived tasks (migration 0220) are a list of their own; the due indexes carry the flag, so leaving them out
        // costs no extra read.
        where.Add(query.Archived ? "task_archived" : "NOT task_archived");
        if (query.Terms is { Count: > 0 } terms) where.Add(SearchSql.Matches(Add(terms.ToArray()), terms.Count));
        return (string.Join(" AND ", where), parameters);
    }

    /// <summary>
    /// A campaign's board in two statements sent together: the counts per status over the addressees the caller may read
    /// (and the unit-kind filter), and the page (all filters) in the campaign's order of addressees. Each addressee's
    /// submission is found by its primary key (<c>{campaign}:{unit}</c>), its name by its county's or university's row.
    /// </summary>
    public async Task<BoardPage> QueryBoardAsync(CampaignBoardQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Units is { Count: 0 }) return new BoardPage([], 0, new BoardCounts(0, 0, 0, 0, 0, 0, 0));
        var rows = $"""
            WITH c AS (SELECT state FROM summit_entity WHERE summit = $1 AND kind = 'campaign' AND id = $2),
            units AS (
                SELECT a.u ->> 'kind' AS unit_kind, a.u ->> 'code' AS unit_code, a.ord
                FROM c, jsonb_array_elements(c.state -> 'addressees') WITH ORDINALITY AS a(u, ord)),
            board AS (
                SELECT u.unit_kind, u.unit_code, u.ord, n.state ->> 'name' AS unit_name, s.state AS sub,
                       coalesce(s.state ->> 'status', 'notStarted') AS status, coalesce((s.state ->> 'late')::boolean, false) AS late,
                       f.id AS forward_id, (f.state -> 'deadline')::text AS forward_deadline,
                       jsonb_array_length(f.state -> 'addressees') AS forward_addressed, fc.handed_in, fc.accepted
                FROM units u
                LEFT JOIN summit_entity s ON s.summit = $1 AND s.kind = 'submission' AND s.id = $2 || ':' || u.unit_kind || ':' || u.unit_code
                LEFT JOIN summit_entity n ON n.summit = $1 AND n.kind = u.unit_kind AND n.id = u.unit_code
                     AND u.unit_kind IN ('county', 'university', 'organization')
                -- The unit's forward of this campaign to its organisations (migration 0300), and how far their submissions are.
                LEFT JOIN summit_entity f ON f.summit = $1 AND f.kind = 'campaign' AND (f.state -> 'parent') IS NOT NULL
                     AND (f.state ->> 'parent') = $2 AND (f.state -> 'owner' ->> 'kind') = u.unit_kind AND (f.state -> 'owner' ->> 'code') = u.unit_code
                LEFT JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE fs.state ->> 'status' IN ('submitted', 'accepted')) AS handed_in,
                           count(*) FILTER (WHERE fs.state ->> 'status' = 'accepted') AS accepted
                    FROM summit_entity fs
                    WHERE f.id IS NOT NULL AND fs.summit = $1 AND fs.kind = 'submission' AND (fs.state ->> 'campaign') = f.id) fc ON true
                WHERE ($3::text[] IS NULL OR (u.unit_kind || ':' || u.unit_code) = ANY($3))
                  AND ($4::text IS NULL OR u.unit_kind = $4))
            """;
        await using var batch = dataSource.CreateBatch();
        var counts = new NpgsqlBatchCommand(rows + """
            SELECT count(*), count(*) FILTER (WHERE status = 'notStarted'), count(*) FILTER (WHERE status = 'draft'),
                   count(*) FILTER (WHERE status = 'submitted'), count(*) FILTER (WHERE status = 'returned'),
                   count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE late),
                   count(*) FILTER (WHERE ($5::text IS NULL OR status = $5) AND ($6::boolean IS NULL OR late = $6))
            FROM board
            """);
        var page = new NpgsqlBatchCommand(rows + """
            SELECT unit_kind, unit_code, unit_name, status, late, coalesce((sub ->> 'version')::integer, 0),
                   coalesce((sub ->> 'submittedVersions')::integer, 0), sub ->> 'submittedAt', sub ->> 'updatedAt', sub ->> 'receiver',
                   forward_id, forward_deadline, forward_addressed, handed_in, accepted
            FROM board
            WHERE ($5::text IS NULL OR status = $5) AND ($6::boolean IS NULL OR late = $6)
            ORDER BY ord OFFSET $7 LIMIT $8
            """);
        foreach (var command in new[] { counts, page })
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Summit });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Campaign });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Units?.Select(TaskListQuery.OwnerKey).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)(query.UnitKind is { } k ? JsonNamingPolicy.CamelCase.ConvertName(k.ToString()) : null) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)(query.Status is { } st ? JsonNamingPolicy.CamelCase.ConvertName(st.ToString()) : null) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Late ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            batch.BatchCommands.Add(command);
        }
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Offset) });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Limit) });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(7);
        var tally = new BoardCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3),
            (int)reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6));
        await reader.NextResultAsync(cancellationToken);
        var items = new List<BoardRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = Enum.Parse<UnitKind>(reader.GetString(0), ignoreCase: true);
            var code = reader.GetString(1);
            var name = reader.IsDBNull(2) ? SecretariatDepartments.Find(code)?.Name : reader.GetString(2);
            items.Add(new BoardRow(
                new OwningUnit(kind, code),
                name,
                Enum.Parse<BoardStatus>(reader.GetString(3), ignoreCase: true),
                reader.GetBoolean(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : NodaTime.Text.InstantPattern.ExtendedIso.Parse(reader.GetString(7)).GetValueOrThrow(),
                reader.IsDBNull(8) ? null : NodaTime.Text.InstantPattern.ExtendedIso.Parse(reader.GetString(8)).GetValueOrThrow(),
                reader.IsDBNull(9) ? null : reader.GetString(9))
            {
                Forward = reader.IsDBNull(10) ? null : new ForwardProgress(
                    reader.GetString(10),
                    reader.IsDBNull(11) ? null : JsonSerializer.Deserialize<Deadline>(reader.GetString(11), SummitJson.Options),
                    reader.GetInt32(12),
                    (int)reader.GetInt64(13),
                    (int)reader.GetInt64(14)),
            });
        }
        return new BoardPage(items, total, tally);
    }

    /// <summary>A campaign's submissions in id order (migration 0270's index), only the caller's units' when it reads only its own.</summary>
    public async Task<EntityPage> QuerySubmissionsAsync(SubmissionListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Units is { Count: 0 }) return new EntityPage([], 0);
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<string> { TypedValue = query.Summit },
            new NpgsqlParameter<string> { TypedValue = query.Campaign },
        };
        var where = "summit = $1 AND kind = 'submission' AND (state ->> 'campaign') = $2";
        if (query.Units is { } units)
        {
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = units.Select(u => Submission.IdOf(query.Campaign, u)).ToArray() });
            where += $" AND id = ANY(${parameters.Count})";
        }
        if (query.Status is { } status)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonNamingPolicy.CamelCase.ConvertName(status.ToString()) });
            where += $" AND (state ->> 'status') = ${parameters.Count}";
        }
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) FROM summit_entity WHERE {where}",
            $"SELECT state::text FROM summit_entity WHERE {where} ORDER BY id COLLATE \"C\" OFFSET ${parameters.Count + 1} LIMIT ${parameters.Count + 2}",
            parameters, CountAndPage.PagingParameters(query.Offset, query.Limit), reader => reader.GetString(0), cancellationToken);
        return new EntityPage(items, total);
    }

    /// <summary>
    /// The open campaigns the secretariat sent (forwards are their units' own; migration 0270's status index) and, for the page only, each one's counts per status over its
    /// addressees (each submission by its primary key, as on the board), soonest deadline first: a deadline's local due
    /// moment as the task list orders it (a date alone at the end of its day), then id. $1 summit, $2 the caller's units
    /// (null for all), then offset and limit.
    /// </summary>
    public const string OpenCampaignsWhere = """
        summit = $1 AND kind = 'campaign' AND (state ->> 'status') = 'published' AND (state -> 'parent') IS NULL
          AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(state -> 'addressees') AS a(u)
                                             WHERE (a.u ->> 'kind') || ':' || (a.u ->> 'code') = ANY($2)))
        """;

    public const string OpenCampaignsPageSql = $"""
        SELECT p.id, p.state ->> 'title', (p.state -> 'deadline')::text, n.*
        FROM (SELECT id, state, summit_task_due_at(jsonb_build_object('due', state -> 'deadline')) AS due_at
              FROM summit_entity WHERE {OpenCampaignsWhere}
              ORDER BY due_at NULLS LAST, id COLLATE "C" OFFSET $3 LIMIT $4) AS p
        CROSS JOIN LATERAL (
            SELECT count(*), count(*) FILTER (WHERE b.status = 'notStarted'), count(*) FILTER (WHERE b.status = 'draft'),
                   count(*) FILTER (WHERE b.status = 'submitted'), count(*) FILTER (WHERE b.status = 'returned'),
                   count(*) FILTER (WHERE b.status = 'accepted'), count(*) FILTER (WHERE b.late)
            FROM (SELECT coalesce(s.state ->> 'status', 'notStarted') AS status, coalesce((s.state ->> 'late')::boolean, false) AS late
                  FROM jsonb_array_elements(p.state -> 'addressees') AS a(u)
                  LEFT JOIN summit_entity s ON s.summit = $1 AND s.kind = 'submission'
                                           AND s.id = p.id || ':' || (a.u ->> 'kind') || ':' || (a.u ->> 'code')
                  WHERE $2::text[] IS NULL OR (a.u ->> 'kind') || ':' || (a.u ->> 'code') = ANY($2)) AS b) AS n
        ORDER BY p.due_at NULLS LAST, p.id COLLATE "C"
        """;

    public async Task<OpenCampaignsPage> QueryOpenCampaignsAsync(OpenCampaignsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Units is { Count: 0 }) return new OpenCampaignsPage([], 0);
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<string> { TypedValue = query.Summit },
            new NpgsqlParameter { Value = (object?)query.Units?.Select(TaskListQuery.OwnerKey).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        };
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) FROM summit_entity WHERE {OpenCampaignsWhere}",
            OpenCampaignsPageSql, parameters, CountAndPage.PagingParameters(query.Offset, query.Limit),
            reader => new OpenCampaignRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : JsonSerializer.Deserialize<Deadline>(reader.GetString(2), SummitJson.Options),
                new BoardCounts((int)reader.GetInt64(3), (int)reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6),
                    (int)reader.GetInt64(7), (int)reader.GetInt64(8), (int)reader.GetInt64(9))),
            cancellationToken);
        return new OpenCampaignsPage(items, total);
    }

    public async Task<EntityPage> QuerySnapshotsAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default)
    {
        const string Where = "summit = $1 AND kind = $2 AND id = $3";
        var (items, total) = await CountAndPage.ReadAsync(dataSource, $"SELECT count(*) FROM summit_entity_snapshot WHERE {Where}",
            $"SELECT state::text FROM summit_entity_snapshot WHERE {Where} ORDER BY number OFFSET $4 LIMIT $5",
            KeyParameters(key), CountAndPage.PagingParameters(offset, limit), reader => reader.GetString(0), cancellationToken);
        return new EntityPage(items, total);
    }

    public async Task<string?> LoadSnapshotAsync(EntityKey key, int number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT state::text FROM summit_entity_snapshot WHERE summit = $1 AND kind = $2 AND id = $3 AND number = $4");
        AddKey(command.Parameters, key);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = number });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(reader.GetString(0));
        return result;
    }

    private static List<NpgsqlParameter> KeyParameters(EntityKey key) =>
    [
        new NpgsqlParameter<string> { TypedValue = key.Summit },
        new NpgsqlParameter<string> { TypedValue = AuditNames.Of(key.Kind) },
        new NpgsqlParameter<string> { TypedValue = key.Id },
    ];

    protected static void AddKey(NpgsqlParameterCollection parameters, EntityKey key)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Summit });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = AuditNames.Of(key.Kind) });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Id });
    }
}

/// <summary>
/// Entities in PostgreSQL (<c>summit_entity</c>, migration 0140). Each change is one statement that writes the state
/// row, its <c>summit_audit</c> row and, for a keyed request, its <c>summit_idempotency</c> row: the state row only if
/// the key is not yet applied and the revision is still the expected one, the other two only if the state row was
/// written, so nothing is written unless all of it is.
/// </summary>
/// <remarks>
/// Group commit: commits wait in a queue served by a few writers. An idle writer takes a change at once, so at low
/// load nothing waits; while writers are busy, changes pile up and the next free writer sends all of them (up to
/// <see cref="MaxBatch"/>) as one batch, one round trip and one transaction. If a batch fails for a reason that is not
/// the connection's, each of its changes is tried alone, so one bad change cannot fail the others.
/// </remarks>
public sealed class PostgresEntityStore : PostgresEntityReader, IEntityStore, IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;

    public PostgresEntityStore(NpgsqlDataSource dataSource, ILogger<PostgresEntityStore> logger, int writers = 4) : base(dataSource)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>The data source it writes through, for the silo's other stores to share its pool.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public Task<CommitOutcome> CommitAsync(EntityCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var pending = new Pending(commit);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(PostgresEntityStore));
        return pending.Outcome.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var pending)) batch.Add(pending);
            if (batch.Count == 0) continue;
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1 && !IsConnectionFailure(e))
            {
                _logger.LogWarning(e, "A group commit of {Count} changes failed; committing them one by one.", batch.Count);
                foreach (var pending in batch) await WriteAloneAsync(pending);
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Outcome.TrySetException(Unavailable(e));
            }
            batch.Clear();
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await WriteAsync([pending]);
        }
        catch (Exception e)
        {
            pending.Outcome.TrySetException(IsConnectionFailure(e) ? Unavailable(e) : e);
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> pending)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        // A batch runs in one implicit transaction: all of its changes commit together or none does.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var p in pending) batch.BatchCommands.Add(CommandFor(p.Commit));
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            var outcomes = new CommitOutcome[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync();
                await reader.ReadAsync();
                var keyFree = reader.GetBoolean(0);
                var written = reader.GetBoolean(1);
                outcomes[i] = !keyFree ? CommitOutcome.AlreadyApplied : written ? CommitOutcome.Committed : CommitOutcome.RevisionConflict;
            }
            while (await reader.NextResultAsync()) { }
            // Answer only once the transaction has committed, which the end of the reader's results confirms.
            await reader.DisposeAsync();
            for (var i = 0; i < pending.Count; i++) pending[i].Outcome.TrySetResult(outcomes[i]);
        }
    }

    private static NpgsqlBatchCommand CommandFor(EntityCommit commit)
    {
        // $1-$3 key, $4 expected revision, $5 version, $6 state; $7-$13 history; $14-$18 idempotency; $19-$20 the summit's revision.
        var keyed = commit.Idempotency is not null;
        var audited = commit.Change is not null;
        // The facts of the summit the change was judged by (zone, dates, mode) must still be the stored ones.
        var summitChecked = commit.SummitRevision is not null;
        // A kept snapshot (a submission's handed-in version) is written only with the state row, like the audit row.
        var snapshot = commit.Snapshot;
        var snap = summitChecked ? 21 : 19;
        // The key is checked first and recorded last, only together with the entity row: a change refused for a stale
        // revision leaves its key unused, so the retry of that very request (after the grain reloads) is applied, not
        // mistaken for one already applied. Two commits of one key both target the same entity row, whose lock orders
        // them; the second then fails the revision check and, on its retry, finds the key applied.
        var sql = $"""
            WITH key_free AS (SELECT {(keyed ? IdempotencyClaims.Free("$14", "$15", "$16") : "true")} AS free),
            ent AS (
                INSERT INTO summit_entity AS e (summit, kind, id, revision, version, state, updated_at)
                SELECT $1, $2, $3, $4 + 1, $5, $6::jsonb, now() WHERE (SELECT free FROM key_free){(summitChecked ? """

                    AND EXISTS (SELECT 1 FROM summit_entity s WHERE s.summit = $1 AND s.kind = $20 AND s.id = $1 AND s.revision = $19)
                """ : "")}
                ON CONFLICT ON CONSTRAINT pk_summit_entity DO UPDATE
                    SET revision = excluded.revision, version = excluded.version, state = excluded.state, updated_at = excluded.updated_at
                    WHERE e.revision = $4
                RETURNING 1){(keyed ? $"""
            ,
            idem AS (
                INSERT INTO summit_idempotency {IdempotencyClaims.AppliedColumns}
                SELECT $14, $15, $16, $17, now(), $18, $2, $3, $5 WHERE EXISTS (SELECT 1 FROM ent)
                {IdempotencyClaims.TakeOver}
                RETURNING 1)
            """ : "")}{(audited ? """
            ,
            audit AS (
                INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, unit, changes, note)
                SELECT $7, $2, $3, $5, $8, $9, $10, $11, $12::jsonb, $13 WHERE EXISTS (SELECT 1 FROM ent)
                ON CONFLICT ON CONSTRAINT ux_summit_audit_change DO NOTHING
                RETURNING 1)
            """ : "")}{(snapshot is not null ? $"""
            ,
            snap AS (
                INSERT INTO summit_entity_snapshot (summit, kind, id, number, version, at, account, state)
                SELECT $1, $2, $3, ${snap}, $5, coalesce($8, now()), coalesce($9, ''), ${snap + 1}::jsonb WHERE EXISTS (SELECT 1 FROM ent)
                RETURNING 1)
            """ : "")}
            SELECT (SELECT free FROM key_free), EXISTS (SELECT 1 FROM ent)
            """;
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        AddKey(p, commit.Key);
        p.Add(new NpgsqlParameter<long> { TypedValue = commit.ExpectedRevision });
        p.Add(new NpgsqlParameter<int> { TypedValue = commit.Version });
        p.Add(new NpgsqlParameter<string> { TypedValue = commit.Json, NpgsqlDbType = NpgsqlDbType.Text });
        var change = commit.Change;
        p.Add(Text(change?.Summit));
        p.Add(new NpgsqlParameter { Value = (object?)change?.At ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(Text(change?.Account));
        p.Add(Text(change is null ? null : AuditNames.Of(change.Role)));
        p.Add(Text(change?.Unit));
        p.Add(Text(change is null ? null : JsonSerializer.Serialize(change.Changes ?? [], SummitJson.Options)));
        p.Add(Text(change?.Note));
        var mark = commit.Idempotency;
        p.Add(Text(mark?.Account));
        p.Add(Text(mark?.Route));
        p.Add(Text(mark?.Key));
        p.Add(new NpgsqlParameter { Value = (object?)mark?.RequestHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter { Value = (object?)mark?.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (summitChecked)
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = commit.SummitRevision!.Value });
            p.Add(new NpgsqlParameter<string> { TypedValue = AuditNames.Of(EntityKind.Summit) });
        }
        if (snapshot is not null)
        {
            p.Add(new NpgsqlParameter<int> { TypedValue = snapshot.Number });
            p.Add(new NpgsqlParameter<string> { TypedValue = snapshot.Json, NpgsqlDbType = NpgsqlDbType.Text });
        }
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static bool IsConnectionFailure(Exception e) =>
        e is NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException
        || e is NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException };

    // Npgsql's exceptions do not cross a grain call; the grain and the Gateway understand this one.
    private static Exception Unavailable(Exception e) => new StorageUnavailableException(e.Message);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private sealed class Pending(EntityCommit commit)
    {
        public EntityCommit Commit { get; } = commit;

        public TaskCompletionSource<CommitOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
