using NodaTime;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Scheduling;

namespace Summit.Progress;

// The live progress contract between the server and every dashboard client (browser or .NET).
// All JSON is SummitJson: camelCase, enums as camelCase strings, null members omitted, NodaTime in ISO form.
// Changes to this file are additive only.

/// <summary>
/// The SignalR hub at <see cref="Path"/>. Authentication: the sign-in cookie, or a bearer token in the
/// <c>access_token</c> query string. Protocol: JSON. Stateful reconnect is enabled.
/// </summary>
/// <remarks>
/// <para><b>Client protocol.</b> Keep the last applied <c>seq</c> per summit (and the dashboard <c>revision</c>).</para>
/// <list type="number">
/// <item>Register the <see cref="OnProgress"/> handler, start the connection, then invoke
/// <see cref="Subscribe"/> with a <see cref="SubscribeRequest"/> carrying the last applied seq (none on a first load).</item>
/// <item>Hold any <see cref="ProgressBatch"/> that arrives before the <see cref="Subscribe"/> result; apply the result
/// first (its <see cref="SubscribeResult.Snapshot"/>, if any, replaces everything; then its
/// <see cref="SubscribeResult.Events"/> in order and its <see cref="SubscribeResult.Dashboard"/> patch), then the held
/// batches.</item>
/// <item>Apply an event only if its <c>seq</c> is greater than the last applied one (duplicates are normal: drop them).
/// Apply an entity's state only if its <c>version</c> is newer than the one shown.</item>
/// <item>If a batch says <see cref="ProgressBatch.Resync"/>, hold the batches after it (as in step 2) and invoke
/// <see cref="Subscribe"/> again with the last applied seq. The server finds and fills gaps itself; a county or
/// university group never sees the events of others, so <see cref="ProgressEvent.PrevSeq"/> is not a gap signal there
/// (it is, for the summit-wide group).</item>
/// <item>Ping the server more often than <c>ClientTimeoutSeconds</c> (the dashboard pings every 10 s) and allow at least
/// twice <c>KeepAliveSeconds</c> of silence before treating the server as gone (the dashboard allows 60 s).</item>
/// <item>After every reconnect that gave a new connection (<c>onreconnected</c>, or a fresh start), invoke
/// <see cref="Subscribe"/> again. Stateful reconnect hides short drops; nothing needs doing then.</item>
/// </list>
/// <para><b>Groups</b> are chosen by the server from the account's role: leaders and the secretariat join
/// <see cref="SummitGroup"/>; a county account joins only its <see cref="CountyGroup"/>; a university account only its
/// <see cref="UniversityGroup"/>. <see cref="SubscribeRequest.Group"/> may name a group explicitly (e.g. the
/// secretariat watching one county); asking for a group the account may not see fails with a HubException.</para>
/// <para><b>Server configuration</b> (Gateway): <c>Summit:Live:BatchMilliseconds</c> (the longest a change waits in a burst,
/// default 100), <c>Summit:Live:QuietMilliseconds</c> (a change on a quiet channel goes out at once, default 10),
/// <c>Summit:Live:AllowedOrigins</c> (WebSocket/browser origins; default the request's own host and
/// <c>http://localhost:5080</c>),
/// <c>Summit:Live:ObserverRefreshSeconds</c> (default 10), <c>Summit:Live:OutboxCapacity</c> (batches queued per
/// connection before it is told to resync, default 100), <c>Summit:Live:StalledClientSeconds</c> (a connection that takes
/// no message for this long is closed, default 30), <c>Summit:Live:KeepAliveSeconds</c> (server pings, default 10),
/// <c>Summit:Live:ClientTimeoutSeconds</c> (default 60). Silo: <c>Summit:Live:LogCapacity</c> (events kept for
/// catch-up, default 10000), <c>Summit:Live:SeqBlock</c> (sequence numbers reserved per storage write, default 1000).</para>
/// </remarks>
public static class ProgressHub
{
    public const string Path = "/hubs/progress";

    /// <summary>Client → server: <c>Subscribe(SubscribeRequest) → SubscribeResult</c>. Joins the group and catches up.</summary>
    public const string Subscribe = "Subscribe";

    /// <summary>Client → server: <c>Unsubscribe(string summit)</c>. Leaves every group of that summit.</summary>
    public const string Unsubscribe = "Unsubscribe";

    /// <summary>Client → server: <c>GetSnapshot(string summit) → DashboardSnapshot</c>, for the connection's own scope.</summary>
    public const string GetSnapshot = "GetSnapshot";

    /// <summary>Server → client: <c>progress(ProgressBatch)</c>, at most once per coalescing interval per group.</summary>
    public const string OnProgress = "progress";

    /// <summary>Leaders and the secretariat: every event of the summit.</summary>
    public static string SummitGroup(string summit) => $"{summit}/summit";

    /// <summary>A county account: events of its own county's venue, sub-events, tasks and projects.</summary>
    public static string CountyGroup(string summit, string county) => $"{summit}/county/{county}";

    /// <summary>A university account: events of its own university, hosted sub-forums, tasks and projects.</summary>
    public static string UniversityGroup(string summit, string university) => $"{summit}/university/{university}";

    /// <summary>The group for a dashboard scope.</summary>
    public static string GroupOf(string summit, DashboardScope scope) => scope.Kind switch
    {
        DashboardScopeKind.County => CountyGroup(summit, scope.Unit!),
        DashboardScopeKind.University => UniversityGroup(summit, scope.Unit!),
        _ => SummitGroup(summit),
    };

    /// <summary>Parses a group name of <paramref name="summit"/>; null if it is not one.</summary>
    public static DashboardScope? ScopeOf(string summit, string group)
    {
        if (group == SummitGroup(summit)) return DashboardScope.Summit;
        var prefix = summit + "/";
        if (!group.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = group[prefix.Length..];
        if (rest.StartsWith("county/", StringComparison.Ordinal) && rest.Length > 7 && !rest[7..].Contains('/'))
            return DashboardScope.County(rest[7..]);
        if (rest.StartsWith("university/", StringComparison.Ordinal) && rest.Length > 11 && !rest[11..].Contains('/'))
            return DashboardScope.University(rest[11..]);
        return null;
    }
}

/// <summary>Whose view: the whole summit, one county, or one university.</summary>
[GenerateSerializer]
public enum DashboardScopeKind
{
    Summit,
    County,
    University,
}

/// <param name="Unit">The county or university code; null for <see cref="DashboardScopeKind.Summit"/>.</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-scope")]
public sealed record DashboardScope(DashboardScopeKind Kind, string? Unit = null)
{
    public static DashboardScope Summit { get; } = new(DashboardScopeKind.Summit);
    public static DashboardScope County(string county) => new(DashboardScopeKind.County, county);
    public static DashboardScope University(string university) => new(DashboardScopeKind.University, university);

    public override string ToString() => Unit is null ? "summit" : $"{Kind.ToString().ToLowerInvariant()}:{Unit}";
}

/// <summary>
/// The units an entity belongs to, for deciding who may see its events (mirrors the Gateway's access scope).
/// </summary>
/// <param name="County">A county venue's or sub-event's county; a project's county.</param>
/// <param name="Universities">A sub-forum's host; a project's partner universities; a university itself.</param>
/// <param name="Owner">A task's owning unit; a submission's unit; a forwarded campaign's forwarding unit.</param>
/// <param name="Readers">Units that see the change without owning the entity: a published campaign's addressees, and the
/// forwarding unit of a submission to its forward (<see cref="Domain.ResourceScope.Readers"/>).</param>
[GenerateSerializer, Immutable, Alias("summit.progress-scope")]
public sealed record ProgressScope(
    string? County = null, IReadOnlyList<string>? Universities = null, OwningUnit? Owner = null, IReadOnlyList<OwningUnit>? Readers = null);

/// <summary>
/// One accepted change, numbered within its summit. JSON:
/// <c>{"seq":1042,"prevSeq":1041,"summit":"wyss-2020","kind":"county","id":"pingyang/opening","version":7,
/// "at":"2020-06-03T02:00:00Z","account":"county-pingyang","role":"county","unit":"pingyang","title":"…",
/// "changes":[{"field":"subEvents.opening.status","from":"preparing","to":"ready"}],"note":"…",
/// "scope":{"county":"pingyang"},"entity":{…the stored entity…}}</c>.
/// </summary>
/// <param name="Seq">Per-summit sequence number: only grows, never reused (also across restarts; numbers may be skipped).
/// A summit's first number is taken from the wall clock (about 1.7e15, below 2^53), so compare numerically and treat it
/// as opaque.</param>
/// <param name="PrevSeq">The seq of the event before this one in the summit (whoever may see it), so gaps can be told from
/// skipped numbers. The first event after a restart of the feed points at the number reserved before the restart.</param>
/// <param name="Kind">The entity kind; a sub-event change is kind <c>county</c> with <see cref="Id"/> <c>{county}/{subEventId}</c>.</param>
/// <param name="Id">The entity id within the summit (the summit code for kind <c>summit</c>).</param>
/// <param name="Version">The entity's version after the change.</param>
/// <param name="Title">A display label: task title, county name, sub-forum theme, project title, sub-event title.</param>
/// <param name="Changes">The changed fields with rendered old and new values.</param>
/// <param name="Entity">The entity as stored after the change (a county venue for a sub-event change); omitted in
/// activity lists and snapshots.</param>
[GenerateSerializer, Immutable, Alias("summit.progress-event")]
public sealed record ProgressEvent(
    long Seq,
    long PrevSeq,
    string Summit,
    EntityKind Kind,
    string Id,
    int Version,
    Instant At,
    string Account,
    Role Role,
    string? Unit,
    string? Title,
    IReadOnlyList<FieldChange> Changes,
    string? Note,
    ProgressScope Scope,
    object? Entity = null)
{
    /// <summary>The same event without its entity payload, for activity lists.</summary>
    public ProgressEvent WithoutEntity() => Entity is null ? this : this with { Entity = null };
}

/// <summary>Server → client, method <see cref="ProgressHub.OnProgress"/>: the events (oldest first) and dashboard changes since the previous batch.</summary>
/// <param name="Events">New events visible to the group, ascending by seq; may be empty when only the dashboard changed.</param>
/// <param name="Dashboard">Parts of the dashboard that changed (for this group's scope), if any.</param>
/// <param name="Resync">The server lost continuity (e.g. a silo restart), or this connection fell so far behind that batches
/// queued for it were dropped; call <see cref="ProgressHub.Subscribe"/> again. A resync batch carries no events.</param>
[GenerateSerializer, Immutable, Alias("summit.progress-batch")]
public sealed record ProgressBatch(string Summit, IReadOnlyList<ProgressEvent> Events, DashboardPatch? Dashboard = null, bool Resync = false);

/// <summary>Argument of <see cref="ProgressHub.Subscribe"/>.</summary>
/// <param name="AfterSeq">The last seq the client applied; null on a first load (the result then carries a snapshot).</param>
/// <param name="Group">A group name (<see cref="ProgressHub.SummitGroup"/> etc.); null for the account's own group.</param>
/// <param name="AfterRevision">The last dashboard revision the client applied; with events, the result carries the
/// dashboard parts changed since (all parts when null or unknown).</param>
[GenerateSerializer, Immutable, Alias("summit.subscribe-request")]
public sealed record SubscribeRequest(string Summit, long? AfterSeq = null, string? Group = null, long? AfterRevision = null);

/// <summary>Result of <see cref="ProgressHub.Subscribe"/>: either the missed events or a snapshot.</summary>
/// <param name="Group">The group joined.</param>
/// <param name="Seq">The newest seq this result covers; live batches continue after it.</param>
/// <param name="Events">The events visible to the group after <see cref="SubscribeRequest.AfterSeq"/>, ascending; when a
/// snapshot is sent, the events after the snapshot's own seq (apply them on top of it). Never null.</param>
/// <param name="Snapshot">Sent on a first load or when the client is too far behind for the catch-up log.</param>
/// <param name="Dashboard">With <see cref="Events"/>: the dashboard parts changed since <see cref="SubscribeRequest.AfterRevision"/>.</param>
[GenerateSerializer, Immutable, Alias("summit.subscribe-result")]
public sealed record SubscribeResult(
    string Summit,
    string Group,
    DashboardScope Scope,
    long Seq,
    IReadOnlyList<ProgressEvent> Events,
    DashboardSnapshot? Snapshot,
    DashboardPatch? Dashboard = null);

/// <summary>The summit facts a countdown needs.</summary>
/// <param name="Opening">The start of the opening day in the summit's time zone.</param>
/// <param name="ModeSince">When <paramref name="Mode"/> took effect (the summit's creation or its last switch); null for a summit stored before this was kept.</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-edition")]
public sealed record DashboardEdition(
    string Code,
    string Name,
    string City,
    LocalDate OpeningDate,
    LocalDate ClosingDate,
    string TimeZone,
    Instant Opening,
    SummitMode Mode,
    SummitTargets Targets,
    int Version,
    Instant? ModeSince = null);

/// <summary>Task counts of the view's scope.</summary>
/// <param name="Open">Not done and not cancelled.</param>
/// <param name="Overdue">Open and past the due instant (DueStates).</param>
/// <param name="DueThisWeek">Open, not overdue, due within the next 7 days.</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-task-totals")]
public sealed record TaskTotals(int Total, int Open, int Done, int Blocked, int Cancelled, int Overdue, int DueThisWeek);

/// <summary>One county on the big screen.</summary>
/// <param name="Readiness">Via <c>Readiness.ForCounty</c>; null until first computed.</param>
/// <param name="SubEventsReady">Sub-events that are ready or held.</param>
/// <param name="SubEvents">The sub-events with their checklists (the county view's one-tap updates).</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-county")]
public sealed record CountyRow(
    string County,
    string Name,
    string Venue,
    string? Lead,
    ReadinessScore? Readiness,
    int OpenTasks,
    int OverdueTasks,
    int DueThisWeek,
    int SubEventsReady,
    int ChecklistDone,
    int ChecklistTotal,
    IReadOnlyList<SubEvent> SubEvents,
    int Version,
    LastUpdate LastUpdate);

/// <summary>One sub-forum on the status board.</summary>
[GenerateSerializer, Immutable, Alias("summit.dashboard-subforum")]
public sealed record SubForumRow(
    string Id,
    string Theme,
    string? HostUniversity,
    LocalDate Day,
    LocalTime Start,
    LocalTime End,
    string Venue,
    EventFormat Format,
    SubForumStatus Status,
    int PlannedSpeakers,
    int ConfirmedSpeakers,
    ReadinessScore? Readiness,
    int Version);

[GenerateSerializer, Immutable, Alias("summit.dashboard-funnel-stage")]
public sealed record FunnelStage(ProjectStage Stage, int Projects, int Enterprises);

/// <summary>Progress against one promised outcome.</summary>
/// <param name="Key"><c>innovationAlliances</c>, <c>cooperationProjects</c>, <c>enterprises</c> or <c>startupFinalists</c>.</param>
/// <param name="Tracked">False when the platform has no data source for it yet (<see cref="Actual"/> is then 0).</param>
/// <param name="Basis">How <see cref="Actual"/> is counted, in English, for a tooltip.</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-target")]
public sealed record TargetProgress(string Key, int Target, int Actual, bool Tracked, string Basis);

/// <summary>Cooperation projects by stage and against the summit's targets. Summit-wide totals in every scope.</summary>
[GenerateSerializer, Immutable, Alias("summit.dashboard-funnel")]
public sealed record ProjectFunnel(int Projects, IReadOnlyList<FunnelStage> Stages, IReadOnlyList<TargetProgress> Targets);

[GenerateSerializer, Immutable, Alias("summit.dashboard-task")]
public sealed record TaskItem(
    string Id,
    string Title,
    TaskCategory Category,
    OwningUnit Owner,
    string? Assignee,
    Deadline Due,
    Instant DueAt,
    WorkStatus Status,
    int PercentComplete,
    bool Milestone,
    int Version);

/// <summary>A bounded list: the first <see cref="Items"/> (most urgent first) of <see cref="Total"/>.</summary>
[GenerateSerializer, Immutable, Alias("summit.dashboard-task-list")]
public sealed record TaskList(int Total, IReadOnlyList<TaskItem> Items);

/// <summary>
/// Everything a dashboard view needs, as of <see cref="Seq"/>. Served by <c>GET /api/summits/{summit}/dashboard</c>
/// and in <see cref="SubscribeResult.Snapshot"/>.
/// </summary>
/// <param name="Seq">The newest event this snapshot reflects; apply live events with a greater seq.</param>
/// <param name="Revision">The dashboard revision (for <see cref="SubscribeRequest.AfterRevision"/>).</param>
/// <param name="Edition">Null only while the summit itself does not exist.</param>
/// <param name="Overall">Summit-wide readiness (Readiness.Overall); shown in every scope. With the county and sub-forum
/// scores it equals <c>GET /readiness</c> for the same state (the same rules and negative slack).</param>
/// <param name="ReadinessAsOf">When the readiness scores were computed; they are refreshed shortly after changes and every minute.</param>
/// <param name="Counties">Summit scope: every county; county scope: its own; university scope: none.</param>
/// <param name="SubForums">Summit scope: all; university scope: those it hosts; county scope: none.</param>
/// <param name="Overdue">Open overdue tasks of the scope, most overdue first.</param>
/// <param name="DueThisWeek">Open tasks due within 7 days, soonest first.</param>
/// <param name="Activity">The latest events of the scope, newest first, without entity payloads.</param>
/// <param name="Schedule">The deadline engine's schedule in brief, without task ids (<see cref="ScheduleSummary.AtRisk"/> is the
/// "opening at risk" state). Summit scope: everything; county scope: the summit-level facts, its own county's rollup and
/// critical tasks of its own; university scope: likewise with the sub-forums it hosts. Null until the engine first answers.</param>
[GenerateSerializer, Immutable, Alias("summit.dashboard-snapshot")]
public sealed record DashboardSnapshot(
    string Summit,
    long Seq,
    long Revision,
    Instant GeneratedAt,
    DashboardScope Scope,
    DashboardEdition? Edition,
    ReadinessScore? Overall,
    Instant? ReadinessAsOf,
    TaskTotals Tasks,
    IReadOnlyList<CountyRow> Counties,
    IReadOnlyList<SubForumRow> SubForums,
    ProjectFunnel Funnel,
    TaskList Overdue,
    TaskList DueThisWeek,
    IReadOnlyList<ProgressEvent> Activity,
    ScheduleSummary? Schedule = null);

/// <summary>
/// The parts of a <see cref="DashboardSnapshot"/> that changed after a revision; absent members did not change.
/// <see cref="Counties"/> and <see cref="SubForums"/> hold only the changed rows: replace rows by key. Activity is
/// not repeated here; build it from the batch's events. <see cref="Schedule"/>, when present, replaces the one held.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.dashboard-patch")]
public sealed record DashboardPatch(
    string Summit,
    long Seq,
    long Revision,
    DashboardEdition? Edition = null,
    ReadinessScore? Overall = null,
    Instant? ReadinessAsOf = null,
    TaskTotals? Tasks = null,
    IReadOnlyList<CountyRow>? Counties = null,
    IReadOnlyList<SubForumRow>? SubForums = null,
    ProjectFunnel? Funnel = null,
    TaskList? Overdue = null,
    TaskList? DueThisWeek = null,
    ScheduleSummary? Schedule = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Edition is null && Overall is null && Tasks is null && Counties is not { Count: > 0 }
        && SubForums is not { Count: > 0 } && Funnel is null && Overdue is null && DueThisWeek is null && Schedule is null;
}

/// <summary>Limits of the bounded parts of a snapshot.</summary>
public static class DashboardLimits
{
    public const int TaskListItems = 50;
    public const int ActivityItems = 50;
    public const int DueThisWeekDays = 7;
}
