using NodaTime;
using Summit.Domain;

namespace Summit.Tests.Domain;

/// <summary>A 2020-shaped summit (preparation from 1 April, summit days 17-19 November) and helpers for rule tests.</summary>
internal static class RuleTestData
{
    public static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    public static readonly Instant Later = Now + Duration.FromHours(2);

    public static Actor Secretariat { get; } = new("secretariat", Role.Secretariat);
    public static Actor Pingyang { get; } = new("county-pingyang", Role.County, "pingyang");

    public static SummitDraft EditionDraft { get; } = new(
        "2020世界青年科学家峰会", "温州", new LocalDate(2020, 11, 17), new LocalDate(2020, 11, 19), "Asia/Shanghai",
        SummitMode.Hybrid, SummitTargets.Wyss2020, new LocalDate(2020, 4, 1));

    public static SummitEdition Edition { get; } = new(
        "wyss-2020", EditionDraft.Name, EditionDraft.City, EditionDraft.OpeningDate, EditionDraft.ClosingDate, EditionDraft.TimeZone,
        EditionDraft.Mode, EditionDraft.Targets, EditionDraft.PreparationStart, 1, Now, "secretariat");

    public static LocalDate June(int day) => new(2020, 6, day);

    /// <summary>Runs <paramref name="act"/>, expects a validation error, and checks that <paramref name="field"/> is among its fields.</summary>
    public static DomainValidationException Invalid(Action act, string field)
    {
        var error = Assert.Throws<DomainValidationException>(act);
        Assert.True(error.Errors.ContainsKey(field), $"Expected an error on '{field}', got: {string.Join(", ", error.Errors.Keys)}");
        return error;
    }

    public static string Message(DomainValidationException error, string field) => string.Join(" ", error.Errors[field]);
}
