using Summit.Rules;
using Summit.Deadlines;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Progress;

namespace Summit.Gateway.Live;

/// <summary>
/// Live views and events, decided by <see cref="AccessRules"/>: which view an account gets, which groups it may join,
/// and which events and rows each group or account sees.
/// </summary>
public static class LiveAccess
{
    // The summit-wide view shows the secretariat's own plan too, so it takes the right to read a secretariat task.
    private static readonly ResourceScope SecretariatPlan = new(EntityKind.Task, Owner: OwningUnit.Department("secretariat"));

    /// <summary>The view an account gets unless it asks for another: summit-wide, its county, or its university.</summary>
    public static DashboardScope? DefaultScope(Actor actor)
    {
        if (MayView(actor, DashboardScope.Summit)) return DashboardScope.Summit;
        return actor switch
        {
            { Role: Role.County, Unit: { } county } when MayView(actor, DashboardScope.County(county)) => DashboardScope.County(county),
            { Role: Role.University, Unit: { } university } when MayView(actor, DashboardScope.University(university)) => DashboardScope.University(university),
            _ => null,
        };
    }

    public static bool MayView(Actor actor, DashboardScope scope) =>
        AccessRules.Allows(actor, Access.Read, ResourceScope.Summit) && scope.Kind switch
        {
            DashboardScopeKind.Summit => AccessRules.Allows(actor, Access.Read, SecretariatPlan),
            DashboardScopeKind.County => scope.Unit is not null && AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: scope.Unit)),
            DashboardScopeKind.University => scope.Unit is not null
                && AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.University, Universities: [scope.Unit])),
            _ => false,
        };

    /// <summary>Whom a group stands for when its events are filtered: the least-privileged account that joins it.</summary>
    public static Actor ViewerOf(DashboardScope scope) => scope.Kind switch
    {
        DashboardScopeKind.County => new Actor($"live:county:{scope.Unit}", Role.County, scope.Unit),
        DashboardScopeKind.University => new Actor($"live:university:{scope.Unit}", Role.University, scope.Unit),
        _ => new Actor("live:summit", Role.Leader),
    };

    public static ResourceScope ScopeOf(ProgressEvent e) => e.Kind == EntityKind.Summit
        ? ResourceScope.Summit
        : new ResourceScope(e.Kind, e.Scope.County, e.Scope.Universities, e.Scope.Owner) { Readers = e.Scope.Readers };

    public static bool MaySee(Actor actor, ProgressEvent e) => AccessRules.Allows(actor, Access.Read, ScopeOf(e));

    public static IReadOnlyList<ProgressEvent> Visible(Actor actor, IReadOnlyList<ProgressEvent> events)
    {
        var all = true;
        foreach (var e in events)
        {
            if (MaySee(actor, e)) continue;
            all = false;
            break;
        }
        return all ? events : [.. events.Where(e => MaySee(actor, e))];
    }

    public static DashboardSnapshot Filter(Actor actor, DashboardSnapshot snapshot) => snapshot with
    {
        Counties = [.. snapshot.Counties.Where(c => MaySeeCounty(actor, c.County))],
        SubForums = [.. snapshot.SubForums.Where(f => MaySeeForum(actor, f))],
        Overdue = Filter(actor, snapshot.Overdue),
        DueThisWeek = Filter(actor, snapshot.DueThisWeek),
        Activity = Visible(actor, snapshot.Activity),
        Schedule = Filter(actor, snapshot.Schedule),
    };

    public static DashboardPatch? Filter(Actor actor, DashboardPatch? patch)
    {
        if (patch is null) return null;
        var filtered = patch with
        {
            Counties = patch.Counties is null ? null : [.. patch.Counties.Where(c => MaySeeCounty(actor, c.County))],
            SubForums = patch.SubForums is null ? null : [.. patch.SubForums.Where(f => MaySeeForum(actor, f))],
            Overdue = patch.Overdue is null ? null : Filter(actor, patch.Overdue),
            DueThisWeek = patch.DueThisWeek is null ? null : Filter(actor, patch.DueThisWeek),
            Schedule = Filter(actor, patch.Schedule),
        };
        return filtered.IsEmpty ? null : filtered;
    }

    /// <summary>The summit-level facts stay; rollups and critical tasks only of what the account may read; never task ids.</summary>
    private static ScheduleSummary? Filter(Actor actor, ScheduleSummary? schedule) => schedule is null ? null : schedule with
    {
        NegativeSlack = null,
        CriticalTasks = [.. schedule.CriticalTasks.Where(t => MayReadTask(actor, t.Owner))],
        Counties = [.. schedule.Counties.Where(c => MaySeeCounty(actor, c.Key!))],
        SubForums = [.. schedule.SubForums.Where(f => MaySeeForum(actor, f.HostUniversity))],
    };

    private static TaskList Filter(Actor actor, TaskList list)
    {
        var items = list.Items.Where(t => MayReadTask(actor, t.Owner)).ToArray();
        return items.Length == list.Items.Count ? list : new TaskList(list.Total - (list.Items.Count - items.Length), items);
    }

    private static bool MaySeeCounty(Actor actor, string county) =>
        AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.County, County: county));

    private static bool MaySeeForum(Actor actor, SubForumRow forum) => MaySeeForum(actor, forum.HostUniversity);

    private static bool MaySeeForum(Actor actor, string? host) =>
        AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.SubForum, Universities: host is null ? [] : [host]));

    private static bool MayReadTask(Actor actor, OwningUnit owner) =>
        AccessRules.Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: owner));
}
