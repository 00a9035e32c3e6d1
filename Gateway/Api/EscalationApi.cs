using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Idempotency;
using Summit.Data.Idempotency;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Notifications;
using Summit.Rules;

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
        var entries = await grains.GetGrain<IEscalationGrain>(summit).GetRedList();
        var tasks = await Task.WhenAll(entries.Select(e => grains.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(summit, e.TaskId)).Get()));
        var now = clock.GetCurrentInstant();
        var items = entries.Zip(tasks)
            // The ladder drops closed or rescheduled tasks at its next tick; the list never shows them meanwhile.
            .Where(p => p.Second is { IsOpen: true } task && task.Due == p.First.Due)
            .Where(p => SummitAccess.Allows(actor, Access.Read, ResourceScope.Of(p.Second!)))
            .Select(p => new RedListItem(
                p.First.TaskId, p.Second!.Title, p.Second.Owner, p.Second.Assignee, p.First.Due, p.First.OverdueSince,
                (int)Math.Floor((now - p.First.OverdueSince).TotalDays), p.First.ListedAt, p.Second.Status, p.Second.PercentComplete))
            .ToArray();
        return TypedResults.Ok(Paging.Page(items, page.Offset, page.Limit));
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
        if (!SummitAccess.MayConfigureEscalation(actor))
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
