using System.Text.RegularExpressions;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Layout;

/// <summary>
/// Production code reads time only from the clocks it is given (the summit clock or the wall clock), so tests can drive
/// it and demo mode moves it; only the composition root picks the system clock.
/// </summary>
public sealed partial class ClockUseTests
{
    private static readonly string[] Folders = ["Grains", "Gateway", "Data", "Silo", "Standalone"];

    // Where the clocks are chosen and registered.
    private static readonly string[] CompositionRoot = ["Data/Time/ClockRegistration.cs"];

    [Fact]
    public void Only_the_composition_root_reads_the_system_clock()
    {
        var found = new List<string>();
        foreach (var folder in Folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "bin" or "obj") || CompositionRoot.Contains(relative)) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    if (SystemTime().IsMatch(lines[i])) found.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
            }
        }
        Assert.True(found.Count == 0, "Read the injected IClock or WallClock instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_check_sees_each_way_of_reading_the_system_clock()
    {
        Assert.All(["SystemClock.Instance", "DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now", "DateTimeOffset.UtcNow"],
            call => Assert.Matches(SystemTime(), $"var now = {call};"));
        Assert.DoesNotMatch(SystemTime(), "var now = clock.GetCurrentInstant(); // DateTime.Nowhere");
    }

    [GeneratedRegex(@"\bSystemClock\.Instance\b|\bDateTime(Offset)?\.(Utc)?Now\b")]
    private static partial Regex SystemTime();
}
