using System.Net;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace Summit.Tests.Api;

/// <summary>
/// Lists as spreadsheets: the task list, readiness against the plan and a campaign's board, as .xlsx (read back with
/// MiniExcel) and CSV (UTF-8 with a byte-order mark, read back with CsvHelper). Each holds the rows the list holds for the
/// caller, under its filters, with Chinese headers and values; a county gets only its own; bad input is a Chinese problem.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ExportApiTests(GatewayFixture gateway)
{
    private string Summit => $"/api/summits/{gateway.Summit}";

    private static List<IDictionary<string, object?>> ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return [.. stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>()];
    }

    private static (string[] Header, List<string[]> Rows) ReadCsv(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false });
        var records = new List<string[]>();
        string[]? header = null;
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i) ?? "";
            if (header is null) header = fields;
            else records.Add(fields);
        }
        return (header!, records);
    }

    [Fact]
    public async Task The_task_list_exports_to_excel_with_every_field_under_its_filters()
    {
        var title = $"导出测试 {Guid.NewGuid():N}"[..16];
        var id = await gateway.CreateTaskAsync("county:pingyang", $"{title} 分会场布展", "2020-06-19T17:00");
        var secretariat = await gateway.As("secretariat");

        var response = await secretariat.GetAsync($"{Summit}/tasks/export.xlsx?q={Uri.EscapeDataString(title)}").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var rows = ReadXlsx(await response.Content.ReadAsByteArrayAsync());

        var row = Assert.Single(rows);
        Assert.Equal(id, row["编号"]);
        Assert.Equal($"{title} 分会场布展", row["任务"]);
        Assert.Equal("宣传", row["类别"]);
        Assert.Equal("平阳县", row["责任单位"]);
        Assert.Equal("county:pingyang", row["责任单位代码"]);
        Assert.Equal("2020-06-19", row["截止日期"]);
        Assert.Equal("17:00", row["截止时间"]);
        Assert.Equal("未开始", row["状态"]);
        Assert.Equal("否", row["里程碑"]);
        Assert.Equal(1, Convert.ToInt32(row["版本"]));
        foreach (var header in new[] { "负责人", "计划开始", "工期（工作日）", "完成百分比", "逾期", "前置任务", "分论坛", "适用预案", "暂缓", "已归档", "更新时间", "更新人" })
            Assert.True(row.ContainsKey(header), $"no column {header}");
    }

    [Fact]
    public async Task The_csv_export_opens_in_excel_as_chinese_and_defuses_formulas()
    {
        var mark = $"公式 {Guid.NewGuid():N}"[..12];
        var id = await gateway.CreateTaskAsync("county:ruian", $"=HYPERLINK(\"http://x\") {mark}");
        var secretariat = await gateway.As("secretariat");

        var response = await secretariat.GetAsync($"{Summit}/tasks/export.csv?q={Uri.EscapeDataString(mark)}").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("编号,任务,类别,责任单位", Encoding.UTF8.GetString(bytes[3..]));

        var (header, rows) = ReadCsv(bytes);
        var row = Assert.Single(rows);
        Assert.Equal(id, row[Array.IndexOf(header, "编号")]);
        Assert.Equal("瑞安市", row[Array.IndexOf(header, "责任单位")]);
        // A spreadsheet would run a cell starting with '=': the export writes it as text.
        Assert.StartsWith("'=HYPERLINK", row[Array.IndexOf(header, "任务")]);
    }

    [Fact]
    public async Task A_county_exports_only_its_own_tasks_and_an_empty_list_keeps_its_header()
    {
        await gateway.CreateTaskAsync("county:ruian", "导出测试：瑞安的任务");
        await gateway.CreateTaskAsync("county:pingyang", "导出测试：平阳的任务");
        var county = await gateway.As("county-pingyang");

        var rows = ReadXlsx(await (await county.GetAsync($"{Summit}/tasks/export.xlsx").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("county:pingyang", r["责任单位代码"]));
        Assert.Contains(rows, r => Equals(r["任务"], "导出测试：平阳的任务"));

        // Asking for another county's tasks finds none of them; the sheet still names its columns.
        var none = await county.GetAsync($"{Summit}/tasks/export.csv?unit=county:ruian").ShouldBe(HttpStatusCode.OK);
        var (header, empty) = ReadCsv(await none.Content.ReadAsByteArrayAsync());
        Assert.Contains("截止日期", header);
        Assert.Empty(empty);
        var emptyXlsx = await county.GetAsync($"{Summit}/tasks/export.xlsx?unit=county:ruian").ShouldBe(HttpStatusCode.OK);
        using var stream = new MemoryStream(await emptyXlsx.Content.ReadAsByteArrayAsync());
        var only = Assert.Single(stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>());
        Assert.Contains("截止日期", only.Values);
    }

    [Fact]
    public async Task Readiness_against_the_plan_exports_by_unit_sub_forum_and_category()
    {
        var leader = await gateway.As("leader");
        var rows = ReadXlsx(await (await leader.GetAsync($"{Summit}/readiness/plan/export.xlsx").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.Equal("总体", rows[0]["范围"]);
        Assert.Contains(rows, r => Equals(r["范围"], "县（市、区）") && Equals(r["名称"], "平阳县") && Equals(r["代码"], "pingyang"));
        Assert.All(rows, r => Assert.Contains(r["状态"], new object?[] { "按计划", "落后", "严重落后", "无任务" }));

        var county = await gateway.As("county-pingyang");
        var (header, own) = ReadCsv(await (await county.GetAsync($"{Summit}/readiness/plan/export.csv").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        var counties = own.Where(r => r[Array.IndexOf(header, "范围")] == "县（市、区）").ToList();
        Assert.Equal(["平阳县"], counties.Select(r => r[Array.IndexOf(header, "名称")]));
    }

    [Fact]
    public async Task A_campaign_board_exports_each_units_standing_and_a_county_sees_its_own_row()
    {
        var secretariat = await gateway.As("secretariat");
        var id = $"cx-{Guid.NewGuid():N}"[..20];
        await secretariat.PostAsync($"{Summit}/campaigns", new
        {
            id,
            title = $"导出报送 {id}",
            body = "<p>请按时报送。</p>",
            audience = new { allOf = new[] { "county" } },
            deadline = "2020-06-19",
            template = new { sections = new[] { "工作进展" }, minImages = 0, fileKinds = new[] { "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" } },
        }).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Summit}/campaigns/{id}", new { status = "published" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        await (await gateway.As("county-pingyang")).SendAsync(HttpMethod.Post, $"{Summit}/campaigns/{id}/submissions/pingyang/submit",
            new { sections = new[] { new { title = "工作进展", text = "<p>已完成</p>" } } }).ShouldBe(HttpStatusCode.OK);

        var rows = ReadXlsx(await (await secretariat.GetAsync($"{Summit}/campaigns/{id}/board/export.xlsx").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.Equal(12, rows.Count);
        var pingyang = Assert.Single(rows, r => Equals(r["单位代码"], "county:pingyang"));
        Assert.Equal("平阳县", pingyang["单位"]);
        Assert.Equal("已报送", pingyang["状态"]);
        Assert.Equal("县（市、区）", pingyang["单位类别"]);
        Assert.Equal(11, rows.Count(r => Equals(r["状态"], "未开始")));

        var submitted = ReadXlsx(await (await secretariat.GetAsync($"{Summit}/campaigns/{id}/board/export.xlsx?status=submitted").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.Equal(["county:pingyang"], submitted.Select(r => r["单位代码"]));

        var own = ReadXlsx(await (await (await gateway.As("county-ruian")).GetAsync($"{Summit}/campaigns/{id}/board/export.xlsx").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.Equal(["county:ruian"], own.Select(r => r["单位代码"]));
    }

    [Fact]
    public async Task Projects_sub_events_and_the_audit_trail_export_with_chinese_values()
    {
        var secretariat = await gateway.As("secretariat");
        var mark = $"泵阀{Guid.NewGuid():N}"[..10];
        await secretariat.PostAsync($"{Summit}/projects", new
        {
            title = $"{mark} 智能泵阀合作", industry = "泵阀", county = "yongjia",
            partners = new[] { new { name = "中国通用机械工业协会", kind = "association" } },
            stage = "signed", signingDate = "2020-06-17", enterprisesInvolved = 12,
        }).ShouldBe(HttpStatusCode.Created);
        var projects = ReadXlsx(await (await secretariat.GetAsync($"{Summit}/projects/export.xlsx?q={Uri.EscapeDataString(mark)}").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        var project = Assert.Single(projects);
        Assert.Equal($"{mark} 智能泵阀合作", project["项目"]);
        Assert.Equal("永嘉县", project["落地县（市、区）"]);
        Assert.Equal("已签约", project["阶段"]);
        Assert.Equal("2020-06-17", project["签约日期"]);
        Assert.Equal("中国通用机械工业协会", project["合作方"]);

        // Sub-events: the secretariat gets every county's, a county its own, each checklist item a column in words.
        var all = ReadXlsx(await (await secretariat.GetAsync($"{Summit}/sub-events/export.xlsx").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.True(all.Select(r => r["县代码"]).Distinct().Count() > 1);
        Assert.All(all, r => Assert.Contains(r["疫情防控"], new object?[] { "未开始", "进行中", "已完成", null }));
        var (header, own) = ReadCsv(await (await (await gateway.As("county-pingyang")).GetAsync($"{Summit}/sub-events/export.csv").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(own);
        Assert.All(own, r => Assert.Equal("pingyang", r[Array.IndexOf(header, "县代码")]));

        // The audit trail: who changed which field of the task, from what to what, in Chinese; the secretariat's alone.
        var task = await gateway.CreateTaskAsync("county:pingyang", $"{mark} 审计导出");
        await secretariat.PatchAsync($"{Summit}/tasks/{task}", new { title = $"{mark} 审计导出（改）" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);
        var audit = ReadXlsx(await (await secretariat.GetAsync($"{Summit}/audit/export.xlsx?entityId={task}").ShouldBe(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync());
        Assert.Equal(2, audit.Count);
        Assert.Equal("任务", audit[0]["对象"]);
        Assert.Equal("秘书处", audit[0]["角色"]);
        Assert.Contains($"{mark} 审计导出 → {mark} 审计导出（改）", (string)audit[0]["变更"]!);
        await (await gateway.As("county-pingyang")).GetAsync($"{Summit}/audit/export.csv").ShouldBe(HttpStatusCode.Forbidden);
        await secretariat.GetAsync($"{Summit}/audit/export.xlsx?kind=meeting").ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/tasks/export.pdf", "format")]
    [InlineData("/tasks/export.xlsx?status=finished", "status")]
    [InlineData("/tasks/export.xlsx?limit=10", "limit")]
    [InlineData("/readiness/plan/export.docx", "format")]
    [InlineData("/projects/export.xlsx?offset=5", "offset")]
    [InlineData("/sub-events/export.html", "format")]
    [InlineData("/audit/export.txt", "format")]
    [InlineData("/audit/export.csv?from=yesterday", "from")]
    public async Task Bad_input_is_a_chinese_problem_naming_the_field(string path, string field)
    {
        var secretariat = await gateway.As("secretariat");
        var refused = await secretariat.GetAsync(Summit + path).ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal("zh-CN", refused.Content.Headers.ContentLanguage.Single());
        var problem = await refused.ReadJsonAsync();
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_summit_or_campaign_is_not_found_and_a_stranger_is_refused()
    {
        var secretariat = await gateway.As("secretariat");
        await secretariat.GetAsync("/api/summits/nope-2020/tasks/export.xlsx").ShouldBe(HttpStatusCode.NotFound);
        await secretariat.GetAsync($"{Summit}/campaigns/no-such/board/export.csv").ShouldBe(HttpStatusCode.NotFound);
        await gateway.Anonymous().GetAsync($"{Summit}/tasks/export.csv").ShouldBe(HttpStatusCode.Unauthorized);
    }
}
