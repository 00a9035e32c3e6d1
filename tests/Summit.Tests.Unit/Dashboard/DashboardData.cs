using NodaTime;
using Summit.Domain;
using Summit.Grains.Progress;
using Summit.Progress;

namespace Summit.Tests.Dashboard;

/// <summary>A small summit for the dashboard's unit tests: 10:00 on Monday 15 June 2020 in Wenzhou.</summary>
internal static class DashboardData
{
    public const string Code = "wyss-2020";
    public const long BaseRevision = 1_000_000;

    public static readonly Instant Now = Instant.FromUtc(2020, 6, 15, 2, 0);
    private static readonly Instant Created = Instant.FromUtc(2020, 4, 1, 0, 0);

    public static readonly OwningUnit Ouhai = OwningUnit.County("ouhai");

    public static LocalDate D(int month, int day) => new(2020, month, day);

    public static SummitEdition Edition { get; } = new(
        Code, "2020世界青年科学家峰会", "温州", D(11, 17), D(11, 19), "Asia/Shanghai", SummitMode.Hybrid, SummitTargets.Wyss2020,
        D(4, 1), 1, Created, "secretariat");

    public static PreparationTask PrepTask(string id, OwningUnit owner, WorkStatus status, LocalDate due, int version = 1) => new(
        Code, id, id, TaskCategory.Plan, owner, null, new Deadline(due), status, status == WorkStatus.Done ? 100 : 0, false, [],
        version, Created, Created, "secretariat");

    public static CountyVenue County(string code) => new(Code, code, code, "venue", null, [], 1, new LastUpdate(code, Created, null));

    /// <summary>Ouhai: one overdue (due 12 June), one due this week (18 June), one later (30 July), one done.</summary>
    public static PreparationTask[] Tasks { get; } =
    [
        PrepTask("t1", Ouhai, WorkStatus.InProgress, D(6, 12)),
        PrepTask("t2", Ouhai, WorkStatus.NotStarted, D(6, 18)),
        PrepTask("t3", Ouhai, WorkStatus.NotStarted, D(7, 30)),
        PrepTask("t4", Ouhai, WorkStatus.Done, D(6, 1)),
    ];

    /// <summary>A projection of these, rebuilt at <see cref="Now"/> with feed seq 10.</summary>
    public static DashboardProjection Rebuilt()
    {
        var projection = new DashboardProjection(Code, BaseRevision, 100);
        projection.Rebuild(new FeedCatchUp(10, []), Edition, Tasks, [County("ouhai")], [], [], Now);
        return projection;
    }

    public static ProgressEvent Event(long seq, long prevSeq, PreparationTask task) => new(
        seq, prevSeq, Code, EntityKind.Task, task.Id, task.Version, Now, "secretariat", Role.Secretariat, null, task.Title, [], null,
        new ProgressScope(Owner: task.Owner), task);
}
