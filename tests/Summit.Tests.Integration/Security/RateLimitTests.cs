using System.Net;
using System.Net.Http.Json;
using Summit.Tests.Api;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

/// <summary>A gateway with the default sign-in limits (5 per account, 20 per address a minute) and 3 writes a minute.</summary>
public sealed class RateLimitFixture : IAsyncLifetime
{
    public GatewayFactory Factory { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Summit:RateLimits:SignInPerAccount"] = "5",
        ["Summit:RateLimits:SignInPerAddress"] = "20",
        ["Summit:RateLimits:WritesPerUser"] = "3",
    });

    public Task InitializeAsync() => Factory.StartAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class RateLimitTests(RateLimitFixture gateway) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task The_sixth_sign_in_attempt_on_one_account_within_a_minute_is_429_with_retry_after()
    {
        using var http = Anonymous(gateway.Factory);
        for (var attempt = 1; attempt <= 5; attempt++)
            await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username = "leader", password = $"guess-{attempt}" }), HttpStatusCode.Unauthorized);

        // Even the right password, and through the cookie sign-in too.
        var sixth = await http.PostAsJsonAsync("/api/auth/token", new { username = "leader", password = "summit2020" });
        await ExpectProblem(sixth, HttpStatusCode.TooManyRequests);
        var retryAfter = sixth.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await ExpectProblem(await http.PostAsJsonAsync("/api/auth/login", new { username = "LEADER", password = "summit2020" }), HttpStatusCode.TooManyRequests);

        // Other accounts are not affected.
        await TokenAsync(http, "secretariat");

        using var admin = await BearerAsync(gateway.Factory, "admin");
        var log = await (await admin.GetAsync("/api/security/events?account=leader")).ReadJsonAsync();
        var kinds = log["items"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToArray();
        Assert.Equal(5, kinds.Count(k => k == "signInFailed"));
        Assert.Equal(2, kinds.Count(k => k == "signInThrottled"));
    }

    [Fact]
    public async Task Writes_per_user_are_limited_and_reads_are_not()
    {
        using var admin = await BearerAsync(gateway.Factory, "admin");
        for (var i = 0; i < 3; i++)
            await Expect(await admin.PostAsync("/api/accounts/leader/enable", null), HttpStatusCode.OK);

        var refused = await admin.PostAsync("/api/accounts/leader/enable", null);
        await ExpectProblem(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);

        await Expect(await admin.GetAsync("/api/accounts/leader"), HttpStatusCode.OK);
    }
}

/// <summary>A gateway allowing 3 sign-in attempts per client address a minute, no per-account limit.</summary>
public sealed class AddressRateLimitFixture : IAsyncLifetime
{
    public GatewayFactory Factory { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Summit:RateLimits:SignInPerAccount"] = "0",
        ["Summit:RateLimits:SignInPerAddress"] = "3",
    });

    public Task InitializeAsync() => Factory.StartAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class AddressRateLimitTests(AddressRateLimitFixture gateway) : IClassFixture<AddressRateLimitFixture>
{
    [Fact]
    public async Task Sign_ins_from_one_address_are_limited_whatever_the_account()
    {
        using var http = Anonymous(gateway.Factory);
        await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username = "county-ruian", password = "guess" }), HttpStatusCode.Unauthorized);
        await ExpectProblem(await http.PostAsJsonAsync("/api/auth/token", new { username = "county-ouhai", password = "guess" }), HttpStatusCode.Unauthorized);
        await Expect(await http.PostAsJsonAsync("/api/auth/login", new { username = "secretariat", password = "summit2020" }), HttpStatusCode.OK);

        var fourth = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "summit2020" });
        await ExpectProblem(fourth, HttpStatusCode.TooManyRequests);
        Assert.NotNull(fourth.Headers.RetryAfter?.Delta);
    }
}
