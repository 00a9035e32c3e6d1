using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Summit.Data.Accounts;
using Summit.Data.Calendar;
using Summit.Domain;
using Summit.Gateway.Documents;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Idempotency;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// Calendar feeds: <c>/api/summits/{summit}/calendar-feeds</c> creates, lists and revokes the signed-in account's feeds,
/// and <c>/feeds/{secret}.ics</c> serves one to calendar programs without signing in (iCalendar, RFC 5545, written by
/// <see cref="CalendarIcs"/>). A feed holds what its account may read (<see cref="AccessRules"/>), read again on every
/// fetch, so a change to a task or campaign shows at the calendar program's next refresh with the same UID and a higher
/// SEQUENCE.
/// </summary>
/// <remarks>
/// What a feed holds (<see cref="CalendarFeedKind"/>): a <b>unit</b> feed of a county, university or organisation account
/// has its unit's open task deadlines, its unit's milestones (not cancelled, archived or set aside, done or not) and the
/// deadlines of the published or closed campaigns addressed to it (the units' forwards included); the secretariat's and
/// leaders' unit feed has the whole summit's milestones, the open tasks of the secretariat's departments and the
/// deadlines of the notices the secretariat sent. A <b>person</b> feed has the open tasks whose assignee is the account
/// (its username or its display name) and its unit's milestones (the whole summit's for the secretariat and leaders).
/// </remarks>
public static class CalendarFeedsApi
{
    /// <summary>Bytes of a feed's secret.</summary>
    public const int SecretBytes = 32;

    /// <summary>Rows read per query while a feed is written.</summary>
    public const int PageSize = 500;

    /// <summary>At most this many task events in one feed (the nearest deadlines first).</summary>
    public const int MaxTaskEvents = 5000;

    /// <summary>At most this many campaign events in one feed.</summary>
    public const int MaxCampaignEvents = 1000;

    public const string CacheControl = "private, max-age=300";

    private const string NotFoundDetail = "No calendar feed at this address.";

    public static RouteGroupBuilder MapCalendarFeedsApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/calendar-feeds").WithTags("Calendar feeds");
        group.MapPost("/", Create)
            .Describe("CreateCalendarFeed", "Creates a calendar feed of the caller: a secret address of an iCalendar feed to subscribe to.",
                "kind unit: the caller's unit (the secretariat's and leaders': the whole summit's milestones, the secretariat's own tasks " +
                "and the notices it sent); kind person: the open tasks assigned to the caller and its unit's milestones. The answer holds " +
                "the address (url) and its secret once: only their SHA-256 is stored, and a retry with the same Idempotency-Key answers " +
                "the same feed without them. The feed, its audit row and the key's record commit together. Every role but admin.")
            .CreatesSecret<CalendarFeedResource>();
        group.MapGet("/", List)
            .Describe("ListCalendarFeeds", "The caller's active calendar feeds in this summit, newest first (without their secret addresses).")
            .ReadsList<CalendarFeedResource>();
        group.MapDelete("/{id}", Revoke)
            .Describe("RevokeCalendarFeed", "Revokes one of the caller's calendar feeds: its address answers 404 from then on.",
                "Another account's feed, a revoked one and an unknown one answer 404 alike. The revocation, its audit row and the " +
                "Idempotency-Key's record commit together.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new IdempotentWriteMetadata());
        return summit;
    }

    /// <summary>The public address of every feed: no sign-in, rate limited per client address.</summary>
    public static IEndpointRouteBuilder MapCalendarFeedFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/{secret}.ics", Feed)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Feeds)
            .WithTags("Calendar feeds")
            .WithName("GetCalendarFeedFile")
            .WithSummary("A calendar feed as iCalendar (RFC 5545), for calendar programs; no sign-in, the secret in the address is the key.")
            .WithDescription("text/calendar; charset=utf-8 with Cache-Control: private, max-age=300. Date-only deadlines are all-day " +
                "events; deadlines with a time are moments in the summit's zone, with its VTIMEZONE. Each event's UID is stable " +
                "(task-{id}@{summit}, milestone tasks alike, campaign-{id}@{summit}) and its SEQUENCE is the entity's version. An " +
                "unknown or revoked secret, and the feed of a disabled account or of one moved to another unit, answer the same 404.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> Create(
        string summit, CalendarFeedInput? body, HttpContext http, IGrainFactory grains, ICalendarFeedStore store, IClock clock,
        CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        AccessRules.EnsureCalendarFeed(actor, summit);
        var errors = new FieldErrors();
        var kind = KindOf(errors, body?.Kind);
        errors.ThrowIfAny();

        var mark = IdempotencyContext.Outgoing;
        if (mark is { Replay: true })
            return await AppliedAsync(summit, store, mark, cancellationToken);

        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        var feed = new CalendarFeed(summit, Responses.NewId(http, "cf"), actor.Account, kind!.Value,
            actor.OwnUnit is { } unit ? TaskListQuery.OwnerKey(unit) : null, clock.GetCurrentInstant(), null);
        if (await store.CreateAsync(feed, CalendarFeedStores.HashOf(secret), actor.Role, mark, cancellationToken) == CalendarFeedOutcome.AlreadyApplied)
            return await AppliedAsync(summit, store, mark!, cancellationToken);
        var token = Base64Url(secret);
        return TypedResults.Created($"/api/summits/{summit}/calendar-feeds/{feed.Id}",
            CalendarFeedResource.From(feed, AddressOf(http, token), token));
    }

    /// <summary>A keyed create applied before: the same feed, without its secret (which was never stored).</summary>
    private static async Task<IResult> AppliedAsync(string summit, ICalendarFeedStore store, IdempotencyMark mark, CancellationToken cancellationToken)
    {
        var applied = await store.AppliedAsync(summit, mark, cancellationToken)
            ?? throw new RequestAlreadyAppliedException(EntityKind.CalendarFeed, summit);
        return TypedResults.Created($"/api/summits/{summit}/calendar-feeds/{applied.Id}", CalendarFeedResource.From(applied));
    }

    private static async Task<IResult> List(
        string summit, [AsParameters] PageQuery page, HttpContext http, IGrainFactory grains, ICalendarFeedStore store, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page.Offset, page.Limit);
        errors.ThrowIfAny();
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        AccessRules.EnsureCalendarFeed(actor, summit);
        var (items, total) = await store.ListAsync(summit, actor.Account, page.Offset ?? 0, page.Limit ?? Paging.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new ListResponse<CalendarFeedResource>([.. items.Select(f => CalendarFeedResource.From(f))], total));
    }

    private static async Task<IResult> Revoke(
        string summit, string id, HttpContext http, IGrainFactory grains, ICalendarFeedStore store, IClock clock, CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        AccessRules.EnsureCalendarFeed(actor, summit);
        if (!FieldErrors.IsCode(id)) throw new EntityNotFoundException(EntityKind.CalendarFeed, QueryValues.Printable(id));
        var mark = IdempotencyContext.Outgoing;
        if (mark is { Replay: true }) return TypedResults.NoContent();
        var (outcome, _) = await store.RevokeAsync(summit, id, actor.Account, actor.Role,
            actor.OwnUnit is { } unit ? TaskListQuery.OwnerKey(unit) : null, clock.GetCurrentInstant(), mark, cancellationToken);
        return outcome == CalendarFeedOutcome.NotFound
            ? throw new EntityNotFoundException(EntityKind.CalendarFeed, id)
            : TypedResults.NoContent();
    }

    private static async Task<IResult> Feed(
        string secret, HttpContext http, ICalendarFeedStore store, IAccountStore accounts, IGrainFactory grains, IEntityQueries queries,
        CancellationToken cancellationToken)
    {
        // Every way of not finding a feed answers alike, so an address tells nothing but that it is not (or no longer) valid.
        if (DecodeSecret(secret) is not { } bytes) return NotFound();
        var feed = await store.FindByTokenAsync(CalendarFeedStores.HashOf(bytes), cancellationToken);
        if (feed is null) return NotFound();
        var stored = await accounts.FindAsync(feed.Account, cancellationToken);
        if (stored?.Account is not { Disabled: false } account) return NotFound();
        var actor = new Actor(account.Username, account.Role, account.Unit);
        var unitKey = actor.OwnUnit is { } own ? TaskListQuery.OwnerKey(own) : null;
        if (!AccessRules.MayHaveCalendarFeed(actor) || unitKey != feed.Unit
            || !AccessRules.Allows(actor, Access.Read, ResourceScope.Summit))
            return NotFound();
        var edition = await grains.GetGrain<ISummitGrain>(feed.Summit).Get();
        if (edition is null) return NotFound();

        var origin = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var events = new List<FeedEvent>();
        await AddTasksAsync(events, TaskQuery(feed, actor, account, await queries.ListTaskOwnersAsync(feed.Summit, cancellationToken)),
            actor, origin, store, cancellationToken);
        if (feed.Kind == CalendarFeedKind.Unit)
        {
            var campaigns = new FeedCampaignQuery(feed.Summit, actor.OwnUnit is { } unit ? [unit] : [], AddressedToAny: actor.OwnUnit is null);
            await AddCampaignsAsync(events, campaigns, actor, origin, store, cancellationToken);
        }

        var name = feed.Kind == CalendarFeedKind.Person
            ? $"{edition.Name} · {(string.IsNullOrWhiteSpace(account.DisplayName) ? account.Username : account.DisplayName)}的任务"
            : actor.OwnUnit is null ? $"{edition.Name} · 全峰会里程碑与秘书处任务" : $"{edition.Name} · 本单位截止日期";
        var text = CalendarIcs.Write(name, edition.Zone, events);
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{feed.Summit}.ics\"";
        return TypedResults.Bytes(Encoding.UTF8.GetBytes(text), CalendarIcs.ContentType);
    }

    /// <summary>Which tasks the feed holds, as the conditions of its query (see the class remarks).</summary>
    public static FeedTaskQuery TaskQuery(CalendarFeed feed, Actor actor, Account account, IReadOnlyCollection<OwningUnit> owners)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(owners);
        var readable = AccessRules.ReadableTaskOwners(actor, owners)?.Select(TaskListQuery.OwnerKey).ToArray();
        var unit = actor.OwnUnit is { } own ? TaskListQuery.OwnerKey(own) : null;
        IReadOnlyList<string>? milestones = unit is null ? null : [unit];
        if (feed.Kind == CalendarFeedKind.Person)
        {
            string[] names = [.. new[] { account.Username, account.DisplayName?.Trim() }.OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];
            return new FeedTaskQuery(feed.Summit, [], names, milestones, readable);
        }
        IReadOnlyList<string> deadlines = unit is not null
            ? [unit]
            : [.. owners.Where(o => o.Kind == UnitKind.Secretariat).Select(TaskListQuery.OwnerKey)];
        return new FeedTaskQuery(feed.Summit, deadlines, [], milestones, readable);
    }

    private static Task AddTasksAsync(
        List<FeedEvent> events, FeedTaskQuery query, Actor actor, string origin, ICalendarFeedStore store, CancellationToken cancellationToken) =>
        AddPagedAsync(events, MaxTaskEvents, (due, id) => store.TasksAsync(query, due, id, PageSize, cancellationToken), row =>
            JsonSerializer.Deserialize<PreparationTask>(row.StateJson, SummitJson.Options) is { } task
            && AccessRules.MayShowInCalendarFeed(actor, ResourceScope.Of(task))
                ? TaskEvent(task, row.UpdatedAt, origin)
                : null);

    private static Task AddCampaignsAsync(
        List<FeedEvent> events, FeedCampaignQuery query, Actor actor, string origin, ICalendarFeedStore store, CancellationToken cancellationToken) =>
        AddPagedAsync(events, MaxCampaignEvents, (due, id) => store.CampaignsAsync(query, due, id, PageSize, cancellationToken), row =>
            JsonSerializer.Deserialize<Campaign>(row.StateJson, SummitJson.Options) is { Deadline: not null } campaign
            && AccessRules.MayShowInCalendarFeed(actor, ResourceScope.Of(campaign))
                ? CampaignEvent(campaign, row.UpdatedAt, origin)
                : null);

    /// <summary>
    /// Reads a feed's rows a page at a time in due order, each page starting after the last row of the one before, and adds
    /// the event of each row the feed may show (<paramref name="eventOf"/> null for one it may not), at most <paramref name="max"/>.
    /// </summary>
    private static async Task AddPagedAsync(
        List<FeedEvent> events, int max, Func<LocalDateTime?, string?, Task<IReadOnlyList<FeedEntityRow>>> page,
        Func<FeedEntityRow, FeedEvent?> eventOf)
    {
        LocalDateTime? afterDue = null;
        string? afterId = null;
        var added = 0;
        while (added < max)
        {
            var rows = await page(afterDue, afterId);
            foreach (var row in rows)
            {
                (afterDue, afterId) = (row.DueAt, row.Id);
                if (added >= max || eventOf(row) is not { } item) continue;
                events.Add(item);
                added++;
            }
            if (rows.Count < PageSize) break;
        }
    }

    /// <summary>A task's event: <c>截止：…</c> for a deadline, <c>里程碑：…</c> for a milestone.</summary>
    public static FeedEvent TaskEvent(PreparationTask task, Instant lastModified, string origin)
    {
        ArgumentNullException.ThrowIfNull(task);
        var summary = task.Milestone
            ? task.Status == WorkStatus.Done ? $"里程碑（已完成）：{task.Title}" : $"里程碑：{task.Title}"
            : $"截止：{task.Title}";
        var lines = new List<string> { $"状态：{ZhLabels.Of(task.Status)}，完成 {task.PercentComplete}%" };
        if (!string.IsNullOrWhiteSpace(task.Assignee)) lines.Add($"经办人：{task.Assignee}");
        lines.Add($"负责单位：{TaskListQuery.OwnerKey(task.Owner)}");
        return new FeedEvent($"task-{task.Id}@{task.Summit}", summary, string.Join("\n", lines), task.Due, task.Version, lastModified,
            new Uri($"{origin}/#/tasks/{Uri.EscapeDataString(task.Id)}"));
    }

    /// <summary>A campaign's deadline: <c>报送截止：…</c>.</summary>
    public static FeedEvent CampaignEvent(Campaign campaign, Instant lastModified, string origin)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var description = campaign.Status == CampaignStatus.Closed ? "征集通知（已截止收集）" : "征集通知";
        return new FeedEvent($"campaign-{campaign.Id}@{campaign.Summit}", $"报送截止：{campaign.Title}", description,
            campaign.Deadline!, campaign.Version, lastModified, new Uri($"{origin}/#/campaigns/{Uri.EscapeDataString(campaign.Id)}"));
    }

    private static CalendarFeedKind? KindOf(FieldErrors errors, string? kind)
    {
        switch (kind)
        {
            case null or "":
                errors.Add("kind", "is required.");
                return null;
            case "unit":
                return CalendarFeedKind.Unit;
            case "person":
                return CalendarFeedKind.Person;
            default:
                errors.Add("kind", $"'{QueryValues.Printable(kind.Length > 40 ? kind[..40] + "…" : kind)}' is not one of: unit, person.");
                return null;
        }
    }

    /// <summary>The secret of an address: exactly 43 base64url characters (32 bytes); null for anything else.</summary>
    public static byte[]? DecodeSecret(string? secret)
    {
        if (secret is not { Length: 43 } || secret.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
        try
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(secret);
            return bytes.Length == SecretBytes ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Base64Url(byte[] secret) => System.Buffers.Text.Base64Url.EncodeToString(secret);

    private static string AddressOf(HttpContext http, string token) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/feeds/{token}.ics";

    private static IResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: NotFoundDetail);
}
