using System.Text;
using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Journal;
using Summit.Serialization;

namespace Summit.Data.Audit;

/// <summary>The audit trail in PostgreSQL (table <c>summit_audit</c>, migration 0101).</summary>
public sealed class PostgresChangeJournal(NpgsqlDataSource dataSource) : IChangeJournal, IAuditReader
{
    private const string InsertSql = """
        INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, unit, changes, note)
        VALUES (@summit, @kind, @entity_id, @version, @at, @account, @role, @unit, @changes, @note)
        ON CONFLICT ON CONSTRAINT ux_summit_audit_change DO NOTHING
        """;

    /// <summary>The insert for a row nothing follows: <c>tx</c> NULL keeps it out of the change stream.</summary>
    private const string InsertUnfollowedSql = """
        INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, unit, changes, note, tx)
        VALUES (@summit, @kind, @entity_id, @version, @at, @account, @role, @unit, @changes, @note, NULL)
        ON CONFLICT ON CONSTRAINT ux_summit_audit_change DO NOTHING
        """;

    public async Task RecordAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var command = dataSource.CreateCommand(InsertSql);
        AddParameters(command.Parameters, change);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a change in the caller's transaction, for a store whose rows are not entities (a calendar feed): in the
    /// audit trail, with no change-stream position, as nothing follows it.
    /// </summary>
    internal static async Task RecordUnfollowedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ChangeRecord change, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertUnfollowedSql, connection, transaction);
        AddParameters(command.Parameters, change);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, ChangeRecord change)
    {
        parameters.Add(new NpgsqlParameter<string>("summit", change.Summit));
        parameters.Add(new NpgsqlParameter<string>("kind", AuditNames.Of(change.Kind)));
        parameters.Add(new NpgsqlParameter<string>("entity_id", change.EntityId));
        parameters.Add(new NpgsqlParameter<int>("version", change.Version));
        parameters.Add(new NpgsqlParameter<Instant>("at", change.At));
        parameters.Add(new NpgsqlParameter<string>("account", change.Account));
        parameters.Add(new NpgsqlParameter<string>("role", AuditNames.Of(change.Role)));
        parameters.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = (object?)change.Unit ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(change.Changes ?? [], SummitJson.Options),
        });
        parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)change.Note ?? DBNull.Value });
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Max(0, query.Limit);
        var (count, page, filter, paging) = QuerySql(query);
        var (rows, total) = await CountAndPage.ReadAsync(dataSource, count, page, filter, paging,
            reader => AuditRows.Read(reader) is { } row ? new Row(row.Change, row.RowId) : null, cancellationToken);
        // One row more than the page was read: it says whether another page follows.
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new AuditPage(rows.Select(r => r.Change).ToArray(), total,
            more && rows.Count > 0 ? new AuditPosition(rows[^1].Change.At, rows[^1].Id) : null);
    }

    /// <summary>
    /// The count and page queries of <see cref="QueryAsync"/> and their parameters. Newest first by (at, id): each filter
    /// has an index ending in (at DESC, id DESC) (migration 0180), so a page after a cursor starts in the index at the
    /// cursor. The page reads one row more than the limit.
    /// </summary>
    public static (string Count, string Page, IReadOnlyList<NpgsqlParameter> Filter, IReadOnlyList<NpgsqlParameter> Paging) QuerySql(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("summit = @summit");
        var parameters = new List<NpgsqlParameter> { new NpgsqlParameter<string>("summit", query.Summit) };
        if (query.Kind is { } kind)
        {
            where.Append(" AND entity_kind = @kind");
            parameters.Add(new NpgsqlParameter<string>("kind", AuditNames.Of(kind)));
        }
        if (query.EntityId is not null)
        {
            where.Append(" AND entity_id = @entity_id");
            parameters.Add(new NpgsqlParameter<string>("entity_id", query.EntityId));
        }
        if (query.Account is not null)
        {
            where.Append(" AND account = @account");
            parameters.Add(new NpgsqlParameter<string>("account", query.Account));
        }
        if (query.From is { } from)
        {
            where.Append(" AND at >= @from");
            parameters.Add(new NpgsqlParameter<Instant>("from", from));
        }
        if (query.To is { } to)
        {
            where.Append(" AND at < @to");
            parameters.Add(new NpgsqlParameter<Instant>("to", to));
        }
        var paging = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<int>("offset", Math.Max(0, query.Offset)),
            // One more than the limit, as a bigint, so int.MaxValue does not overflow.
            new NpgsqlParameter<long>("limit", Math.Max(0, query.Limit) + 1L),
        };
        var after = "";
        if (query.After is { } position)
        {
            after = " AND (at, id) < (@after_at, @after_id)";
            paging.Add(new NpgsqlParameter<Instant>("after_at", position.At));
            paging.Add(new NpgsqlParameter<long>("after_id", position.Id));
        }
        var page = $"""
            SELECT {AuditRows.Columns}
            FROM summit_audit WHERE {where}{after}
            ORDER BY at DESC, id DESC
            OFFSET @offset LIMIT @limit
            """;
        return ($"SELECT count(*) FROM summit_audit WHERE {where}", page, parameters, paging);
    }

    private sealed record Row(ChangeRecord Change, long Id);
}
