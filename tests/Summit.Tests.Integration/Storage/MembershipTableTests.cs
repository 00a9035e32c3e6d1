using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>Cluster membership through the real Orleans ADO.NET clustering provider on the migrated schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MembershipTableTests(PostgresServer server) : IAsyncLifetime
{
    private AdoNetSiloFactory _silos = null!;

    public async Task InitializeAsync()
    {
        var cs = await server.CreateDatabaseAsync("membership");
        DatabaseMigrator.Apply(cs, NullLogger.Instance);
        _silos = new AdoNetSiloFactory(cs);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Silo_registers_serves_clients_through_its_gateway_and_leaves_as_dead()
    {
        var silo = await _silos.StartSiloAsync();
        try
        {
            var row = (await ReadMembersAsync()).Single();
            Assert.Equal("127.0.0.1", row.Address);
            Assert.Equal(3, row.Status); // Active
            Assert.True(row.ProxyPort > 0);
            // A time-zone mix-up would show up here as an offset of several hours.
            Assert.InRange(row.IAmAliveTime, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
            Assert.InRange(row.StartTime, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
            Assert.True(await ReadVersionAsync() >= 2); // version row created, then at least insert + activate

            // The client finds the gateway only through the membership table.
            var client = await _silos.StartClientAsync();
            try
            {
                var grain = AdoNetSiloFactory.Grains(client).GetGrain<IStringKeyStorageProbeGrain>("via-gateway");
                await grain.Write("through the gateway", 1);
                Assert.Equal("through the gateway", (await grain.Read()).Text);
            }
            finally
            {
                await AdoNetSiloFactory.StopAsync(client);
            }
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(silo);
        }

        Assert.Equal(6, (await ReadMembersAsync()).Single().Status); // Dead after a graceful shutdown
    }

    [Fact]
    public async Task Cleanup_removes_only_long_dead_silos()
    {
        var silo = await _silos.StartSiloAsync();
        try
        {
            var longAgo = DateTime.UtcNow.AddDays(-3);
            await InsertMemberAsync("10.0.0.1", status: 6, longAgo, suspectTimes: null);       // long dead: removed
            await InsertMemberAsync("10.0.0.2", status: 6, longAgo, suspectTimes: "");         // long dead: removed
            await InsertMemberAsync("10.0.0.3", status: 6, DateTime.UtcNow, suspectTimes: null); // recently dead: kept
            await InsertMemberAsync("10.0.0.4", status: 3, longAgo, suspectTimes: null);       // not dead: kept

            var table = silo.Services.GetRequiredService<IMembershipTable>();
            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);

            var remaining = (await ReadMembersAsync()).Select(m => m.Address).Order(StringComparer.Ordinal);
            Assert.Equal(new[] { "10.0.0.3", "10.0.0.4", "127.0.0.1" }, remaining);

            // The provider still reads the table it just cleaned.
            var all = await table.ReadAllAsync(CancellationToken.None);
            Assert.Equal(3, all.Members.Count);
        }
        finally
        {
            // Unreachable fake silos must not be part of the real silo's shutdown.
            await DeleteMembersAsync("10.0.0.%");
            await AdoNetSiloFactory.StopAsync(silo);
        }
    }

    [Fact]
    public async Task Two_silos_joining_at_once_both_become_active()
    {
        // Both silos race on the same table version; the loser must get "false" and retry (Orleans
        // backs off for a few seconds before retrying, which is most of this test's run time).
        var silos = await Task.WhenAll(_silos.StartSiloAsync(), _silos.StartSiloAsync());
        try
        {
            var members = await ReadMembersAsync();
            Assert.Equal(2, members.Count);
            Assert.All(members, m => Assert.Equal(3, m.Status));

            // Both silos' own views hold both silos: the membership the table recorded is what the silos act on.
            await WaitForViewsAsync(silos, active: 2);

            // Each silo reaches grains activated on the other: randomly placed, 64 grains land on both silos.
            foreach (var silo in silos)
            {
                var grains = AdoNetSiloFactory.Grains(silo);
                var hosts = await Task.WhenAll(Enumerable.Range(0, 64).Select(k => grains.GetGrain<ISiloProbeGrain>(k).Host()));
                Assert.Equal(2, hosts.Distinct(StringComparer.Ordinal).Count());
            }
        }
        finally
        {
            await Task.WhenAll(silos.Select(AdoNetSiloFactory.StopAsync));
        }

        Assert.All(await ReadMembersAsync(), m => Assert.Equal(6, m.Status));
    }

    private static async Task WaitForViewsAsync(IReadOnlyList<IHost> silos, int active)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var silo in silos)
        {
            var membership = silo.Services.GetRequiredService<IClusterMembershipService>();
            while (membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) < active)
            {
                Assert.True(DateTime.UtcNow < deadline, $"a silo still sees {membership.CurrentSnapshot.Members.Count} members after 30 s");
                await membership.Refresh();
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task Writes_with_a_stale_table_version_change_nothing()
    {
        var silo = await _silos.StartSiloAsync();
        try
        {
            var table = silo.Services.GetRequiredService<IMembershipTable>();
            var current = (await table.ReadAllAsync(CancellationToken.None)).Version;
            var stale = new TableVersion(current.Version, (current.Version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var ghost = new MembershipEntry
            {
                SiloAddress = SiloAddress.New(System.Net.IPAddress.Parse("10.0.0.9"), 11111, 1),
                SiloName = "ghost",
                HostName = "ghost-host",
                Status = SiloStatus.Dead,
                ProxyPort = 0,
                StartTime = DateTime.UtcNow,
                IAmAliveTime = DateTime.UtcNow,
            };

            Assert.False(await table.InsertRowAsync(ghost, stale.Next(), CancellationToken.None));
            Assert.Null((await table.ReadRowAsync(ghost.SiloAddress, CancellationToken.None)).Members.SingleOrDefault()?.Item1);
            Assert.Equal(current.Version, await ReadVersionAsync());

            Assert.True(await table.InsertRowAsync(ghost, current.Next(), CancellationToken.None));
            var afterInsert = (await table.ReadRowAsync(ghost.SiloAddress, CancellationToken.None));
            Assert.Equal(current.Version + 1, afterInsert.Version.Version);
            var (stored, etag) = afterInsert.Members.Single();
            Assert.Equal("ghost", stored.SiloName);

            // Inserting the same silo again fails and must not move the version.
            Assert.False(await table.InsertRowAsync(ghost, afterInsert.Version.Next(), CancellationToken.None));
            Assert.Equal(current.Version + 1, await ReadVersionAsync());

            stored.SuspectTimes = [Tuple.Create(silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress, DateTime.UtcNow)];
            Assert.False(await table.UpdateRowAsync(stored, etag, current.Next(), CancellationToken.None));
            Assert.True(await table.UpdateRowAsync(stored, etag, afterInsert.Version.Next(), CancellationToken.None));
            var updated = (await table.ReadRowAsync(ghost.SiloAddress, CancellationToken.None)).Members.Single().Item1;
            Assert.Single(updated.SuspectTimes!);
        }
        finally
        {
            await DeleteMembersAsync("10.0.0.%");
            await AdoNetSiloFactory.StopAsync(silo);
        }
    }

    private sealed record Member(string Address, int Status, int ProxyPort, DateTime StartTime, DateTime IAmAliveTime);

    private async Task<List<Member>> ReadMembersAsync()
    {
        await using var connection = new NpgsqlConnection(_silos.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Address, Status, ProxyPort, StartTime, IAmAliveTime FROM OrleansMembershipTable WHERE DeploymentId = @id",
            connection);
        command.Parameters.AddWithValue("id", _silos.ClusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<Member>();
        while (await reader.ReadAsync())
        {
            members.Add(new Member(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetDateTime(3), reader.GetDateTime(4)));
        }

        return members;
    }

    private async Task<int> ReadVersionAsync()
    {
        await using var connection = new NpgsqlConnection(_silos.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @id", connection);
        command.Parameters.AddWithValue("id", _silos.ClusterId);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private async Task DeleteMembersAsync(string addressPattern)
    {
        await using var connection = new NpgsqlConnection(_silos.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM OrleansMembershipTable WHERE DeploymentId = @id AND Address LIKE @pattern", connection);
        command.Parameters.AddWithValue("id", _silos.ClusterId);
        command.Parameters.AddWithValue("pattern", addressPattern);
        await command.ExecuteNonQueryAsync();
    }

    private async Task InsertMemberAsync(string address, int status, DateTime lastSeen, string? suspectTimes)
    {
        await using var connection = new NpgsqlConnection(_silos.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO OrleansMembershipTable
                (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
            VALUES (@id, @address, 11111, 1, 'ghost', 'ghost-host', @status, 0, @suspect, @seen, @seen)
            """, connection);
        command.Parameters.AddWithValue("id", _silos.ClusterId);
        command.Parameters.AddWithValue("address", address);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("suspect", (object?)suspectTimes ?? DBNull.Value);
        command.Parameters.AddWithValue("seen", lastSeen);
        await command.ExecuteNonQueryAsync();
    }
}
