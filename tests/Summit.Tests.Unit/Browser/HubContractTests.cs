using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Summit.Gateway.Live;
using Summit.Notifications;
using Summit.Progress;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Browser;

/// <summary>
/// The dashboard's TypeScript side of the live hub (Dashboard/src/live/contract.ts) against the C# contract, by
/// reflection: method and message names, and every member of each hub-only message with its optionality. The shapes
/// the REST API shares with the hub are generated from the OpenAPI snapshot, which OpenApiSnapshotTests keeps current.
/// </summary>
public sealed partial class HubContractTests
{
    private static readonly string ContractPath = Path.Combine(RepositoryPaths.Root, "Dashboard", "src", "live", "contract.ts");
    private const string Fix = "Update Dashboard/src/live/contract.ts to match Grains/Abstractions/Progress/ProgressContracts.cs.";

    [Fact]
    public void The_hub_names_the_dashboard_uses_are_the_servers()
    {
        var names = HubConstants(File.ReadAllText(ContractPath));
        Assert.Equal(ProgressHub.Path, names.GetValueOrDefault("path"));
        Assert.Equal(ProgressHub.Subscribe, names.GetValueOrDefault("subscribe"));
        Assert.Equal(ProgressHub.OnProgress, names.GetValueOrDefault("onProgress"));
        Assert.Equal(NotificationHub.OnNotification, names.GetValueOrDefault("onNotification"));

        // The hub really has that method, taking and answering the messages the dashboard declares.
        var subscribe = typeof(LiveHub).GetMethod(ProgressHub.Subscribe);
        Assert.NotNull(subscribe);
        Assert.Equal(typeof(SubscribeRequest), Assert.Single(subscribe.GetParameters()).ParameterType);
        Assert.Equal(typeof(Task<SubscribeResult>), subscribe.ReturnType);
    }

    [Fact]
    public void Every_hub_message_the_dashboard_declares_has_the_servers_members()
    {
        var interfaces = Interfaces(File.ReadAllText(ContractPath));
        foreach (var expected in new[] { nameof(ProgressBatch), nameof(DashboardPatch), nameof(SubscribeRequest), nameof(SubscribeResult) })
            Assert.True(interfaces.ContainsKey(expected), $"contract.ts declares no interface {expected}. {Fix}");

        var problems = new List<string>();
        var nullability = new NullabilityInfoContext();
        foreach (var (name, members) in interfaces)
        {
            var type = typeof(ProgressBatch).Assembly.GetType($"{typeof(ProgressBatch).Namespace}.{name}");
            if (type is null)
            {
                problems.Add($"{name}: no such C# type in {typeof(ProgressBatch).Namespace}");
                continue;
            }
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract")
                .ToDictionary(JsonName);
            foreach (var (member, optional) in members)
            {
                if (!properties.TryGetValue(member, out var property))
                {
                    problems.Add($"{name}.{member}: not in the C# contract");
                    continue;
                }
                // JSON leaves null members out: a member C# may leave null must be optional in TypeScript.
                var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                    || nullability.Create(property).ReadState == NullabilityState.Nullable;
                if (nullable && !optional) problems.Add($"{name}.{member}: may be null (and so missing) but is required in TypeScript");
            }
            foreach (var missing in properties.Keys.Except(members.Keys)) problems.Add($"{name}.{missing}: in the C# contract, missing in TypeScript");
        }
        Assert.True(problems.Count == 0, $"The dashboard's hub contract drifted: {string.Join("; ", problems)}. {Fix}");
    }

    [Fact]
    public void The_parser_reads_what_the_contract_file_looks_like()
    {
        const string sample = """
            export const hub = {
              /** doc */
              path: "/p",
              subscribe: "S",
            } as const;
            export interface A {
              one: string;
              /** A comment: with a colon. */
              two?: B | null;
              three: { x: number; y: number };
            }
            """;
        Assert.Equal(new Dictionary<string, string> { ["path"] = "/p", ["subscribe"] = "S" }, HubConstants(sample));
        var a = Interfaces(sample)["A"];
        Assert.Equal(new Dictionary<string, bool> { ["one"] = false, ["two"] = true, ["three"] = false }, a);
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy(property.Name);

    private static string JsonNamingPolicy(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    private static Dictionary<string, string> HubConstants(string source)
    {
        var block = HubBlock().Match(source);
        Assert.True(block.Success, $"contract.ts has no `export const hub = {{ … }}`. {Fix}");
        return ConstantPattern().Matches(block.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>Each exported interface's top-level members, and whether each is optional.</summary>
    private static Dictionary<string, Dictionary<string, bool>> Interfaces(string source)
    {
        var result = new Dictionary<string, Dictionary<string, bool>>();
        foreach (Match match in InterfaceStart().Matches(source))
        {
            // The body up to the brace that closes the interface, skipping nested object types.
            var start = match.Index + match.Length;
            var depth = 1;
            var end = start;
            while (depth > 0 && end < source.Length)
            {
                depth += source[end] switch { '{' => 1, '}' => -1, _ => 0 };
                end++;
            }
            var body = Comments().Replace(source[start..(end - 1)], "");
            var members = new Dictionary<string, bool>();
            var nesting = 0;
            foreach (var line in body.Split('\n'))
            {
                if (nesting == 0 && MemberPattern().Match(line) is { Success: true } member)
                    members[member.Groups[1].Value] = member.Groups[2].Value == "?";
                nesting += line.Count(c => c == '{') - line.Count(c => c == '}');
            }
            result[match.Groups[1].Value] = members;
        }
        return result;
    }

    [GeneratedRegex(@"export const hub = \{(.*?)\} as const;", RegexOptions.Singleline)]
    private static partial Regex HubBlock();

    [GeneratedRegex(@"^\s*(\w+):\s*""([^""]*)""", RegexOptions.Multiline)]
    private static partial Regex ConstantPattern();

    [GeneratedRegex(@"export interface (\w+)\s*\{")]
    private static partial Regex InterfaceStart();

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^\s*(\w+)(\??):")]
    private static partial Regex MemberPattern();
}
