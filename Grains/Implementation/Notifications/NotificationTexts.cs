using System.Globalization;
using System.Text.RegularExpressions;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Notifications;

/// <summary>The wording of notifications, in Chinese first (what the units read) and English.</summary>
public static partial class NotificationTexts
{
    public static LocalizedText DueSoon(PreparationTask task, int? leadDays) => new(
        $"任务「{task.Title}」将于{Due(task.Due)}到期{(leadDays is { } d ? $"（还有{d}天）" : "")}，请按时完成。",
        $"Task \"{task.Title}\" is due {Due(task.Due)}{(leadDays is { } e ? $" ({Count(e, "day")} left)" : "")}.");

    public static LocalizedText DueToday(PreparationTask task) => new(
        $"任务「{task.Title}」今天到期（{Due(task.Due)}），请今日内完成。",
        $"Task \"{task.Title}\" is due today ({Due(task.Due)}).");

    /// <param name="owner">The owning unit's name (<see cref="UnitNames"/>).</param>
    public static LocalizedText Overdue(string title, Deadline due, LocalizedText owner) => new(
        $"任务「{title}」已逾期（截止{Due(due)}，责任单位：{owner.Zh}），请立即处理。",
        $"Task \"{title}\" is overdue (due {Due(due)}, owner {owner.En}); please act now.");

    public static LocalizedText LeadEscalation(string title, Deadline due, LocalizedText owner, int days, string? lead) => new(
        $"督办：{owner.Zh}的任务「{title}」已逾期{days}天（截止{Due(due)}），请{(lead is null ? "单位负责人" : $"负责人{lead}")}督促落实。",
        string.Create(CultureInfo.InvariantCulture,
            $"Escalation: task \"{title}\" of {owner.En} is {Count(days, "day")} overdue (due {Due(due)}); {(lead is null ? "the unit's lead" : $"lead {lead}")} please follow up."));

    public static LocalizedText SecretariatEscalation(string title, Deadline due, LocalizedText owner, int days) => new(
        $"红色预警：{owner.Zh}的任务「{title}」已逾期{days}天（截止{Due(due)}），已列入领导红色清单，请秘书处协调。",
        string.Create(CultureInfo.InvariantCulture,
            $"Red alert: task \"{title}\" of {owner.En} is {Count(days, "day")} overdue (due {Due(due)}) and is now on the leaders' red list."));

    public static LocalizedText ModeSwitched(
        SummitMode from, SummitMode to, string reason, int activated, int setAside, int forumsActivated, int forumsSetAside,
        int subEventsActivated = 0, int subEventsSetAside = 0) => new(
        $"峰会由{Zh(from)}预案切换为{Zh(to)}预案：{reason}。恢复{activated}项任务，搁置{setAside}项任务"
            + (forumsActivated + forumsSetAside > 0 ? $"；恢复{forumsActivated}个子论坛，搁置{forumsSetAside}个" : "")
            + (subEventsActivated + subEventsSetAside > 0 ? $"；恢复{subEventsActivated}项分会场活动，搁置{subEventsSetAside}项" : "")
            + "。",
        string.Create(CultureInfo.InvariantCulture,
            $"The summit switched from the {Render.Camel(from)} plan to the {Render.Camel(to)} plan: {reason}. {Count(activated, "task")} restored, {setAside} set aside")
            + (forumsActivated + forumsSetAside > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {Count(forumsActivated, "sub-forum")} restored, {forumsSetAside} set aside")
                : "")
            + (subEventsActivated + subEventsSetAside > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {Count(subEventsActivated, "county sub-event")} restored, {subEventsSetAside} set aside")
                : "")
            + ".");

    /// <summary>
    /// A unit was mentioned in a comment: who commented (their unit's name, or the secretariat or a leader), on which task,
    /// and the comment's opening words.
    /// </summary>
    /// <param name="role">The commenter's role.</param>
    /// <param name="unitName">The name of the commenter's county or university (平阳县); null for other roles.</param>
    public static LocalizedText Mentioned(Role role, string? unitName, string taskTitle, string text)
    {
        var (zh, en) = role switch
        {
            Role.Secretariat => ("峰会秘书处", "The summit secretariat"),
            Role.Leader => ("峰会领导", "A summit leader"),
            Role.County or Role.University or Role.Organization when unitName is not null => (unitName, unitName),
            Role.System => ("系统", "The system"),
            _ => ("有人", "Someone"),
        };
        var excerpt = Excerpt(text);
        return new LocalizedText(
            $"{zh}在任务「{taskTitle}」的评论中提到了您的单位：“{excerpt}”",
            $"{en} mentioned your unit in a comment on task \"{taskTitle}\": \"{excerpt}\"");
    }

    /// <summary>The first 60 characters of a comment on one line.</summary>
    private static string Excerpt(string text)
    {
        var line = string.Join(' ', text.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 60 ? line : string.Concat(line.AsSpan(0, 59), "…");
    }

    /// <summary>
    /// A unit has not handed in its submission to a campaign: due soon (<paramref name="leadDays"/> ahead), due today,
    /// overdue, or 催报 (<paramref name="nudged"/>). <paramref name="returned"/>: its submission was returned and not yet
    /// handed in again.
    /// </summary>
    public static LocalizedText CampaignReminder(
        NotificationKind kind, LocalizedText unit, string title, Deadline deadline, int? leadDays, bool returned, bool overdue)
    {
        var pendingZh = returned ? "材料已退回修改，尚未重新提交" : "尚未提交";
        var pendingEn = returned ? "was returned for revision and has not been handed in again" : "has not been handed in";
        var (zh, en) = kind switch
        {
            NotificationKind.CampaignDueSoon => (
                $"材料报送提醒：{unit.Zh}，「{title}」要求的材料将于{ZhDate(deadline)}截止{(leadDays is { } d ? $"（还有{d}天）" : "")}，{pendingZh}。",
                $"Submission reminder: {unit.En}, the material for \"{title}\" is due {EnDate(deadline)}{(leadDays is { } e ? $" ({Count(e, "day")} left)" : "")} and {pendingEn}."),
            NotificationKind.CampaignDueToday => (
                $"材料报送提醒：{unit.Zh}，「{title}」要求的材料今天（{ZhDate(deadline)}）截止，{pendingZh}，请今日内提交。",
                $"Submission reminder: {unit.En}, the material for \"{title}\" is due today ({EnDate(deadline)}) and {pendingEn}."),
            NotificationKind.CampaignNudged when !overdue => (
                $"催报：{unit.Zh}，「{title}」要求的材料将于{ZhDate(deadline)}截止，{pendingZh}，请尽快提交。",
                $"Reminder from the secretariat: {unit.En}, the material for \"{title}\" is due {EnDate(deadline)} and {pendingEn}; please hand it in soon."),
            NotificationKind.CampaignNudged => (
                $"催报：{unit.Zh}，「{title}」要求的材料已于{ZhDate(deadline)}截止，{pendingZh}，请尽快提交。",
                $"Reminder from the secretariat: {unit.En}, the material for \"{title}\" was due {EnDate(deadline)} and {pendingEn}; please hand it in now."),
            _ => (
                $"材料报送逾期：{unit.Zh}，「{title}」要求的材料已于{ZhDate(deadline)}截止，{pendingZh}，请立即提交。",
                $"Submission overdue: {unit.En}, the material for \"{title}\" was due {EnDate(deadline)} and {pendingEn}; please hand it in now."),
        };
        return new LocalizedText(zh, en);
    }

    /// <summary>A unit's missing submission climbed to its lead or to the secretariat, <paramref name="days"/> after the deadline.</summary>
    public static LocalizedText CampaignEscalation(EscalationLevel level, LocalizedText unit, string title, Deadline deadline, int days, string? lead) =>
        level == EscalationLevel.Lead
            ? new LocalizedText(
                $"督办：{unit.Zh}未提交「{title}」要求的材料，已逾期{days}天（截止{ZhDate(deadline)}），请{(lead is null ? "单位负责人" : $"负责人{lead}")}督促报送。",
                string.Create(CultureInfo.InvariantCulture,
                    $"Escalation: {unit.En} has not handed in the material for \"{title}\", {Count(days, "day")} overdue (due {EnDate(deadline)}); {(lead is null ? "the unit's lead" : $"lead {lead}")} please follow up."))
            : new LocalizedText(
                $"红色预警：{unit.Zh}未提交「{title}」要求的材料，已逾期{days}天（截止{ZhDate(deadline)}），请秘书处协调催报。",
                string.Create(CultureInfo.InvariantCulture,
                    $"Red alert: {unit.En} has not handed in the material for \"{title}\", {Count(days, "day")} overdue (due {EnDate(deadline)}); the secretariat please follow up."));

    /// <summary>6月15日, or 6月15日17:00 for a deadline with a time.</summary>
    public static string ZhDate(Deadline deadline) =>
        $"{deadline.Date.Month}月{deadline.Date.Day}日" + (deadline.Time is { } t ? Render.Time(t) : "");

    /// <summary>15 June, or 15 June 17:00 for a deadline with a time.</summary>
    public static string EnDate(Deadline deadline) =>
        deadline.Date.ToString("d MMMM", CultureInfo.InvariantCulture) + (deadline.Time is { } t ? " " + Render.Time(t) : "");

    /// <summary>Whether a free-text name (an assignee, a county's lead) is also a well-formed account username.</summary>
    public static bool LooksLikeUsername(string? name) => name is not null && UsernamePattern().IsMatch(name);

    private static string Due(Deadline due) => Render.Deadline(due)!;

    /// <summary>An English count with its noun: "1 day", "3 days", "0 tasks".</summary>
    public static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    private static string Zh(SummitMode mode) => mode switch
    {
        SummitMode.Offline => "线下",
        SummitMode.Online => "线上",
        _ => "线上线下结合",
    };

    // The Gateway's account rule: lower-case letters, digits, and . _ @ - after the first character.
    // \z, not $: $ also matches before a final line break.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._@-]{0,63}\z")]
    private static partial Regex UsernamePattern();
}
