using NodaTime;

namespace Summit.Domain;

[GenerateSerializer]
public enum SummitMode
{
    Offline,
    Online,
    Hybrid,
}

/// <summary>The outcomes the summit has promised (DOMAIN.md: 10 alliances, 100 projects, 1000 enterprises, 75 finalists).</summary>
[GenerateSerializer, Immutable, Alias("summit.targets")]
public sealed record SummitTargets(int InnovationAlliances, int CooperationProjects, int Enterprises, int StartupFinalists)
{
    public static SummitTargets Wyss2020 { get; } = new(10, 100, 1000, 75);
}

/// <summary>What a client supplies to define or redefine a summit edition.</summary>
[GenerateSerializer, Immutable, Alias("summit.summit-draft")]
public sealed record SummitDraft(
    string Name,
    string City,
    LocalDate OpeningDate,
    LocalDate ClosingDate,
    string TimeZone,
    SummitMode Mode,
    SummitTargets Targets,
    LocalDate PreparationStart);

/// <summary>One edition of the summit, e.g. <c>wyss-2020</c>.</summary>
/// <param name="ModeSince">When <paramref name="Mode"/> took effect: the summit's creation or its last contingency switch
/// (null for a summit stored before this was kept, until its next switch).</param>
[GenerateSerializer, Immutable, Alias("summit.summit")]
public sealed record SummitEdition(
    string Code,
    string Name,
    string City,
    LocalDate OpeningDate,
    LocalDate ClosingDate,
    string TimeZone,
    SummitMode Mode,
    SummitTargets Targets,
    LocalDate PreparationStart,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy,
    Instant? ModeSince = null)
{
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZone];

    /// <summary>The dates every dated thing in this summit must fall within.</summary>
    public DateInterval PreparationWindow => new(PreparationStart, ClosingDate);

    public DateInterval SummitDays => new(OpeningDate, ClosingDate);
}
