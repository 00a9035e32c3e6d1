using System.Net.Http.Json;
using System.Text.Json;
using Summit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summit.Tests.Hosting;

/// <summary>The README's run command, as a real process with its defaults: in-memory state and demo data.</summary>
public sealed class StandaloneGatewayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Default_run_serves_the_demo_summit_from_memory()
    {
        await using var gateway = ProcessHost.Gateway(new Dictionary<string, string?>
        {
            ["Summit__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Summit__Silo__GatewayPort"] = FreePort.Next().ToString(),
        });
        var ready = await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"healthy after {ready.TotalSeconds:0.0} s");

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        await http.AsAsync("secretariat");
        var summit = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020");
        Assert.Equal("2020世界青年科学家峰会", summit.GetProperty("name").GetString());
        Assert.Equal("Asia/Shanghai", summit.GetProperty("timeZone").GetString());

        var tasks = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/tasks?limit=1");
        Assert.Equal(400, tasks.GetProperty("total").GetInt32());
        var counties = await http.GetFromJsonAsync<JsonElement>("/api/summits/wyss-2020/counties");
        Assert.Equal(12, counties.GetProperty("total").GetInt32());

        var page = await new HttpClient { BaseAddress = gateway.BaseAddress }.GetStringAsync("/");
        Assert.Contains("<html", page);
        Assert.Contains("IN MEMORY", gateway.Log);
    }
}
