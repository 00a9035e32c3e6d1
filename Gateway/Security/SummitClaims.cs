using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Summit.Domain;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Security;

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
