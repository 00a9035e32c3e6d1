using Summit.Data.Demo;
namespace Summit.Hosting.DemoData;

/// <summary>Demo data for the 2020 summit; bound from the <c>Summit:Demo</c> configuration section.</summary>
public sealed class DemoDataOptions
{
    public const string SectionName = "Summit:Demo";

    /// <summary>Seed the demo summit at start-up. Off by default so a real deployment never gets invented data.</summary>
    public bool Enabled { get; set; }

    /// <summary>Same seed, same plan: the random parts (names, dates, statuses) are reproducible.</summary>
    public int Seed { get; set; } = 2020;

    /// <summary>How many preparation tasks to plan; the benchmark asks for 100,000.</summary>
    public int Tasks { get; set; } = 400;

    public string SummitCode { get; set; } = "wyss-2020";

    /// <summary>How many grain calls the seeder keeps in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    public const int MaxTasks = 1_000_000;

    /// <summary>Throws when the options cannot produce a plan the grains would accept.</summary>
    public void Validate()
    {
        if (Tasks < 0 || Tasks > MaxTasks)
            throw new ArgumentOutOfRangeException(nameof(Tasks), Tasks, $"{SectionName}:Tasks must be between 0 and {MaxTasks}.");
        if (Parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, $"{SectionName}:Parallelism must be at least 1.");
        if (!Summit.Rules.FieldErrors.IsCode(SummitCode))
            throw new ArgumentException($"{SectionName}:SummitCode '{SummitCode}' is not a valid code.", nameof(SummitCode));
    }
}
