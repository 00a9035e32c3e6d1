using Summit.Data.Comments;
using NodaTime;
using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/tasks/{id}/comments</c>: comments on a task, threaded one level deep, with mentions of units.
/// Whoever may read the task may read and write them (<see cref="AccessRules.EnsureComment"/>). A comment and its
/// Idempotency-Key commit in one transaction (<see cref="ITaskCommentStore"/>); the mentioned units are notified after
/// the commit by the silos' mention dispatcher, never on the request path.
/// </summary>
public static class CommentsApi
{
    public const int MaxText = 2000;
    public const int MaxMentions = 20;

    private static readonly SummitEntityEndpoints<IPreparationTaskGrain, PreparationTask> Tasks =
        new(EntityKind.Task, grain => grain.Get(), task => task.Version, ResourceScope.Of);

    public static RouteGroupBuilder MapTaskCommentsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/tasks/{id}/comments").WithTags("Tasks");
        group.MapGet("/", List).Describe("ListTaskComments", "Lists a task's comments, oldest first, each reply right after the comment it answers.",
            "Whoever may read the task may read its comments. total counts every comment of the task.").ReadsList<CommentResource>();
        group.MapGet("/{comment}", Get).Describe("GetTaskComment", "Reads one comment of a task.")
            .Produces<CommentResource>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Add).Describe("AddTaskComment", "Comments on a task, or replies to a comment, mentioning units to notify.",
                "Whoever may read the task may comment. A reply names its parent, a comment of the same task that is not itself a reply. " +
                "Each mentioned unit (at most 20, each one that may read the task) gets a notification of kind mentioned once the comment is stored.")
            .Creates<CommentResource>();
        return group;
    }

    private static async Task<IResult> List(string summit, string id, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, ITaskCommentStore comments)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var task = await ReadTaskAsync(grains, summit, id, http.User.ToActor());
        var (items, total) = await comments.PageAsync(summit, task.Id, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, http.RequestAborted);
        return TypedResults.Ok(new ListResponse<CommentResource>(items.Select(CommentResource.From).ToArray(), total));
    }

    private static async Task<IResult> Get(string summit, string id, string comment, HttpContext http, IGrainFactory grains, ITaskCommentStore comments)
    {
        var task = await ReadTaskAsync(grains, summit, id, http.User.ToActor());
        var found = FieldErrors.IsCode(comment) ? await comments.GetAsync(summit, task.Id, comment, http.RequestAborted) : null;
        return found is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No comment '{comment}'.")
            : TypedResults.Ok(CommentResource.From(found));
    }

    private static async Task<IResult> Add(
        string summit, string id, CommentInput body, HttpContext http, IGrainFactory grains, ITaskCommentStore comments, IClock clock)
    {
        var actor = http.User.ToActor();
        var task = await ReadTaskAsync(grains, summit, id, actor);
        var errors = new FieldErrors();
        var text = Text(errors, body.Text);
        var parent = await ParentAsync(errors, comments, summit, task, body.Parent, http.RequestAborted);
        var mentions = await MentionsAsync(errors, grains, http.RequestServices.GetRequiredService<IEntityQueries>(), summit, task, body.Mentions, http.RequestAborted);
        errors.ThrowIfAny();

        var comment = new TaskComment(summit, task.Id, $"c-{Guid.NewGuid():N}"[..18], parent, actor.Account, actor.Role, UnitOf(actor),
            text!, mentions, clock.GetCurrentInstant());
        var stored = await comments.AddAsync(comment, IdempotencyContext.Outgoing, http.RequestAborted);
        return TypedResults.Created($"/api/summits/{summit}/tasks/{task.Id}/comments/{stored.Id}", CommentResource.From(stored));
    }

    /// <summary>The task, if the summit and the task exist and the actor may comment on it; else 404.</summary>
    private static async Task<PreparationTask> ReadTaskAsync(IGrainFactory grains, string summit, string id, Actor actor)
    {
        var (task, _, _) = await Tasks.ReadInSummitAsync(grains, summit, id, actor);
        AccessRules.EnsureComment(actor, task);
        return task;
    }

    /// <summary>The text without surrounding white space: 1-2000 characters, line breaks and tabs allowed, no other control character, whole characters only.</summary>
    private static string? Text(FieldErrors errors, string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add("text", "is required.");
        else if (trimmed.Length > MaxText) errors.Add("text", $"must be 1 to {MaxText} characters.");
        else if (HasLoneSurrogate(trimmed)) errors.Add("text", "is not valid text (a lone surrogate).");
        else errors.MaxLength("text", trimmed, MaxText, multiline: true);
        return trimmed;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    /// <summary>A reply's parent: a comment of this task that is not itself a reply.</summary>
    private static async Task<string?> ParentAsync(
        FieldErrors errors, ITaskCommentStore comments, string summit, PreparationTask task, string? parent, CancellationToken cancellationToken)
    {
        if (parent is null) return null;
        var found = FieldErrors.IsCode(parent) ? await comments.GetAsync(summit, task.Id, parent, cancellationToken) : null;
        if (found is null) errors.Add("parent", "is not a comment of this task.");
        else if (found.Parent is not null) errors.Add("parent", "is a reply: replies are one level deep, so answer the comment it replies to.");
        return found?.Id;
    }

    /// <summary>The mentioned units: at most 20, each written once, each a unit of the summit that may read the task.</summary>
    private static async Task<IReadOnlyList<OwningUnit>> MentionsAsync(
        FieldErrors errors, IGrainFactory grains, IEntityQueries store, string summit, PreparationTask task, IReadOnlyList<string>? mentions,
        CancellationToken cancellationToken)
    {
        if (mentions is null || mentions.Count == 0) return [];
        if (mentions.Count > MaxMentions)
        {
            errors.Add("mentions", $"must have at most {MaxMentions} entries.");
            return [];
        }
        var units = new List<OwningUnit>();
        IReadOnlyList<OwningUnit>? owners = null;
        for (var i = 0; i < mentions.Count; i++)
        {
            var field = $"mentions[{i}]";
            var value = mentions[i];
            if (value is null || HasLoneSurrogate(value) || value.Length > 100)
            {
                errors.Add(field, "'…' is not a unit like county:pingyang (kinds: secretariat, county, university).");
                continue;
            }
            var unit = QueryValues.Unit(errors, field, value);
            if (unit is null)
            {
                if (string.IsNullOrWhiteSpace(value)) errors.Add(field, "is required.");
                continue;
            }
            if (units.Contains(unit))
            {
                errors.Add("mentions", $"lists {unit} more than once.");
                continue;
            }
            var known = unit.Kind switch
            {
                UnitKind.County => await grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, unit.Code)).Get() is not null,
                UnitKind.University => await grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, unit.Code)).Get() is not null,
                // Secretariat departments have no register: the summit's departments, and any that owns a task.
                _ => SecretariatDepartments.Find(unit.Code) is not null
                    || (owners ??= await store.ListTaskOwnersAsync(summit, cancellationToken)).Contains(unit),
            };
            if (!known) errors.Add(field, $"'{unit}' is not a unit of this summit.");
            else if (!AccessRules.MayBeMentioned(unit, task)) errors.Add(field, $"'{unit}' may not read this task, so it cannot be mentioned.");
            else units.Add(unit);
        }
        return units;
    }

    private static OwningUnit? UnitOf(Actor actor) => actor switch
    {
        { Role: Role.County, Unit: { } county } => OwningUnit.County(county),
        { Role: Role.University, Unit: { } university } => OwningUnit.University(university),
        _ => null,
    };
}
