using System.IO.Compression;
using System.Net;
using DocumentFormat.OpenXml.Packaging;
using SkiaSharp;

namespace Summit.Tests.Api;

/// <summary>
/// A campaign's result collected for the secretariat: the zip (a folder per unit, its text as a .docx and its files as
/// stored) and the compiled .docx summary, on PostgreSQL through the real file store.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CampaignExportTests(GatewayFixture gateway)
{
    private string Campaigns => $"/api/summits/{gateway.Summit}/campaigns";

    private async Task<string> UploadAsync(string account, string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "files", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/summits/{gateway.Summit}/files") { Content = form };
        var response = await Task.FromResult(await (await gateway.As(account)).SendAsync(request)).ShouldBe(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["files"]![0]!["id"]!.ToString();
    }

    private static byte[] Photo(SKColor color)
    {
        using var bitmap = new SKBitmap(120, 80);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(color);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private async Task SubmitAsync(string campaign, string county, string text, params string[] files) =>
        await (await gateway.As($"county-{county}")).SendAsync(HttpMethod.Post, $"{Campaigns}/{campaign}/submissions/{county}/submit", new
        {
            sections = new[] { new { title = "活动总结", text }, new { title = "主要成效", text = "<p>参与科技工作者 300 人</p>" } },
            files,
        }).ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task The_secretariat_downloads_the_accepted_submissions_as_a_zip_and_a_compiled_summary()
    {
        var secretariat = await gateway.As("secretariat");
        var id = $"ex-{Guid.NewGuid():N}"[..20];
        await secretariat.PostAsync(Campaigns, new
        {
            id,
            title = "科技工作者日活动总结报送",
            body = "<p>请于6月15日前报送。</p>",
            audience = new { allOf = new[] { "county" }, units = Array.Empty<object>() },
            deadline = "2020-06-15",
            template = new { sections = new[] { "活动总结", "主要成效" }, minImages = 1, fileKinds = new[] { "image", "document" } },
            receivers = new[] { new { unitKind = "county", department = "office" } },
        }).ShouldBe(HttpStatusCode.Created);
        await secretariat.PatchAsync($"{Campaigns}/{id}", new { status = "published" }, ifMatch: "\"1\"").ShouldBe(HttpStatusCode.OK);

        var photo = Photo(SKColors.OrangeRed);
        var pingyangPhoto = await UploadAsync("county-pingyang", "座谈会现场.png", photo);
        var pingyangPdf = await UploadAsync("county-pingyang", "活动方案.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray());
        await SubmitAsync(id, "pingyang", "<p>平阳县举办<b>科技工作者座谈会</b>。</p>", pingyangPhoto, pingyangPdf);
        await SubmitAsync(id, "ruian", "<p>瑞安市开展科普进社区活动。</p>", await UploadAsync("county-ruian", "科普.png", Photo(SKColors.SeaGreen)));
        await SubmitAsync(id, "ouhai", "<p>瓯海区初稿。</p>", await UploadAsync("county-ouhai", "初稿.png", Photo(SKColors.Gray)));
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:pingyang/accept", new { }).ShouldBe(HttpStatusCode.OK);
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:ruian/accept", new { }).ShouldBe(HttpStatusCode.OK);
        await secretariat.SendAsync(HttpMethod.Post, $"{Campaigns}/{id}/submissions/county:ouhai/return", new { comment = "请补充" }).ShouldBe(HttpStatusCode.OK);

        // The zip: accepted submissions only, in the campaign's order of units (by code).
        var zipped = await secretariat.GetAsync($"{Campaigns}/{id}/export/submissions.zip").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("application/zip", zipped.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", zipped.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("科技工作者日活动总结报送.zip", zipped.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", zipped.Headers.GetValues("X-Content-Type-Options").Single());
        using (var zip = new ZipArchive(new MemoryStream(await zipped.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read))
        {
            var names = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Equal(["01 平阳县/", "02 瑞安市/"], names.Select(n => n[..(n.IndexOf('/') + 1)]).Distinct().Order(StringComparer.Ordinal).ToArray());
            Assert.DoesNotContain(names, n => n.Contains("瓯海", StringComparison.Ordinal));
            var stored = zip.Entries.Single(e => e.FullName.StartsWith("01 平阳县/", StringComparison.Ordinal) && e.Name.EndsWith(".png", StringComparison.Ordinal));
            var downloaded = await (await secretariat.GetAsync($"/api/summits/{gateway.Summit}/files/{pingyangPhoto}")).Content.ReadAsByteArrayAsync();
            using (var entry = stored.Open())
            using (var copy = new MemoryStream())
            {
                await entry.CopyToAsync(copy);
                Assert.Equal(downloaded, copy.ToArray());
            }
            Assert.Contains(zip.Entries, e => e.FullName == "01 平阳县/活动方案.pdf");
            var unitDoc = zip.Entries.Single(e => e.FullName.StartsWith("01 平阳县/", StringComparison.Ordinal) && e.Name.EndsWith(".docx", StringComparison.Ordinal));
            using var docStream = new MemoryStream();
            using (var entry = unitDoc.Open()) await entry.CopyToAsync(docStream);
            using var word = WordprocessingDocument.Open(docStream, false);
            Assert.Contains("科技工作者座谈会", word.MainDocumentPart!.Document.Body!.InnerText, StringComparison.Ordinal);
        }

        // The compiled summary: one section per accepted unit with its text and its photo embedded.
        var summary = await secretariat.GetAsync($"{Campaigns}/{id}/export/summary.docx").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", summary.Content.Headers.ContentType?.MediaType);
        using (var word = WordprocessingDocument.Open(new MemoryStream(await summary.Content.ReadAsByteArrayAsync()), false))
        {
            var text = word.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains("科技工作者日活动总结报送", text, StringComparison.Ordinal);
            Assert.Contains("平阳县举办", text, StringComparison.Ordinal);
            Assert.Contains("瑞安市开展科普进社区活动", text, StringComparison.Ordinal);
            Assert.DoesNotContain("瓯海区初稿", text, StringComparison.Ordinal);
            Assert.Equal(2, word.MainDocumentPart.ImageParts.Count());
        }

        // Every submission when asked; a unit may not collect; a bad status is named.
        var everything = await secretariat.GetAsync($"{Campaigns}/{id}/export/summary.docx?status=all").ShouldBe(HttpStatusCode.OK);
        using (var word = WordprocessingDocument.Open(new MemoryStream(await everything.Content.ReadAsByteArrayAsync()), false))
            Assert.Contains("瓯海区初稿", word.MainDocumentPart!.Document.Body!.InnerText, StringComparison.Ordinal);
        await (await gateway.As("leader")).GetAsync($"{Campaigns}/{id}/export/submissions.zip").ShouldBe(HttpStatusCode.OK);
        await (await gateway.As("county-pingyang")).GetAsync($"{Campaigns}/{id}/export/submissions.zip").ShouldBe(HttpStatusCode.Forbidden);
        var bad = await secretariat.GetAsync($"{Campaigns}/{id}/export/summary.docx?status=finished").ShouldBe(HttpStatusCode.BadRequest);
        Assert.Contains("status", await bad.ErrorFieldsAsync());
        await secretariat.GetAsync($"{Campaigns}/{id}/export/summary.docx?format=pdf").ShouldBe(HttpStatusCode.BadRequest);
        await secretariat.GetAsync($"{Campaigns}/nope/export/summary.docx").ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>The demo's notices as the seed leaves them on the demo clock (10 June 2020, 09:00 in Wenzhou).</summary>
[Collection(GatewayCollection.Name)]
public sealed class DemoCampaignTests(GatewayFixture gateway)
{
    [Fact]
    public async Task The_demo_has_the_workers_day_notice_the_venue_materials_and_a_late_weekly_report()
    {
        var http = await gateway.As("secretariat");
        var campaigns = $"/api/summits/{gateway.Summit}/campaigns";
        var workersDay = await (await http.GetAsync($"{campaigns}/workers-day-2020/board").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        var rows = workersDay["items"]!.AsArray().ToDictionary(r => r!["unit"]!["code"]!.ToString(), r => r!["status"]!.ToString());
        Assert.Equal(("accepted", "submitted", "returned", "draft", "submitted"),
            (rows["pingyang"], rows["ruian"], rows["wencheng"], rows["yongjia"], rows["wmu"]));
        Assert.Equal(5, workersDay["counts"]!["total"]!.GetValue<int>() - workersDay["counts"]!["notStarted"]!.GetValue<int>());
        Assert.Equal("平阳县", workersDay["items"]!.AsArray().Single(r => r!["unit"]!["code"]!.ToString() == "pingyang")!["name"]!.ToString());

        var venue = await (await http.GetAsync($"{campaigns}/venue-materials/board")).ReadJsonAsync();
        Assert.Equal(12, venue["counts"]!["total"]!.GetValue<int>());
        Assert.Equal(0, venue["counts"]!["late"]!.GetValue<int>());
        Assert.True(venue["secondsLeft"]!.GetValue<long>() > 0);
        var weekly = await (await http.GetAsync($"{campaigns}/weekly-progress-w23/board")).ReadJsonAsync();
        Assert.Equal(3, weekly["counts"]!["late"]!.GetValue<int>());
        Assert.True(weekly["overdue"]!.GetValue<bool>());

        // Pingyang's accepted summary carries its generated photos, stored as images with thumbnails.
        var pingyang = await (await (await gateway.As("county-pingyang")).GetAsync($"{campaigns}/workers-day-2020/submissions/pingyang")).ReadJsonAsync();
        var files = pingyang["files"]!.AsArray().Select(f => f!.ToString()).ToArray();
        Assert.Equal(3, files.Length);
        var info = await (await http.GetAsync($"/api/summits/{gateway.Summit}/files/{files[0]}/info")).ReadJsonAsync();
        Assert.Equal(("image", "image/jpeg"), (info["kind"]!.ToString(), info["contentType"]!.ToString()));
        await http.GetAsync($"/api/summits/{gateway.Summit}/files/{files[0]}/thumbnail").ShouldBe(HttpStatusCode.OK);
    }
}
