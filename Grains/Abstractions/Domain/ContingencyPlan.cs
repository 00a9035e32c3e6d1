namespace Summit.Domain;

/// <summary>A plan to set on a task, sub-forum or county sub-event: one summit mode, or (<see cref="Mode"/> null) every mode.</summary>
[GenerateSerializer, Immutable, Alias("summit.plan-choice")]
public sealed record PlanChoice(SummitMode? Mode)
{
    public static PlanChoice AllModes { get; } = new((SummitMode?)null);
}

/// <summary>
/// Contingency plans: a summit runs in one mode (offline, online, hybrid); tasks, sub-forums and county sub-events may
/// belong to one mode's plan. Whatever belongs to another mode's plan is set aside (a flag, not a status), so switching back
/// restores it exactly as it was, with its history.
/// </summary>
public static class ContingencyPlan
{
    public static bool IsSetAside(SummitMode? plan, SummitMode summitMode) => plan is { } mode && mode != summitMode;
}
