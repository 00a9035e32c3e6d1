using Summit.Data.Planning;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/baseline</c>: the plan baseline, the tasks' planned start, due date and length as the
/// secretariat approved them, so the plan as approved can be set against the plan as it stands (the Gantt chart, a
/// task's page). Approving again replaces the baseline and keeps the earlier approval in its history.
/// </summary>
public static class BaselineApi
{
    public static RouteGroupBuilder MapBaselineApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/baseline").WithTags("Baseline");
        group.MapGet("/", Get)
            .Describe("GetBaseline", "The plan baseline in force: version, when and by whom it was approved, how many tasks it holds.",
                "approved is false (version 0) until the secretariat first approves one.")
            .Produces<BaselineResource>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Approve)
            .Describe("ApproveBaseline", "Approves the tasks' planned dates as they stand as the plan baseline (secretariat).",
                "Holds every task that is neither archived nor cancelled. While a baseline is in force, approving again needs " +
                "replace: true and a note; If-Match may name the version in force. The approval, its task rows and the " +
                "Idempotency-Key's record commit together.")
            .Updates<BaselineResource>();
        group.MapGet("/history", History)
            .Describe("ListBaselineApprovals", "Every approval of the baseline, newest first.").ReadsList<BaselineApprovalResource>();
        group.MapGet("/tasks", Tasks)
            .Describe("ListBaselineTasks", "The baseline's tasks the caller may read, in id order.").ReadsList<BaselineTaskResource>();
        group.MapGet("/tasks/{id}", OneTask)
            .Describe("GetBaselineTask", "One task's planned dates as the baseline approved them; 404 when the baseline does not hold it.")
            .Produces<BaselineTaskResource>().ProducesProblem(StatusCodes.Status404NotFound);
        return summit;
    }

    private static async Task<IResult> Get(string summit, HttpContext http, IGrainFactory grains, IBaselineStore store, CancellationToken cancellationToken)
    {
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        return Versioned(http, BaselineResource.From(await store.CurrentAsync(summit, cancellationToken)));
    }

    private static async Task<IResult> History(
        string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, IBaselineStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        var (items, total) = await store.HistoryAsync(summit, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new ListResponse<BaselineApprovalResource>([.. items.Select(BaselineApprovalResource.From)], total));
    }

    private static async Task<IResult> Tasks(
        string summit, [AsParameters] PageQuery page, [FromQuery, Description("Only this task's row (none when the baseline does not hold it).")] string? task, HttpContext http, IGrainFactory grains, IBaselineStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        if (task is not null) errors.Code("task", task);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var owners = AccessRules.ReadableTaskOwners(actor, [.. (await store.OwnersAsync(summit, cancellationToken)).Select(TaskListQuery.ParseOwnerKey).OfType<OwningUnit>()]);
        var (items, total) = await store.TasksAsync(summit, owners?.Select(TaskListQuery.OwnerKey).ToArray(), page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, task, cancellationToken);
        return TypedResults.Ok(new ListResponse<BaselineTaskResource>([.. items.Select(BaselineTaskResource.From)], total));
    }

    private static async Task<IResult> OneTask(
        string summit, string id, HttpContext http, IGrainFactory grains, IBaselineStore store, CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var row = FieldErrors.IsCode(id) ? await store.TaskAsync(summit, id, cancellationToken) : null;
        // A task the caller may not read is as absent as one the baseline does not hold.
        if (row is null || TaskListQuery.ParseOwnerKey(row.Owner) is not { } owner
            || !AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: owner)))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.",
                detail: $"The plan baseline holds no task '{QueryValues.Printable(id)}'.");
        return TypedResults.Ok(BaselineTaskResource.From(row));
    }

    private static async Task<IResult> Approve(
        string summit, BaselineInput? body, HttpContext http, IGrainFactory grains, IBaselineStore store, IClock clock, CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!AccessRules.MayApproveBaseline(actor))
            throw new AccessRefusedException(EntityKind.Summit, summit, visible: true, $"A {Names.Role(actor.Role)} account may not approve the plan baseline.");
        var condition = Preconditions.IfMatch(http.Request);
        var note = string.IsNullOrWhiteSpace(body?.Note) ? null : body.Note.Trim();
        var current = await store.CurrentAsync(summit, cancellationToken);
        var mark = IdempotencyContext.Outgoing;
        if (mark is { Replay: true })
            // This very request was applied before and its answer lost: answer with the baseline in force, write nothing.
            return Versioned(http, BaselineResource.From(current));

        var errors = new FieldErrors();
        errors.MaxLength("note", note, MaxNote, multiline: true);
        if (current is not null && body?.Replace != true)
            errors.Add("replace", $"must be true to approve the plan again: baseline version {current.Version} is in force.");
        else if (current is not null && note is null)
            errors.Add("note", "is required to approve the plan again: say why it changed.");
        errors.ThrowIfAny();

        var version = current?.Version ?? 0;
        if (condition is { Any: false } && !condition.Matches(version))
            throw new VersionConflictException(EntityKind.Summit, summit, condition.Named, version);

        var (outcome, approval) = await store.ApproveAsync(
            summit, version, clock.GetCurrentInstant(), actor.Account, Names.Role(actor.Role), actor.Unit, note, mark, cancellationToken);
        return outcome switch
        {
            BaselineOutcome.Approved => Versioned(http, BaselineResource.From(approval)),
            BaselineOutcome.AlreadyApplied => Versioned(http, BaselineResource.From(await store.CurrentAsync(summit, cancellationToken))),
            _ => throw new VersionConflictException(EntityKind.Summit, summit, version,
                (await store.CurrentAsync(summit, cancellationToken))?.Version ?? 0),
        };
    }

    public const int MaxNote = 500;

    private static IResult Versioned(HttpContext http, BaselineResource body) => Responses.Entity(http, body, body.Version);
}
