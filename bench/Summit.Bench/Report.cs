using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Summit.Bench.Infrastructure;

namespace Summit.Bench;

/// <summary>One target of the issue, checked against the figure measured.</summary>
public sealed record TargetCheck(string Target, double? Value, double Limit, string Unit, bool Met)
{
    public override string ToString() =>
        $"{(Met ? "met   " : "MISSED")} {Target}: {(Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a")} {Unit} (limit {Limit.ToString("0.###", CultureInfo.InvariantCulture)} {Unit})";

    public static TargetCheck AtMost(string target, double? value, double limit, string unit) =>
        new(target, value, limit, unit, value is { } v && v <= limit);
}

public sealed record MachineInfo(
    int Cores,
    double MemoryGiB,
    string Os,
    string Runtime,
    string? CpuModel,
    string? Postgres,
    string? PostgresSetup,
    double[] LoadAverageBefore,
    double[]? LoadAverageAfter)
{
    public static MachineInfo Now(PostgresLauncher? pg) => new(
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ReadCpuModel(),
        pg?.ServerVersion,
        pg?.Description,
        ProcStat.LoadAverage(),
        null);

    private static string? ReadCpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>What one scenario writes to <c>bench/results/&lt;scenario&gt;-&lt;UTC timestamp&gt;.json</c>.</summary>
public sealed class ScenarioReport(string scenario)
{
    public string Scenario { get; } = scenario;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Command { get; set; }
    public MachineInfo? Machine { get; set; }
    public object? Config { get; set; }
    public object? Results { get; set; }
    public object? Floors { get; set; }
    public object? Ratios { get; set; }
    public List<TargetCheck> Targets { get; } = [];
    public List<string> Notes { get; } = [];
    public string? Error { get; set; }

    [JsonIgnore] public List<(string Metric, string Value)> Table { get; } = [];

    public void Row(string metric, string value) => Table.Add((metric, value));

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Scenario}-{StartedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
        return path;
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"== {Scenario} ({StartedAt:yyyy-MM-dd HH:mm:ss} UTC, load {string.Join(" ", Machine?.LoadAverageBefore ?? [])} → {string.Join(" ", Machine?.LoadAverageAfter ?? [])})");
        var width = Table.Count == 0 ? 0 : Table.Max(r => r.Metric.Length);
        foreach (var (metric, value) in Table) text.AppendLine($"  {metric.PadRight(width)}  {value}");
        foreach (var target in Targets) text.AppendLine($"  {target}");
        foreach (var note in Notes) text.AppendLine($"  note: {note}");
        if (Error is not null) text.AppendLine($"  ERROR: {Error}");
        return text.ToString();
    }
}

public static class Format
{
    public static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms" : "n/a";

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "×" : "n/a";

    public static string MiB(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    public static double? Divide(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Math.Round(x / y, 2) : null;
}
