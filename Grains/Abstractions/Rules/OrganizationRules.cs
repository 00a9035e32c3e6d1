using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a registered organisation:
/// <list type="bullet">
/// <item><c>code</c> is a code; <c>name</c> required, at most 100 characters; <c>category</c> a known value;
/// <c>contact</c> at most 200 characters.</item>
/// <item><c>parentUnit</c>, when given, is a county or a partner university of the summit (that it exists is the grain's
/// check); it is fixed once registered.</item>
/// <item>An archived organisation is addressed by no new campaign and receives no forward; it keeps what it submitted.</item>
/// </list>
/// </summary>
public static class OrganizationRules
{
    public const int MaxName = 100;
    public const int MaxContact = 200;

    public static void Validate(string code, OrganizationDraft draft, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Code("code", code);
        errors.Require("name", draft.Name, MaxName);
        errors.Defined("category", draft.Category);
        errors.MaxLength("contact", draft.Contact, MaxContact);
        if (draft.ParentUnit is { } parent)
        {
            if (parent.Kind is not (UnitKind.County or UnitKind.University)) errors.Add("parentUnit", "must be a county or a university.");
            else errors.Code("parentUnit.code", parent.Code);
        }
        Check.Note(errors, draft.Note);
    }

    /// <param name="errors">Problems the caller already found (e.g. a parent that does not exist).</param>
    public static ChangeResult<Organization> Create(
        string summitCode, string code, OrganizationDraft draft, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(code, draft, errors);
        errors.ThrowIfAny();
        var organization = new Organization(summitCode, code, draft.Name.Trim(), draft.Category,
            draft.ParentUnit is { } p ? new OwningUnit(p.Kind, p.Code.Trim()) : null, Check.Optional(draft.Contact), Archived: false,
            Version: 1, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor.Account);
        return new(organization, Compare(null, organization), true);
    }

    public static ChangeResult<Organization> Apply(Organization current, OrganizationChange change, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        if (change.Name is not null) errors.Require("name", change.Name, MaxName);
        if (change.Category is { } category) errors.Defined("category", category);
        errors.MaxLength("contact", change.Contact, MaxContact);
        Check.Note(errors, change.Note);
        errors.ThrowIfAny();
        var candidate = current with
        {
            Name = Check.Trim(change.Name) ?? current.Name,
            Category = change.Category ?? current.Category,
            Contact = change.Contact is null ? current.Contact : Check.Optional(change.Contact),
            Archived = change.Archived ?? current.Archived,
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<Organization>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(Organization? before, Organization after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return new ChangeSet()
            .Add("name", before?.Name, after.Name)
            .Add("category", before is null ? null : Render.Camel(before.Category), Render.Camel(after.Category))
            .Add("parentUnit", before?.ParentUnit?.ToString(), after.ParentUnit?.ToString())
            .Add("contact", before?.Contact, after.Contact)
            .Add("archived", before is null ? null : Render.Flag(before.Archived), Render.Flag(after.Archived))
            .Changes;
    }
}
