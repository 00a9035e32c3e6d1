using System.Text.Json;
using Npgsql;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// Compares what a <see cref="WriteLoad"/> was told with what PostgreSQL holds, reading the tables directly (not through
/// the API under test):
/// <list type="bullet">
/// <item>lost: every 2xx's version is at most the entity's stored version, and the audit row of that version carries the
/// request's marker and the percent it sent;</item>
/// <item>duplicated: no two audit rows carry the same marker, and none carries a marker that was never sent;</item>
/// <item>gaps: every task written has audit versions exactly 1..its stored version;</item>
/// <item>bad answers: no 500 (no 5xx but 503), every 503 carries Retry-After, and no other refusal.</item>
/// </list>
/// </summary>
public static class ChangeChecker
{
    public sealed record Result(int Acknowledged, int Lost, int Duplicated, int Gaps, int ServerErrors, int Without503RetryAfter, int OtherRefusals, IReadOnlyList<string> Problems)
    {
        public override string ToString() =>
            $"{Acknowledged} acknowledged changes checked: {Lost} lost, {Duplicated} duplicated, {Gaps} tasks with audit gaps, " +
            $"{ServerErrors} server errors, {Without503RetryAfter} 503s without Retry-After, {OtherRefusals} other refusals" +
            (Problems.Count == 0 ? "" : "\n  " + string.Join("\n  ", Problems.Take(30)) + (Problems.Count > 30 ? $"\n  … {Problems.Count - 30} more" : ""));
    }

    public static async Task<Result> CheckAsync(string connectionString, WriteLoad load)
    {
        var problems = new List<string>();
        var tasks = load.Tasks.ToArray();
        // Unpooled: the server may have been restarted under this process's pooled connections.
        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await db.OpenAsync();

        var stored = new Dictionary<string, (int Version, int Percent)>();
        await using (var entities = new NpgsqlCommand(
            "SELECT id, version, (state->>'percentComplete')::int FROM summit_entity WHERE summit = $1 AND kind = 'task' AND id = ANY($2)", db))
        {
            entities.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WriteLoad.Summit });
            entities.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tasks });
            await using var reader = await entities.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        }

        var audit = new List<(string Task, int Version, string? Note, string Changes)>();
        await using (var rows = new NpgsqlCommand(
            "SELECT entity_id, version, note, changes::text FROM summit_audit WHERE summit = $1 AND entity_kind = 'task' AND entity_id = ANY($2)", db))
        {
            rows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WriteLoad.Summit });
            rows.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tasks });
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                audit.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }
        var byVersion = audit.ToDictionary(a => (a.Task, a.Version));

        // Lost: the acknowledged version is stored and its audit row is this request's change.
        var lost = 0;
        foreach (var ack in load.Acks)
        {
            var change = ack.Change;
            string? why = null;
            if (!stored.TryGetValue(change.Task, out var entity)) why = "the task is not stored";
            else if (ack.Version > entity.Version) why = $"the stored version is {entity.Version}";
            else if (!byVersion.TryGetValue((change.Task, ack.Version), out var row)) why = "no audit row for that version";
            else if (row.Note != change.Marker) why = $"the audit row of that version carries note '{row.Note}'";
            else if (PercentSet(row.Changes) != change.Percent) why = $"the audit row of that version set percent {PercentSet(row.Changes)?.ToString() ?? "(unchanged)"}, not {change.Percent}";
            if (why is null) continue;
            lost++;
            problems.Add($"lost: {change.Marker} on {change.Task} answered version {ack.Version}{(ack.Replayed ? " (replayed)" : "")} after {ack.Attempts} attempts, but {why}");
        }

        // Duplicated: a marker is applied at most once, and only markers that were sent appear.
        var sent = load.Sent.Select(c => c.Marker).ToHashSet();
        var duplicated = 0;
        foreach (var group in audit.Where(a => a.Note?.StartsWith(load.Run + "-", StringComparison.Ordinal) == true).GroupBy(a => a.Note!))
        {
            if (!sent.Contains(group.Key)) problems.Add($"unknown marker {group.Key} in the audit trail");
            if (group.Count() < 2) continue;
            duplicated++;
            problems.Add($"duplicated: {group.Key} applied {group.Count()} times, as versions {string.Join(", ", group.Select(g => $"{g.Task}@{g.Version}"))}");
        }

        // Gaps: the audit trail of each task is complete, 1..current version, with nothing beyond it.
        var gaps = 0;
        foreach (var task in tasks)
        {
            var current = stored.TryGetValue(task, out var entity) ? entity.Version : 0;
            var versions = audit.Where(a => a.Task == task).Select(a => a.Version).Order().ToArray();
            if (versions.SequenceEqual(Enumerable.Range(1, current))) continue;
            gaps++;
            var missing = Enumerable.Range(1, current).Except(versions).ToArray();
            var extra = versions.Where(v => v > current).ToArray();
            problems.Add($"gap: {task} is at version {current}; audit misses [{string.Join(", ", missing.Take(10))}] and has beyond it [{string.Join(", ", extra.Take(10))}]");
        }

        // The last acknowledged change of each task that nothing followed is the stored state.
        foreach (var last in load.Acks.GroupBy(a => a.Change.Task).Select(g => g.MaxBy(a => a.Version)!))
            if (stored.TryGetValue(last.Change.Task, out var entity) && entity.Version == last.Version && entity.Percent != last.Change.Percent)
                problems.Add($"state: {last.Change.Task} is at version {entity.Version} with percent {entity.Percent}, but {last.Change.Marker} set {last.Change.Percent}");

        var attempts = load.Attempts.ToArray();
        var serverErrors = attempts.Where(a => a.Status is >= 500 and not 503).ToArray();
        foreach (var error in serverErrors.Take(5)) problems.Add($"server error {error.Status} from gateway {error.Gateway}: {error.Body}");
        var noRetryAfter = attempts.Where(a => a.Status == 503 && !a.RetryAfter).ToArray();
        foreach (var answer in noRetryAfter.Take(5)) problems.Add($"503 without Retry-After from gateway {answer.Gateway}: {answer.Body}");
        var refusals = attempts.Where(a => a.Status is >= 300 and < 500).ToArray();
        foreach (var refusal in refusals.Take(5)) problems.Add($"refused {refusal.Status} by gateway {refusal.Gateway}: {refusal.Body}");
        foreach (var change in load.Abandoned.Take(5)) problems.Add($"given up: {change.Marker} on {change.Task} got no 2xx within {WriteLoad.GiveUpAfter.TotalSeconds:0} s");

        return new Result(load.Acks.Count, lost, duplicated, gaps, serverErrors.Length, noRetryAfter.Length, refusals.Length, problems);
    }

    /// <summary>The percent an audit row's changes set, or null when it did not change it.</summary>
    private static int? PercentSet(string changes)
    {
        using var json = JsonDocument.Parse(changes);
        foreach (var change in json.RootElement.EnumerateArray())
            if (change.GetProperty("field").GetString() == "percentComplete")
                return int.Parse(change.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        return null;
    }
}
