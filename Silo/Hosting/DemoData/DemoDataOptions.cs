using System.ComponentModel.DataAnnotations;
using Summit.Data.Demo;
using Summit.Settings;

namespace Summit.Hosting.DemoData;

/// <summary>Demo data for the 2020 summit; bound from the <c>Summit:Demo</c> configuration section.</summary>
public sealed class DemoDataOptions : IValidatableObject
{
    public const string SectionName = "Summit:Demo";

    /// <summary>Seed the demo summit at start-up. Off by default so a real deployment never gets invented data.</summary>
    public bool Enabled { get; set; }

    /// <summary>Same seed, same plan: the random parts (names, dates, statuses) are reproducible.</summary>
    public int Seed { get; set; } = 2020;

    /// <summary>How many preparation tasks to plan; the benchmark asks for 100,000.</summary>
    [Range(0, MaxTasks, ErrorMessage = "must be between {1} and {2}")]
    public int Tasks { get; set; } = 400;

    public string SummitCode { get; set; } = "wyss-2020";

    /// <summary>How many grain calls the seeder keeps in flight at once.</summary>
    [AtLeast(1)]
    public int Parallelism { get; set; } = 32;

    public const int MaxTasks = 1_000_000;

    /// <summary>Throws when the options cannot produce a plan the grains would accept.</summary>
    public void Validate()
    {
        var result = new SettingsValidator<DemoDataOptions>(SectionName).Validate(null, this);
        if (result.Failed) throw new ArgumentException(result.FailureMessage);
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!Summit.Rules.FieldErrors.IsCode(SummitCode))
            yield return new ValidationResult($"must be a valid code, such as wyss-2020 (got '{SummitCode}')", [nameof(SummitCode)]);
    }
}
