using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Data.Storage;

/// <summary>The SQL of a text match on the search columns of migration 0230.</summary>
public static class SearchSql
{
    /// <summary>
    /// A row whose text holds every term: its character pairs (or the character, for a one-character term) are in
    /// <c>search_grams</c>, which the GIN indexes answer, and <c>search_text</c> holds each term as written.
    /// </summary>
    /// <param name="terms">The parameter holding the terms as a text[], e.g. <c>$4</c>.</param>
    /// <param name="count">How many terms it holds.</param>
    public static string Matches(string terms, int count, string alias = "")
    {
        var prefix = alias.Length > 0 ? alias + "." : "";
        var each = Enumerable.Range(1, count).Select(i =>
            $"strpos({prefix}search_text, lower(({terms})[{i.ToString(CultureInfo.InvariantCulture)}])) > 0");
        return $"{prefix}search_grams @> summit_search_query_grams({terms}) AND {string.Join(" AND ", each)}";
    }

    /// <summary>
    /// The rank of a title against the phrase <paramref name="phrase"/> (already lower-case): 0 equal, 1 starts with it,
    /// 2 holds it, 3 otherwise (another field matched).
    /// </summary>
    public static string Rank(string title, string phrase) =>
        $"CASE WHEN {title} = {phrase} THEN 0 WHEN starts_with({title}, {phrase}) THEN 1 WHEN strpos({title}, {phrase}) > 0 THEN 2 ELSE 3 END";
}

/// <summary>
/// Text search of a summit (<see cref="ISummitSearch"/>): one query per kind, all sent in one round trip. Each entity
/// kind ranks at most <see cref="SearchQuery.Candidates"/> matches from the pairs index plus the titles that start with
/// the query (from the title index), so a query that matches most tasks costs the same as one that matches a few
/// hundred. The caller's readable owners and units are conditions of each query.
/// </summary>
public sealed class PostgresSearch(NpgsqlDataSource dataSource) : ISummitSearch
{
    private sealed record KindSql(SearchKind Kind, string StoredKind, string Access, string Columns);

    // What each kind answers besides its id and title: unit, county, date, status.
    private static readonly KindSql[] EntityKinds =
    [
        new(SearchKind.Task, "task", "task_owner = ANY($4)",
            "e.task_owner, NULL, e.task_due_date::text, e.task_status"),
        new(SearchKind.SubForum, "subForum", "list_units && $4",
            "'university:' || (e.state ->> 'hostUniversity'), NULL, e.subforum_day::text, e.state ->> 'status'"),
        new(SearchKind.Project, "project", "list_units && $4",
            "'county:' || (e.state ->> 'county'), e.state ->> 'county', NULL, e.state ->> 'stage'"),
        new(SearchKind.County, "county", "list_units && $4",
            "'county:' || e.id, e.id, NULL, NULL"),
        new(SearchKind.University, "university", "list_units && $4",
            "'university:' || e.id, NULL, NULL, e.state ->> 'engagement'"),
        // Alliances and finalists belong to no unit (list_units is NULL): only those who read the whole summit find them.
        new(SearchKind.Alliance, "alliance", "list_units && $4",
            "(e.state -> 'leadUnit' ->> 'kind') || ':' || (e.state -> 'leadUnit' ->> 'code'), NULL, e.state ->> 'signingDate', e.state ->> 'status'"),
        new(SearchKind.Finalist, "finalist", "list_units && $4",
            "NULL, NULL, NULL, e.state ->> 'status'"),
    ];

    public async Task<IReadOnlyList<SearchGroup>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hits = Enum.GetValues<SearchKind>().ToDictionary(k => k, _ => new List<SearchHit>());
        if (query.Terms.Count == 0) return Groups(hits, query.Limit);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var order = new List<SearchKind>();
        foreach (var kind in EntityKinds)
        {
            var units = kind.Kind == SearchKind.Task ? query.TaskOwners : query.Units;
            if (units is { Count: 0 }) continue;
            // No unit reads an alliance or a finalist: a unit's search does not ask.
            if (units is not null && kind.Kind is SearchKind.Alliance or SearchKind.Finalist) continue;
            batch.BatchCommands.Add(EntityCommand(kind, query, units));
            order.Add(kind.Kind);
        }
        if (query.Units is not { Count: 0 })
        {
            batch.BatchCommands.Add(SubEventCommand(query));
            order.Add(SearchKind.SubEvent);
        }
        if (query.People is not { Count: 0 })
        {
            batch.BatchCommands.Add(PersonCommand(query));
            order.Add(SearchKind.Person);
        }
        if (order.Count == 0) return Groups(hits, query.Limit);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var kind in order)
        {
            var list = hits[kind];
            while (await reader.ReadAsync(cancellationToken))
                list.Add(new SearchHit(kind, reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6)));
            await reader.NextResultAsync(cancellationToken);
        }
        return Groups(hits, query.Limit);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // Each query returns up to limit + 1 rows: the extra one only says that more match.
    private static List<SearchGroup> Groups(Dictionary<SearchKind, List<SearchHit>> hits, int limit) =>
        Enum.GetValues<SearchKind>().Select(k => new SearchGroup(k, hits[k].Take(limit).ToArray(), hits[k].Count > limit)).ToList();

    /// <summary>
    /// $1 summit, $2 the terms, $3 the phrase, $4 the readable owners or units (when limited), then limit + 1 and the
    /// candidate cap. The titles starting with the phrase come from ix_summit_search_title in order; the other matches
    /// from the kind's pairs index, at most the cap of them.
    /// </summary>
    private static NpgsqlBatchCommand EntityCommand(KindSql kind, SearchQuery query, IReadOnlyList<OwningUnit>? units)
    {
        var access = units is null ? "" : " AND " + kind.Access;
        var command = new NpgsqlBatchCommand($"""
            WITH candidates AS (
                (SELECT id FROM summit_entity
                 WHERE summit = $1 AND kind = '{kind.StoredKind}'{access}
                   AND search_title COLLATE "C" >= lower($3) AND search_title COLLATE "C" < lower($3) || chr(1114111)
                 ORDER BY search_title COLLATE "C" LIMIT $6)
                UNION
                (SELECT id FROM summit_entity
                 WHERE summit = $1 AND kind = '{kind.StoredKind}'{access} AND {SearchSql.Matches("$2", query.Terms.Count)}
                 LIMIT $6))
            SELECT e.id, coalesce(e.state ->> '{TitleMember(kind.Kind)}', e.id), {SearchSql.Rank("e.search_title", "lower($3)")} AS rank, {kind.Columns}
            FROM candidates c JOIN summit_entity e ON e.summit = $1 AND e.kind = '{kind.StoredKind}' AND e.id = c.id
            ORDER BY rank, length(e.search_title), e.id COLLATE "C"
            LIMIT $5
            """);
        AddCommon(command, query, units);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SearchQuery.Candidates });
        return command;
    }

    private static string TitleMember(SearchKind kind) => kind switch
    {
        SearchKind.SubForum => "theme",
        SearchKind.County or SearchKind.University or SearchKind.Alliance => "name",
        SearchKind.Finalist => "projectName",
        _ => "title",
    };

    /// <summary>
    /// A county's sub-events: the venues whose pairs (their own and their sub-events') match, then each of their
    /// sub-events whose id, title and venue hold every term. Readable as their venue is.
    /// </summary>
    private static NpgsqlBatchCommand SubEventCommand(SearchQuery query)
    {
        var access = query.Units is null ? "" : " AND e.list_units && $4";
        var command = new NpgsqlBatchCommand($"""
            SELECT x.item ->> 'id', coalesce(x.item ->> 'title', x.item ->> 'id'),
                   {SearchSql.Rank("lower(x.item ->> 'title')", "lower($3)")} AS rank,
                   'county:' || e.id, e.id, x.item ->> 'date', x.item ->> 'status'
            FROM summit_entity e
            CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.state -> 'subEvents') = 'array' THEN e.state -> 'subEvents' END) AS x(item)
            WHERE e.summit = $1 AND e.kind = 'county'{access}
              AND e.search_grams @> summit_search_query_grams($2)
              AND summit_search_all(summit_search_subevent(x.item), $2)
              AND x.item ->> 'id' IS NOT NULL
            ORDER BY rank, length(x.item ->> 'title'), e.id COLLATE "C", x.item ->> 'id' COLLATE "C"
            LIMIT $5
            """);
        AddCommon(command, query, query.Units);
        return command;
    }

    /// <summary>
    /// Accounts found by username, name or their unit's name in this summit ("平阳" finds county-pingyang). Admins are
    /// no summit's people, disabled accounts no one's. The accounts are few, so they are read without an index.
    /// </summary>
    /// <remarks>The name is read as to_jsonb(a) ->> 'display_name', so the query holds whether or not the accounts
    /// table has that column yet.</remarks>
    private static NpgsqlBatchCommand PersonCommand(SearchQuery query)
    {
        var access = query.People is null ? "" : " AND (a.role || ':' || a.unit) = ANY($4)";
        var command = new NpgsqlBatchCommand($"""
            SELECT a.username, coalesce(nullif(to_jsonb(a) ->> 'display_name', ''), a.username),
                   {SearchSql.Rank("lower(coalesce(nullif(to_jsonb(a) ->> 'display_name', ''), a.username))", "lower($3)")} AS rank,
                   CASE WHEN a.unit IS NOT NULL THEN a.role || ':' || a.unit END, CASE WHEN a.role = 'county' THEN a.unit END, NULL, a.role
            FROM summit_accounts a
            LEFT JOIN summit_entity u ON u.summit = $1 AND u.kind = a.role AND u.id = a.unit
            WHERE a.disabled_at IS NULL AND a.role <> 'admin'{access}
              AND summit_search_all(lower(a.username || chr(31) || coalesce(to_jsonb(a) ->> 'display_name', '') || chr(31)
                                          || coalesce(u.search_title, '')), $2)
            ORDER BY rank, a.username COLLATE "C"
            LIMIT $5
            """);
        AddCommon(command, query, query.People);
        return command;
    }

    private static void AddCommon(NpgsqlBatchCommand command, SearchQuery query, IReadOnlyList<OwningUnit>? units)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Summit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = query.Terms.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SearchText.Phrase(query.Terms) });
        // $4 is always sent (an unused parameter still needs a type) so the numbering stays the same.
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = units is null ? DBNull.Value : units.Select(TaskListQuery.OwnerKey).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
    }
}
