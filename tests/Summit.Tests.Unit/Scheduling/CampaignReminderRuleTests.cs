using NodaTime;
using Summit.Domain;
using Summit.Notifications;
using Summit.Scheduling;

namespace Summit.Tests.Scheduling;

/// <summary>When a unit that has not handed in its submission to a campaign is reminded: the task rule and the task ladder.</summary>
public sealed class CampaignReminderRuleTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly DueStates Due = new(Shanghai);
    private static readonly EscalationLadder Ladder = EscalationLadder.Default;

    // 15 June 2020 ends at 16:00 UTC (midnight in Wenzhou).
    private static readonly Deadline June15 = new(new LocalDate(2020, 6, 15));

    private static Instant Local(int day, int hour, int minute = 0) =>
        new LocalDateTime(2020, 6, day, hour, minute).InZoneStrictly(Shanghai).ToInstant();

    private static IReadOnlyList<CampaignReminderStep> Steps(Instant now, IEnumerable<string>? made = null, Instant? reopenedAt = null, Deadline? deadline = null) =>
        CampaignReminderRule.Due(Due, Ladder, deadline ?? June15, reopenedAt, (made ?? []).ToHashSet(), now);

    [Fact]
    public void Nothing_before_the_first_lead_day()
    {
        Assert.Empty(Steps(Local(12, 8, 59)));
        Assert.Equal(Local(12, 9), CampaignReminderRule.NextChange(Due, Ladder, June15, null, new HashSet<string>(), Local(12, 8, 59)));
    }

    [Fact]
    public void Due_soon_at_09_00_three_and_one_days_ahead_then_due_today_then_overdue_at_midnight()
    {
        var step = Assert.Single(Steps(Local(12, 9)));
        Assert.Equal(("dueSoon:3", NotificationKind.CampaignDueSoon, EscalationLevel.Owner, (int?)3, Local(12, 9)),
            (step.Step, step.Kind, step.Level, step.LeadDays, step.At));
        Assert.Empty(Steps(Local(13, 12), ["dueSoon:3"]));
        Assert.Equal("dueSoon:1", Assert.Single(Steps(Local(14, 9), ["dueSoon:3"])).Step);
        var today = Assert.Single(Steps(Local(15, 9), ["dueSoon:3", "dueSoon:1"]));
        Assert.Equal((CampaignReminderRule.DueToday, NotificationKind.CampaignDueToday), (today.Step, today.Kind));
        Assert.Empty(Steps(Local(15, 23, 59), ["dueSoon:3", "dueSoon:1", "dueToday"]));
        var overdue = Assert.Single(Steps(Local(16, 0), ["dueSoon:3", "dueSoon:1", "dueToday"]));
        Assert.Equal((CampaignReminderRule.Overdue, NotificationKind.CampaignOverdue, EscalationLevel.Owner, Local(16, 0)),
            (overdue.Step, overdue.Kind, overdue.Level, overdue.At));
    }

    [Fact]
    public void A_missed_state_is_collapsed_into_the_current_one_and_a_later_one_made_keeps_it_quiet()
    {
        // Published (or woken) on the day before: "due in 1 day", never the stale "due in 3 days".
        Assert.Equal("dueSoon:1", Assert.Single(Steps(Local(14, 10))).Step);
        // The clock set back after due today was made: nothing.
        Assert.Empty(Steps(Local(14, 10), ["dueToday"]));
    }

    [Fact]
    public void The_ladder_climbs_to_the_lead_and_the_secretariat_and_a_late_tick_climbs_every_rung_lowest_first()
    {
        var made = new[] { "dueSoon:3", "dueSoon:1", "dueToday", "overdue" };
        Assert.Empty(Steps(Local(18, 0).Minus(Duration.FromMinutes(1)), made));
        var lead = Assert.Single(Steps(Local(18, 0), made));
        Assert.Equal((CampaignReminderRule.Lead, NotificationKind.CampaignEscalated, EscalationLevel.Lead, (int?)2), (lead.Step, lead.Kind, lead.Level, lead.DaysOverdue));

        // A silo down from before the deadline until after the last rung: all three, in order.
        var late = Steps(Local(22, 12), ["dueSoon:3"]);
        Assert.Equal(["overdue", "lead", "secretariat"], late.Select(s => s.Step));
        Assert.Equal([Local(16, 0), Local(18, 0), Local(21, 0)], late.Select(s => s.At));
        Assert.Equal((int?)5, late[2].DaysOverdue);
        Assert.Empty(Steps(Local(30, 12), ["overdue", "lead", "secretariat"]));
        Assert.Null(CampaignReminderRule.NextChange(Due, Ladder, June15, null, new HashSet<string> { "overdue", "lead", "secretariat" }, Local(30, 12)));
    }

    [Fact]
    public void A_submission_returned_after_the_deadline_is_overdue_from_its_return_and_climbs_from_there()
    {
        var returned = Local(17, 15);
        Assert.Equal(returned, CampaignReminderRule.OverdueSince(Due, June15, returned));
        var step = Assert.Single(Steps(Local(17, 15), reopenedAt: returned));
        Assert.Equal((CampaignReminderRule.Overdue, returned), (step.Step, step.At));
        // The lead hears it two days after the return, not at once.
        Assert.Empty(Steps(Local(18, 12), ["overdue"], returned));
        Assert.Equal(returned + Duration.FromDays(2), CampaignReminderRule.NextChange(Due, Ladder, June15, returned, new HashSet<string> { "overdue" }, Local(18, 12)));
    }

    [Fact]
    public void A_submission_returned_before_the_deadline_follows_the_deadline()
    {
        Assert.Equal(June15.DueInstant(Shanghai), CampaignReminderRule.OverdueSince(Due, June15, Local(13, 10)));
        Assert.Equal("dueSoon:1", Assert.Single(Steps(Local(14, 10), reopenedAt: Local(13, 10))).Step);
    }

    [Fact]
    public void A_timed_deadline_is_due_today_from_09_00_and_overdue_at_its_time()
    {
        var at17 = new Deadline(new LocalDate(2020, 6, 15), new LocalTime(17, 0));
        Assert.Equal("dueToday", Assert.Single(Steps(Local(15, 9), deadline: at17)).Step);
        Assert.Equal("overdue", Assert.Single(Steps(Local(15, 17), ["dueToday"], deadline: at17)).Step);
    }

    [Fact]
    public void A_cycle_is_the_deadline_and_the_hand_ins_so_a_moved_deadline_or_a_return_starts_afresh()
    {
        Assert.Equal("2020-06-15#0", CampaignReminderRule.Cycle(June15, 0));
        Assert.Equal("2020-06-15 17:00#2", CampaignReminderRule.Cycle(June15 with { Time = new LocalTime(17, 0) }, 2));
        Assert.NotEqual(CampaignReminderRule.Cycle(June15, 0), CampaignReminderRule.Cycle(June15, 1));
    }

    [Fact]
    public void The_texts_name_the_unit_and_the_campaign_in_Chinese_and_English()
    {
        var unit = UnitNames.Text(OwningUnit.County("pingyang"), "平阳县");
        var text = NotificationTexts.CampaignReminder(NotificationKind.CampaignDueSoon, unit, "关于开展2020年全国科技工作者日活动的通知", June15, null, false, false);
        Assert.Equal("材料报送提醒：平阳县，「关于开展2020年全国科技工作者日活动的通知」要求的材料将于6月15日截止，尚未提交。", text.Zh);
        Assert.Equal("Submission reminder: 平阳县 (Pingyang), the material for \"关于开展2020年全国科技工作者日活动的通知\" is due 15 June and has not been handed in.", text.En);
        var returned = NotificationTexts.CampaignReminder(NotificationKind.CampaignOverdue, unit, "周报", June15 with { Time = new LocalTime(17, 0) }, null, true, true);
        Assert.Contains("已于6月15日17:00截止，材料已退回修改，尚未重新提交", returned.Zh);
        var lead = NotificationTexts.CampaignEscalation(EscalationLevel.Lead, unit, "周报", June15, 2, "lead-pingyang");
        Assert.Equal("督办：平阳县未提交「周报」要求的材料，已逾期2天（截止6月15日），请负责人lead-pingyang督促报送。", lead.Zh);
    }
}
