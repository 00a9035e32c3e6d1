using System.Collections.Concurrent;
using System.Net;

namespace Summit.Tests.Api;

/// <summary>One in-memory gateway shared by the API test classes of <see cref="GatewayCollection"/>, with signed-in clients.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _shared = new();

    public GatewayFactory Factory { get; } = new();

    public string Summit => GatewayFactory.Summit;

    public async Task InitializeAsync() => await Factory.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) (await client).Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>A signed-in client per account, made once.</summary>
    public Task<HttpClient> As(string account) => _clients.GetOrAdd(account, Factory.SignedInAsync);

    /// <summary>Something several tests use and only the first one builds, e.g. the authorization matrix's entities.</summary>
    public async Task<T> SharedAsync<T>(string key, Func<GatewayFixture, Task<T>> build) where T : class =>
        (T)await _shared.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await build(this))).Value;

    /// <summary>Creates a task as the secretariat and returns its id.</summary>
    public async Task<string> CreateTaskAsync(string owner = "county:pingyang", string? title = null, string dueDate = "2020-07-15")
    {
        var (kind, code) = (owner.Split(':')[0], owner.Split(':')[1]);
        var secretariat = await As("secretariat");
        var id = $"t-{Guid.NewGuid():N}"[..20];
        await secretariat.PostAsync($"/api/summits/{Summit}/tasks", new
        {
            id,
            title = title ?? $"Test task {id}",
            category = "publicity",
            owner = new { kind, code },
            dueDate,
        }).ShouldBe(HttpStatusCode.Created);
        return id;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
