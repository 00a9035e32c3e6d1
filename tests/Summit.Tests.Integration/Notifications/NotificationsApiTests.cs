using System.Net;
using Summit.Tests.Api;

namespace Summit.Tests.Notifications;

/// <summary><c>/api/me/notifications</c>, the red list and the ladder's settings through the real Gateway.</summary>
[Collection(NotificationsGatewayCollection.Name)]
public sealed class NotificationsApiTests(NotificationsGatewayFixture gateway)
{
    private string Summit => gateway.Summit;

    [Fact]
    public async Task The_owner_unit_lists_reads_and_filters_its_notifications()
    {
        // The demo clock starts on 10 June: due on 9 June is one day overdue, the owner's rung only.
        var first = await gateway.CreateTaskAsync("county:yueqing", "2020-06-09", "乐清分会场宣传");
        var second = await gateway.CreateTaskAsync("county:yueqing", "2020-06-08", "乐清分会场布展");
        await gateway.AnnounceOverdueAsync(first);
        await gateway.AnnounceOverdueAsync(second);
        await gateway.AnnounceOverdueAsync(first);

        var county = await gateway.As("county-yueqing");
        var notification = Assert.Single(await gateway.NotificationsAboutAsync("county-yueqing", first));
        Assert.Equal(("overdue", "owner", Summit, false), (notification["kind"]!.ToString(), notification["level"]!.ToString(),
            notification["summit"]!.ToString(), (bool)notification["read"]!));
        Assert.Contains("乐清分会场宣传", notification["text"]!["zh"]!.ToString());
        Assert.Equal("unit", notification["target"]!["audience"]!.ToString());

        var page = await (await county.GetAsync("/api/me/notifications?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Single(page["items"]!.AsArray());
        Assert.True((int)page["total"]! >= 2);
        var unreadBefore = (int)page["unread"]!;

        var id = notification["id"]!.ToString();
        // Another county's account cannot see it, so cannot mark it either.
        await (await gateway.As("county-lucheng")).PostAsync($"/api/me/notifications/{id}/read", new { }).ShouldBe(HttpStatusCode.NotFound);
        Assert.Empty(await gateway.NotificationsAboutAsync("county-lucheng", first));
        Assert.Empty(await gateway.NotificationsAboutAsync("secretariat", first));

        var marked = await (await county.PostAsync($"/api/me/notifications/{id}/read", new { }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True((bool)marked["read"]!);
        await county.PostAsync($"/api/me/notifications/{id}/read", new { }).ShouldBe(HttpStatusCode.OK);

        Assert.Empty(await gateway.NotificationsAboutAsync("county-yueqing", first, "&unread=true"));
        Assert.Single(await gateway.NotificationsAboutAsync("county-yueqing", first, "&unread=false"));
        Assert.Single(await gateway.NotificationsAboutAsync("county-yueqing", second, "&unread=true"));
        var after = await (await county.GetAsync("/api/me/notifications?limit=1").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(unreadBefore - 1, (int)after["unread"]!);

        var all = await (await county.PostAsync($"/api/me/notifications/read?summit={Summit}", new { }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True((int)all["marked"]! >= 1);
        Assert.Empty(await gateway.NotificationsAboutAsync("county-yueqing", second, "&unread=true"));

        await county.GetAsync("/api/me/notifications?limit=0").ShouldBe(HttpStatusCode.BadRequest);
        using var anonymous = gateway.Factory.CreateClient();
        await anonymous.GetAsync("/api/me/notifications").ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_long_overdue_task_reaches_the_red_list_and_the_secretariat()
    {
        var id = await gateway.CreateTaskAsync("county:taishun", "2020-05-20", "泰顺子活动方案报批");
        await gateway.AnnounceOverdueAsync(id);

        var leader = await gateway.As("leader");
        var list = await (await leader.GetAsync($"/api/summits/{Summit}/red-list").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var entry = list["items"]!.AsArray().Single(i => i!["taskId"]!.ToString() == id)!;
        Assert.Equal(("泰顺子活动方案报批", "2020-05-20"), (entry["title"]!.ToString(), entry["dueDate"]!.ToString()));
        Assert.True((int)entry["daysOverdue"]! >= 20);

        var own = await (await (await gateway.As("county-taishun")).GetAsync($"/api/summits/{Summit}/red-list").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Contains(own["items"]!.AsArray(), i => i!["taskId"]!.ToString() == id);
        var other = await (await (await gateway.As("county-longwan")).GetAsync($"/api/summits/{Summit}/red-list").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.DoesNotContain(other["items"]!.AsArray(), i => i!["taskId"]!.ToString() == id);

        // All three rungs at once, each once: the unit twice (owner, lead), the secretariat once.
        var toUnit = await gateway.NotificationsAboutAsync("county-taishun", id);
        Assert.Equal(["lead", "owner"], toUnit.Select(n => n["level"]!.ToString()).Order());
        var toSecretariat = Assert.Single(await gateway.NotificationsAboutAsync("secretariat", id));
        Assert.Equal(("escalated", "secretariat"), (toSecretariat["kind"]!.ToString(), toSecretariat["level"]!.ToString()));

        // Done: off the list at once.
        await (await gateway.As("county-taishun")).PatchAsync($"/api/summits/{Summit}/tasks/{id}", new { status = "done", note = "已报批" })
            .ShouldBe(HttpStatusCode.OK);
        list = await (await leader.GetAsync($"/api/summits/{Summit}/red-list").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.DoesNotContain(list["items"]!.AsArray(), i => i!["taskId"]!.ToString() == id);
    }

    [Fact]
    public async Task Only_the_secretariat_sets_the_ladder()
    {
        var path = $"/api/summits/{Summit}/escalation";
        var ladder = await (await (await gateway.As("leader")).GetAsync(path).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal((2, 5), ((int)ladder["leadAfterDays"]!, (int)ladder["secretariatAfterDays"]!));

        await (await gateway.As("county-yongjia")).SendAsync(HttpMethod.Put, path, new { leadAfterDays = 1, secretariatAfterDays = 3 }).ShouldBe(HttpStatusCode.Forbidden);
        await (await gateway.As("leader")).SendAsync(HttpMethod.Put, path, new { leadAfterDays = 1, secretariatAfterDays = 3 }).ShouldBe(HttpStatusCode.Forbidden);
        var secretariat = await gateway.As("secretariat");
        var invalid = await secretariat.SendAsync(HttpMethod.Put, path, new { leadAfterDays = 6, secretariatAfterDays = 3 }).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("secretariatAfterDays", await invalid.ErrorFieldsAsync());
        // Setting the default again keeps the other tests' ladder as it was.
        var set = await (await secretariat.SendAsync(HttpMethod.Put, path, new { leadAfterDays = 2, secretariatAfterDays = 5 }).ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.Equal(5, (int)set["secretariatAfterDays"]!);
    }
}
