using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Idempotency;
using Summit.Domain;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Data.Storage;

/// <summary>
/// Campaign reminders in PostgreSQL (migration 0290): <c>summit_campaign_reminder</c>, one row per reminder made, and
/// <c>summit_campaign_nudge</c>, one row per 催报. The open units are found in SQL from the campaign rows (published, with
/// a deadline; the status index of migration 0270) and each addressee's submission by its primary key.
/// </summary>
public sealed class PostgresCampaignReminderStore(NpgsqlDataSource dataSource) : ICampaignReminderStore
{
    public async Task<IReadOnlyList<OpenCampaignUnit>> OpenUnitsAsync(string summit, string? campaign = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH c AS (
                SELECT id, state ->> 'title' AS title, state -> 'deadline' AS deadline, state -> 'addressees' AS addressees
                FROM summit_entity
                WHERE summit = $1 AND kind = 'campaign' AND (state ->> 'status') = 'published'
                  AND jsonb_typeof(state -> 'deadline') = 'object' AND jsonb_typeof(state -> 'addressees') = 'array'
                  AND ($2::text IS NULL OR id = $2)),
            u AS (
                SELECT c.id, c.title, c.deadline, a.ord, (a.u ->> 'kind') || ':' || (a.u ->> 'code') AS unit
                FROM c CROSS JOIN LATERAL jsonb_array_elements(c.addressees) WITH ORDINALITY AS a(u, ord))
            SELECT u.id, u.title, u.deadline::text, u.unit,
                   coalesce((s.state ->> 'submittedVersions')::integer, 0),
                   CASE WHEN (s.state ->> 'status') = 'returned' THEN s.state ->> 'reviewedAt' END,
                   coalesce((SELECT array_agg(r.cycle || '|' || r.step) FROM summit_campaign_reminder r
                             WHERE r.summit = $1 AND r.campaign = u.id AND r.unit = u.unit), '{}')
            FROM u
            LEFT JOIN summit_entity s ON s.summit = $1 AND s.kind = 'submission' AND s.id = u.id || ':' || u.unit
            WHERE coalesce(s.state ->> 'status', 'draft') IN ('draft', 'returned')
            ORDER BY u.id COLLATE "C", u.ord
            """);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(campaign));
        var result = new List<OpenCampaignUnit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var deadline = JsonSerializer.Deserialize<Deadline>(reader.GetString(2), SummitJson.Options);
            if (deadline is null || TaskListQuery.ParseOwnerKey(reader.GetString(3)) is not { } unit) continue;
            result.Add(new OpenCampaignUnit(
                reader.GetString(0), reader.GetString(1), deadline, unit, reader.GetInt32(4),
                reader.IsDBNull(5) ? null : InstantPattern.ExtendedIso.Parse(reader.GetString(5)).GetValueOrThrow(),
                reader.GetFieldValue<string[]>(6)));
        }
        return result;
    }

    public async Task RecordAsync(string summit, IReadOnlyList<CampaignReminderRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        await using var command = dataSource.CreateCommand(InsertRows);
        AddRows(command.Parameters, summit, rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string InsertRows = """
        INSERT INTO summit_campaign_reminder (summit, campaign, unit, cycle, step, at, notification_id)
        SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
        ON CONFLICT ON CONSTRAINT pk_summit_campaign_reminder DO NOTHING
        """;

    private static void AddRows(NpgsqlParameterCollection parameters, string summit, IReadOnlyList<CampaignReminderRow> rows)
    {
        parameters.Add(Text(summit));
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Campaign).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => TaskListQuery.OwnerKey(r.Unit)).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Cycle).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Step).ToArray() });
        parameters.Add(new NpgsqlParameter<Instant[]> { TypedValue = rows.Select(r => r.At).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.NotificationId).ToArray() });
    }

    public async Task<NudgeResult> NudgeAsync(
        string summit, string campaign, Instant at, string account, IReadOnlyList<OwningUnit> units, Instant notAfter,
        IdempotencyMark? mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One nudge of a campaign at a time, whichever silo or Gateway asks.
        await using (var lockCampaign = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('summit_campaign_nudge|' || $1 || '|' || $2, 0))", connection, transaction))
        {
            lockCampaign.Parameters.Add(Text(summit));
            lockCampaign.Parameters.Add(Text(campaign));
            await lockCampaign.ExecuteNonQueryAsync(cancellationToken);
        }
        var last = await LastNudgeAsync(connection, transaction, summit, campaign, cancellationToken);
        var number = (last?.Number ?? 0) + 1;
        if (mark is not null && !await IdempotencyClaims.ClaimAsync(connection, transaction, mark, "campaignNudge", campaign, number, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            var applied = await AppliedNudgeAsync(summit, campaign, mark, cancellationToken);
            return new NudgeResult(NudgeOutcome.AlreadyApplied, applied, last);
        }
        if (last is not null && last.At > notAfter)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new NudgeResult(NudgeOutcome.TooSoon, null, last);
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO summit_campaign_nudge (summit, campaign, number, at, account, units) VALUES ($1, $2, $3, $4, $5, $6)
            """, connection, transaction))
        {
            insert.Parameters.Add(Text(summit));
            insert.Parameters.Add(Text(campaign));
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = number });
            insert.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = at });
            insert.Parameters.Add(Text(account));
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = units.Select(TaskListQuery.OwnerKey).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new NudgeResult(NudgeOutcome.Made, new CampaignNudge(campaign, number, at, account, units, false), last);
    }

    /// <summary>The nudge a key was applied to (null when the key names none of this campaign's).</summary>
    private async Task<CampaignNudge?> AppliedNudgeAsync(string summit, string campaign, IdempotencyMark mark, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {NudgeColumns} FROM summit_campaign_nudge n
            JOIN summit_idempotency k ON k.account = $3 AND k.route = $4 AND k.idempotency_key = $5
                                     AND k.applied_kind = 'campaignNudge' AND k.applied_id = n.campaign AND k.applied_version = n.number
            WHERE n.summit = $1 AND n.campaign = $2
            """);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(campaign));
        command.Parameters.Add(Text(mark.Account));
        command.Parameters.Add(Text(mark.Route));
        command.Parameters.Add(Text(mark.Key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadNudge(reader) : null;
    }

    public async Task<IReadOnlyList<CampaignNudge>> PendingNudgesAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {NudgeColumns} FROM summit_campaign_nudge n WHERE n.summit = $1 AND NOT n.delivered ORDER BY n.at, n.campaign, n.number");
        command.Parameters.Add(Text(summit));
        var result = new List<CampaignNudge>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(ReadNudge(reader));
        return result;
    }

    public async Task MarkDeliveredAsync(string summit, CampaignNudge nudge, IReadOnlyList<CampaignReminderRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        ArgumentNullException.ThrowIfNull(rows);
        await using var batch = dataSource.CreateBatch();
        var mark = new NpgsqlBatchCommand("UPDATE summit_campaign_nudge SET delivered = true WHERE summit = $1 AND campaign = $2 AND number = $3");
        mark.Parameters.Add(Text(summit));
        mark.Parameters.Add(Text(nudge.Campaign));
        mark.Parameters.Add(new NpgsqlParameter<int> { TypedValue = nudge.Number });
        batch.BatchCommands.Add(mark);
        if (rows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(InsertRows);
            AddRows(insert.Parameters, summit, rows);
            batch.BatchCommands.Add(insert);
        }
        // One implicit transaction for the batch: the mark and the rows together.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CampaignNudge?> LastNudgeAsync(string summit, string campaign, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LastNudgeAsync(connection, null, summit, campaign, cancellationToken);
    }

    private static async Task<CampaignNudge?> LastNudgeAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string summit, string campaign, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {NudgeColumns} FROM summit_campaign_nudge n WHERE n.summit = $1 AND n.campaign = $2 ORDER BY n.number DESC LIMIT 1",
            connection, transaction);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(campaign));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadNudge(reader) : null;
    }

    public async Task<IReadOnlyList<UnitReminded>> RemindedAsync(
        string summit, string campaign, IReadOnlyList<OwningUnit>? units, CancellationToken cancellationToken = default)
    {
        // A 催报 counts from its commit: its units are read from the nudge until the grain's next turn has delivered it
        // and written their rows (with the mark, in one transaction), so the answer to the 催报 and this list agree.
        await using var command = dataSource.CreateCommand("""
            SELECT unit, max(at), count(*) FROM (
                SELECT unit, at FROM summit_campaign_reminder
                WHERE summit = $1 AND campaign = $2 AND step NOT IN ('lead', 'secretariat')
                UNION ALL
                SELECT u.unit COLLATE "C", n.at FROM summit_campaign_nudge n CROSS JOIN LATERAL unnest(n.units) AS u(unit)
                WHERE n.summit = $1 AND n.campaign = $2 AND NOT n.delivered
            ) r
            WHERE $3::text[] IS NULL OR unit = ANY($3)
            GROUP BY unit ORDER BY unit
            """);
        command.Parameters.Add(Text(summit));
        command.Parameters.Add(Text(campaign));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)units?.Select(TaskListQuery.OwnerKey).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var result = new List<UnitReminded>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (TaskListQuery.ParseOwnerKey(reader.GetString(0)) is { } unit)
                result.Add(new UnitReminded(unit, reader.GetFieldValue<Instant>(1), (int)reader.GetInt64(2)));
        return result;
    }

    private const string NudgeColumns = "n.campaign, n.number, n.at, n.account, n.units, n.delivered";

    private static CampaignNudge ReadNudge(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<Instant>(2), reader.GetString(3),
        reader.GetFieldValue<string[]>(4).Select(TaskListQuery.ParseOwnerKey).OfType<OwningUnit>().ToArray(), reader.GetBoolean(5));

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
