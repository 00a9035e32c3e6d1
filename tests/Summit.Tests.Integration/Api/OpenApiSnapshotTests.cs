using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>
/// The dashboard's REST types are generated from Dashboard/openapi/summit.json (openapi-typescript, in npm run build), so
/// that committed snapshot must be exactly the document the Gateway serves: a changed API fails here, not in a browser.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiSnapshotTests(GatewayFixture gateway)
{
    /// <summary>Set to 1 to write the live document over the snapshot instead of comparing (npm run openapi:refresh does).</summary>
    public const string RefreshVariable = "SUMMIT_OPENAPI_REFRESH";

    public static string SnapshotPath { get; } = Path.Combine(RepositoryPaths.Root, "Dashboard", "openapi", "summit.json");

    [Fact]
    public async Task The_dashboards_openapi_snapshot_matches_the_live_document()
    {
        using var anonymous = gateway.Factory.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json").ShouldBe(HttpStatusCode.OK);
        var live = Canonical(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);

        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SnapshotPath)!);
            await File.WriteAllTextAsync(SnapshotPath, live, new UTF8Encoding(false));
            return;
        }

        Assert.True(File.Exists(SnapshotPath), $"{SnapshotPath} is missing. {HowToRefresh}");
        var committed = Canonical(JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath))!);
        if (committed == live) return;

        Assert.Fail($"The Gateway's OpenAPI document (/openapi/v1.json) differs from the dashboard's snapshot {SnapshotPath}; " +
            $"first difference: {FirstDifference(committed, live)}. {HowToRefresh}");
    }

    private const string HowToRefresh =
        "Refresh it with `npm run openapi:refresh` in Dashboard/ (or run this test with " + RefreshVariable + "=1), " +
        "then `npm run build` there to regenerate src/api/schema.d.ts and fix what no longer type-checks, and commit the snapshot.";

    /// <summary>Indented, with a trailing newline, so the committed file diffs line by line.</summary>
    private static string Canonical(JsonNode document) =>
        document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    private static string FirstDifference(string committed, string live)
    {
        var (a, b) = (committed.Split('\n'), live.Split('\n'));
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var (x, y) = (i < a.Length ? a[i] : "<end>", i < b.Length ? b[i] : "<end>");
            if (x != y) return $"line {i + 1}: snapshot `{x.Trim()}`, live `{y.Trim()}`";
        }
        return "none by line";
    }
}
