using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Storage;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>Grain state through the real Orleans ADO.NET storage provider on the migrated schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStorageTests(PostgresServer server) : IAsyncLifetime
{
    private AdoNetSiloFactory _silos = null!;

    public async Task InitializeAsync()
    {
        var cs = await server.CreateDatabaseAsync("grain_storage");
        DatabaseMigrator.Apply(cs, NullLogger.Instance);
        _silos = new AdoNetSiloFactory(cs);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task State_of_every_key_kind_survives_a_full_silo_restart()
    {
        var guid = Guid.NewGuid();
        var otherGuid = Guid.NewGuid();
        const string stringKey = "tenant/ünïcode key with spaces & 'quotes'";

        var first = await _silos.StartSiloAsync();
        try
        {
            var grains = AdoNetSiloFactory.Grains(first);
            await grains.GetGrain<IStorageProbeGrain>(42).Write("integer", 1);
            await grains.GetGrain<IStorageProbeGrain>(42).Write("integer again", 2);
            await grains.GetGrain<IStorageProbeGrain>(-42).Write("negative integer", 3);
            await grains.GetGrain<IStringKeyStorageProbeGrain>(stringKey).Write("string", 4);
            await grains.GetGrain<IGuidKeyStorageProbeGrain>(guid).Write("guid", 5);
            await grains.GetGrain<ICompoundKeyStorageProbeGrain>(guid, "ext-a").Write("compound a", 6);
            await grains.GetGrain<ICompoundKeyStorageProbeGrain>(guid, "ext-b").Write("compound b", 7);
            await grains.GetGrain<ICompoundKeyStorageProbeGrain>(otherGuid, "ext-a").Write("compound other", 8);
            await grains.GetGrain<IIntegerCompoundKeyStorageProbeGrain>(7, "ext").Write("integer compound", 9);
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(first);
        }

        var second = await _silos.StartSiloAsync();
        try
        {
            var grains = AdoNetSiloFactory.Grains(second);

            var integer = await grains.GetGrain<IStorageProbeGrain>(42).Read();
            Assert.Equal(("integer again", 2), (integer.Text, integer.Number));
            Assert.Equal(new[] { "integer", "integer again" }, integer.History);
            Assert.True(integer.RecordExists);
            Assert.Equal("2", integer.ETag);

            await AssertState(grains.GetGrain<IStorageProbeGrain>(-42).Read(), "negative integer", 3);
            await AssertState(grains.GetGrain<IStringKeyStorageProbeGrain>(stringKey).Read(), "string", 4);
            await AssertState(grains.GetGrain<IGuidKeyStorageProbeGrain>(guid).Read(), "guid", 5);
            await AssertState(grains.GetGrain<ICompoundKeyStorageProbeGrain>(guid, "ext-a").Read(), "compound a", 6);
            await AssertState(grains.GetGrain<ICompoundKeyStorageProbeGrain>(guid, "ext-b").Read(), "compound b", 7);
            await AssertState(grains.GetGrain<ICompoundKeyStorageProbeGrain>(otherGuid, "ext-a").Read(), "compound other", 8);
            await AssertState(grains.GetGrain<IIntegerCompoundKeyStorageProbeGrain>(7, "ext").Read(), "integer compound", 9);

            var unknown = await grains.GetGrain<IGuidKeyStorageProbeGrain>(Guid.NewGuid()).Read();
            Assert.False(unknown.RecordExists);
            Assert.Null(unknown.ETag);
            Assert.Equal("", unknown.Text);

            // Updating after the restart continues the stored version.
            await grains.GetGrain<IStringKeyStorageProbeGrain>(stringKey).Write("string updated", 10);
            Assert.Equal("2", (await grains.GetGrain<IStringKeyStorageProbeGrain>(stringKey).Read()).ETag);
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(second);
        }

        var rows = await DatabaseMigratorTests.QueryListAsync(_silos.ConnectionString,
            $"SELECT count(*) FROM OrleansStorage WHERE ServiceId = '{_silos.ServiceId}'");
        Assert.Equal("8", rows.Single());

        // The provider stores the state name as GrainTypeString and a string key verbatim.
        var stringRow = await DatabaseMigratorTests.QueryListAsync(_silos.ConnectionString,
            $"SELECT GrainIdN0 || ' ' || GrainIdN1 || ' ' || GrainIdExtensionString FROM OrleansStorage " +
            $"WHERE ServiceId = '{_silos.ServiceId}' AND GrainTypeString = 'string-probe'");
        Assert.Equal($"0 0 {stringKey}", stringRow.Single());
    }

    [Fact]
    public async Task Clearing_keeps_or_deletes_the_row_as_configured_and_stale_writes_are_rejected()
    {
        var silo = await _silos.StartSiloAsync();
        try
        {
            var grains = AdoNetSiloFactory.Grains(silo);

            // DeleteStateOnClear = false: the row stays, emptied, and its version moves on.
            var keeping = grains.GetGrain<IStorageProbeGrain>(1000);
            await keeping.Write("before clear", 1);
            await keeping.Clear();
            await keeping.Deactivate();
            var cleared = await keeping.Read();
            Assert.False(cleared.RecordExists);
            Assert.Equal("2", cleared.ETag);
            Assert.Equal("", cleared.Text);
            await keeping.Write("after clear", 2);
            Assert.Equal("3", (await keeping.Read()).ETag);

            // DeleteStateOnClear = true: the row goes away and the next write starts over.
            var deleting = grains.GetGrain<IDeletingStorageProbeGrain>("deleted");
            await deleting.Write("before delete", 1);
            await deleting.Clear();
            await deleting.Deactivate();
            var deleted = await deleting.Read();
            Assert.False(deleted.RecordExists);
            Assert.Null(deleted.ETag);
            await deleting.Write("after delete", 2);
            await deleting.Deactivate();
            await AssertState(deleting.Read(), "after delete", 2, expectedEtag: "1");

            // Optimistic concurrency straight against the provider.
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageProviders.Default);
            var grainId = GrainId.Create("storageprobe", "conflict");
            const string grainType = "Summit.Tests.Storage.ConflictState";

            var writer = new GrainState<StorageProbeState>(new StorageProbeState { Text = "one" });
            await storage.WriteStateAsync(grainType, grainId, writer);
            Assert.Equal("1", writer.ETag);

            var stale = new GrainState<StorageProbeState>(new StorageProbeState { Text = "stale" }) { ETag = null };
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, stale));

            writer.State!.Text = "two";
            await storage.WriteStateAsync(grainType, grainId, writer);
            Assert.Equal("2", writer.ETag);

            stale.ETag = "1";
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, stale));
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(grainType, grainId, stale));

            var reader = new GrainState<StorageProbeState>();
            await storage.ReadStateAsync(grainType, grainId, reader);
            Assert.Equal("two", reader.State!.Text);
            Assert.Equal("2", reader.ETag);
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(silo);
        }
    }

    private static async Task AssertState(Task<StorageProbeSnapshot> read, string text, int number, string expectedEtag = "1")
    {
        var snapshot = await read;
        Assert.Equal(text, snapshot.Text);
        Assert.Equal(number, snapshot.Number);
        Assert.True(snapshot.RecordExists);
        Assert.Equal(expectedEtag, snapshot.ETag);
    }
}
