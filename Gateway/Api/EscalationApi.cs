using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Idempotency;
using Summit.Data.Idempotency;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Notifications;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary><c>/api/summits/{summit}/red-list</c> and <c>/api/summits/{summit}/escalation</c> (the ladder's settings).</summary>
public static class EscalationApi
{
    public static void Map(RouteGroupBuilder summit)
    {
        summit.MapGet("/red-list", RedList).WithTags("Escalation")
            .Describe("GetRedList", "The leaders' red list: open tasks overdue past the ladder's last rung, longest overdue first.",
                "Leaders and the secretariat see every entry; county and university accounts those of their own tasks.")
            .ReadsList<RedListItem>();
        summit.MapGet("/escalation", GetLadder).WithTags("Escalation")
            .Describe("GetEscalationLadder", "The summit's escalation ladder.")
            .Produces<EscalationLadder>().ProducesProblem(StatusCodes.Status404NotFound);
        summit.MapPut("/escalation", SetLadder).WithTags("Escalation")
            .Describe("SetEscalationLadder", "Sets the escalation ladder (secretariat). Rungs already climbed stay climbed.")
            .Produces<EscalationLadder>().WritesSettings();
    }

    private static async Task<IResult> RedList(string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, IClock clock)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        // Which owners' entries the caller may read is the access rules' call, as for the task list; the page is cut in SQL.
        var owners = await http.RequestServices.GetRequiredService<IEntityQueries>().ListTaskOwnersAsync(summit, http.RequestAborted);
        var readable = AccessRules.ReadableTaskOwners(actor, owners);
        var offset = page.Offset ?? 0;
        var limit = page.Limit ?? Paging.DefaultLimit;
        var result = readable is { Count: 0 }
            ? new RedListPage([], 0)
            : await grains.GetGrain<IEscalationGrain>(summit).GetRedListPage(readable, offset, limit);
        var now = clock.GetCurrentInstant();
        var items = result.Items
            .Select(i => new RedListItem(
                i.Entry.TaskId, i.Task.Title, i.Task.Owner, i.Task.Assignee, i.Entry.Due, i.Entry.OverdueSince,
                (int)Math.Floor((now - i.Entry.OverdueSince).TotalDays), i.Entry.ListedAt, i.Task.Status, i.Task.PercentComplete))
            .ToArray();
        return TypedResults.Ok(new ListResponse<RedListItem>(items, result.Total));
    }

    private static async Task<IResult> GetLadder(string summit, HttpContext http, IGrainFactory grains)
    {
        await Guard.ReadSummitAsync(grains, summit, http.User.ToActor());
        return TypedResults.Ok(await grains.GetGrain<IEscalationGrain>(summit).GetLadder());
    }

    private static async Task<IResult> SetLadder(string summit, EscalationLadderInput body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!AccessRules.MayConfigureEscalation(actor))
            throw new AccessRefusedException(EntityKind.Summit, summit, visible: true, $"A {Names.Role(actor.Role)} account may not change the escalation ladder.");
        var errors = new FieldErrors();
        var ladder = body.ToDomain(errors);
        errors.ThrowIfAny();
        var grain = grains.GetGrain<IEscalationGrain>(summit);
        await grain.SetLadder(ladder, actor);
        return TypedResults.Ok(await grain.GetLadder());
    }

    /// <summary>A settings write: refusals, validation, and Idempotency-Key (no versions, so no If-Match).</summary>
    internal static RouteHandlerBuilder WritesSettings(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .WithMetadata(new IdempotentWriteMetadata());
}
