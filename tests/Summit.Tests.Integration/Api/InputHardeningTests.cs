using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Summit.Gateway.Security;

namespace Summit.Tests.Api;

/// <summary>
/// Regressions of a hostile-input run: odd charsets, codes ending in a line break, control characters in query strings
/// and paths, and If-Match tags that are not ours. Each is a 4xx problem document and changes nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class InputHardeningTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    private static StringContent JsonWithType(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private async Task<int> AuditCountAsync()
    {
        var secretariat = await gateway.As("secretariat");
        var audit = await (await secretariat.GetAsync($"/api/summits/{gateway.Summit}/audit?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        return audit["total"]!.GetValue<int>();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonNode.Parse(body)!["status"]!.GetValue<int>());
    }

    // 1a: charsets.

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json;charset=utf8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    public async Task A_utf8_charset_in_any_spelling_signs_in(string contentType)
    {
        using var anonymous = gateway.Factory.CreateClient();
        var response = await anonymous.PostAsync("/api/auth/token",
            JsonWithType("""{"username":"secretariat","password":"summit2020"}""", contentType));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.NotNull((await response.ReadJsonAsync())["access_token"]);
    }

    [Theory]
    [InlineData("application/json; charset=latin-1")]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=\"foo\"")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=")]
    public async Task Another_charset_is_415_for_sign_in_and_writes_and_changes_nothing(string contentType)
    {
        using var anonymous = gateway.Factory.CreateClient();
        var signIn = await anonymous.PostAsync("/api/auth/token",
            JsonWithType("""{"username":"secretariat","password":"summit2020"}""", contentType));
        if (contentType.EndsWith('='))
            Assert.True((int)signIn.StatusCode is 400 or 415, $"{(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}");
        else await AssertProblemAsync(signIn, HttpStatusCode.UnsupportedMediaType);

        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");
        var audit = await AuditCountAsync();
        var patch = await http.PatchAsync($"{Tasks}/{id}", JsonWithType("""{"note":"charset"}""", contentType));
        Assert.InRange((int)patch.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", patch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before.ETag(), (await http.GetAsync($"{Tasks}/{id}")).ETag());
        Assert.Equal(audit, await AuditCountAsync());
    }

    [Fact]
    public async Task A_quoted_utf8_charset_writes()
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        await http.PatchAsync($"{Tasks}/{id}", JsonWithType("""{"note":"引号里的字符集"}""", "application/json; charset=\"utf-8\""))
            .ShouldBe(HttpStatusCode.OK);
    }

    // 1b: codes ending in a line break.

    [Theory]
    [InlineData("t-newline\n")]
    [InlineData("t-newline\r\n")]
    [InlineData("t-nul\u0000")]
    [InlineData("\nt-leading")]
    public async Task A_task_id_with_a_control_character_is_refused_before_anything_is_written(string id)
    {
        var http = await gateway.As("secretariat");
        var audit = await AuditCountAsync();
        var response = await http.PostAsync(Tasks, new
        {
            id,
            title = "Hostile id",
            category = "publicity",
            owner = new { kind = "county", code = "pingyang" },
            dueDate = "2020-07-15",
        }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("id", await response.ErrorFieldsAsync());
        Assert.Equal(audit, await AuditCountAsync());
    }

    [Fact]
    public async Task Unit_codes_and_sub_event_ids_ending_in_a_line_break_are_refused()
    {
        var http = await gateway.As("secretariat");
        var audit = await AuditCountAsync();
        var owner = await http.PostAsync(Tasks, new
        {
            id = $"t-{Guid.NewGuid():N}"[..20],
            title = "Hostile owner",
            category = "publicity",
            owner = new { kind = "county", code = "pingyang\n" },
            dueDate = "2020-07-15",
        }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("owner.code", await owner.ErrorFieldsAsync());

        var county = await gateway.As("county-pingyang");
        var subEvent = await county.PostAsync($"/api/summits/{gateway.Summit}/counties/pingyang/sub-events", new { id = "event-x\n", title = "Hostile" })
            .ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("id", await subEvent.ErrorFieldsAsync());
        Assert.Equal(audit, await AuditCountAsync());
    }

    [Theory]
    [InlineData("newname\n", "county", "pingyang")]
    [InlineData("new\u0000name", "county", "pingyang")]
    [InlineData("newname-unit", "county", "pingyang\n")]
    [InlineData("newname-unit2", "university", "wmu\r\n")]
    public async Task Account_names_and_units_with_control_characters_are_refused(string username, string role, string unit)
    {
        var admin = await gateway.As("admin");
        var before = (await (await admin.GetAsync("/api/accounts?limit=200")).ReadJsonAsync())["total"]!.GetValue<int>();
        var response = await admin.PostAsync("/api/accounts", new { username, role, unit, password = "long enough password" })
            .ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ErrorFieldsAsync();
        Assert.True(fields.Contains("username") || fields.Contains("unit"), string.Join(", ", fields));
        Assert.Equal(before, (await (await admin.GetAsync("/api/accounts?limit=200")).ReadJsonAsync())["total"]!.GetValue<int>());
    }

    // 1c: control characters in query strings and paths.

    [Theory]
    [InlineData("/api/security/events?account=ad%00min", "admin", "account")]
    [InlineData("/api/security/events?account=%0A", "admin", "account")]
    [InlineData("/api/summits/wyss-2020/audit?account=a%00&entityId=x", "secretariat", "account")]
    [InlineData("/api/summits/wyss-2020/audit?entityId=%1b%5b31m", "secretariat", "entityId")]
    [InlineData("/api/summits/wyss-2020/tasks?unit=county:pingyang%0A", "secretariat", "unit")]
    [InlineData("/api/summits/wyss-2020/tasks?status=open%00", "secretariat", "status")]
    [InlineData("/api/me/notifications?summit=wyss-2020%00", "county-pingyang", "summit")]
    [InlineData("/api/summits/wyss-2020/announcements?task=t%7f", "secretariat", "task")]
    public async Task A_control_character_in_a_query_value_is_400_naming_the_parameter(string path, string account, string parameter)
    {
        var http = await gateway.As(account);
        var response = await http.GetAsync(path).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(parameter, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task A_control_character_in_a_path_segment_changes_nothing()
    {
        var http = await gateway.As("secretariat");
        var audit = await AuditCountAsync();
        // NUL itself never gets this far: the server refuses it while decoding the request line.
        foreach (var id in new[] { "t-x%0A", "t%1b", "t-x%7f" })
        {
            var response = await http.PatchAsync($"{Tasks}/{id}", new { note = "x" }, idempotencyKey: Guid.NewGuid().ToString())
                .ShouldBe(HttpStatusCode.BadRequest);
            Assert.Contains("path", await response.ErrorFieldsAsync());
        }
        var admin = await gateway.As("admin");
        await admin.GetAsync("/api/accounts/ad%0Amin").ShouldBe(HttpStatusCode.BadRequest);
        await admin.PostAsync("/api/accounts/admin%0D/disable", new { }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(audit, await AuditCountAsync());
    }

    // 2: If-Match and If-None-Match, Retry-After.

    [Theory]
    [InlineData("\"0-stale\"")]
    [InlineData("W/\"1\"")]
    [InlineData("W/\"3\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"2\", \"5\"")]
    [InlineData("\"1,2\"")]
    public async Task If_match_with_a_tag_that_is_not_the_current_version_is_412_with_the_current_version(string ifMatch)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var before = await http.GetAsync($"{Tasks}/{id}");
        var response = await http.PatchAsync($"{Tasks}/{id}", new { note = "conditional" }, ifMatch: ifMatch);
        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(1, (await response.ReadJsonAsync())["currentVersion"]!.GetValue<int>());
        Assert.Equal(before.ETag(), (await http.GetAsync($"{Tasks}/{id}")).ETag());
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("\"abc\", \"1\"")]
    [InlineData("\"7\",W/\"9\" , \"1\"")]
    public async Task If_match_star_or_a_list_holding_the_current_version_applies(string ifMatch)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var response = await http.PatchAsync($"{Tasks}/{id}", new { note = "conditional" }, ifMatch: ifMatch).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", response.ETag());
    }

    [Fact]
    public async Task If_match_lists_work_for_settings_and_star_on_a_missing_entity_is_404()
    {
        var http = await gateway.As("secretariat");
        var path = $"/api/summits/{gateway.Summit}/reminders";
        var current = await http.GetAsync(path).ShouldBe(HttpStatusCode.OK);
        var body = await current.ReadJsonAsync();
        var put = new { leadDays = body["leadDays"], announceAt = body["announceAt"], leadsInWorkingDays = body["leadsInWorkingDays"] };
        var stale = await http.SendAsync(HttpMethod.Put, path, put, ifMatch: "\"x\", W/" + current.ETag());
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(current.ETag(), (await http.GetAsync(path)).ETag());
        await http.SendAsync(HttpMethod.Put, path, put, ifMatch: "\"x\", " + current.ETag()).ShouldBe(HttpStatusCode.OK);

        await http.PatchAsync($"{Tasks}/t-no-such-task", new { note = "x" }, ifMatch: "*").ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"1")]
    [InlineData("\"1\" \"2\"")]
    [InlineData("*, \"1\"")]
    public async Task A_malformed_if_match_is_400_naming_it(string ifMatch)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        var response = await http.PatchAsync($"{Tasks}/{id}", new { note = "x" }, ifMatch: ifMatch).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("if-match", await response.ErrorFieldsAsync());
    }

    [Theory]
    [InlineData("\"1\"", true)]
    [InlineData("W/\"1\"", true)]
    [InlineData("\"5\", W/\"1\"", true)]
    [InlineData("*", true)]
    [InlineData("\"2\"", false)]
    [InlineData("W/\"2\", \"abc\"", false)]
    [InlineData("garbage", false)]
    public async Task If_none_match_compares_weakly(string ifNoneMatch, bool notModified)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Tasks}/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        var response = await http.SendAsync(request);
        Assert.Equal(notModified ? HttpStatusCode.NotModified : HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.ETag());
    }

    [Fact]
    public async Task A_429_without_a_known_wait_still_carries_retry_after()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        http.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        await new TooManyRequestsResult(null, "Too many requests.").ExecuteAsync(http);
        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }
}
