using System.Collections.Concurrent;
using System.Net;
using Summit.Tests.Infrastructure;
using Summit.Tests.Security;

namespace Summit.Tests.Api;

/// <summary>
/// One in-process Gateway (<see cref="GatewayFactory"/>: standalone, demo data, its own database) shared by the test
/// classes of a collection (<see cref="GatewayCollection"/>, <see cref="SecurityGatewayCollection"/>), with signed-in clients.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _shared = new();

    public GatewayFixture()
        : this(null)
    {
    }

    /// <summary>A Gateway with settings of its own (e.g. its files' content in an S3 bucket, <see cref="S3GatewayFixture"/>).</summary>
    internal GatewayFixture(IReadOnlyDictionary<string, string?>? settings) => Factory = new GatewayFactory(settings: settings);

    public GatewayFactory Factory { get; }

    public string Summit => GatewayFactory.Summit;

    public async Task InitializeAsync() => await Factory.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) (await client).Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>No cookies, no redirects followed: what an API script sees.</summary>
    public HttpClient Anonymous() => SecurityHttp.Anonymous(Factory);

    /// <summary>Keeps cookies like a browser.</summary>
    public HttpClient Browser() => SecurityHttp.Browser(Factory);

    /// <summary>A new client with a bearer token of its own (unlike <see cref="As"/>, not shared).</summary>
    public Task<HttpClient> BearerAsync(string account, string password = SignIn.DemoPassword) => SecurityHttp.BearerAsync(Factory, account, password);

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
