using System.Text;
using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
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

    public async Task RecordAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<string>("summit", change.Summit));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", AuditNames.Of(change.Kind)));
        command.Parameters.Add(new NpgsqlParameter<string>("entity_id", change.EntityId));
        command.Parameters.Add(new NpgsqlParameter<int>("version", change.Version));
        command.Parameters.Add(new NpgsqlParameter<Instant>("at", change.At));
        command.Parameters.Add(new NpgsqlParameter<string>("account", change.Account));
        command.Parameters.Add(new NpgsqlParameter<string>("role", AuditNames.Of(change.Role)));
        command.Parameters.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = (object?)change.Unit ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(change.Changes ?? [], SummitJson.Options),
        });
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)change.Note ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<ChangeRecord> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
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

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                WithParameters(new NpgsqlBatchCommand($"SELECT count(*) FROM summit_audit WHERE {where}"), parameters),
                WithParameters(new NpgsqlBatchCommand($"""
                    SELECT summit, entity_kind, entity_id, version, at, account, role, unit, changes::text, note
                    FROM summit_audit WHERE {where}
                    ORDER BY at DESC, id DESC
                    OFFSET @offset LIMIT @limit
                    """), parameters,
                    new NpgsqlParameter<int>("offset", Math.Max(0, query.Offset)),
                    new NpgsqlParameter<int>("limit", Math.Max(0, query.Limit))),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = checked((int)reader.GetInt64(0));
        await reader.NextResultAsync(cancellationToken);

        var items = new List<ChangeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ChangeRecord(
                Summit: reader.GetString(0),
                Kind: AuditNames.TryParseKind(reader.GetString(1), out var k) ? k : throw new InvalidDataException($"Unknown entity kind '{reader.GetString(1)}' in summit_audit."),
                EntityId: reader.GetString(2),
                Version: reader.GetInt32(3),
                At: reader.GetFieldValue<Instant>(4),
                Account: reader.GetString(5),
                Role: AuditNames.ParseRole(reader.GetString(6)),
                Unit: reader.IsDBNull(7) ? null : reader.GetString(7),
                Changes: JsonSerializer.Deserialize<FieldChange[]>(reader.GetString(8), SummitJson.Options) ?? [],
                Note: reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return (items, total);
    }

    private static NpgsqlBatchCommand WithParameters(NpgsqlBatchCommand command, IEnumerable<NpgsqlParameter> shared, params NpgsqlParameter[] own)
    {
        // A parameter object belongs to one command, so each batch command gets its own copies.
        foreach (var parameter in shared.Concat(own)) command.Parameters.Add(parameter.Clone());
        return command;
    }
}
