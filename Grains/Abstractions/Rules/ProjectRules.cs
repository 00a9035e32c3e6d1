using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a cooperation project:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>title</c> required, at most 200 characters; <c>industry</c> required, at most 100.</item>
/// <item><c>partners</c>: at most 50; each <c>partners[i].name</c> required (at most 200) and <c>partners[i].kind</c> a known value.</item>
/// <item><c>county</c>, when given, is a code (blank clears it); <c>universities</c>: at most 50 codes, no repeats
/// (that they exist is the grain's check).</item>
/// <item><c>enterprisesInvolved</c> is 0..1,000,000; <c>stage</c> a known value, moving as <see cref="Transitions"/> allows.
/// A project may be created at any stage, since signed deals are often entered afterwards.</item>
/// <item><c>signingDate</c> is inside the summit's preparation window (checked when it changes); Signed and Landed need one.</item>
/// </list>
/// </summary>
public static class ProjectRules
{
    public const int MaxTitle = 200;
    public const int MaxIndustry = 100;
    public const int MaxPartners = 50;
    public const int MaxPartnerName = 200;
    public const int MaxUniversities = 50;
    public const int MaxEnterprises = 1_000_000;

    public static void Validate(string id, ProjectDraft draft, SummitEdition summit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        errors.Code("id", id);
        errors.Require("title", draft.Title, MaxTitle);
        errors.Require("industry", draft.Industry, MaxIndustry);
        Partners(errors, draft.Partners);
        County(errors, draft.County);
        Check.Codes(errors, "universities", draft.Universities, MaxUniversities);
        errors.Range("enterprisesInvolved", draft.EnterprisesInvolved, 0, MaxEnterprises);
        errors.Defined("stage", draft.Stage);
        if (draft.SigningDate is { } signed) Check.InWindow(errors, "signingDate", signed, summit.PreparationWindow, "the summit's preparation window");
        SigningNeeded(errors, draft.Stage, draft.SigningDate);
    }

    /// <param name="errors">Problems the caller already found (e.g. unknown universities).</param>
    public static ChangeResult<CooperationProject> Create(
        string summitCode, string id, ProjectDraft draft, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors);
        errors.ThrowIfAny();
        var project = new CooperationProject(
            summitCode,
            id,
            draft.Title.Trim(),
            draft.Industry.Trim(),
            Normalise(draft.Partners),
            Check.Optional(draft.County),
            draft.Universities?.ToArray() ?? [],
            draft.Stage,
            draft.EnterprisesInvolved,
            draft.SigningDate,
            Version: 1,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(project, Compare(null, project), true);
    }

    /// <param name="errors">Problems the caller already found (e.g. unknown universities).</param>
    public static ChangeResult<CooperationProject> Apply(
        CooperationProject current, ProjectChange change, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.Title is not null) errors.Require("title", change.Title, MaxTitle);
        if (change.Industry is not null) errors.Require("industry", change.Industry, MaxIndustry);
        Partners(errors, change.Partners);
        County(errors, change.County);
        Check.Codes(errors, "universities", change.Universities, MaxUniversities);
        if (change.EnterprisesInvolved is { } enterprises) errors.Range("enterprisesInvolved", enterprises, 0, MaxEnterprises);
        if (change.Stage is { } stage) Transitions.Check(current.Stage, stage, errors);
        if (change.SigningDate is { } signed && signed != current.SigningDate)
            Check.InWindow(errors, "signingDate", signed, summit.PreparationWindow, "the summit's preparation window");
        Check.Note(errors, change.Note);
        var nextStage = change.Stage ?? current.Stage;
        SigningNeeded(errors, nextStage, change.SigningDate ?? current.SigningDate);
        errors.ThrowIfAny();

        var candidate = current with
        {
            Title = Check.Trim(change.Title) ?? current.Title,
            Industry = Check.Trim(change.Industry) ?? current.Industry,
            Partners = change.Partners is null ? current.Partners : Normalise(change.Partners),
            County = change.County is null ? current.County : Check.Optional(change.County),
            Universities = change.Universities?.ToArray() ?? current.Universities,
            EnterprisesInvolved = change.EnterprisesInvolved ?? current.EnterprisesInvolved,
            Stage = nextStage,
            SigningDate = change.SigningDate ?? current.SigningDate,
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<CooperationProject>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(CooperationProject? before, CooperationProject after) => new ChangeSet()
        .Add("title", before?.Title, after.Title)
        .Add("industry", before?.Industry, after.Industry)
        .List("partners", before?.Partners, after.Partners, p => $"{p.Name} ({p.Kind})")
        .Add("county", before?.County, after.County)
        .Codes("universities", before?.Universities, after.Universities)
        .Add("stage", before?.Stage.ToString(), after.Stage.ToString())
        .Add("enterprisesInvolved", before is null ? null : Render.Number(before.EnterprisesInvolved), Render.Number(after.EnterprisesInvolved))
        .Add("signingDate", Render.Date(before?.SigningDate), Render.Date(after.SigningDate))
        .Changes;

    private static void SigningNeeded(FieldErrors errors, ProjectStage stage, LocalDate? signingDate)
    {
        if (stage is ProjectStage.Signed or ProjectStage.Landed && signingDate is null)
            errors.Add("signingDate", $"is required when the stage is {stage}.");
    }

    private static void County(FieldErrors errors, string? county)
    {
        if (Check.Optional(county) is { } code) errors.Code("county", code);
    }

    private static void Partners(FieldErrors errors, IReadOnlyList<Partner>? partners)
    {
        if (partners is null) return;
        if (partners.Count > MaxPartners) errors.Add("partners", $"must have at most {MaxPartners} entries.");
        for (var i = 0; i < partners.Count; i++)
        {
            if (partners[i] is not { } partner)
            {
                errors.Add($"partners[{i}]", "is required.");
                continue;
            }
            errors.Require($"partners[{i}].name", partner.Name, MaxPartnerName);
            errors.Defined($"partners[{i}].kind", partner.Kind);
        }
    }

    private static Partner[] Normalise(IReadOnlyList<Partner>? partners) =>
        partners?.Select(p => new Partner(p.Name.Trim(), p.Kind)).ToArray() ?? [];
}
