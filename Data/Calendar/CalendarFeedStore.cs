using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Audit;
using Summit.Data.Idempotency;
using Summit.Data.Storage;
using Summit.Domain;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Data.Calendar;

/// <summary>What a calendar feed holds.</summary>
public enum CalendarFeedKind
{
    /// <summary>The account's unit: its open task deadlines, its milestones, the campaign deadlines addressed to it.</summary>
    Unit,

    /// <summary>The account itself: the open tasks assigned to it, and its unit's milestones.</summary>
    Person,
}

/// <summary>One calendar feed of an account (migration 0310). The secret is never stored, only its hash.</summary>
/// <param name="Unit">The account's unit when the feed was created (<c>county:pingyang</c>); null for accounts of no unit.</param>
public sealed record CalendarFeed(
    string Summit, string Id, string Account, CalendarFeedKind Kind, string? Unit, Instant CreatedAt, Instant? RevokedAt);

/// <summary>What a write of a feed did.</summary>
public enum CalendarFeedOutcome
{
    Done,

    /// <summary>The request's Idempotency-Key was applied before: nothing was written.</summary>
    AlreadyApplied,

    /// <summary>No such active feed of the account.</summary>
    NotFound,
}

/// <summary>
/// Which tasks a feed shows, as conditions of one query (every owner a task list key, <c>county:pingyang</c>): open
/// tasks with a due date owned by one of <see cref="DeadlineOwners"/> or assigned to one of <see cref="Assignees"/>,
/// and milestones (not cancelled, archived or set aside) of <see cref="MilestoneOwners"/>; all of them only of
/// <see cref="ReadableOwners"/>.
/// </summary>
/// <param name="MilestoneOwners">Null for every owner's milestones; empty for none.</param>
/// <param name="ReadableOwners">What the feed's account may read (<c>AccessRules.ReadableTaskOwners</c>); null for every owner.</param>
public sealed record FeedTaskQuery(
    string Summit,
    IReadOnlyList<string> DeadlineOwners,
    IReadOnlyList<string> Assignees,
    IReadOnlyList<string>? MilestoneOwners,
    IReadOnlyList<string>? ReadableOwners);

/// <summary>
/// Which campaigns a feed shows: published or closed campaigns addressed to one of <see cref="Addressees"/>, or, with
/// <see cref="AddressedToAny"/>, every published or closed notice the secretariat sent (not the units' forwards).
/// </summary>
public sealed record FeedCampaignQuery(string Summit, IReadOnlyList<OwningUnit> Addressees, bool AddressedToAny);

/// <summary>
/// A stored entity a feed shows: its state as JSON, when its row last changed, and its due moment as the task list
/// orders it (a date alone as the next day's start), the place to read the next page after.
/// </summary>
public sealed record FeedEntityRow(string Id, int Version, string StateJson, Instant UpdatedAt, LocalDateTime DueAt);

/// <summary>The calendar feeds (migration 0310) and the queries that fill them.</summary>
public interface ICalendarFeedStore
{
    /// <summary>
    /// Stores a new feed with its audit row and, for a keyed request, the key's record, in one transaction. Gives
    /// <see cref="CalendarFeedOutcome.AlreadyApplied"/> and writes nothing when the key was applied before.
    /// </summary>
    Task<CalendarFeedOutcome> CreateAsync(
        CalendarFeed feed, byte[] tokenHash, Role role, IdempotencyMark? mark, CancellationToken cancellationToken = default);

    /// <summary>Revokes an active feed of the account, with its audit row and the key's record, in one transaction.</summary>
    Task<(CalendarFeedOutcome Outcome, CalendarFeed? Feed)> RevokeAsync(
        string summit, string id, string account, Role role, string? unit, Instant at, IdempotencyMark? mark,
        CancellationToken cancellationToken = default);

    /// <summary>One feed of the summit, revoked or not; null when there is none.</summary>
    Task<CalendarFeed?> GetAsync(string summit, string id, CancellationToken cancellationToken = default);

    /// <summary>The feed a keyed create applied (the key's record names it); null when the key names none.</summary>
    Task<CalendarFeed?> AppliedAsync(string summit, IdempotencyMark mark, CancellationToken cancellationToken = default);

    /// <summary>The account's active feeds in the summit, newest first, a page at a time.</summary>
    Task<(IReadOnlyList<CalendarFeed> Items, int Total)> ListAsync(
        string summit, string account, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>The active feed whose secret hashes to <paramref name="tokenHash"/>; null for an unknown or revoked one.</summary>
    Task<CalendarFeed?> FindByTokenAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tasks of a feed in due order, one page after (<paramref name="afterDue"/>, <paramref name="afterId"/>), so a
    /// feed is read a page at a time.
    /// </summary>
    Task<IReadOnlyList<FeedEntityRow>> TasksAsync(
        FeedTaskQuery query, LocalDateTime? afterDue, string? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The campaigns of a feed in deadline order (then id), one page after <paramref name="afterId"/>'s place.</summary>
    Task<IReadOnlyList<FeedEntityRow>> CampaignsAsync(
        FeedCampaignQuery query, LocalDateTime? afterDue, string? afterId, int limit, CancellationToken cancellationToken = default);
}

public static class CalendarFeedStores
{
    /// <summary>The <see cref="ICalendarFeedStore"/> in PostgreSQL. Safe to call more than once.</summary>
    public static IServiceCollection AddSummitCalendarFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ICalendarFeedStore))) return services;
        services.AddSummitDataSource(configuration);
        services.AddSingleton<ICalendarFeedStore>(sp => new PostgresCalendarFeedStore(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    /// <summary>The SHA-256 of a feed's secret, as stored.</summary>
    public static byte[] HashOf(ReadOnlySpan<byte> secret) => SHA256.HashData(secret);

    public static string Name(CalendarFeedKind kind) => kind == CalendarFeedKind.Unit ? "unit" : "person";
}

/// <summary>The calendar feeds in PostgreSQL: <c>summit_calendar_feed</c> (migration 0310) and reads of <c>summit_entity</c>.</summary>
public sealed class PostgresCalendarFeedStore(NpgsqlDataSource dataSource) : ICalendarFeedStore
{
    private const string Columns = "summit, id, account, kind, unit, created_at, revoked_at";
    private const string Kind = "calendarFeed";

    public async Task<CalendarFeedOutcome> CreateAsync(
        CalendarFeed feed, byte[] tokenHash, Role role, IdempotencyMark? mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feed);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (mark is not null && !await IdempotencyClaims.ClaimAsync(connection, transaction, mark, Kind, feed.Id, 1, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return CalendarFeedOutcome.AlreadyApplied;
        }
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO summit_calendar_feed ({Columns}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = feed.Summit });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = feed.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = feed.Account });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CalendarFeedStores.Name(feed.Kind) });
            insert.Parameters.Add(Text(feed.Unit));
            insert.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = feed.CreatedAt });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await PostgresChangeJournal.RecordUnfollowedAsync(connection, transaction, new ChangeRecord(
            feed.Summit, EntityKind.CalendarFeed, feed.Id, 1, feed.CreatedAt, feed.Account, role, feed.Unit,
            [new FieldChange("kind", null, CalendarFeedStores.Name(feed.Kind)), new FieldChange("unit", null, feed.Unit)],
            "日历订阅已创建"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CalendarFeedOutcome.Done;
    }

    public async Task<(CalendarFeedOutcome Outcome, CalendarFeed? Feed)> RevokeAsync(
        string summit, string id, string account, Role role, string? unit, Instant at, IdempotencyMark? mark,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (mark is not null && !await IdempotencyClaims.ClaimAsync(connection, transaction, mark, Kind, id, 2, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return (CalendarFeedOutcome.AlreadyApplied, null);
        }
        CalendarFeed? revoked;
        await using (var update = new NpgsqlCommand($"""
            UPDATE summit_calendar_feed SET revoked_at = $4
            WHERE summit = $1 AND id = $2 AND account = $3 AND revoked_at IS NULL
            RETURNING {Columns}
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
            update.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = at });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            revoked = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        if (revoked is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (CalendarFeedOutcome.NotFound, null);
        }
        await PostgresChangeJournal.RecordUnfollowedAsync(connection, transaction, new ChangeRecord(
            summit, EntityKind.CalendarFeed, id, 2, at, account, role, unit,
            [new FieldChange("revokedAt", null, InstantText(at))], "日历订阅已撤销"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (CalendarFeedOutcome.Done, revoked);
    }

    public async Task<CalendarFeed?> GetAsync(string summit, string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM summit_calendar_feed WHERE summit = $1 AND id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<CalendarFeed?> AppliedAsync(string summit, IdempotencyMark mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mark);
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM summit_calendar_feed
            WHERE summit = $1 AND id = (SELECT applied_id FROM summit_idempotency
                                        WHERE account = $2 AND route = $3 AND idempotency_key = $4 AND applied_kind = '{Kind}')
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Route });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mark.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<(IReadOnlyList<CalendarFeed> Items, int Total)> ListAsync(
        string summit, string account, int offset, int limit, CancellationToken cancellationToken = default)
    {
        const string Where = "summit = $1 AND account = $2 AND revoked_at IS NULL";
        var (items, total) = await CountAndPage.ReadAsync(dataSource,
            $"SELECT count(*) FROM summit_calendar_feed WHERE {Where}",
            $"SELECT {Columns} FROM summit_calendar_feed WHERE {Where} ORDER BY created_at DESC, id OFFSET $3 LIMIT $4",
            [new NpgsqlParameter<string> { TypedValue = summit }, new NpgsqlParameter<string> { TypedValue = account }],
            CountAndPage.PagingParameters(offset, limit), Read, cancellationToken);
        return (items, total);
    }

    public async Task<CalendarFeed?> FindByTokenAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM summit_calendar_feed WHERE token_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<FeedEntityRow>> TasksAsync(
        FeedTaskQuery query, LocalDateTime? afterDue, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand("""
            SELECT id, version, state::text, updated_at, task_due_at FROM summit_entity
            WHERE summit = $1 AND kind = 'task' AND task_due_at IS NOT NULL
              AND ($5::text[] IS NULL OR task_owner = ANY($5))
              AND ((task_open AND (task_owner = ANY($2) OR state ->> 'assignee' = ANY($3)))
                   OR (state -> 'milestone' = 'true'::jsonb AND task_archived IS NOT TRUE
                       AND task_status IS DISTINCT FROM 'cancelled' AND coalesce(state -> 'setAside' <> 'true'::jsonb, true)
                       AND ($4::text[] IS NULL OR task_owner = ANY($4))))
              AND ($6::timestamp IS NULL OR (task_due_at, id COLLATE "C") > ($6, $7::text COLLATE "C"))
            ORDER BY task_due_at, id COLLATE "C"
            LIMIT $8
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Summit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. query.DeadlineOwners] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. query.Assignees] });
        command.Parameters.Add(TextArray(query.MilestoneOwners));
        command.Parameters.Add(TextArray(query.ReadableOwners));
        command.Parameters.Add(new NpgsqlParameter { Value = afterDue is { } due ? due : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Timestamp });
        command.Parameters.Add(Text(afterId));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadRowsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FeedEntityRow>> CampaignsAsync(
        FeedCampaignQuery query, LocalDateTime? afterDue, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Containment in the addressees is served by migration 0270's GIN index; parameters $5, $6, … are the units.
        var addressed = query.Addressees.Select((_, i) => $"(state -> 'addressees') @> ${i + 5}::jsonb").ToList();
        if (query.AddressedToAny) addressed.Add("(state -> 'parent') IS NULL");
        if (addressed.Count == 0) return [];
        await using var command = dataSource.CreateCommand($"""
            SELECT id, version, state, updated_at, due_at FROM (
                SELECT id, version, state::text AS state, updated_at,
                       summit_task_due_at(jsonb_build_object('due', state -> 'deadline')) AS due_at
                FROM summit_entity
                WHERE summit = $1 AND kind = 'campaign' AND (state ->> 'status') IN ('published', 'closed')
                  AND ({string.Join(" OR ", addressed)})) AS c
            WHERE due_at IS NOT NULL AND ($2::timestamp IS NULL OR (due_at, id COLLATE "C") > ($2, $3::text COLLATE "C"))
            ORDER BY due_at, id COLLATE "C"
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Summit });
        command.Parameters.Add(new NpgsqlParameter { Value = afterDue is { } due ? due : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Timestamp });
        command.Parameters.Add(Text(afterId));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        foreach (var unit in query.Addressees)
            command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new[] { unit }, SummitJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await ReadRowsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<FeedEntityRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<FeedEntityRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new FeedEntityRow(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<Instant>(3),
                reader.GetFieldValue<LocalDateTime>(4)));
        return rows;
    }

    private static string InstantText(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter TextArray(IReadOnlyList<string>? values) =>
        new() { Value = values is null ? DBNull.Value : values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static CalendarFeed Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        r.GetString(3) == "unit" ? CalendarFeedKind.Unit : CalendarFeedKind.Person,
        r.IsDBNull(4) ? null : r.GetString(4), r.GetFieldValue<Instant>(5), r.IsDBNull(6) ? null : r.GetFieldValue<Instant>(6));
}
