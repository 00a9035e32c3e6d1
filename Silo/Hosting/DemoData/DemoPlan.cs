using Summit.Data.Demo;
using NodaTime;
using Summit.Domain;

namespace Summit.Hosting.DemoData;

/// <summary>
/// Everything the demo summit consists of, as plain drafts and target states. Producing it touches no
/// grain, so tests and the benchmark can inspect or reuse it; <see cref="DemoDataSeeder"/> applies it.
/// </summary>
/// <param name="AsOf">The demo's "now": the plan's statuses are what they would be at this moment.</param>
public sealed record DemoPlan(
    string SummitCode,
    SummitDraft Summit,
    LocalDateTime AsOf,
    IReadOnlyList<UniversityPlan> Universities,
    IReadOnlyList<CountyPlan> Counties,
    IReadOnlyList<SubForumPlan> SubForums,
    IReadOnlyList<ProjectPlan> Projects,
    IReadOnlyList<TaskPlan> Tasks)
{
    public int SubEventCount => Counties.Sum(c => c.SubEvents.Count);
}

public sealed record UniversityPlan(string Code, UniversityDraft Draft);

/// <param name="Inspected">The city association had inspected this county's preparation by <see cref="DemoPlan.AsOf"/>.</param>
public sealed record CountyPlan(string Code, CountyDraft Draft, bool Inspected, IReadOnlyList<SubEventPlan> SubEvents);

/// <summary>A sub-event: created from <see cref="Draft"/> as Planned, then moved to <see cref="Status"/> with <see cref="Checklist"/>.</summary>
public sealed record SubEventPlan(
    string Id,
    SubEventDraft Draft,
    SubEventStatus Status,
    IReadOnlyDictionary<ChecklistItem, ChecklistState> Checklist,
    string? Note = null);

/// <summary>A sub-forum: created as Planned, then advanced one stage at a time to <see cref="Status"/>.</summary>
public sealed record SubForumPlan(string Id, SubForumDraft Draft, SubForumStatus Status);

/// <summary>
/// A project in its target state: <see cref="ProjectDraft.Stage"/> and <see cref="ProjectDraft.SigningDate"/>
/// are where it should end up; the seeder creates it as Identified and walks it there.
/// </summary>
public sealed record ProjectPlan(string Id, ProjectDraft Draft);

/// <summary>A task: created from <see cref="Draft"/> (dependencies only on earlier tasks), then set to <see cref="Status"/>.</summary>
public sealed record TaskPlan(string Id, TaskDraft Draft, WorkStatus Status, int PercentComplete, string? StatusNote = null);

/// <summary>What a seeding run did.</summary>
/// <param name="Skipped">The summit already existed, so nothing was written.</param>
public sealed record DemoSeedResult(
    string SummitCode,
    bool Skipped,
    int Universities,
    int Counties,
    int SubEvents,
    int SubForums,
    int Projects,
    int Tasks,
    TimeSpan Elapsed)
{
    public static DemoSeedResult SkippedFor(string summitCode, TimeSpan elapsed) => new(summitCode, true, 0, 0, 0, 0, 0, 0, elapsed);
}
