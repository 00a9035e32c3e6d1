namespace Summit.Domain;

/// <summary>The kinds of account the platform knows. Authorization decisions live in the Gateway's policies.</summary>
public enum Role
{
    Secretariat,
    County,
    University,
    Leader,
    Admin,
    /// <summary>Work done by the platform itself: seeding, reminders, escalation.</summary>
    System,
    /// <summary>An account of a registered organisation (<see cref="Domain.Organization"/>): it reads the campaigns addressed to it and hands in its submissions.</summary>
    Organization,
}

/// <summary>Who asked for a change; recorded in every entity's history.</summary>
/// <param name="Account">Account name, e.g. <c>county-pingyang</c>.</param>
/// <param name="Unit">The county, university or organisation code the account is bound to, if any.</param>
[GenerateSerializer, Immutable, Alias("summit.actor")]
public sealed record Actor(string Account, Role Role, string? Unit = null)
{
    public static Actor System(string what) => new($"system:{what}", Role.System);

    /// <summary>The unit the account speaks for: its county, university or organisation; null for the other roles.</summary>
    public OwningUnit? OwnUnit => Unit is not { } code ? null : Role switch
    {
        Role.County => OwningUnit.County(code),
        Role.University => OwningUnit.University(code),
        Role.Organization => OwningUnit.Organization(code),
        _ => null,
    };
}
