using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for an innovation alliance:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>name</c> required, at most 100 characters; <c>nameEn</c> at most 200 (blank clears it);
/// <c>field</c> (the field or industry) required, at most 100.</item>
/// <item><c>leadUnit</c> required: <c>leadUnit.kind</c> a known value (county, university, secretariat) and
/// <c>leadUnit.code</c> a code.</item>
/// <item><c>memberUnits</c>: at most 100 names, <c>memberEnterprises</c>: at most 500 names, each required and at most
/// 200 characters, no name twice.</item>
/// <item><c>status</c> a known value, moving as <see cref="Transitions"/> allows (an alliance may be created at any
/// status, since signed alliances are often entered afterwards); Signed needs a <c>signingDate</c>, which is inside the
/// summit's preparation window (checked when it changes).</item>
/// <item>It counts toward the summit's alliance target when Signed (<see cref="Counts"/>).</item>
/// </list>
/// </summary>
public static class AllianceRules
{
    public const int MaxName = 100;
    public const int MaxNameEn = 200;
    public const int MaxField = 100;
    public const int MaxMemberUnits = 100;
    public const int MaxMemberEnterprises = 500;
    public const int MaxMemberName = 200;

    /// <summary>Whether the alliance counts toward the summit's target of innovation alliances.</summary>
    public static bool Counts(InnovationAlliance alliance)
    {
        ArgumentNullException.ThrowIfNull(alliance);
        return alliance.Status == AllianceStatus.Signed;
    }

    public static void Validate(string id, AllianceDraft draft, SummitEdition summit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Code("id", id);
        errors.Require("name", draft.Name, MaxName);
        errors.MaxLength("nameEn", draft.NameEn, MaxNameEn);
        errors.Require("field", draft.Field, MaxField);
        LeadUnit(errors, draft.LeadUnit);
        Names(errors, "memberUnits", draft.MemberUnits, MaxMemberUnits);
        Names(errors, "memberEnterprises", draft.MemberEnterprises, MaxMemberEnterprises);
        errors.Defined("status", draft.Status);
        if (draft.SigningDate is { } signed) Check.InWindow(errors, "signingDate", signed, summit.PreparationWindow, "the summit's preparation window");
        SigningNeeded(errors, draft.Status, draft.SigningDate);
    }

    public static ChangeResult<InnovationAlliance> Create(
        string summitCode, string id, AllianceDraft draft, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors);
        errors.ThrowIfAny();
        var alliance = new InnovationAlliance(
            summitCode,
            id,
            draft.Name.Trim(),
            Check.Optional(draft.NameEn),
            draft.Field.Trim(),
            Normalise(draft.LeadUnit),
            Normalise(draft.MemberUnits),
            Normalise(draft.MemberEnterprises),
            draft.Status,
            draft.SigningDate,
            Version: 1,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(alliance, Compare(null, alliance), true);
    }

    public static ChangeResult<InnovationAlliance> Apply(
        InnovationAlliance current, AllianceChange change, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.Name is not null) errors.Require("name", change.Name, MaxName);
        errors.MaxLength("nameEn", change.NameEn, MaxNameEn);
        if (change.Field is not null) errors.Require("field", change.Field, MaxField);
        if (change.LeadUnit is not null) LeadUnit(errors, change.LeadUnit);
        Names(errors, "memberUnits", change.MemberUnits, MaxMemberUnits);
        Names(errors, "memberEnterprises", change.MemberEnterprises, MaxMemberEnterprises);
        if (change.Status is { } status) Transitions.Check(current.Status, status, errors);
        if (change.SigningDate is { } signed && signed != current.SigningDate)
            Check.InWindow(errors, "signingDate", signed, summit.PreparationWindow, "the summit's preparation window");
        Check.Note(errors, change.Note);
        var nextStatus = change.Status ?? current.Status;
        SigningNeeded(errors, nextStatus, change.SigningDate ?? current.SigningDate);
        errors.ThrowIfAny();

        var candidate = current with
        {
            Name = Check.Trim(change.Name) ?? current.Name,
            NameEn = change.NameEn is null ? current.NameEn : Check.Optional(change.NameEn),
            Field = Check.Trim(change.Field) ?? current.Field,
            LeadUnit = change.LeadUnit is null ? current.LeadUnit : Normalise(change.LeadUnit),
            MemberUnits = change.MemberUnits is null ? current.MemberUnits : Normalise(change.MemberUnits),
            MemberEnterprises = change.MemberEnterprises is null ? current.MemberEnterprises : Normalise(change.MemberEnterprises),
            Status = nextStatus,
            SigningDate = change.SigningDate ?? current.SigningDate,
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<InnovationAlliance>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(InnovationAlliance? before, InnovationAlliance after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return new ChangeSet()
            .Add("name", before?.Name, after.Name)
            .Add("nameEn", before?.NameEn, after.NameEn)
            .Add("field", before?.Field, after.Field)
            .Add("leadUnit", before?.LeadUnit.ToString(), after.LeadUnit.ToString())
            .List("memberUnits", before?.MemberUnits, after.MemberUnits, n => n)
            .List("memberEnterprises", before?.MemberEnterprises, after.MemberEnterprises, n => n)
            .Add("status", before?.Status.ToString(), after.Status.ToString())
            .Add("signingDate", Render.Date(before?.SigningDate), Render.Date(after.SigningDate))
            .Changes;
    }

    private static void SigningNeeded(FieldErrors errors, AllianceStatus status, LocalDate? signingDate)
    {
        if (status == AllianceStatus.Signed && signingDate is null)
            errors.Add("signingDate", $"is required when the status is {status}.");
    }

    private static void LeadUnit(FieldErrors errors, OwningUnit? unit)
    {
        if (unit is null)
        {
            errors.Add("leadUnit", "is required.");
            return;
        }
        errors.Defined("leadUnit.kind", unit.Kind);
        errors.Code("leadUnit.code", unit.Code);
    }

    /// <summary>Names of members: each required and at most <see cref="MaxMemberName"/> characters, none twice.</summary>
    private static void Names(FieldErrors errors, string field, IReadOnlyList<string>? names, int maxCount)
    {
        if (names is null) return;
        errors.Items(field, names, maxCount, MaxMemberName);
        var repeated = names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim())
            .GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) errors.Add(field, $"lists {string.Join(", ", repeated.Select(r => $"'{r}'"))} more than once.");
    }

    private static OwningUnit Normalise(OwningUnit unit) => new(unit.Kind, unit.Code.Trim());

    private static string[] Normalise(IReadOnlyList<string>? names) => names?.Select(n => n.Trim()).ToArray() ?? [];
}
