using Summit.Tests.Api;
using System.Net;
using static Summit.Tests.Security.SecurityHttp;

namespace Summit.Tests.Security;

[Collection(SecurityGatewayCollection.Name)]
public sealed class OrleansDashboardTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Admins_see_the_orleans_dashboard()
    {
        using var admin = await gateway.BearerAsync("admin");
        var page = await admin.GetAsync("/orleans/");
        await Expect(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        var version = await admin.GetAsync("/orleans/version");
        await Expect(version, HttpStatusCode.OK);
        var counters = await admin.GetAsync("/orleans/ClusterStats");
        await Expect(counters, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admins_signed_in_with_the_cookie_see_it_too()
    {
        using var browser = gateway.Browser();
        await LoginAsync(browser, "admin");
        await Expect(await browser.GetAsync("/orleans/"), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("secretariat")]
    [InlineData("leader")]
    [InlineData("county-wencheng")]
    [InlineData("university-wzpt")]
    public async Task Everyone_else_is_forbidden(string account)
    {
        using var http = await gateway.BearerAsync(account);
        foreach (var path in new[] { "/orleans/", "/orleans", "/orleans/version", "/orleans/DashboardCounters", "/orleans/Trace" })
            await ExpectProblem(await http.GetAsync(path), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Anonymous_callers_are_401()
    {
        using var http = gateway.Anonymous();
        foreach (var path in new[] { "/orleans/", "/orleans", "/orleans/ClusterStats", "/orleans/index.min.js" })
            await ExpectProblem(await http.GetAsync(path), HttpStatusCode.Unauthorized);
    }
}
