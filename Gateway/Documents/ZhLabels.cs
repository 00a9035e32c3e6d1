using Summit.Domain;
using Summit.Storage;

namespace Summit.Gateway.Documents;

/// <summary>
/// The Chinese words documents, feeds and exported sheets use for the platform's values (the dashboard's zh-CN labels,
/// <c>Dashboard/src/i18n.ts</c>, say the same).
/// </summary>
public static class ZhLabels
{
    public static string Of(WorkStatus status) => status switch
    {
        WorkStatus.NotStarted => "未开始",
        WorkStatus.InProgress => "进行中",
        WorkStatus.Blocked => "受阻",
        WorkStatus.Done => "已完成",
        WorkStatus.Cancelled => "已取消",
        _ => status.ToString(),
    };

    public static string Of(TaskCategory category) => category switch
    {
        TaskCategory.Approval => "报批",
        TaskCategory.Plan => "方案",
        TaskCategory.Organisation => "组织架构",
        TaskCategory.Budget => "预算",
        TaskCategory.Logistics => "会务保障",
        TaskCategory.Office => "集中办公",
        TaskCategory.Venue => "会场",
        TaskCategory.Publicity => "宣传",
        TaskCategory.EpidemicPrevention => "疫情防控",
        TaskCategory.Contingency => "预案",
        TaskCategory.Partnership => "对接",
        TaskCategory.Awards => "专项奖",
        TaskCategory.Policy => "专项政策",
        _ => category.ToString(),
    };

    public static string Of(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Draft => "草稿",
        SubmissionStatus.Submitted => "已报送",
        SubmissionStatus.Returned => "已退回",
        _ => "已采纳",
    };

    public static string Of(BoardStatus status) => status switch
    {
        BoardStatus.NotStarted => "未开始",
        BoardStatus.Draft => "草稿",
        BoardStatus.Submitted => "已报送",
        BoardStatus.Returned => "已退回",
        _ => "已采纳",
    };

    public static string Of(UnitKind kind) => kind switch
    {
        UnitKind.County => "县（市、区）",
        UnitKind.University => "高校",
        UnitKind.Organization => "下属单位",
        _ => "秘书处部门",
    };

    public static string Of(SummitMode mode) => mode switch
    {
        SummitMode.Offline => "线下",
        SummitMode.Online => "线上",
        _ => "线上线下结合",
    };

    public static string Of(ProjectStage stage) => stage switch
    {
        ProjectStage.Identified => "已识别",
        ProjectStage.Matched => "已对接",
        ProjectStage.Negotiating => "洽谈中",
        ProjectStage.ReadyToSign => "待签约",
        ProjectStage.Signed => "已签约",
        _ => "已落地",
    };

    public static string Of(SubEventStatus status) => status switch
    {
        SubEventStatus.Planned => "筹划中",
        SubEventStatus.Preparing => "筹备中",
        SubEventStatus.Ready => "已就绪",
        SubEventStatus.Held => "已举办",
        _ => "已取消",
    };

    public static string Of(ChecklistItem item) => item switch
    {
        ChecklistItem.Venue => "场地",
        ChecklistItem.Programme => "议程",
        ChecklistItem.Guests => "嘉宾邀请",
        ChecklistItem.EpidemicPrevention => "疫情防控",
        ChecklistItem.Publicity => "宣传",
        _ => "会务保障",
    };

    public static string Of(ChecklistState state) => state switch
    {
        ChecklistState.Open => "未开始",
        ChecklistState.InProgress => "进行中",
        _ => "已完成",
    };

    /// <summary>A standing against the plan (<c>PlanStanding.Status</c>): onTrack, behind, farBehind, noTasks.</summary>
    public static string OfStanding(string status) => status switch
    {
        "onTrack" => "按计划",
        "behind" => "落后",
        "farBehind" => "严重落后",
        "noTasks" => "无任务",
        _ => status,
    };

    public static string YesNo(bool value) => value ? "是" : "否";
}
