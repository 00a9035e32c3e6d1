using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using Summit.Domain;
using Summit.Data.Audit;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Journal;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>
/// The entity store on real PostgreSQL: a change is its state, its audit row and its idempotency record in one
/// transaction, group-committed, and nothing at all when any part is refused or fails.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EntityStoreTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly Actor Actor = new("secretariat", Role.Secretariat);

    private string _connectionString = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresEntityStore _store = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("entity_store");
        DatabaseMigrator.Apply(_connectionString, NullLogger.Instance);
        _dataSource = SummitDataSource.Create(_connectionString);
        _store = new PostgresEntityStore(_dataSource, NullLogger<PostgresEntityStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private static EntityCommit Commit(string id, long expectedRevision, int version, IdempotencyMark? mark = null, string summit = "s1") =>
        new(new EntityKey(summit, EntityKind.University, id), expectedRevision, version,
            JsonSerializer.Serialize(new { code = id, version }, SummitJson.Options),
            new ChangeRecord(summit, EntityKind.University, id, version, Now, Actor.Account, Actor.Role, null,
                [new FieldChange("name", null, $"v{version}")], "备注"),
            mark);

    private static IdempotencyMark Mark(string key) =>
        new("secretariat", "PATCH /api/x", key, SHA(key), Instant.FromUtc(2100, 1, 1, 0, 0));

    private static byte[] SHA(string text) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_commit_writes_state_history_and_key_together()
    {
        Assert.Equal(CommitOutcome.Committed, await _store.CommitAsync(Commit("a", 0, 1)));
        Assert.Equal(CommitOutcome.Committed, await _store.CommitAsync(Commit("a", 1, 2, Mark("k-a"))));

        var stored = await _store.LoadAsync(new EntityKey("s1", EntityKind.University, "a"));
        Assert.Equal(2, stored!.Revision);
        Assert.Contains("\"version\": 2", stored.Json, StringComparison.Ordinal);
        var (history, total) = await _store.HistoryAsync(new EntityKey("s1", EntityKind.University, "a"), 0, 10);
        Assert.Equal(2, total);
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Equal("备注", history[1].Note);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM summit_idempotency WHERE idempotency_key = 'k-a' AND applied_version = 2"));
        Assert.NotNull(await _store.FindAppliedAsync("secretariat", "PATCH /api/x", "k-a", Instant.FromUtc(2099, 1, 1, 0, 0)));
    }

    [Fact]
    public async Task A_stale_revision_or_a_used_key_writes_nothing()
    {
        await _store.CommitAsync(Commit("b", 0, 1));
        await _store.CommitAsync(Commit("b", 1, 2, Mark("k-b")));

        // Another writer computed from revision 1: refused, nothing written.
        Assert.Equal(CommitOutcome.RevisionConflict, await _store.CommitAsync(Commit("b", 1, 2)));
        // The same key again, even computed from the current revision: refused, nothing written.
        Assert.Equal(CommitOutcome.AlreadyApplied, await _store.CommitAsync(Commit("b", 2, 3, Mark("k-b"))));
        // A new entity whose row already exists.
        Assert.Equal(CommitOutcome.RevisionConflict, await _store.CommitAsync(Commit("b", 0, 1)));

        Assert.Equal(2, (await _store.LoadAsync(new EntityKey("s1", EntityKind.University, "b")))!.Revision);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM summit_audit WHERE summit = 's1' AND entity_id = 'b'"));
    }

    [Fact]
    public async Task A_keyed_change_refused_for_a_stale_revision_leaves_its_key_unused()
    {
        await _store.CommitAsync(Commit("c", 0, 1));
        await _store.CommitAsync(Commit("c", 1, 2));

        // A grain that missed revision 2 (another activation, or a commit whose answer was lost) tries its keyed change.
        Assert.Equal(CommitOutcome.RevisionConflict, await _store.CommitAsync(Commit("c", 1, 2, Mark("k-c"))));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM summit_idempotency WHERE idempotency_key = 'k-c'"));
        Assert.Null(await _store.FindAppliedAsync("secretariat", "PATCH /api/x", "k-c", Instant.FromUtc(2099, 1, 1, 0, 0)));

        // Reloaded, it applies the same request: the change is stored, not taken for one already applied.
        Assert.Equal(CommitOutcome.Committed, await _store.CommitAsync(Commit("c", 2, 3, Mark("k-c"))));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM summit_idempotency WHERE idempotency_key = 'k-c' AND applied_version = 3"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM summit_audit WHERE summit = 's1' AND entity_id = 'c'"));
    }

    [Fact]
    public async Task A_key_row_left_without_an_answer_or_a_change_is_taken_over_but_an_answered_one_is_not()
    {
        await _store.CommitAsync(Commit("t", 0, 1));
        // A claim an earlier version left (neither answered nor applied), and a key answered by a write that is not an
        // entity commit: the lookup calls the first unused and the second answered, and the commit agrees with it.
        await using (var command = _dataSource.CreateCommand("""
            INSERT INTO summit_idempotency (account, route, idempotency_key, request_hash, created_at, expires_at)
            VALUES ('secretariat', 'PATCH /api/x', 'k-left', '\x00', now(), now() + interval '1 day');
            INSERT INTO summit_idempotency (account, route, idempotency_key, request_hash, status, headers, body, created_at, expires_at)
            VALUES ('secretariat', 'PATCH /api/x', 'k-said', '\x00', 200, '{}', '\x00', now(), now() + interval '1 day');
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(CommitOutcome.Committed, await _store.CommitAsync(Commit("t", 1, 2, Mark("k-left"))));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM summit_idempotency WHERE idempotency_key = 'k-left' AND applied_version = 2"));
        Assert.Equal(CommitOutcome.AlreadyApplied, await _store.CommitAsync(Commit("t", 2, 3, Mark("k-said"))));
        Assert.Equal(2, (await _store.LoadAsync(new EntityKey("s1", EntityKind.University, "t")))!.Revision);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM summit_idempotency WHERE idempotency_key = 'k-said' AND status = 200 AND applied_version IS NULL"));
    }

    [Fact]
    public async Task Concurrent_commits_share_transactions_and_each_has_exactly_one_audit_row()
    {
        const int Entities = 300;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Entities).Select(i => _store.CommitAsync(Commit($"c{i}", 0, 1, summit: "s2"))));
        Assert.All(outcomes, o => Assert.Equal(CommitOutcome.Committed, o));
        Assert.Equal(Entities, await CountAsync("SELECT count(*) FROM summit_entity WHERE summit = 's2'"));
        Assert.Equal(Entities, await CountAsync("SELECT count(*) FROM summit_audit WHERE summit = 's2'"));
        // Fewer transactions than changes: the writers took what piled up while they were busy.
        Assert.True(await CountAsync("SELECT count(DISTINCT xmin::text) FROM summit_entity WHERE summit = 's2'") < Entities);
    }

    [Fact]
    public async Task One_bad_change_in_a_group_fails_alone_and_leaves_nothing()
    {
        var bad = Commit("bad", 0, 1, summit: "s3") with { Json = "{not json" };
        var tasks = Enumerable.Range(0, 50).Select(i => _store.CommitAsync(Commit($"ok{i}", 0, 1, summit: "s3"))).ToList();
        var failing = _store.CommitAsync(bad);
        tasks.AddRange(Enumerable.Range(50, 50).Select(i => _store.CommitAsync(Commit($"ok{i}", 0, 1, summit: "s3"))));

        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.All(await Task.WhenAll(tasks), o => Assert.Equal(CommitOutcome.Committed, o));
        Assert.Equal(100, await CountAsync("SELECT count(*) FROM summit_entity WHERE summit = 's3'"));
        Assert.Equal(100, await CountAsync("SELECT count(*) FROM summit_audit WHERE summit = 's3'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM summit_audit WHERE summit = 's3' AND entity_id = 'bad'"));
    }

    [Fact]
    public async Task An_unreachable_database_is_a_serializable_storage_error_and_writes_nothing()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2 };
        await using var unreachable = SummitDataSource.Create(builder.ConnectionString);
        await using var store = new PostgresEntityStore(unreachable, NullLogger<PostgresEntityStore>.Instance);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CommitAsync(Commit("down", 0, 1, summit: "s4")));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM summit_entity WHERE summit = 's4'"));
    }

    [Fact]
    public async Task Entities_stored_as_grain_state_by_the_previous_version_move_forward_with_their_history()
    {
        var cs = await server.CreateDatabaseAsync("entity_upgrade");
        DatabaseMigrator.Apply(cs, NullLogger.Instance, upTo: "0131");
        var summit = SummitRules.Create("wyss-2020", new SummitDraft("峰会", "温州", new LocalDate(2020, 11, 17), new LocalDate(2020, 11, 19),
            "Asia/Shanghai", SummitMode.Hybrid, SummitTargets.Wyss2020, new LocalDate(2020, 4, 1)), Actor, Now).Entity;
        var task = TaskRules.Create("wyss-2020", "t-1", new TaskDraft("预算编制", TaskCategory.Budget, OwningUnit.County("pingyang"),
            new Deadline(new LocalDate(2020, 6, 12), null)), summit, Actor, Now).Entity with { Version = 3 };
        HistoryEntry Entry(int v) => new(v, Now + Duration.FromMinutes(v), "secretariat", Role.Secretariat, [new FieldChange("status", "a", "b")], $"n{v}");

        await using (var dataSource = SummitDataSource.Create(cs))
        {
            // As the previous version's Orleans ADO.NET provider left them: state name, string key, JSON payload.
            async Task Legacy(string stateName, string key, object state)
            {
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version)
                    VALUES (1, 0, 0, 2, $1, $2, 'summit', $3, 1)
                    """);
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = JsonSerializer.SerializeToUtf8Bytes(state, SummitJson.Options) });
                await insert.ExecuteNonQueryAsync();
            }
            await Legacy("summit", "wyss-2020", new { Entity = summit, History = new[] { Entry(1) } });
            await Legacy("task", "wyss-2020/t-1", new { Entity = task, History = new[] { Entry(1), Entry(2), Entry(3) } });
            // The audit row of version 1 was written before; versions 2 and 3 were lost (the gap the old design allowed).
            await new PostgresChangeJournal(dataSource).RecordAsync(new ChangeRecord("wyss-2020", EntityKind.Task, "t-1", 1, Now, "secretariat", Role.Secretariat, null, [], "n1"));
        }

        DatabaseMigrator.Apply(cs, NullLogger.Instance);

        await using var upgraded = SummitDataSource.Create(cs);
        await using var store = new PostgresEntityStore(upgraded, NullLogger<PostgresEntityStore>.Instance);
        var storedTask = await store.LoadAsync(new EntityKey("wyss-2020", EntityKind.Task, "t-1"));
        Assert.Equal(JsonSerializer.Serialize(task, SummitJson.Options), JsonSerializer.Serialize(JsonSerializer.Deserialize<PreparationTask>(storedTask!.Json, SummitJson.Options), SummitJson.Options));
        var storedSummit = await store.LoadAsync(new EntityKey("wyss-2020", EntityKind.Summit, "wyss-2020"));
        Assert.Equal(JsonSerializer.Serialize(summit, SummitJson.Options), JsonSerializer.Serialize(JsonSerializer.Deserialize<SummitEdition>(storedSummit!.Json, SummitJson.Options), SummitJson.Options));
        var (history, total) = await store.HistoryAsync(new EntityKey("wyss-2020", EntityKind.Task, "t-1"), 0, 10);
        Assert.Equal(3, total);
        Assert.Equal(["n1", "n2", "n3"], history.Select(h => h.Note));
        // The next change continues from the migrated revision.
        Assert.Equal(CommitOutcome.Committed, await store.CommitAsync(new EntityCommit(
            new EntityKey("wyss-2020", EntityKind.Task, "t-1"), storedTask.Revision, 4, storedTask.Json, null, null)));
    }

    [Fact]
    public async Task The_stream_delivers_committed_changes_in_order_and_never_passes_a_transaction_still_open()
    {
        for (var v = 1; v <= 3; v++) await _store.CommitAsync(Commit("s", v - 1, v, summit: "s5"));
        var first = await ReadAtLeastAsync("s5", StreamPosition.Start, 3);
        Assert.Equal([1, 2, 3], first.Select(c => c.Change.Version));
        Assert.All(first, c => Assert.Contains("\"version\": 3", c.EntityJson, StringComparison.Ordinal));

        // A transaction that has written a row but not committed holds the stream back, even for rows committed after it.
        await using var open = await _dataSource.OpenConnectionAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO summit_entity (summit, kind, id, revision, version, state) VALUES ('s5', 'university', 'late', 1, 1, '{}');
            INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, changes)
            VALUES ('s5', 'university', 'late', 1, now(), 'secretariat', 'secretariat', '[]')
            """, open, transaction))
            await insert.ExecuteNonQueryAsync();
        await _store.CommitAsync(Commit("s", 3, 4, summit: "s5"));
        Assert.Empty(await _store.ReadAsync("s5", first[^1].Position, 10));

        await transaction.CommitAsync();
        var rest = await ReadAtLeastAsync("s5", first[^1].Position, 2);
        Assert.Equal([("late", 1), ("s", 4)], rest.Select(c => (c.Change.EntityId, c.Change.Version)));
        Assert.Empty(await _store.ReadAsync("s5", rest[^1].Position, 10));
        // Resuming from any position gives exactly what follows it.
        Assert.Equal(rest.Skip(1).Select(c => c.Position), (await _store.ReadAsync("s5", rest[0].Position, 10)).Select(c => c.Position));
    }

    /// <summary>
    /// Reads the stream until it holds at least <paramref name="count"/> changes. The stream withholds rows behind any
    /// transaction still open in the cluster, and other test classes' databases share it, so a read right after a commit
    /// may briefly come back short.
    /// </summary>
    private async Task<IReadOnlyList<StreamedChange>> ReadAtLeastAsync(string summit, StreamPosition after, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var read = await _store.ReadAsync(summit, after, 10);
            if (read.Count >= count || DateTime.UtcNow > deadline) return read;
            await Task.Delay(20);
        }
    }
}
