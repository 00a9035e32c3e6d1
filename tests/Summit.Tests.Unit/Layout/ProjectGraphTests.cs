using System.Text.RegularExpressions;
using System.Xml.Linq;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Layout;

/// <summary>The README's project graph is the projects' real references, and the Gateway never reaches into the silo.</summary>
public sealed partial class ProjectGraphTests
{
    // The graph's node names and the project each stands for.
    private static readonly Dictionary<string, string> Nodes = new()
    {
        ["Standalone"] = "Standalone/Summit.Standalone.csproj",
        ["Gateway"] = "Gateway/Summit.Gateway.csproj",
        ["SiloHosting"] = "Silo/Hosting/Summit.Silo.Hosting.csproj",
        ["SiloHost"] = "Silo/Host/Summit.Silo.csproj",
        ["Data"] = "Data/Summit.Data.csproj",
        ["Grains"] = "Grains/Implementation/Summit.Grains.csproj",
        ["Contracts"] = "Grains/Abstractions/Summit.Grains.Abstractions.csproj",
    };

    [Fact]
    public void The_readme_graph_lists_exactly_the_project_references()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var block = MermaidBlock().Match(readme);
        Assert.True(block.Success, "README.md has no mermaid project graph");
        var drawn = Edge().Matches(block.Groups[1].Value)
            .Select(m => (From: m.Groups[1].Value, To: m.Groups[2].Value))
            .Where(e => Nodes.ContainsKey(e.From) && Nodes.ContainsKey(e.To))
            .Select(e => $"{e.From} -> {e.To}")
            .Order()
            .ToArray();

        var byPath = Nodes.ToDictionary(n => Normalize(n.Value), n => n.Key);
        var actual = new List<string>();
        foreach (var (node, project) in Nodes)
        {
            var path = Path.Combine(RepositoryPaths.Root, project);
            var references = XDocument.Load(path).Descendants("ProjectReference")
                .Select(r => Normalize(Path.GetRelativePath(RepositoryPaths.Root,
                    Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, r.Attribute("Include")!.Value.Replace('\\', '/'))))));
            actual.AddRange(references.Select(r => $"{node} -> {byPath[r]}"));
        }
        Assert.Equal(actual.Order().ToArray(), drawn);
    }

    [Fact]
    public void The_gateway_reaches_neither_the_silo_nor_the_grains()
    {
        var gateway = XDocument.Load(Path.Combine(RepositoryPaths.Root, Nodes["Gateway"]));
        var references = gateway.Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value.Replace('\\', '/')).ToArray();
        Assert.DoesNotContain(references, r => r.Contains("Silo/", StringComparison.Ordinal) || r.Contains("Implementation/", StringComparison.Ordinal));
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "Gateway"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, f => File.ReadAllText(f).Contains("using Summit.Hosting", StringComparison.Ordinal));
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    [GeneratedRegex("```mermaid\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"(\w+)(?:\[[^\]]*\])?\s*-->\s*(\w+)")]
    private static partial Regex Edge();
}
