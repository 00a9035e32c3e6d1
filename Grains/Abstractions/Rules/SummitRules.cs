using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a summit edition:
/// <list type="bullet">
/// <item><c>code</c> is a code (<see cref="FieldErrors.Code"/>); <c>name</c> required, at most 200 characters; <c>city</c> required, at most 100.</item>
/// <item><c>openingDate</c> ≤ <c>closingDate</c>, and <c>preparationStart</c> is before <c>openingDate</c>.</item>
/// <item><c>timeZone</c> is a TZDB id, e.g. <c>Asia/Shanghai</c>; <c>mode</c> is a known value.</item>
/// <item>Each of <c>targets.*</c> is between 0 and 1,000,000.</item>
/// </list>
/// An update replaces the whole definition; the code never changes, and the mode changes only through
/// <see cref="SwitchMode"/> (the contingency plan switch).
/// </summary>
public static class SummitRules
{
    public const int MaxName = 200;
    public const int MaxCity = 100;
    public const int MaxTarget = 1_000_000;

    public static void Validate(string code, SummitDraft draft, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        errors.Code("code", code);
        Validate(draft, errors);
    }

    public static ChangeResult<SummitEdition> Create(string code, SummitDraft draft, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        Validate(code, draft, errors);
        errors.ThrowIfAny();
        var summit = Build(code, draft, version: 1, now, actor.Account, modeSince: now);
        return new(summit, Compare(null, summit), true);
    }

    public static ChangeResult<SummitEdition> Update(SummitEdition current, SummitDraft draft, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        Validate(draft, errors);
        // A mode change without the plan switch would leave the wrong tasks and venues active.
        if (Enum.IsDefined(draft.Mode) && draft.Mode != current.Mode)
            errors.Add("mode", $"is '{Render.Camel(current.Mode)}'; switch it with PUT /api/summits/{current.Code}/mode, which also switches the contingency plan, and send the current mode here.");
        errors.ThrowIfAny();
        var candidate = Build(current.Code, draft, current.Version, current.UpdatedAt, current.UpdatedBy, current.ModeSince);
        var changes = Compare(current, candidate);
        if (changes.Count == 0) return ChangeResult<SummitEdition>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    /// <summary>The contingency plan switch: <c>mode</c> a known value, <c>reason</c> required (at most 2000 characters).</summary>
    public static ChangeResult<SummitEdition> SwitchMode(SummitEdition current, SummitMode mode, string? reason, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        errors.Defined("mode", mode);
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "is required.");
        else Check.Note(errors, reason, "reason");
        errors.ThrowIfAny();
        if (current.Mode == mode) return ChangeResult<SummitEdition>.Unchanged(current);
        var candidate = current with { Mode = mode, ModeSince = now, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account };
        return new(candidate, Compare(current, candidate), true);
    }

    public static IReadOnlyList<FieldChange> Compare(SummitEdition? before, SummitEdition after)
    {
        var set = new ChangeSet()
            .Add("name", before?.Name, after.Name)
            .Add("city", before?.City, after.City)
            .Add("openingDate", Render.Date(before?.OpeningDate), Render.Date(after.OpeningDate))
            .Add("closingDate", Render.Date(before?.ClosingDate), Render.Date(after.ClosingDate))
            .Add("preparationStart", Render.Date(before?.PreparationStart), Render.Date(after.PreparationStart))
            .Add("timeZone", before?.TimeZone, after.TimeZone)
            .Add("mode", before?.Mode.ToString(), after.Mode.ToString());
        foreach (var (field, read) in TargetFields)
            set.Add($"targets.{field}", before is null ? null : Render.Number(read(before.Targets)), Render.Number(read(after.Targets)));
        return set.Changes;
    }

    private static readonly (string Field, Func<SummitTargets, int> Read)[] TargetFields =
    [
        ("innovationAlliances", t => t.InnovationAlliances),
        ("cooperationProjects", t => t.CooperationProjects),
        ("enterprises", t => t.Enterprises),
        ("startupFinalists", t => t.StartupFinalists),
    ];

    private static void Validate(SummitDraft draft, FieldErrors errors)
    {
        errors.Require("name", draft.Name, MaxName);
        errors.Require("city", draft.City, MaxCity);
        if (draft.OpeningDate > draft.ClosingDate) errors.Add("closingDate", "must not be before openingDate.");
        if (draft.PreparationStart >= draft.OpeningDate) errors.Add("preparationStart", "must be before openingDate.");
        if (string.IsNullOrWhiteSpace(draft.TimeZone)) errors.Add("timeZone", "is required.");
        else if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(draft.TimeZone.Trim()) is null)
            errors.Add("timeZone", $"'{draft.TimeZone}' is not a known time zone id (e.g. Asia/Shanghai).");
        errors.Defined("mode", draft.Mode);
        if (draft.Targets is null) errors.Add("targets", "is required.");
        else
            foreach (var (field, read) in TargetFields)
                errors.Range($"targets.{field}", read(draft.Targets), 0, MaxTarget);
    }

    private static SummitEdition Build(string code, SummitDraft draft, int version, Instant at, string by, Instant? modeSince) => new(
        code,
        draft.Name.Trim(),
        draft.City.Trim(),
        draft.OpeningDate,
        draft.ClosingDate,
        draft.TimeZone.Trim(),
        draft.Mode,
        draft.Targets,
        draft.PreparationStart,
        version,
        at,
        by,
        modeSince);
}
