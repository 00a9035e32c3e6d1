using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Ical.Net.CalendarComponents;
using IcalCalendar = Ical.Net.Calendar;

namespace Summit.Tests.Api;

/// <summary>
/// Calendar feeds: a county creates a feed, the secret address serves its deadlines as iCalendar (read back with Ical.Net
/// and with Debian's python3-icalendar, a second parser of its own), events keep their UID and raise their SEQUENCE when
/// a task changes, another unit's tasks never show, revoking answers 404 like an unknown address, and bad input gets a
/// Chinese problem naming the field.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CalendarFeedApiTests(GatewayFixture gateway)
{
    private string Feeds => $"/api/summits/{gateway.Summit}/calendar-feeds";

    private async Task<JsonObject> CreateFeedAsync(HttpClient http, string kind, string? key = null) =>
        await (await http.PostAsync(Feeds, new { kind }, key).ShouldBe(HttpStatusCode.Created)).ReadJsonAsync();

    /// <summary>The feed at its address, as the anonymous calendar program sees it.</summary>
    private async Task<(HttpResponseMessage Response, string Text)> FetchAsync(string url)
    {
        var path = new Uri(url).PathAndQuery;
        var response = await gateway.Anonymous().GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static CalendarEvent EventOf(IcalCalendar calendar, string uid) => calendar.Events.Single(e => e.Uid == uid);

    [Fact]
    public async Task A_county_feed_holds_its_deadlines_in_the_summits_zone_and_updates_them_in_place()
    {
        var county = await gateway.As("county-pingyang");
        var secretariat = await gateway.As("secretariat");
        var allDay = await gateway.CreateTaskAsync("county:pingyang", "日历测试：场地确认", "2020-07-15");
        var timed = await gateway.CreateTaskAsync("county:pingyang", "日历测试：报批材料", "2020-07-16T17:00");
        var other = await gateway.CreateTaskAsync("county:ruian", "日历测试：瑞安的任务", "2020-07-15");

        var feed = await CreateFeedAsync(county, "unit");
        Assert.Equal("unit", feed["kind"]!.GetValue<string>());
        Assert.Equal("county:pingyang", feed["unit"]!.GetValue<string>());
        var url = feed["url"]!.GetValue<string>();
        var secret = feed["secret"]!.GetValue<string>();
        Assert.Equal(43, secret.Length);
        Assert.EndsWith($"/feeds/{secret}.ics", url);

        // Listed without its secret.
        var listed = await (await county.GetAsync(Feeds).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var item = listed["items"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == feed["id"]!.GetValue<string>())!;
        Assert.Null(item["url"]);
        Assert.Null(item["secret"]);
        Assert.DoesNotContain(secret, listed.ToJsonString());

        var (response, text) = await FetchAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.CacheControl is { Private: true, MaxAge.TotalSeconds: 300 }, $"Cache-Control: {response.Headers.CacheControl}");

        var calendar = IcalCalendar.Load(text)!;
        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal("Asia/Shanghai", zone.TzId);
        Assert.Contains(zone.TimeZoneInfos, i => i.OffsetTo!.Offset == TimeSpan.FromHours(8));

        var day = EventOf(calendar, $"task-{allDay}@{gateway.Summit}");
        Assert.True(day.IsAllDay);
        Assert.Equal(new DateOnly(2020, 7, 15), day.DtStart!.Date);
        Assert.False(day.DtStart.HasTime);
        Assert.Equal(new DateOnly(2020, 7, 16), day.DtEnd!.Date);
        Assert.Equal("截止：日历测试：场地确认", day.Summary);
        Assert.Equal(1, day.Sequence);
        Assert.NotNull(day.LastModified);
        Assert.EndsWith($"/#/tasks/{allDay}", day.Url!.ToString());

        var moment = EventOf(calendar, $"task-{timed}@{gateway.Summit}");
        Assert.False(moment.IsAllDay);
        Assert.Equal("Asia/Shanghai", moment.DtStart!.TzId);
        Assert.Equal(17, moment.DtStart.Hour);
        Assert.Equal(new DateTime(2020, 7, 16, 9, 0, 0, DateTimeKind.Utc), moment.DtStart.AsUtc);

        // Another county's task is not in the feed; every task event is one of Pingyang's.
        Assert.DoesNotContain(calendar.Events, e => e.Uid == $"task-{other}@{gateway.Summit}");
        Assert.All(calendar.Events.Where(e => (e.Uid ?? "").StartsWith("task-", StringComparison.Ordinal)),
            e => Assert.Contains("负责单位：county:pingyang", e.Description ?? ""));

        // The second parser reads the same events.
        var (count, uids) = await ParseWithPythonAsync(text);
        Assert.Equal(calendar.Events.Count, count);
        Assert.Equal(calendar.Events.Select(e => e.Uid).Order(StringComparer.Ordinal), uids.Order(StringComparer.Ordinal));

        // A change updates the event in place: the same UID, a higher SEQUENCE, the new date.
        await secretariat.PatchAsync($"/api/summits/{gateway.Summit}/tasks/{allDay}", new { dueDate = "2020-07-20", note = "顺延" })
            .ShouldBe(HttpStatusCode.OK);
        var moved = EventOf(IcalCalendar.Load((await FetchAsync(url)).Text)!, $"task-{allDay}@{gateway.Summit}");
        Assert.Equal(2, moved.Sequence);
        Assert.Equal(new DateOnly(2020, 7, 20), moved.DtStart!.Date);

        // Done: an open deadline no longer, so it leaves the feed.
        await county.PatchAsync($"/api/summits/{gateway.Summit}/tasks/{timed}", new { status = "done" }).ShouldBe(HttpStatusCode.OK);
        Assert.DoesNotContain(IcalCalendar.Load((await FetchAsync(url)).Text)!.Events, e => e.Uid == $"task-{timed}@{gateway.Summit}");

        // Revoked: the address answers exactly like an unknown one.
        await county.DeleteAsync($"{Feeds}/{feed["id"]!.GetValue<string>()}").ShouldBe(HttpStatusCode.NoContent);
        var (gone, goneBody) = await FetchAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var unknown = await gateway.Anonymous().GetAsync($"/feeds/{new string('A', 42)}Q.ics");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var (unknownProblem, goneProblem) = (JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!.AsObject(), JsonNode.Parse(goneBody)!.AsObject());
        unknownProblem.Remove("traceId");
        goneProblem.Remove("traceId");
        Assert.Equal(unknownProblem.ToJsonString(), goneProblem.ToJsonString());
        Assert.Contains("日历订阅", goneBody);
        await county.DeleteAsync($"{Feeds}/{feed["id"]!.GetValue<string>()}").ShouldBe(HttpStatusCode.NotFound);
        Assert.DoesNotContain(
            (await (await county.GetAsync(Feeds)).ReadJsonAsync())["items"]!.AsArray(), f => f!["id"]!.GetValue<string>() == feed["id"]!.GetValue<string>());

        // Both changes are in the audit trail.
        var audit = await (await secretariat.GetAsync($"/api/summits/{gateway.Summit}/audit?kind=calendarFeed&entityId={feed["id"]}")
            .ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(2, audit["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_person_feed_holds_the_tasks_assigned_to_the_account_and_the_units_milestones()
    {
        var county = await gateway.As("county-ruian");
        var secretariat = await gateway.As("secretariat");
        var mine = await gateway.CreateTaskAsync("county:ruian", "日历测试：分配给我的任务", "2020-07-21");
        await secretariat.PatchAsync($"/api/summits/{gateway.Summit}/tasks/{mine}", new { assignee = "county-ruian" }).ShouldBe(HttpStatusCode.OK);
        var notMine = await gateway.CreateTaskAsync("county:ruian", "日历测试：别人的任务", "2020-07-21");

        var feed = await CreateFeedAsync(county, "person");
        Assert.Equal("person", feed["kind"]!.GetValue<string>());
        var calendar = IcalCalendar.Load((await FetchAsync(feed["url"]!.GetValue<string>())).Text)!;
        var assigned = EventOf(calendar, $"task-{mine}@{gateway.Summit}");
        Assert.Equal(2, assigned.Sequence);
        Assert.DoesNotContain(calendar.Events, e => e.Uid == $"task-{notMine}@{gateway.Summit}");
        Assert.All(calendar.Events.Where(e => e.Uid != assigned.Uid), e => Assert.StartsWith("里程碑", e.Summary));
    }

    [Fact]
    public async Task The_secretariats_feed_holds_the_whole_summits_milestones_and_the_notices_deadlines()
    {
        var secretariat = await gateway.As("secretariat");
        var feed = await CreateFeedAsync(secretariat, "unit");
        Assert.Null(feed["unit"]);
        var calendar = IcalCalendar.Load((await FetchAsync(feed["url"]!.GetValue<string>())).Text)!;
        Assert.Contains(calendar.Events, e => (e.Summary ?? "").StartsWith("里程碑", StringComparison.Ordinal));
        Assert.Contains(calendar.Events, e => (e.Uid ?? "").StartsWith("campaign-", StringComparison.Ordinal) && (e.Summary ?? "").StartsWith("报送截止：", StringComparison.Ordinal));
        // Units' open tasks that are not milestones stay out: the secretariat's own deadlines are its departments'.
        Assert.All(calendar.Events.Where(e => (e.Summary ?? "").StartsWith("截止：", StringComparison.Ordinal)),
            e => Assert.Contains("负责单位：secretariat:", e.Description ?? ""));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_answers_the_same_feed_without_its_secret()
    {
        var county = await gateway.As("county-pingyang");
        var key = Guid.NewGuid().ToString();
        var first = await CreateFeedAsync(county, "unit", key);
        var retry = await county.PostAsync(Feeds, new { kind = "unit" }, key).ShouldBe(HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var again = await retry.ReadJsonAsync();
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Null(again["secret"]);
        Assert.Null(again["url"]);
        var audit = await (await (await gateway.As("secretariat")).GetAsync($"/api/summits/{gateway.Summit}/audit?kind=calendarFeed&entityId={first["id"]}")).ReadJsonAsync();
        Assert.Equal(1, audit["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{}", "kind")]
    [InlineData("""{"kind":"team"}""", "kind")]
    [InlineData("""{"kind":7}""", "kind")]
    [InlineData("""{"kind":"unit","secret":"x"}""", "secret")]
    public async Task Bad_input_gets_a_chinese_problem_naming_the_field(string body, string field)
    {
        var county = await gateway.As("county-pingyang");
        var refused = await county.PostAsync(Feeds, Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains(field, await refused.ErrorFieldsAsync());
        Assert.Equal("zh-CN", refused.Content.Headers.ContentLanguage.Single());
        Assert.Contains("请检查", (await refused.ReadJsonAsync())["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/feeds/x.ics")]
    [InlineData("/feeds/%E5%B9%B3%E9%98%B3.ics")]
    [InlineData("/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")]
    [InlineData("/feeds/' OR 1=1 --.ics")]
    public async Task Hostile_addresses_answer_404(string path)
    {
        var response = await gateway.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Admins_have_no_feeds_and_another_accounts_feed_cannot_be_revoked()
    {
        var admin = await gateway.As("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(Feeds, new { kind = "unit" })).StatusCode);
        var feed = await CreateFeedAsync(await gateway.As("county-pingyang"), "unit");
        await (await gateway.As("county-ruian")).DeleteAsync($"{Feeds}/{feed["id"]}").ShouldBe(HttpStatusCode.NotFound);
        await (await gateway.As("secretariat")).DeleteAsync($"{Feeds}/{feed["id"]}").ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(feed["url"]!.GetValue<string>())).Response.StatusCode);
    }

    /// <summary>Debian's python3-icalendar reads the feed: how many events and their UIDs.</summary>
    private static async Task<(int Count, IReadOnlyList<string> Uids)> ParseWithPythonAsync(string text)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        const string Script = """
            import sys, json, icalendar
            cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
            events = cal.walk('VEVENT')
            for e in events:
                e.decoded('dtstart')
            print(json.dumps({"count": len(events), "uids": [str(e.get('uid')) for e in events],
                              "zones": [str(z.get('tzid')) for z in cal.walk('VTIMEZONE')]}))
            """;
        var start = new ProcessStartInfo(python, ["-c", Script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3-icalendar (apt-get install -y python3-icalendar) could not read the feed: {error}");
        var parsed = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["Asia/Shanghai"], parsed["zones"]!.AsArray().Select(z => z!.GetValue<string>()));
        return (parsed["count"]!.GetValue<int>(), [.. parsed["uids"]!.AsArray().Select(u => u!.GetValue<string>())]);
    }
}
