using Summit.Tests.Infrastructure;

namespace Summit.Tests.Browser;

/// <summary>One Gateway (PostgreSQL-backed, demo data) and one Chromium shared by the browser tests of a class.</summary>
public sealed class BrowserFixture(PostgresServer postgres) : IAsyncLifetime
{
    private LiveGateway? _gateway;
    private Chromium? _chromium;

    public LiveGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _gateway = await LiveGateway.StartAsync(postgres, "browser");
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}
