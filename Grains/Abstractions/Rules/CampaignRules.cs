using NodaTime;
using Summit.Domain;
using Summit.Storage;
using Summit.Scheduling;

namespace Summit.Rules;

/// <summary>
/// The summit's units a campaign may address and the calendar its deadline is judged on, read by the campaign's grain
/// before each command (the counties and partner universities of the summit, the summit's working calendar).
/// </summary>
public sealed record CampaignFacts(IReadOnlyCollection<string> Counties, IReadOnlyCollection<string> Universities, WorkingCalendar Calendar)
{
    /// <summary>
    /// The active (not archived) organisations a campaign may address: for the secretariat's campaigns those at the
    /// city level, for a forward those registered under the forwarding unit.
    /// </summary>
    public IReadOnlyCollection<string> Organizations { get; init; } = [];

    /// <summary>For a forwarded campaign, the campaign it was forwarded from (its deadline bounds the forward's).</summary>
    public Campaign? Parent { get; init; }
}

/// <summary>
/// Rules for a campaign:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>title</c> required, at most 200 characters; <c>body</c> (HTML, cleaned by
/// <see cref="RichText"/>) at most 20,000 characters as sent.</item>
/// <item><c>periodStart</c> on or before <c>periodEnd</c>; <c>deadline</c> inside the summit's preparation window and on a
/// working day of the summit's calendar (a weekend or holiday is refused, a make-up working day accepted).</item>
/// <item><c>audience.allOf</c>: county and/or university (every one of them); <c>audience.units</c>: at most 200 units,
/// each a county or partner university of the summit or a secretariat department (<see cref="SecretariatDepartments"/>),
/// none twice.</item>
/// <item><c>template.sections</c>: at most 20 titles, each required, at most 100 characters, none twice;
/// <c>template.minImages</c> 0-50; <c>template.fileKinds</c> at least one kind, none twice, and image among them when images
/// are required.</item>
/// <item><c>receivers</c>: one department per kind of unit at most, each a secretariat department.</item>
/// <item><c>status</c> moves Draft → Published → Closed, Closed → Published (reopen), Draft ⇄ Archived. Publishing needs a
/// deadline, an audience that names at least one unit, and a receiver for every kind of unit addressed; it resolves the
/// audience into <see cref="Campaign.Addressees"/>.</item>
/// <item>Once published, the audience and the template are fixed (units are writing to them); title, body, period,
/// deadline and receivers may still change, each with the history keeping the change.</item>
/// </list>
/// </summary>
public static class CampaignRules
{
    public const int MaxTitle = 200;
    public const int MaxBody = 20_000;
    public const int MaxUnits = 200;
    public const int MaxSections = 20;
    public const int MaxSectionTitle = 100;
    public const int MaxMinImages = 50;

    private static readonly IReadOnlyDictionary<CampaignStatus, CampaignStatus[]> Moves = new Dictionary<CampaignStatus, CampaignStatus[]>
    {
        [CampaignStatus.Draft] = [CampaignStatus.Published, CampaignStatus.Archived],
        [CampaignStatus.Published] = [CampaignStatus.Closed],
        [CampaignStatus.Closed] = [CampaignStatus.Published],
        [CampaignStatus.Archived] = [CampaignStatus.Draft],
    };

    public static IReadOnlyList<CampaignStatus> Next(CampaignStatus from) => Moves.TryGetValue(from, out var next) ? next : [];

    /// <summary>The id of the campaign <paramref name="unit"/> forwards <paramref name="parent"/> as: one per unit and campaign.</summary>
    public static string ForwardId(string parent, OwningUnit unit)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(unit);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(parent)))[..8];
        var code = unit.Code.Length > 36 ? unit.Code[..36].TrimEnd('-') : unit.Code;
        return $"fw-{code}-{hash}";
    }

    /// <summary>
    /// A unit forwards <paramref name="facts"/>' parent campaign to its organisations: a campaign of its own, published at
    /// once, addressed to the organisations chosen (each registered under it and active; or all of them), with the
    /// parent's period and template, the requirements it adds followed by the parent's notice as its body (organisations
    /// do not read the parent), and an internal deadline on a working day no
    /// later than the parent's. The parent must be published (not closed) and not itself a forward.
    /// </summary>
    public static ChangeResult<Campaign> Forward(
        string summitCode, string id, CampaignForward forward, OwningUnit unit, SummitEdition summit, CampaignFacts facts, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(actor);
        var parent = facts.Parent ?? throw new ArgumentException("A forward needs its parent campaign.", nameof(facts));
        var errors = new FieldErrors();
        if (parent.Status != CampaignStatus.Published) errors.Add("parent", "only a published campaign can be forwarded.");
        if (parent.Owner is not null) errors.Add("parent", "a forwarded campaign cannot be forwarded again.");
        if (forward.Title is not null) errors.Require("title", forward.Title, MaxTitle);
        Body(errors, forward.Body);
        if (forward.Deadline is not { } deadline) errors.Add("deadline", "is required.");
        else ForwardDeadline(errors, deadline, parent, summit, facts);
        var chosen = Organizations(errors, forward, facts);
        Check.Note(errors, forward.Note);
        errors.ThrowIfAny();
        var title = Check.Trim(forward.Title) ?? Clip($"转发：{parent.Title}", MaxTitle);
        // The organisations receive the unit's requirements and, below them, the notice forwarded, which they cannot open.
        var body = RichText.Clean(
            $"{RichText.Clean(forward.Body)}<hr><p><strong>{System.Net.WebUtility.HtmlEncode(parent.Title)}</strong></p>{parent.Body}");
        var campaign = new Campaign(summitCode, id, title, body, parent.PeriodStart, parent.PeriodEnd,
            new CampaignAudience([], chosen), chosen, forward.Deadline, parent.Template, [], CampaignStatus.Published,
            PublishedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor.Account)
        {
            Parent = parent.Id,
            Owner = unit,
        };
        var changes = new ChangeSet().Add("parent", null, parent.Id).Add("owner", null, unit.ToString()).Changes;
        return new(campaign, [.. changes, .. Compare(null, campaign)], true);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    private static void ForwardDeadline(FieldErrors errors, Deadline deadline, Campaign parent, SummitEdition summit, CampaignFacts facts)
    {
        CheckDeadline(errors, deadline, summit, facts);
        if (parent.Deadline is { } outer && deadline.DueInstant(summit.Zone) > outer.DueInstant(summit.Zone))
            errors.Add("deadline", $"must be no later than the deadline of the campaign forwarded ({Render.Deadline(outer)}).");
    }

    private static OwningUnit[] Organizations(FieldErrors errors, CampaignForward forward, CampaignFacts facts)
    {
        if (forward.AllOrganizations)
        {
            if (forward.Organizations is { Count: > 0 }) errors.Add("organizations", "must be left out when allOrganizations is true.");
            if (facts.Organizations.Count == 0) errors.Add("allOrganizations", "no organisation is registered under the forwarding unit.");
            return [.. facts.Organizations.Order(StringComparer.Ordinal).Select(OwningUnit.Organization)];
        }
        var codes = forward.Organizations ?? [];
        if (codes.Count == 0) errors.Add("organizations", "must name at least one organisation (or set allOrganizations).");
        if (codes.Count > MaxUnits) errors.Add("organizations", $"must have at most {MaxUnits} entries.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < codes.Count && i < MaxUnits; i++)
        {
            var code = codes[i]?.Trim();
            var field = $"organizations[{i}]";
            if (!FieldErrors.IsCode(code)) errors.Code(field, code);
            else if (!seen.Add(code!)) errors.Add("organizations", $"lists '{code}' more than once.");
            else if (!facts.Organizations.Contains(code)) errors.Add(field, $"'{code}' is not an active organisation registered under the forwarding unit.");
        }
        return [.. seen.Order(StringComparer.Ordinal).Select(OwningUnit.Organization)];
    }

    /// <summary>Checks a draft as the client sent it; the units' existence and the calendar need <paramref name="facts"/> (the grain's).</summary>
    public static void Validate(string id, CampaignDraft draft, SummitEdition summit, FieldErrors errors, CampaignFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Code("id", id);
        errors.Require("title", draft.Title, MaxTitle);
        Body(errors, draft.Body);
        Period(errors, draft.PeriodStart, draft.PeriodEnd);
        if (draft.Deadline is { } deadline) CheckDeadline(errors, deadline, summit, facts);
        if (draft.Audience is { } audience) Audience(errors, audience, facts);
        if (draft.Template is { } template) Template(errors, template);
        if (draft.Receivers is { } receivers) Receivers(errors, receivers);
        Check.Note(errors, draft.Note);
    }

    public static ChangeResult<Campaign> Create(
        string summitCode, string id, CampaignDraft draft, SummitEdition summit, CampaignFacts facts, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors, facts);
        errors.ThrowIfAny();
        var campaign = new Campaign(
            summitCode,
            id,
            draft.Title.Trim(),
            RichText.Clean(draft.Body),
            draft.PeriodStart,
            draft.PeriodEnd,
            Normalise(draft.Audience ?? CampaignAudience.None),
            [],
            draft.Deadline,
            Normalise(draft.Template ?? SubmissionTemplate.Empty),
            Normalise(draft.Receivers ?? []),
            CampaignStatus.Draft,
            PublishedAt: null,
            Version: 1,
            CreatedAt: now,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(campaign, Compare(null, campaign), true);
    }

    public static ChangeResult<Campaign> Apply(
        Campaign current, CampaignChange change, SummitEdition summit, CampaignFacts facts, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.Title is not null) errors.Require("title", change.Title, MaxTitle);
        Body(errors, change.Body);
        Period(errors, change.PeriodStart ?? current.PeriodStart, change.PeriodEnd ?? current.PeriodEnd);
        if (change.Deadline is { } deadline && deadline != current.Deadline)
        {
            if (facts.Parent is { } parent) ForwardDeadline(errors, deadline, parent, summit, facts);
            else CheckDeadline(errors, deadline, summit, facts);
        }
        if (current.Owner is not null && (change.Audience is not null || change.Template is not null || change.Receivers is not null))
            errors.Add(change.Audience is not null ? "audience" : change.Template is not null ? "template" : "receivers",
                "is fixed for a forwarded campaign (forward it again to other organisations instead).");
        var draft = current.Status == CampaignStatus.Draft;
        if (change.Audience is { } audience)
        {
            Audience(errors, audience, facts);
            if (!draft && !SameAudience(audience, current.Audience))
                errors.Add("audience", "can be changed only while the campaign is a draft.");
        }
        if (change.Template is { } template)
        {
            Template(errors, template);
            if (!draft && !SameTemplate(template, current.Template))
                errors.Add("template", "can be changed only while the campaign is a draft.");
        }
        if (change.Receivers is { } receivers) Receivers(errors, receivers);
        if (change.Status is { } status) CheckMove(current.Status, status, errors);
        Check.Note(errors, change.Note);
        errors.ThrowIfAny();

        var candidate = current with
        {
            Title = Check.Trim(change.Title) ?? current.Title,
            Body = change.Body is null ? current.Body : RichText.Clean(change.Body),
            PeriodStart = change.PeriodStart ?? current.PeriodStart,
            PeriodEnd = change.PeriodEnd ?? current.PeriodEnd,
            Audience = change.Audience is null || !draft ? current.Audience : Normalise(change.Audience),
            Deadline = change.Deadline ?? current.Deadline,
            Template = change.Template is null || !draft ? current.Template : Normalise(change.Template),
            Receivers = change.Receivers is null ? current.Receivers : Normalise(change.Receivers),
            Status = change.Status ?? current.Status,
        };
        var publishing = current.Status == CampaignStatus.Draft && candidate.Status == CampaignStatus.Published;
        if (publishing)
        {
            candidate = candidate with { Addressees = Resolve(candidate.Audience, facts), PublishedAt = current.PublishedAt ?? now };
            ReadyToPublish(errors, candidate);
        }
        else if (candidate.Status == CampaignStatus.Published)
        {
            // Receivers may change while published, but every kind addressed keeps one.
            MissingReceivers(errors, candidate);
        }
        errors.ThrowIfAny();

        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<Campaign>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    /// <summary>
    /// The units an audience addresses: every county and/or university of the summit for the kinds in
    /// <see cref="CampaignAudience.AllOf"/>, and the units chosen one by one; each once, counties first, then universities,
    /// then departments, each kind by code.
    /// </summary>
    public static IReadOnlyList<OwningUnit> Resolve(CampaignAudience audience, CampaignFacts facts)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(facts);
        var units = new HashSet<OwningUnit>(audience.Units);
        if (audience.AllOf.Contains(UnitKind.County)) units.UnionWith(facts.Counties.Select(OwningUnit.County));
        if (audience.AllOf.Contains(UnitKind.University)) units.UnionWith(facts.Universities.Select(OwningUnit.University));
        return [.. units.OrderBy(u => KindOrder(u.Kind)).ThenBy(u => u.Code, StringComparer.Ordinal)];
    }

    public static IReadOnlyList<FieldChange> Compare(Campaign? before, Campaign after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return new ChangeSet()
            .Add("title", before?.Title, after.Title)
            .Add("body", before?.Body is { Length: > 0 } b ? Short(b) : null, after.Body.Length > 0 ? Short(after.Body) : null, before?.Body != after.Body)
            .Add("periodStart", Render.Date(before?.PeriodStart), Render.Date(after.PeriodStart))
            .Add("periodEnd", Render.Date(before?.PeriodEnd), Render.Date(after.PeriodEnd))
            .Add("audience", before is null ? null : RenderAudience(before.Audience), RenderAudience(after.Audience))
            .Add("addressees", Render.Codes(before?.Addressees.Select(u => u.ToString()).ToArray()), Render.Codes(after.Addressees.Select(u => u.ToString()).ToArray()))
            .Add("deadline", Render.Deadline(before?.Deadline), Render.Deadline(after.Deadline))
            .Add("template", before is null ? null : RenderTemplate(before.Template), RenderTemplate(after.Template))
            .Add("receivers", before is null ? null : RenderReceivers(before.Receivers), RenderReceivers(after.Receivers))
            .Add("status", before?.Status.ToString(), after.Status.ToString())
            .Changes;
    }

    /// <summary>A long text in the history: its start and its length (the full text is the entity's, and its versions').</summary>
    internal static string Short(string text) =>
        text.Length <= 80 ? text : $"{text[..80]}… ({Render.Number(text.Length)} characters)";

    private static void CheckMove(CampaignStatus from, CampaignStatus to, FieldErrors errors)
    {
        if (from == to) return;
        if (!Enum.IsDefined(to))
        {
            errors.Add("status", $"'{to}' is not a known value.");
            return;
        }
        var allowed = Next(from);
        if (!allowed.Contains(to))
            errors.Add("status", $"cannot move from {from} to {to}; allowed next: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}.");
    }

    private static void ReadyToPublish(FieldErrors errors, Campaign campaign)
    {
        if (campaign.Deadline is null) errors.Add("deadline", "is required to publish the campaign.");
        if (campaign.Addressees.Count == 0) errors.Add("audience", "must name at least one unit to publish the campaign.");
        MissingReceivers(errors, campaign);
    }

    private static void MissingReceivers(FieldErrors errors, Campaign campaign)
    {
        // A forward's submissions go to the unit that forwarded it.
        if (campaign.Owner is not null) return;
        var missing = campaign.Addressees.Select(u => u.Kind).Distinct()
            .Where(kind => campaign.Receivers.All(r => r.UnitKind != kind))
            .OrderBy(KindOrder).Select(k => Render.Camel(k)).ToArray();
        if (missing.Length > 0) errors.Add("receivers", $"must name the receiving department for: {string.Join(", ", missing)}.");
    }

    private static void Body(FieldErrors errors, string? body) => errors.MaxLength("body", body, MaxBody, multiline: true);

    private static void Period(FieldErrors errors, LocalDate? start, LocalDate? end)
    {
        if (start is { } s && end is { } e && e < s) errors.Add("periodEnd", "must not be before periodStart.");
    }

    private static void CheckDeadline(FieldErrors errors, Deadline deadline, SummitEdition summit, CampaignFacts? facts)
    {
        Check.InWindow(errors, "deadline", deadline.Date, summit.PreparationWindow, "the summit's preparation window");
        if (facts is not null && summit.PreparationWindow.Contains(deadline.Date) && !facts.Calendar.IsWorkingDay(deadline.Date))
            errors.Add("deadline", $"{Render.Date(deadline.Date)} is not a working day of the summit's calendar.");
    }

    private static void Audience(FieldErrors errors, CampaignAudience audience, CampaignFacts? facts)
    {
        if (audience.AllOf is null || audience.Units is null)
        {
            errors.Add("audience", "is required.");
            return;
        }
        for (var i = 0; i < audience.AllOf.Count; i++)
        {
            var kind = audience.AllOf[i];
            if (!Enum.IsDefined(kind)) errors.Add($"audience.allOf[{i}]", $"'{kind}' is not a known value.");
            else if (kind is UnitKind.Secretariat or UnitKind.Organization)
                errors.Add($"audience.allOf[{i}]", "must be county or university; choose departments and organisations one by one.");
        }
        if (audience.AllOf.Distinct().Count() != audience.AllOf.Count) errors.Add("audience.allOf", "is listed twice.");
        if (audience.Units.Count > MaxUnits) errors.Add("audience.units", $"must have at most {MaxUnits} entries.");
        var seen = new HashSet<OwningUnit>();
        for (var i = 0; i < audience.Units.Count && i < MaxUnits; i++)
        {
            var unit = audience.Units[i];
            var field = $"audience.units[{i}]";
            if (unit is null)
            {
                errors.Add(field, "is required.");
                continue;
            }
            if (!Enum.IsDefined(unit.Kind))
            {
                errors.Add($"{field}.kind", $"'{unit.Kind}' is not a known value.");
                continue;
            }
            if (!FieldErrors.IsCode(unit.Code))
            {
                errors.Code($"{field}.code", unit.Code);
                continue;
            }
            if (!seen.Add(unit)) errors.Add("audience.units", $"lists {unit} more than once.");
            var known = unit.Kind switch
            {
                UnitKind.Secretariat => SecretariatDepartments.IsKnown(unit.Code),
                UnitKind.County => facts is null || facts.Counties.Contains(unit.Code),
                UnitKind.Organization => facts is null || facts.Organizations.Contains(unit.Code),
                _ => facts is null || facts.Universities.Contains(unit.Code),
            };
            if (!known) errors.Add(field, $"'{unit}' is not a unit of this summit.");
        }
    }

    private static void Template(FieldErrors errors, SubmissionTemplate template)
    {
        if (template.Sections is null || template.FileKinds is null)
        {
            errors.Add("template", "is required.");
            return;
        }
        errors.Items("template.sections", template.Sections, MaxSections, MaxSectionTitle);
        var repeated = template.Sections.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
            .GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToArray();
        if (repeated.Length > 0) errors.Add("template.sections", $"lists {string.Join(", ", repeated)} more than once.");
        errors.Range("template.minImages", template.MinImages, 0, MaxMinImages);
        if (template.FileKinds.Count == 0) errors.Add("template.fileKinds", "must name at least one kind of file.");
        for (var i = 0; i < template.FileKinds.Count; i++) errors.Defined($"template.fileKinds[{i}]", template.FileKinds[i]);
        if (template.FileKinds.Distinct().Count() != template.FileKinds.Count) errors.Add("template.fileKinds", "is listed twice.");
        if (template.MinImages > 0 && template.FileKinds.Count > 0 && !template.FileKinds.Contains(FileKind.Image))
            errors.Add("template.fileKinds", "must allow images when images are required.");
    }

    private static void Receivers(FieldErrors errors, IReadOnlyList<ReceivingOffice> receivers)
    {
        if (receivers.Count > 3) errors.Add("receivers", "must have at most 3 entries.");
        for (var i = 0; i < receivers.Count && i < 3; i++)
        {
            var receiver = receivers[i];
            if (receiver is null)
            {
                errors.Add($"receivers[{i}]", "is required.");
                continue;
            }
            errors.Defined($"receivers[{i}].unitKind", receiver.UnitKind);
            if (!SecretariatDepartments.IsKnown(receiver.Department))
                errors.Add($"receivers[{i}].department", $"'{receiver.Department}' is not a secretariat department.");
        }
        if (receivers.Where(r => r is not null).Select(r => r.UnitKind).Distinct().Count() != receivers.Count(r => r is not null))
            errors.Add("receivers", "names a kind of unit twice.");
    }

    // What a client sends again unchanged (e.g. a whole form saved after publishing) is not a change.
    private static bool SameAudience(CampaignAudience sent, CampaignAudience held) =>
        sent.AllOf is not null && sent.Units is not null
        && sent.AllOf.Distinct().Order().SequenceEqual(held.AllOf)
        && sent.Units.Select(u => u?.Kind + ":" + u?.Code?.Trim()).SequenceEqual(held.Units.Select(u => u.Kind + ":" + u.Code));

    private static bool SameTemplate(SubmissionTemplate sent, SubmissionTemplate held) =>
        sent.Sections is not null && sent.FileKinds is not null
        && sent.Sections.Select(s => s?.Trim()).SequenceEqual(held.Sections, StringComparer.Ordinal)
        && sent.MinImages == held.MinImages && sent.FileKinds.Distinct().Order().SequenceEqual(held.FileKinds);

    private static CampaignAudience Normalise(CampaignAudience audience) => new(
        [.. audience.AllOf.Distinct().Order()],
        [.. audience.Units.Select(u => new OwningUnit(u.Kind, u.Code.Trim()))]);

    private static SubmissionTemplate Normalise(SubmissionTemplate template) => new(
        [.. template.Sections.Select(s => s.Trim())], template.MinImages, [.. template.FileKinds.Distinct().Order()]);

    private static ReceivingOffice[] Normalise(IReadOnlyList<ReceivingOffice> receivers) =>
        [.. receivers.OrderBy(r => KindOrder(r.UnitKind))];

    private static int KindOrder(UnitKind kind) => kind switch
    {
        UnitKind.County => 0,
        UnitKind.University => 1,
        UnitKind.Organization => 2,
        _ => 3,
    };

    private static string RenderAudience(CampaignAudience audience) => string.Join("; ",
        audience.AllOf.Select(k => $"all {Render.Camel(k)}").Concat(audience.Units.Select(u => u.ToString())));

    private static string RenderTemplate(SubmissionTemplate template) =>
        $"sections: {string.Join(" | ", template.Sections)}; minImages: {Render.Number(template.MinImages)}; fileKinds: {string.Join(", ", template.FileKinds.Select(k => Render.Camel(k)))}";

    private static string? RenderReceivers(IReadOnlyList<ReceivingOffice> receivers) => receivers.Count == 0 ? null
        : string.Join(", ", receivers.Select(r => $"{Render.Camel(r.UnitKind)}: {r.Department}"));
}
