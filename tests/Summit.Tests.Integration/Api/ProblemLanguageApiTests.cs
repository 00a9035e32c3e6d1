using System.Net;
using System.Text.Json.Nodes;

namespace Summit.Tests.Api;

/// <summary>
/// Problems speak the user's language: Chinese by default, naming each field by its label on the screens; English when
/// the request asks for it. The <c>errors</c> keys stay the API's field names either way.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ProblemLanguageApiTests(GatewayFixture gateway)
{
    private string Tasks => $"/api/summits/{gateway.Summit}/tasks";

    private static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    [Theory]
    [MemberData(nameof(ValidationTests.BadTaskPatches), MemberType = typeof(ValidationTests))]
    public async Task Every_bad_task_patch_is_answered_in_Chinese(string body, string field)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");

        var response = await http.PatchAsync($"{Tasks}/{id}", Api.Json(body)).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        var problem = await response.ReadJsonAsync();
        Assert.True(HasChinese(problem["title"]!.ToString()), problem.ToJsonString());
        var errors = problem["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key == field || e.Key.StartsWith(field, StringComparison.Ordinal) || field == "body");
        foreach (var (name, messages) in errors)
            foreach (var message in messages!.AsArray())
                Assert.True(HasChinese(message!.ToString()), $"{name}: '{message}' is not in Chinese");
        Assert.StartsWith("请检查：", problem["detail"]!.ToString());
    }

    [Fact]
    public async Task The_detail_names_fields_by_their_Chinese_labels()
    {
        var http = await gateway.As("secretariat");
        var response = await http.PostAsync(Tasks, new { title = "", category = "publicity", owner = new { kind = "county", code = "pingyang" }, dueDate = "12/06/2020" })
            .ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        var detail = problem["detail"]!.ToString();
        Assert.Contains("截止日期", detail);
        Assert.DoesNotContain("dueDate", detail);
        Assert.Contains("dueDate", problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_forbidden_field_is_named_in_Chinese_and_a_missing_task_is_not_found_in_Chinese()
    {
        var id = await gateway.CreateTaskAsync("county:pingyang");
        var county = await gateway.As("county-pingyang");
        var refused = await (await county.PatchAsync($"{Tasks}/{id}", new { title = "Renamed" }).ShouldBe(HttpStatusCode.Forbidden)).ReadJsonAsync();
        Assert.Contains("标题", refused["detail"]!.ToString());
        Assert.Equal("您无权修改这些内容", refused["title"]!.ToString());

        var missing = await (await county.GetAsync($"{Tasks}/no-such-task").ShouldBe(HttpStatusCode.NotFound)).ReadJsonAsync();
        Assert.Equal("未找到", missing["title"]!.ToString());
        Assert.Equal("找不到任务“no-such-task”。", missing["detail"]!.ToString());
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-US,en;q=0.9")]
    [InlineData("zh-CN;q=0.5, en;q=0.8")]
    public async Task English_is_a_switch(string acceptLanguage)
    {
        var id = await gateway.CreateTaskAsync();
        var http = await gateway.As("secretariat");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Tasks}/{id}") { Content = Api.Json("""{"percentComplete": 150}""") };
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        var problem = await response.ReadJsonAsync();
        Assert.Equal("The request has invalid fields.", problem["title"]!.ToString());
        Assert.Equal("must be between 0 and 100.", problem["errors"]!["percentComplete"]![0]!.ToString());
    }

    [Fact]
    public async Task A_malformed_Accept_Language_falls_back_to_Chinese()
    {
        var http = await gateway.As("secretariat");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Tasks}/no-such-task");
        request.Headers.TryAddWithoutValidation("Accept-Language", ";;;q=x,\u0001");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("未找到", (await response.ReadJsonAsync())["title"]!.ToString());
    }
}
