using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>Turns <see cref="AccessRules"/> decisions into the refusals endpoints throw; it decides nothing itself.</summary>
public static class Guard
{
    public static void Read(Actor actor, ResourceScope scope, EntityKind kind, string id) => AccessRules.EnsureRead(actor, scope, kind, id);

    public static void Write(Actor actor, ResourceScope scope, EntityKind kind, string id) => AccessRules.EnsureWrite(actor, scope, kind, id);

    /// <param name="parent">What the new entity is created in: the summit, or the county venue for a sub-event.</param>
    public static void Create(Actor actor, EntityKind kind, ResourceScope parent, string what) => AccessRules.EnsureCreate(actor, kind, parent, what);

    /// <summary>
    /// Who may read a summit depends on the role alone, so a write judged by its entity's grain is refused here without a
    /// call; whether the summit exists, the grain knows (404 either way).
    /// </summary>
    public static void ReadSummitByRole(Actor actor, string summit)
    {
        if (!FieldErrors.IsCode(summit)) throw new EntityNotFoundException(EntityKind.Summit, summit);
        Read(actor, ResourceScope.Summit, EntityKind.Summit, summit);
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
