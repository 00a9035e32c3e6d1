using NodaTime;
using Summit.Data.Comments;
using Summit.Domain;
using Summit.Hosting.Notifications;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Tests.Notifications;

/// <summary>Who may comment and be mentioned on a task, and the notification a mention becomes.</summary>
public sealed class MentionTests
{
    private static PreparationTask Task(OwningUnit owner) => new(
        "wyss-2020", "t-1", "平阳分会场签到动线", TaskCategory.Venue, owner, null, new Deadline(new LocalDate(2020, 6, 30)),
        WorkStatus.NotStarted, 0, false, [], 1, Instant.FromUtc(2020, 6, 1, 0, 0), Instant.FromUtc(2020, 6, 1, 0, 0), "secretariat");

    [Fact]
    public void A_unit_is_mentioned_only_on_a_task_its_accounts_may_read()
    {
        var pingyangTask = Task(OwningUnit.County("pingyang"));
        Assert.True(AccessRules.MayBeMentioned(OwningUnit.County("pingyang"), pingyangTask));
        Assert.True(AccessRules.MayBeMentioned(OwningUnit.Department("office"), pingyangTask));
        Assert.False(AccessRules.MayBeMentioned(OwningUnit.County("ouhai"), pingyangTask));
        Assert.False(AccessRules.MayBeMentioned(OwningUnit.University("wmu"), pingyangTask));
        var officeTask = Task(OwningUnit.Department("office"));
        Assert.False(AccessRules.MayBeMentioned(OwningUnit.County("pingyang"), officeTask));
        Assert.True(AccessRules.MayBeMentioned(OwningUnit.Department("liaison"), officeTask));
    }

    [Fact]
    public void Whoever_reads_the_task_may_comment_and_nobody_else_learns_of_it()
    {
        var task = Task(OwningUnit.County("pingyang"));
        AccessRules.EnsureComment(new Actor("county-pingyang", Role.County, "pingyang"), task);
        AccessRules.EnsureComment(new Actor("leader", Role.Leader), task);
        AccessRules.EnsureComment(new Actor("secretariat", Role.Secretariat), task);
        foreach (var outsider in new[] { new Actor("county-ouhai", Role.County, "ouhai"), new Actor("university-wmu", Role.University, "wmu"), new Actor("admin", Role.Admin) })
            Assert.False(Assert.Throws<AccessRefusedException>(() => AccessRules.EnsureComment(outsider, task)).Visible);
    }

    [Fact]
    public void A_mention_names_the_commenters_unit_and_the_task_once_per_unit()
    {
        var comment = new TaskComment("wyss-2020", "t-1", "c-1", null, "county-pingyang", Role.County, OwningUnit.County("pingyang"),
            "场地已确认，\n请秘书处办公室安排签到人员。", [OwningUnit.Department("office"), OwningUnit.Department("office"), OwningUnit.County("pingyang")],
            Instant.FromUtc(2020, 6, 10, 1, 0));
        var notes = MentionDispatcher.Notifications(new PendingMention(comment, "平阳分会场签到动线", "平阳县")).ToArray();

        Assert.Equal(2, notes.Length);
        Assert.All(notes, n => Assert.Equal(NotificationKind.Mentioned, n.Kind));
        Assert.Equal(NotificationTarget.Secretariat, notes[0].Target);
        Assert.Equal(NotificationTarget.ForUnit(OwningUnit.County("pingyang")), notes[1].Target);
        Assert.Equal("平阳县在任务「平阳分会场签到动线」的评论中提到了您的单位：“场地已确认， 请秘书处办公室安排签到人员。”", notes[0].Text.Zh);
        Assert.Equal("平阳县 mentioned your unit in a comment on task \"平阳分会场签到动线\": \"场地已确认， 请秘书处办公室安排签到人员。\"", notes[0].Text.En);
        // The same comment and unit always give the same id, so a second delivery stores nothing.
        Assert.Equal(notes[0].Id, MentionDispatcher.Notifications(new PendingMention(comment, "改过的标题", null)).First().Id);
        Assert.NotEqual(notes[0].Id, notes[1].Id);
        Assert.StartsWith("峰会秘书处在任务", NotificationTexts.Mentioned(Role.Secretariat, null, "t", "x").Zh, StringComparison.Ordinal);
        Assert.EndsWith("…”", NotificationTexts.Mentioned(Role.Leader, null, "t", new string('长', 200)).Zh, StringComparison.Ordinal);
    }
}
