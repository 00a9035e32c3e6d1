using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Summit.Domain;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Security;

/// <summary>
/// Who may read or change what: the single place this is decided. Endpoints ask it for every entity
/// they return or change, and answer 404 for what it refuses, so another tenant's data never shows.
/// </summary>
public static class SummitAccess
{
    /// <summary>Task fields a county or university may change on its own tasks; the rest is the secretariat's plan.</summary>
    public static IReadOnlySet<string> UnitTaskFields => AccessRules.UnitTaskFields;

    public static bool Allows(Actor actor, Access access, ResourceScope scope) => AccessRules.Allows(actor, access, scope);

    /// <summary>
    /// Which of <paramref name="owners"/> own tasks the actor may read, as <see cref="Allows"/> decides for a task of
    /// each; null when the actor reads the tasks of every owner (no owner filter needed).
    /// </summary>
    /// <remarks>Null needs more than every listed owner being readable: a task of an owner not listed (one created
    /// since the owners were read) must be readable too, so a unit is never shown a task it may not read.</remarks>
    public static IReadOnlyList<OwningUnit>? ReadableTaskOwners(Actor actor, IReadOnlyCollection<OwningUnit> owners)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var readable = owners.Where(o => Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: o))).ToArray();
        return readable.Length == owners.Count && Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: UnlistedOwner))
            ? null
            : readable;
    }

    /// <summary>
    /// The units whose county venues, sub-forums, projects and universities the actor reads (an entity is readable when
    /// one of its units, <see cref="Storage.EntityListQuery.UnitsOf(CountyVenue)"/>, is among them), as <see cref="Allows"/>
    /// decides for each; null when the actor reads them all. The lists pass these to the query, so what the actor may
    /// not read is never loaded.
    /// </summary>
    public static IReadOnlyList<OwningUnit>? ReadableUnits(Actor actor) => actor.Role switch
    {
        Role.Secretariat or Role.System or Role.Leader => null,
        Role.County when actor.Unit is { } county => [OwningUnit.County(county)],
        Role.University when actor.Unit is { } university => [OwningUnit.University(university)],
        _ => [],
    };

    // No task has it: "-" is not a code.
    private static readonly OwningUnit UnlistedOwner = OwningUnit.Department("-");

    /// <summary>
    /// Only the secretariat creates tasks, sub-forums, projects, universities and counties. A county adds
    /// sub-events to its own venue: <paramref name="kind"/> County with the venue as <paramref name="parent"/>.
    /// </summary>
    public static bool MayCreate(Actor actor, EntityKind kind, ResourceScope parent) => actor.Role switch
    {
        Role.Secretariat or Role.System => true,
        Role.County => kind == EntityKind.County && parent.Kind == EntityKind.County && AccessRules.Allows(actor, Access.Write, parent),
        _ => false,
    };

    /// <summary>The fields of a task this actor may change; empty when none.</summary>
    public static bool MayChangeTaskField(Actor actor, string field) => AccessRules.MayChangeTaskField(actor, field);

    /// <summary>Units see the summit-wide live feed and audit only through their own entities.</summary>
    public static bool MayReadAudit(Actor actor) => actor.Role is Role.Secretariat or Role.System;

    public static bool MayManageAccounts(Actor actor) => actor.Role == Role.Admin;

    // Escalation, notifications, webhooks and contingency plans.

    /// <summary>Switching the contingency plan (offline/online/hybrid) sets whole plans aside: the secretariat's call.</summary>
    public static bool MaySwitchMode(Actor actor) => actor.Role is Role.Secretariat or Role.System;

    /// <summary>Webhook addresses carry the robots' access tokens, so only the secretariat sees or sets them, and their dead letters.</summary>
    public static bool MayManageWebhooks(Actor actor) => actor.Role is Role.Secretariat or Role.System;

    public static bool MayConfigureEscalation(Actor actor) => actor.Role is Role.Secretariat or Role.System;

    /// <summary>Which mode's plan a task or sub-forum belongs to is the secretariat's plan, like switching the mode.</summary>
    public static bool MayChangePlan(Actor actor) => AccessRules.MayChangePlan(actor);

    /// <summary>
    /// The notification inboxes an account reads: its own; its unit's (county and university accounts); the
    /// secretariat's (secretariat accounts). Red-list entries are read like their tasks (<see cref="Allows"/>).
    /// </summary>
    public static IReadOnlyList<NotificationTarget> NotificationInboxes(Actor actor)
    {
        var inboxes = new List<NotificationTarget> { NotificationTarget.ForAccount(actor.Account) };
        if (actor.Role == Role.County && actor.Unit is not null) inboxes.Add(NotificationTarget.ForUnit(OwningUnit.County(actor.Unit)));
        if (actor.Role == Role.University && actor.Unit is not null) inboxes.Add(NotificationTarget.ForUnit(OwningUnit.University(actor.Unit)));
        if (actor.Role is Role.Secretariat) inboxes.Add(NotificationTarget.Secretariat);
        return inboxes;
    }
}

/// <summary>Claims Summit puts in its tokens and cookies.</summary>
public static class SummitClaims
{
    public const string Role = ClaimTypes.Role;
    public const string Unit = "summit:unit";

    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (name is null || !Enum.TryParse<Domain.Role>(user.FindFirstValue(Role), ignoreCase: true, out var role) || role == Domain.Role.System)
            throw new InvalidOperationException("The request has no signed-in Summit account.");
        return new Actor(name, role, user.FindFirstValue(Unit));
    }

    /// <summary>Like <see cref="ToActor"/>, for places (authorization policies) that must not throw.</summary>
    public static bool TryGetActor(this ClaimsPrincipal user, [NotNullWhen(true)] out Actor? actor)
    {
        actor = null;
        var name = user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (name is null || !Enum.TryParse<Domain.Role>(user.FindFirstValue(Role), ignoreCase: true, out var role) || role == Domain.Role.System)
            return false;
        actor = new Actor(name, role, user.FindFirstValue(Unit));
        return true;
    }
}
