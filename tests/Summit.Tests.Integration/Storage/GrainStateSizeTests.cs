using System.Net;
using Npgsql;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Storage;

/// <summary>
/// No grain keeps a per-summit collection in its Orleans state: after a 2,000-task demo summit has run its deadline
/// engine, escalation ladder, notifications, change stream and live feed, every row of <c>OrleansStorage</c> is small.
/// The clock starts weeks after many due dates, so hundreds of tasks are overdue and climb the ladder to the red list.
/// </summary>
public sealed class GrainStateSizeTests(ITestOutputHelper output)
{
    private const int MaxPayload = 64 * 1024;

    [Fact]
    public async Task No_grain_state_is_larger_than_64_KiB_after_a_2000_task_summit_has_run()
    {
        var connectionString = await PostgresServer.Shared.CreateMigratedDatabaseAsync("statesize");
        await using var factory = new GatewayFactory(connectionString, new Dictionary<string, string?>
        {
            ["Summit:Demo:Tasks"] = "2000",
            ["Summit:Clock:Start"] = "2020-07-25T09:00:00+08:00",
            ["Summit:Deadlines:SettleDelay"] = "00:00:00.1",
        });
        await factory.StartAsync();

        // Some traffic through the API too, so the change stream and the feed have moved on.
        var secretariat = await factory.SignedInAsync("secretariat");
        var tasks = (await (await secretariat.GetAsync($"/api/summits/{GatewayFactory.Summit}/tasks?limit=20")).ReadJsonAsync())["items"]!.AsArray();
        foreach (var task in tasks)
            await secretariat.PatchAsync($"/api/summits/{GatewayFactory.Summit}/tasks/{task!["id"]}", new { note = "检查进度" });

        await using var data = NpgsqlDataSource.Create(connectionString);
        // Wait until escalation has reached the red list and the counts stop growing.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        (long Ladder, long Red, long Notifications) last = (-1, -1, -1);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await using var count = data.CreateCommand("""
                SELECT (SELECT count(*) FROM summit_escalation),
                       (SELECT count(*) FROM summit_escalation WHERE red_listed_at IS NOT NULL),
                       (SELECT count(*) FROM summit_notification)
                """);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            var now = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            output.WriteLine($"ladder {now.Item1}, red list {now.Item2}, notifications {now.Item3}");
            if (now.Item2 > 0 && now == last) break;
            last = now;
        }
        Assert.True(last.Red > 0, "Nothing reached the red list: the escalation ladder did not run.");
        var redList = await (await secretariat.GetAsync($"/api/summits/{GatewayFactory.Summit}/red-list?limit=5")).ReadJsonAsync();
        output.WriteLine($"red list total {redList["total"]}");

        await using var sizes = data.CreateCommand("""
            SELECT GrainTypeString, coalesce(GrainIdExtensionString, ''), coalesce(length(PayloadBinary), 0)
            FROM OrleansStorage ORDER BY 3 DESC
            """);
        var rows = new List<(string Type, string Key, int Bytes)>();
        await using (var reader = await sizes.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        foreach (var row in rows.Take(10)) output.WriteLine($"{row.Bytes,8} bytes  {row.Type} {row.Key}");
        Assert.NotEmpty(rows);
        var largest = rows[0];
        output.WriteLine($"largest grain state: {largest.Type} ({largest.Key}), {largest.Bytes} bytes, of {rows.Count} rows");
        Assert.All(rows, r => Assert.True(r.Bytes <= MaxPayload, $"{r.Type} {r.Key} keeps {r.Bytes} bytes of state."));
    }
}
