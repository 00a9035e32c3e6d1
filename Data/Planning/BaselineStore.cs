using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Summit.Data.Audit;
using Summit.Data.Idempotency;
using Summit.Data.Storage;
using Summit.Storage;

namespace Summit.Data.Planning;

/// <summary>One approval of a summit's plan baseline: the baseline's history is these rows, newest version in force.</summary>
/// <param name="Role">The approver's role as the audit trail writes it (<c>secretariat</c>).</param>
/// <param name="TaskCount">How many tasks the baseline holds.</param>
public sealed record BaselineApproval(
    string Summit, int Version, Instant ApprovedAt, string Account, string Role, string? Unit, string? Note, int TaskCount);

/// <summary>A task's planned dates as the baseline in force approved them.</summary>
/// <param name="Owner">The owning unit as the task list writes it, <c>county:pingyang</c>.</param>
public sealed record BaselineTask(string TaskId, string Owner, LocalDate? Start, LocalDate Due, int? DurationDays, bool Milestone);

/// <summary>What approving a baseline did.</summary>
public enum BaselineOutcome
{
    /// <summary>The new version is in force.</summary>
    Approved,

    /// <summary>The request's Idempotency-Key was applied before: nothing was written.</summary>
    AlreadyApplied,

    /// <summary>Another approval came first: the version in force is no longer the one expected; nothing was written.</summary>
    VersionMoved,
}

/// <summary>The plan baseline of each summit (migration 0260).</summary>
public interface IBaselineStore
{
    /// <summary>The approval in force; null when the summit has none yet.</summary>
    Task<BaselineApproval?> CurrentAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>Every approval, newest first, a page at a time.</summary>
    Task<(IReadOnlyList<BaselineApproval> Items, int Total)> HistoryAsync(string summit, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>The baseline's tasks in id order, a page at a time; <paramref name="owners"/> null for every owner.</summary>
    /// <param name="taskId">Only this task's row, when given.</param>
    Task<(IReadOnlyList<BaselineTask> Items, int Total)> TasksAsync(
        string summit, IReadOnlyList<string>? owners, int offset, int limit, string? taskId = null, CancellationToken cancellationToken = default);

    /// <summary>The owners of the baseline's tasks (<c>county:pingyang</c>), for the caller's access filter.</summary>
    Task<IReadOnlyList<string>> OwnersAsync(string summit, CancellationToken cancellationToken = default);

    /// <summary>One task's baseline row; null when the baseline does not hold it (or there is none).</summary>
    Task<BaselineTask?> TaskAsync(string summit, string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Approves the summit's tasks as they stand (every task that is neither archived nor cancelled) as version
    /// <paramref name="expectedVersion"/> + 1: the approval row, the baseline's task rows and, for a keyed request, the
    /// key's record commit in one transaction, or nothing does.
    /// </summary>
    /// <param name="expectedVersion">The version in force the approval was decided on; 0 for none.</param>
    Task<(BaselineOutcome Outcome, BaselineApproval? Approval)> ApproveAsync(
        string summit, int expectedVersion, Instant at, string account, string role, string? unit, string? note,
        IdempotencyMark? mark, CancellationToken cancellationToken = default);
}

public static class BaselineStores
{
    /// <summary>The <see cref="IBaselineStore"/> in PostgreSQL. Safe to call more than once.</summary>
    public static IServiceCollection AddSummitBaselineStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IBaselineStore))) return services;
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IBaselineStore>(sp => new PostgresBaselineStore(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}

/// <summary>The plan baseline in PostgreSQL: <c>summit_baseline</c> and <c>summit_baseline_task</c> (migration 0260).</summary>
public sealed class PostgresBaselineStore(NpgsqlDataSource dataSource) : IBaselineStore
{
    private const string ApprovalColumns = "summit, version, approved_at, account, role, unit, note, task_count";
    private const string TaskColumns = "task_id, owner, start_date, due_date, duration_days, milestone";

    /// <summary>What the baseline holds: the summit's tasks that are neither archived nor cancelled.</summary>
    private const string Planned = "kind = 'task' AND summit = $1 AND task_archived IS NOT TRUE AND task_status IS DISTINCT FROM 'cancelled'";

    public async Task<BaselineApproval?> CurrentAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ApprovalColumns} FROM summit_baseline WHERE summit = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadApproval(reader) : null;
    }

    public async Task<(IReadOnlyList<BaselineApproval> Items, int Total)> HistoryAsync(
        string summit, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var (items, total) = await CountAndPage.ReadAsync(dataSource,
            "SELECT count(*) FROM summit_baseline WHERE summit = $1",
            $"SELECT {ApprovalColumns} FROM summit_baseline WHERE summit = $1 ORDER BY version DESC OFFSET $2 LIMIT $3",
            [new NpgsqlParameter<string> { TypedValue = summit }], CountAndPage.PagingParameters(offset, limit),
            ReadApproval, cancellationToken);
        return (items, total);
    }

    public async Task<(IReadOnlyList<BaselineTask> Items, int Total)> TasksAsync(
        string summit, IReadOnlyList<string>? owners, int offset, int limit, string? taskId = null, CancellationToken cancellationToken = default)
    {
        var where = "summit = $1";
        var filter = new List<NpgsqlParameter> { new NpgsqlParameter<string> { TypedValue = summit } };
        if (owners is not null)
        {
            filter.Add(new NpgsqlParameter<string[]> { TypedValue = [.. owners] });
            where += $" AND owner = ANY(${filter.Count})";
        }
        if (taskId is not null)
        {
            filter.Add(new NpgsqlParameter<string> { TypedValue = taskId });
            where += $" AND task_id = ${filter.Count}";
        }
        var (items, total) = await CountAndPage.ReadAsync(dataSource,
            $"SELECT count(*) FROM summit_baseline_task WHERE {where}",
            $"SELECT {TaskColumns} FROM summit_baseline_task WHERE {where} ORDER BY task_id OFFSET ${filter.Count + 1} LIMIT ${filter.Count + 2}",
            filter, CountAndPage.PagingParameters(offset, limit), ReadTask, cancellationToken);
        return (items, total);
    }

    public async Task<IReadOnlyList<string>> OwnersAsync(string summit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT owner FROM summit_baseline_task WHERE summit = $1 ORDER BY owner");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) owners.Add(reader.GetString(0));
        return owners;
    }

    public async Task<BaselineTask?> TaskAsync(string summit, string taskId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskColumns} FROM summit_baseline_task WHERE summit = $1 AND task_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taskId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTask(reader) : null;
    }

    public async Task<(BaselineOutcome Outcome, BaselineApproval? Approval)> ApproveAsync(
        string summit, int expectedVersion, Instant at, string account, string role, string? unit, string? note,
        IdempotencyMark? mark, CancellationToken cancellationToken = default)
    {
        var version = checked(expectedVersion + 1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (mark is not null && !await IdempotencyClaims.ClaimAsync(connection, transaction, mark, "baseline", summit, version, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return (BaselineOutcome.AlreadyApplied, null);
            }

            BaselineApproval? approval;
            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO summit_baseline ({ApprovalColumns})
                SELECT $1, $2, $3, $4, $5, $6, $7, (SELECT count(*) FROM summit_entity WHERE {Planned})
                WHERE coalesce((SELECT max(version) FROM summit_baseline WHERE summit = $1), 0) = $2 - 1
                RETURNING {ApprovalColumns}
                """, connection, transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
                insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                insert.Parameters.Add(new NpgsqlParameter<Instant> { TypedValue = at });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)unit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                approval = await reader.ReadAsync(cancellationToken) ? ReadApproval(reader) : null;
            }
            if (approval is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return (BaselineOutcome.VersionMoved, null);
            }

            await using (var clear = new NpgsqlCommand("DELETE FROM summit_baseline_task WHERE summit = $1", connection, transaction))
            {
                clear.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var replace = new NpgsqlCommand($$"""
                INSERT INTO summit_baseline_task (summit, {{TaskColumns}})
                SELECT summit, id, task_owner,
                       CASE WHEN state ->> 'start' ~ '^\d{4}-\d{2}-\d{2}$' THEN (state ->> 'start')::date END,
                       task_due_date,
                       CASE WHEN jsonb_typeof(state -> 'durationDays') = 'number' THEN (state ->> 'durationDays')::integer END,
                       coalesce(state -> 'milestone' = 'true'::jsonb, false)
                FROM summit_entity WHERE {{Planned}} AND task_due_date IS NOT NULL AND task_owner IS NOT NULL
                """, connection, transaction))
            {
                replace.Parameters.Add(new NpgsqlParameter<string> { TypedValue = summit });
                await replace.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return (BaselineOutcome.Approved, approval);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another approval of the same version committed while this one ran.
            await transaction.RollbackAsync(CancellationToken.None);
            return (BaselineOutcome.VersionMoved, null);
        }
    }

    private static BaselineApproval ReadApproval(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetInt32(1), r.GetFieldValue<Instant>(2), r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7));

    private static BaselineTask ReadTask(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<LocalDate>(2), r.GetFieldValue<LocalDate>(3),
        r.IsDBNull(4) ? null : r.GetInt32(4), r.GetBoolean(5));
}
