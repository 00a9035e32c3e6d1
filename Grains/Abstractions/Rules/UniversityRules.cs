using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a partner university:
/// <list type="bullet">
/// <item><c>code</c> is a code; <c>name</c> and <c>contactUnit</c> required, at most 200 characters; <c>engagement</c> a known value.
/// Engagement has no pipeline: a university may move between any two states.</item>
/// <item><see cref="PartnerUniversity.HostedSubForums"/> and <see cref="PartnerUniversity.LinkedProjects"/> are owned by the
/// sub-forum and project grains and change only through <see cref="Link"/>.</item>
/// </list>
/// </summary>
public static class UniversityRules
{
    public const int MaxName = 200;
    public const int MaxContactUnit = 200;

    public static void Validate(string code, UniversityDraft draft, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        errors.Code("code", code);
        errors.Require("name", draft.Name, MaxName);
        errors.Require("contactUnit", draft.ContactUnit, MaxContactUnit);
        errors.Defined("engagement", draft.Engagement);
    }

    public static ChangeResult<PartnerUniversity> Create(string summitCode, string code, UniversityDraft draft, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        Validate(code, draft, errors);
        errors.ThrowIfAny();
        var university = new PartnerUniversity(
            summitCode,
            code,
            draft.Name.Trim(),
            draft.ContactUnit.Trim(),
            draft.Engagement,
            [],
            [],
            Version: 1,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(university, Compare(null, university), true);
    }

    public static ChangeResult<PartnerUniversity> Apply(PartnerUniversity current, UniversityChange change, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        if (change.Name is not null) errors.Require("name", change.Name, MaxName);
        if (change.ContactUnit is not null) errors.Require("contactUnit", change.ContactUnit, MaxContactUnit);
        Check.Defined(errors, "engagement", change.Engagement);
        Check.Note(errors, change.Note);
        errors.ThrowIfAny();

        var candidate = current with
        {
            Name = Check.Trim(change.Name) ?? current.Name,
            ContactUnit = Check.Trim(change.ContactUnit) ?? current.ContactUnit,
            Engagement = change.Engagement ?? current.Engagement,
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<PartnerUniversity>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    /// <summary>
    /// Adds or removes a hosted sub-forum or linked project. Returns the same instance when nothing changes.
    /// Links are derived data recorded in the owning entity's history, so they bump neither version nor history here.
    /// </summary>
    public static PartnerUniversity Link(PartnerUniversity current, EntityKind kind, string id, bool linked)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var list = kind switch
        {
            EntityKind.SubForum => current.HostedSubForums,
            EntityKind.Project => current.LinkedProjects,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Universities link only sub-forums and projects."),
        };
        if (list.Contains(id, StringComparer.Ordinal) == linked) return current;
        var next = (linked ? list.Append(id) : list.Where(x => x != id)).Order(StringComparer.Ordinal).ToArray();
        return kind == EntityKind.SubForum ? current with { HostedSubForums = next } : current with { LinkedProjects = next };
    }

    public static IReadOnlyList<FieldChange> Compare(PartnerUniversity? before, PartnerUniversity after) => new ChangeSet()
        .Add("name", before?.Name, after.Name)
        .Add("contactUnit", before?.ContactUnit, after.ContactUnit)
        .Add("engagement", before?.Engagement.ToString(), after.Engagement.ToString())
        .Changes;
}
