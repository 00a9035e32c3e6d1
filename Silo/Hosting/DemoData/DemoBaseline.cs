using NodaTime;
using Summit.Data.Planning;
using Summit.Domain;
using Summit.Grains;

namespace Summit.Hosting.DemoData;

/// <summary>
/// The demo summit's plan baseline: the secretariat approved the preparation plan on 8 May 2020 (after the plan and its
/// timeline were set at the April meetings); since then a few tasks have moved, each with its reason in the history, so
/// the Gantt chart and the tasks' pages show the plan as approved against the plan as it stands.
/// </summary>
public static class DemoBaseline
{
    /// <summary>When the demo baseline was approved: 8 May 2020, 17:30 in Wenzhou.</summary>
    public static readonly Instant ApprovedAt = Instant.FromUtc(2020, 5, 8, 9, 30);

    public const string Approver = "secretariat";
    public const string Note = "筹备推进计划和时间节点经专题会议审定，作为计划基线";

    /// <summary>How the moved tasks moved: calendar days later, and why.</summary>
    private static readonly (int Days, string Reason)[] Moves =
    [
        (7, "受疫情防控要求影响，现场踏勘延后"),
        (10, "等待省科协反馈意见，顺延"),
        (3, "嘉宾行程调整，顺延三天"),
        (14, "场馆改造工期延长"),
        (5, "与合作高校协调时间，顺延"),
        (7, "预算调整需重新报批"),
        (4, "宣传方案按专题会议意见修改"),
        (12, "线上平台招标延期"),
    ];

    /// <summary>
    /// Approves the summit's plan as it was seeded as the baseline (unless one exists), then moves the due date of a few
    /// open tasks due from mid-June to August later by a few days, each through its grain with a note. Returns how many moved.
    /// </summary>
    public static async Task<int> ApproveAndMoveAsync(IGrainFactory grains, IBaselineStore store, string summit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(store);
        if (await store.CurrentAsync(summit, cancellationToken) is not null) return 0;
        var (outcome, _) = await store.ApproveAsync(summit, 0, ApprovedAt, Approver, "secretariat", null, Note, null, cancellationToken);
        if (outcome != BaselineOutcome.Approved) return 0;

        var edition = await grains.GetGrain<ISummitGrain>(summit).Get();
        var lastDay = (edition?.OpeningDate ?? new LocalDate(2020, 10, 18)).PlusDays(-1);
        var rows = new List<BaselineTask>();
        for (var offset = 0; ; offset += 1000)
        {
            var (page, total) = await store.TasksAsync(summit, null, offset, 1000, null, cancellationToken);
            rows.AddRange(page);
            if (rows.Count >= total || page.Count == 0) break;
        }
        var candidates = rows
            .Where(r => !r.Milestone && r.Due >= new LocalDate(2020, 6, 15) && r.Due <= new LocalDate(2020, 8, 31))
            .ToList();
        if (candidates.Count == 0) return 0;

        var moved = 0;
        var step = Math.Max(1, candidates.Count / (Moves.Length * 2));
        for (var i = 0; i < candidates.Count && moved < Moves.Length; i += step)
        {
            var row = candidates[i];
            var grain = grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, row.TaskId));
            if (await grain.Get() is not { IsOpen: true } task || task.Due.Date != row.Due) continue;
            var (days, reason) = Moves[moved];
            var due = row.Due.PlusDays(days);
            if (due > lastDay) continue;
            await grain.Change(new TaskChange(Due: task.Due with { Date = due }, Note: reason), DemoDataSeeder.SeedActor);
            moved++;
        }
        return moved;
    }
}
