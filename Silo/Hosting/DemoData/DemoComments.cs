using NodaTime;
using Summit.Data.Comments;
using Summit.Domain;

namespace Summit.Hosting.DemoData;

/// <summary>
/// A few comments on the demo's curated tasks, as the secretariat, a leader, Pingyang and the medical university wrote
/// them in the days before the demo clock's start, with replies and mentions. Stored through the comment store like a
/// user's, so their mentions reach the units' inboxes the same way. Tasks the plan does not hold are passed over.
/// </summary>
public static class DemoComments
{
    /// <param name="Task">The start of the task's title.</param>
    /// <param name="HoursBefore">How long before the plan's as-of moment it was written.</param>
    /// <param name="Reply">Index in <see cref="Comments"/> of the comment it answers.</param>
    private sealed record Seed(string Task, string Account, Role Role, string? Unit, double HoursBefore, string Text, string[] Mentions, int? Reply = null);

    private static readonly Seed[] Comments =
    [
        new("平阳分会场筹备", "secretariat", Role.Secretariat, null, 70,
            "6月3日现场指导的意见已整理成清单，请平阳县对照落实分会场布置和签到动线，本周五前反馈进度。", ["county:pingyang"]),
        new("平阳分会场筹备", "county-pingyang", Role.County, "pingyang", 52,
            "收到。场地布置方案已按意见修改，科技馆二楼报告厅已锁定档期，计划6月12日组织彩排。", [], Reply: 0),
        new("峰会活动报批材料报送", "secretariat", Role.Secretariat, null, 46,
            "报批材料第二稿已报省科协，请联络对接部跟进反馈意见，财务组同步核对预算附表。", ["secretariat:liaison", "secretariat:finance"]),
        new("峰会活动报批材料报送", "leader", Role.Leader, null, 30,
            "请抓紧跟进，争取6月中旬前拿到批复，有困难及时报告。", [], Reply: 2),
        new("对接大健康学术版块", "university-wmu", Role.University, "wmu", 26,
            "大健康版块三个子论坛的嘉宾名单已初步确定，请学术活动部审核后反馈。", ["secretariat:academic"]),
    ];

    public static async Task<int> SeedAsync(ITaskCommentStore store, DemoPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        var zone = DateTimeZoneProviders.Tzdb[plan.Summit.TimeZone];
        var asOf = plan.AsOf.InZoneLeniently(zone).ToInstant();
        var ids = new string?[Comments.Length];
        for (var i = 0; i < Comments.Length; i++)
        {
            var seed = Comments[i];
            var task = plan.Tasks.FirstOrDefault(t => t.Draft.Title.StartsWith(seed.Task, StringComparison.Ordinal));
            if (task is null || (seed.Reply is { } parent && ids[parent] is null)) continue;
            var unit = seed.Unit is null ? null : new OwningUnit(seed.Role == Role.County ? UnitKind.County : UnitKind.University, seed.Unit);
            var comment = new TaskComment(plan.SummitCode, task.Id, $"c-demo-{i + 1:D2}", seed.Reply is { } p ? ids[p] : null,
                seed.Account, seed.Role, unit, seed.Text,
                seed.Mentions.Select(PostgresTaskCommentStore.ParseUnit).OfType<OwningUnit>().ToArray(),
                asOf - Duration.FromHours(seed.HoursBefore));
            await store.AddAsync(comment, null, cancellationToken);
            ids[i] = comment.Id;
        }
        return ids.Count(id => id is not null);
    }
}
