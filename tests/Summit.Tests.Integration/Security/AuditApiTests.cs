using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Domain;
using Summit.Journal;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

[Collection(SecurityGatewayCollection.Name)]
public sealed class AuditApiTests(GatewayFixture gateway)
{
    private const string Summit = GatewayFactory.Summit;

    [Fact]
    public void The_standalone_gateway_reads_what_its_silo_writes()
    {
        var services = gateway.Factory.Services;
        Assert.Same(services.GetRequiredService<IChangeJournal>(), services.GetRequiredService<IAuditReader>());
    }

    [Fact]
    public async Task The_secretariat_reads_the_trail_with_filters_newest_first()
    {
        var account = NewUsername("auditor");
        var journal = gateway.Factory.Services.GetRequiredService<IChangeJournal>();
        var t0 = Instant.FromUtc(2020, 6, 10, 1, 0);
        await journal.RecordAsync(Change("task-a", 1, t0, account, EntityKind.Task));
        await journal.RecordAsync(Change("task-a", 2, t0 + Duration.FromHours(1), account, EntityKind.Task));
        await journal.RecordAsync(Change("pingyang/kickoff", 1, t0 + Duration.FromHours(2), account, EntityKind.County));

        using var secretariat = await gateway.BearerAsync("secretariat");
        var all = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?account={account}")).ReadJsonAsync();
        Assert.Equal(3, all["total"]!.GetValue<int>());
        var first = all["items"]!.AsArray()[0]!;
        Assert.Equal("pingyang/kickoff", first["entityId"]!.GetValue<string>());
        Assert.Equal("county", first["kind"]!.GetValue<string>());
        Assert.Equal("2020-06-10T03:00:00Z", first["at"]!.GetValue<string>());
        Assert.Equal("county", first["role"]!.GetValue<string>());
        Assert.Equal("status", first["changes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("note", first["note"]!.GetValue<string>());

        var tasks = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?account={account}&kind=task&entityId=task-a")).ReadJsonAsync();
        Assert.Equal(2, tasks["total"]!.GetValue<int>());
        Assert.Equal(2, tasks["items"]![0]!["version"]!.GetValue<int>());

        var window = await (await secretariat.GetAsync(
            $"/api/summits/{Summit}/audit?account={account}&from=2020-06-10T09:30:00%2B08:00&to=2020-06-10T03:00:00Z")).ReadJsonAsync();
        Assert.Equal(1, window["total"]!.GetValue<int>());
        Assert.Equal(2, window["items"]![0]!["version"]!.GetValue<int>());

        var page = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?account={account}&offset=1&limit=1")).ReadJsonAsync();
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Single(page["items"]!.AsArray());
    }

    [Fact]
    public async Task Changes_made_through_the_api_are_in_the_trail()
    {
        var (id, secretariat) = await CreateAndChangeTaskAsync(gateway.Factory);
        var trail = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?kind=task&entityId={id}")).ReadJsonAsync();
        var items = trail["items"]!.AsArray();
        Assert.Equal(2, trail["total"]!.GetValue<int>());
        var change = items[0]!;
        Assert.Equal("county-pingyang", change["account"]!.GetValue<string>());
        Assert.Equal("county", change["role"]!.GetValue<string>());
        Assert.Equal("pingyang", change["unit"]!.GetValue<string>());
        Assert.Equal(2, change["version"]!.GetValue<int>());
        Assert.Equal("场地已落实", change["note"]!.GetValue<string>());
        Assert.Contains(change["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "percentComplete");
        var created = items[1]!;
        Assert.Equal("secretariat", created["account"]!.GetValue<string>());
        Assert.Equal(1, created["version"]!.GetValue<int>());

        var byCounty = await (await secretariat.GetAsync($"/api/summits/{Summit}/audit?entityId={id}&account=county-pingyang")).ReadJsonAsync();
        Assert.Equal(1, byCounty["total"]!.GetValue<int>());
    }

    /// <summary>The secretariat creates a task owned by Pingyang; Pingyang reports progress on it.</summary>
    internal static async Task<(string Id, HttpClient Secretariat)> CreateAndChangeTaskAsync(GatewayFactory factory)
    {
        var secretariat = await BearerAsync(factory, "secretariat");
        var id = $"audit-{Guid.NewGuid():N}"[..20];
        await Expect(await secretariat.PostAsync($"/api/summits/{Summit}/tasks", new
        {
            id,
            title = "平阳分会场场地确认",
            category = "venue",
            owner = new { kind = "county", code = "pingyang" },
            dueDate = "2020-07-15",
        }), HttpStatusCode.Created);
        using var county = await BearerAsync(factory, "county-pingyang");
        await Expect(await county.PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { percentComplete = 30, note = "场地已落实" }), HttpStatusCode.OK);
        return (id, secretariat);
    }

    [Theory]
    [InlineData("leader")]
    [InlineData("admin")]
    [InlineData("county-pingyang")]
    [InlineData("university-wmu")]
    public async Task Only_the_secretariat_reads_the_trail(string account)
    {
        using var http = await gateway.BearerAsync(account);
        var problem = await ExpectProblem(await http.GetAsync($"/api/summits/{Summit}/audit"), HttpStatusCode.Forbidden);
        Assert.DoesNotContain("items", problem.ToJsonString());
    }

    [Theory]
    [InlineData("kind=nonsense", "kind")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2020-13-01T00:00:00Z", "to")]
    [InlineData("from=2020-06-10T00:00:00Z&to=2020-06-09T00:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task Bad_filters_are_400_problems_naming_the_field(string query, string field)
    {
        using var secretariat = await gateway.BearerAsync("secretariat");
        var problem = await ExpectProblem(await secretariat.GetAsync($"/api/summits/{Summit}/audit?{query}"), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_summit_is_404()
    {
        using var secretariat = await gateway.BearerAsync("secretariat");
        await ExpectProblem(await secretariat.GetAsync("/api/summits/no-such-summit/audit"), HttpStatusCode.NotFound);
    }

    internal static ChangeRecord Change(string entityId, int version, Instant at, string account, EntityKind kind) =>
        new(Summit, kind, entityId, version, at, account, kind == EntityKind.County ? Role.County : Role.Secretariat,
            kind == EntityKind.County ? "pingyang" : null,
            [new FieldChange("status", "planned", "inProgress")], "note");
}
