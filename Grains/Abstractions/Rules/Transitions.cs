using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Every status pipeline of the domain and the moves it allows. Grains call this before applying a
/// status change; the Gateway and the dashboard call it to offer only the moves that will succeed.
/// </summary>
public static class Transitions
{
    private static readonly IReadOnlyDictionary<WorkStatus, WorkStatus[]> TaskMoves = new Dictionary<WorkStatus, WorkStatus[]>
    {
        [WorkStatus.NotStarted] = [WorkStatus.InProgress, WorkStatus.Blocked, WorkStatus.Done, WorkStatus.Cancelled],
        [WorkStatus.InProgress] = [WorkStatus.NotStarted, WorkStatus.Blocked, WorkStatus.Done, WorkStatus.Cancelled],
        [WorkStatus.Blocked] = [WorkStatus.InProgress, WorkStatus.NotStarted, WorkStatus.Cancelled],
        // Reopening is allowed: inspections often find a "done" item that is not.
        [WorkStatus.Done] = [WorkStatus.InProgress],
        [WorkStatus.Cancelled] = [WorkStatus.NotStarted],
    };

    private static readonly IReadOnlyDictionary<SubEventStatus, SubEventStatus[]> SubEventMoves = new Dictionary<SubEventStatus, SubEventStatus[]>
    {
        [SubEventStatus.Planned] = [SubEventStatus.Preparing, SubEventStatus.Cancelled],
        [SubEventStatus.Preparing] = [SubEventStatus.Ready, SubEventStatus.Planned, SubEventStatus.Cancelled],
        [SubEventStatus.Ready] = [SubEventStatus.Held, SubEventStatus.Preparing, SubEventStatus.Cancelled],
        [SubEventStatus.Held] = [],
        [SubEventStatus.Cancelled] = [SubEventStatus.Planned],
    };

    // A signed alliance may go back to forming (an agreement entered too early, or reopened to new members); a
    // cancelled one may be proposed again.
    private static readonly IReadOnlyDictionary<AllianceStatus, AllianceStatus[]> AllianceMoves = new Dictionary<AllianceStatus, AllianceStatus[]>
    {
        [AllianceStatus.Proposed] = [AllianceStatus.Forming, AllianceStatus.Cancelled],
        [AllianceStatus.Forming] = [AllianceStatus.Signed, AllianceStatus.Proposed, AllianceStatus.Cancelled],
        [AllianceStatus.Signed] = [AllianceStatus.Forming],
        [AllianceStatus.Cancelled] = [AllianceStatus.Proposed],
    };

    // A confirmation may be taken back (entered by mistake); a withdrawn team may be nominated again.
    private static readonly IReadOnlyDictionary<FinalistStatus, FinalistStatus[]> FinalistMoves = new Dictionary<FinalistStatus, FinalistStatus[]>
    {
        [FinalistStatus.Nominated] = [FinalistStatus.Confirmed, FinalistStatus.Withdrawn],
        [FinalistStatus.Confirmed] = [FinalistStatus.Withdrawn, FinalistStatus.Nominated],
        [FinalistStatus.Withdrawn] = [FinalistStatus.Nominated],
    };

    public static IReadOnlyList<WorkStatus> Next(WorkStatus from) => TaskMoves[from];

    public static IReadOnlyList<AllianceStatus> Next(AllianceStatus from) => AllianceMoves.TryGetValue(from, out var next) ? next : [];

    public static IReadOnlyList<FinalistStatus> Next(FinalistStatus from) => FinalistMoves.TryGetValue(from, out var next) ? next : [];

    public static IReadOnlyList<SubEventStatus> Next(SubEventStatus from) => SubEventMoves[from];

    /// <summary>Sub-forums advance one stage at a time and may step back any number of stages to correct a mistake.</summary>
    public static IReadOnlyList<SubForumStatus> Next(SubForumStatus from) =>
        Enum.GetValues<SubForumStatus>().Where(s => s < from || s == from + 1).ToArray();

    /// <summary>Projects advance one stage at a time and may step back one stage (a deal can fall back to negotiation).</summary>
    public static IReadOnlyList<ProjectStage> Next(ProjectStage from) =>
        Enum.GetValues<ProjectStage>().Where(s => s == from + 1 || s == from - 1).ToArray();

    public static void Check(WorkStatus from, WorkStatus to, FieldErrors errors, string field = "status") =>
        CheckMove(from, to, Next(from), errors, field);

    public static void Check(SubEventStatus from, SubEventStatus to, FieldErrors errors, string field = "status") =>
        CheckMove(from, to, Next(from), errors, field);

    public static void Check(SubForumStatus from, SubForumStatus to, FieldErrors errors, string field = "status") =>
        CheckMove(from, to, Next(from), errors, field);

    public static void Check(ProjectStage from, ProjectStage to, FieldErrors errors, string field = "stage") =>
        CheckMove(from, to, Next(from), errors, field);

    public static void Check(AllianceStatus from, AllianceStatus to, FieldErrors errors, string field = "status") =>
        CheckMove(from, to, Next(from), errors, field);

    public static void Check(FinalistStatus from, FinalistStatus to, FieldErrors errors, string field = "status") =>
        CheckMove(from, to, Next(from), errors, field);

    private static void CheckMove<T>(T from, T to, IReadOnlyList<T> allowed, FieldErrors errors, string field) where T : struct, Enum
    {
        if (EqualityComparer<T>.Default.Equals(from, to)) return;
        if (!Enum.IsDefined(to))
        {
            errors.Add(field, $"'{to}' is not a known value.");
            return;
        }
        if (!allowed.Contains(to))
        {
            var options = allowed.Count == 0 ? "none" : string.Join(", ", allowed);
            errors.Add(field, $"cannot move from {from} to {to}; allowed next: {options}.");
        }
    }
}
