using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Data.Planning;

namespace Summit.Gateway.Api.Contracts;

/// <summary><c>GET /api/summits/{summit}/baseline</c>: the plan baseline in force, or <c>approved: false</c> before the first approval.</summary>
public sealed record BaselineResource(
    [property: Description("A baseline has been approved.")] bool Approved,
    [property: Description("The baseline's version: 1 for the first approval, 0 when none; also its ETag.")] int Version,
    [property: Description("When it was approved; absent when none.")] Instant? ApprovedAt,
    [property: Description("The account that approved it.")] string? ApprovedBy,
    [property: Description("Why it was approved (again).")] string? Note,
    [property: Description("How many tasks it holds: every task that was neither archived nor cancelled.")] int TaskCount)
{
    public static BaselineResource From(BaselineApproval? approval) => approval is null
        ? new(false, 0, null, null, null, 0)
        : new(true, approval.Version, approval.ApprovedAt, approval.Account, approval.Note, approval.TaskCount);
}

/// <summary>One approval in the baseline's history.</summary>
public sealed record BaselineApprovalResource(int Version, Instant ApprovedAt, string ApprovedBy, string Role, string? Unit, string? Note, int TaskCount)
{
    public static BaselineApprovalResource From(BaselineApproval a) => new(a.Version, a.ApprovedAt, a.Account, a.Role, a.Unit, a.Note, a.TaskCount);
}

/// <summary>A task's planned dates as the baseline in force approved them.</summary>
public sealed record BaselineTaskResource(
    string Task,
    [property: Description("The owning unit, county:pingyang.")] string Owner,
    [property: Description("The planned start as approved; absent when it had none.")] LocalDate? Start,
    [property: Description("The due date as approved.")] LocalDate DueDate,
    [property: Description("The planned length in working days as approved; absent when it had none.")] int? DurationDays,
    bool Milestone)
{
    public static BaselineTaskResource From(BaselineTask t) => new(t.TaskId, t.Owner, t.Start, t.Due, t.DurationDays, t.Milestone);
}

/// <summary><c>POST /api/summits/{summit}/baseline</c>: approve the tasks' planned dates as they stand.</summary>
/// <param name="Replace">Must be true to approve again while a baseline is in force (the earlier one stays in the history).</param>
/// <param name="Note">Why; required when approving again, at most 500 characters.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BaselineInput(bool? Replace, string? Note);
