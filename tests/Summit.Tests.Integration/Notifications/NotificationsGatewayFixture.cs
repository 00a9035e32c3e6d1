using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Notifications;
using Summit.Scheduling;
using Summit.Tests.Api;

namespace Summit.Tests.Notifications;

/// <summary>
/// A gateway of its own (in memory, demo data) whose webhook dispatcher retries fast: 200 ms, then 400 ms, three
/// attempts in all. Tests use different counties so their inboxes and webhooks do not meet.
/// </summary>
public sealed class NotificationsGatewayFixture : IAsyncLifetime
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new();

    public NotificationsGatewayFixture()
        : this(new GatewayFactory(settings: new Dictionary<string, string?>
        {
            ["Summit:Webhooks:BaseDelay"] = BaseDelay.ToString(),
            ["Summit:Webhooks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Summit:Webhooks:PollInterval"] = "00:00:00.050",
            ["Summit:Webhooks:Timeout"] = "00:00:03",
        }))
    {
    }

    /// <summary>Over another gateway, e.g. one on PostgreSQL.</summary>
    internal NotificationsGatewayFixture(GatewayFactory factory) => Factory = factory;

    public GatewayFactory Factory { get; }

    public string Summit => GatewayFactory.Summit;

    public IGrainFactory Grains => Factory.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync() => await Factory.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) (await client).Dispose();
        await Factory.DisposeAsync();
    }

    public Task<HttpClient> As(string account) => _clients.GetOrAdd(account, Factory.SignedInAsync);

    /// <summary>Creates a task as the secretariat and returns its id.</summary>
    public async Task<string> CreateTaskAsync(string owner, string dueDate, string? title = null, string? plan = null, string? assignee = null)
    {
        var (kind, code) = (owner.Split(':')[0], owner.Split(':')[1]);
        var secretariat = await As("secretariat");
        var id = $"t-{Guid.NewGuid():N}"[..20];
        var body = new JsonObject
        {
            ["id"] = id,
            ["title"] = title ?? $"测试任务 {id}",
            ["category"] = "publicity",
            ["owner"] = new JsonObject { ["kind"] = kind, ["code"] = code },
            ["dueDate"] = dueDate,
        };
        if (plan is not null) body["plan"] = plan;
        if (assignee is not null) body["assignee"] = assignee;
        await secretariat.PostAsync($"/api/summits/{Summit}/tasks", Api.Api.Json(body.ToJsonString())).ShouldBe(HttpStatusCode.Created);
        return id;
    }

    /// <summary>What the deadline engine does when a task's due moment has passed.</summary>
    public async Task AnnounceOverdueAsync(string taskId)
    {
        var task = (await Grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(Summit, taskId)).Get())!;
        var dueAt = task.Due.DueInstant(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);
        await Grains.GetGrain<IEscalationGrain>(Summit).OnAnnouncement(task, new DueAnnouncement(DueKind.Overdue, null, task.Due, dueAt));
    }

    /// <summary>The signed-in account's notifications about one task.</summary>
    public async Task<JsonObject[]> NotificationsAboutAsync(string account, string taskId, string query = "")
    {
        var http = await As(account);
        var list = await (await http.GetAsync($"/api/me/notifications?limit=1000{query}").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return list["items"]!.AsArray().Select(n => n!.AsObject()).Where(n => n["taskId"]?.ToString() == taskId).ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsGatewayCollection : ICollectionFixture<NotificationsGatewayFixture>
{
    public const string Name = "notifications-gateway";
}
