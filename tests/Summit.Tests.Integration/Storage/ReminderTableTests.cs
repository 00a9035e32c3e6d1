using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Summit.Hosting.Storage;
using Summit.Data.Storage;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Storage;

/// <summary>Reminders through the real Orleans ADO.NET reminder table on the migrated schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReminderTableTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(20);
    private AdoNetSiloFactory _silos = null!;

    public async Task InitializeAsync()
    {
        var cs = await server.CreateDatabaseAsync("reminders");
        DatabaseMigrator.Apply(cs, NullLogger.Instance);
        _silos = new AdoNetSiloFactory(cs);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reminder_is_stored_fires_and_keeps_firing_after_a_full_silo_restart()
    {
        var grainKey = "reminder-" + Guid.NewGuid().ToString("N");
        var tickKey = $"{grainKey}/tick";

        var first = await _silos.StartSiloAsync();
        try
        {
            var grain = AdoNetSiloFactory.Grains(first).GetGrain<IReminderProbeGrain>(grainKey);
            await grain.Register("tick", TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500));
            await grain.Register("later", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
            // Registering again replaces the row and bumps its ETag.
            await grain.Register("later", TimeSpan.FromHours(2), TimeSpan.FromHours(2));

            Assert.True(await grain.Exists("tick"));
            Assert.False(await grain.Exists("missing"));
            Assert.Equal(new[] { "later", "tick" }, await grain.List());
            await WaitForTicksAsync(tickKey, 1);
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(first);
        }

        var rows = await DatabaseMigratorTests.QueryListAsync(_silos.ConnectionString,
            $"SELECT ReminderName || ':' || Period || ':' || Version FROM OrleansRemindersTable " +
            $"WHERE ServiceId = '{_silos.ServiceId}' ORDER BY ReminderName");
        Assert.Equal(new[] { "later:7200000:1", "tick:500:0" }, rows);

        // A new silo learns about the reminder only by reading its hash range from the table.
        ReminderProbeGrain.Ticks.TryRemove(tickKey, out _);
        var second = await _silos.StartSiloAsync();
        try
        {
            await WaitForTicksAsync(tickKey, 1);

            var grain = AdoNetSiloFactory.Grains(second).GetGrain<IReminderProbeGrain>(grainKey);
            await grain.Unregister("tick");
            Assert.False(await grain.Exists("tick"));
            Assert.Equal(new[] { "later" }, await grain.List());

            // Ring ranges are (begin, end]: check both the plain and the wrapping query.
            var table = second.Services.GetRequiredService<IReminderTable>();
            var hash = GrainId.Create("reminderprobe", grainKey).GetUniformHashCode();
            Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders);
            Assert.Empty((await table.ReadRows(hash, hash + 1)).Reminders);
            Assert.Single((await table.ReadRows(hash + 1, hash)).Reminders);
            Assert.Empty((await table.ReadRows(hash, hash - 1)).Reminders);
            Assert.Single((await table.ReadRows(0, 0)).Reminders);
        }
        finally
        {
            await AdoNetSiloFactory.StopAsync(second);
        }

        Assert.Equal(new[] { "later" }, await DatabaseMigratorTests.QueryListAsync(_silos.ConnectionString,
            $"SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = '{_silos.ServiceId}'"));
    }

    private static async Task WaitForTicksAsync(string key, int count)
    {
        var stopwatch = Stopwatch.StartNew();
        while (ReminderProbeGrain.Ticks.GetValueOrDefault(key) < count)
        {
            if (stopwatch.Elapsed > TickTimeout)
            {
                Assert.Fail($"Reminder '{key}' did not fire {count} time(s) within {TickTimeout}.");
            }

            await Task.Delay(50);
        }
    }
}
