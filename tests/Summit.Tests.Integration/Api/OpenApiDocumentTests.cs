using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Summit.Tests.Api;

/// <summary>The OpenAPI document describes every API route the Gateway maps, its security, headers and NodaTime formats.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayFixture gateway)
{
    private async Task<JsonObject> DocumentAsync()
    {
        using var anonymous = gateway.Factory.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json").ShouldBe(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Every_api_route_is_in_the_document()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();
        var routes = gateway.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: Normalise(e.RoutePattern.RawText!), Method: m)))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(routes);
        Assert.Contains(routes, r => r is { Path: "/api/summits/{summit}/counties/{county}/sub-events/{id}", Method: "PATCH" });

        var missing = routes
            .Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null)
            .Select(r => $"{r.Method} {r.Path}")
            .ToArray();
        Assert.True(missing.Length == 0, "Not in the OpenAPI document: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Security_headers_and_formats_are_described()
    {
        var document = await DocumentAsync();
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.ToString());

        var patch = document["paths"]!["/api/summits/{summit}/tasks/{id}"]!["patch"]!;
        Assert.NotNull(patch["security"]);
        var headers = patch["parameters"]!.AsArray().Where(p => p!["in"]!.ToString() == "header").Select(p => p!["name"]!.ToString()).ToArray();
        Assert.Contains("If-Match", headers);
        Assert.Contains("Idempotency-Key", headers);
        Assert.NotNull(patch["responses"]!["200"]!["headers"]!["ETag"]);
        foreach (var status in new[] { "400", "403", "404", "412", "413", "415", "422" }) Assert.NotNull(patch["responses"]![status]);

        var schemas = document["components"]!["schemas"]!.AsObject();
        var task = schemas["TaskResource"]!["properties"]!;
        Assert.Equal("string", Type(Resolve(schemas, task["dueDate"]!)));
        Assert.Equal("date-time", Resolve(schemas, task["updatedAt"]!)["format"]?.ToString());
        Assert.Equal("integer", Type(task["percentComplete"]!));
        var list = document["paths"]!["/api/summits/{summit}/tasks"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.ToString()).ToArray();
        foreach (var name in new[] { "unit", "category", "status", "dueFrom", "dueTo", "overdue", "offset", "limit" }) Assert.Contains(name, list);
        var summit = schemas["SummitEdition"]!["properties"]!;
        Assert.Equal("date", Resolve(schemas, summit["openingDate"]!)["format"]?.ToString());
        Assert.Equal("string", Type(Resolve(schemas, summit["openingDate"]!)));
    }

    [Fact]
    public async Task The_browsable_reference_is_served()
    {
        using var anonymous = gateway.Factory.CreateClient();
        var page = await anonymous.GetAsync("/scalar").ShouldBe(HttpStatusCode.OK);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Route constraints and defaults are not part of OpenAPI paths.</summary>
    private static string Normalise(string route) => System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{([^}:=?]+)[^}]*\}", "{$1}");

    private static JsonNode Resolve(JsonObject schemas, JsonNode schema) =>
        schema["$ref"] is { } reference ? schemas[reference.ToString().Split('/')[^1]]! : schema;

    private static string Type(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.ToString()).Single(t => t != "null"),
        { } type => type.ToString(),
        _ => "",
    };
}
