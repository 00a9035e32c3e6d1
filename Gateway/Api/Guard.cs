using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>Turns <see cref="SummitAccess"/> decisions into the refusals endpoints throw; it decides nothing itself.</summary>
public static class Guard
{
    public static void Read(Actor actor, ResourceScope scope, EntityKind kind, string id) => AccessRules.EnsureRead(actor, scope, kind, id);

    public static void Write(Actor actor, ResourceScope scope, EntityKind kind, string id) => AccessRules.EnsureWrite(actor, scope, kind, id);

    /// <param name="parent">What the new entity is created in: the summit, or the county venue for a sub-event.</param>
    /// <summary>
    /// A change that alters who the entity belongs to must leave it where the actor may still write it; otherwise a
    /// unit could hand its entity to another. <paramref name="after"/> is the entity's scope once changed.
    /// </summary>
    public static void WriteAfter(Actor actor, ResourceScope after, EntityKind kind, string id, string field)
    {
        if (!SummitAccess.Allows(actor, Access.Write, after))
            throw new AccessRefusedException(kind, id, visible: true,
                $"This change of {field} would put the {Names.Kind(kind, id)} out of your reach.",
                new Dictionary<string, string[]> { [field] = ["you may not give this away."] });
    }

    /// <summary>Only the secretariat assigns contingency plans (<see cref="SummitAccess.MayChangePlan"/>); refused naming <c>plan</c>.</summary>
    public static void Plan(Actor actor, EntityKind kind, string id)
    {
        if (!SummitAccess.MayChangePlan(actor))
            throw new AccessRefusedException(kind, id, visible: true, "Only the secretariat assigns contingency plans.",
                new Dictionary<string, string[]> { ["plan"] = ["you may not change this field."] });
    }

    public static void Create(Actor actor, EntityKind kind, ResourceScope parent, string what)
    {
        if (!SummitAccess.MayCreate(actor, kind, parent))
            throw new AccessRefusedException(kind, what, visible: true, $"A {Names.Role(actor.Role)} account may not create {what}.");
    }

    /// <summary>The summit, if it exists and the actor may read it; else 404.</summary>
    public static async Task<SummitEdition> ReadSummitAsync(IGrainFactory grains, string summit, Actor actor)
    {
        var edition = (FieldErrors.IsCode(summit) ? await grains.GetGrain<ISummitGrain>(summit).Get() : null)
            ?? throw new EntityNotFoundException(EntityKind.Summit, summit);
        Read(actor, ResourceScope.Summit, EntityKind.Summit, summit);
        return edition;
    }
}

/// <summary>How entities are named in problem responses (<see cref="EntityNames"/>).</summary>
public static class Names
{
    public static string Kind(EntityKind kind, string id) => EntityNames.Kind(kind, id);

    public static string Of(EntityKind kind, string id) => EntityNames.Of(kind, id);

    public static string Role(Role role) => EntityNames.Role(role);
}
