using System.Text.RegularExpressions;
using NodaTime;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Rules;

/// <summary>The file store's records of a submission's attached files, by id, and what they may hold together.</summary>
public sealed record AttachedFiles(IReadOnlyDictionary<string, StoredFile> Found, long MaxBytes);

/// <summary>
/// The attached files of a submission: the one place they are checked. As sent: at most <see cref="MaxFiles"/> ids, each
/// well-formed, none twice (<see cref="Check"/>). Against the file store (<see cref="Judge"/>): each a file of the summit
/// uploaded for the unit, attached to nothing else, of a kind the template allows, all within the size a submission may
/// hold; the images among them count toward <see cref="SubmissionTemplate.MinImages"/>.
/// </summary>
public static partial class SubmissionFiles
{
    public const int MaxFiles = 50;

    public static void Check(FieldErrors errors, string field, IReadOnlyList<string>? ids)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ids is null) return;
        if (ids.Count > MaxFiles) errors.Add(field, $"must have at most {MaxFiles} entries.");
        for (var i = 0; i < ids.Count && i < MaxFiles; i++)
            if (ids[i] is null || !FileId().IsMatch(ids[i])) errors.Add($"{field}[{i}]", "is not a file id.");
        var repeated = ids.Where(id => id is not null).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToArray();
        if (repeated.Length > 0) errors.Add(field, $"lists {string.Join(", ", repeated)} more than once.");
    }

    /// <summary>How many of the attached files are images (as the file store found them), toward the template's minimum.</summary>
    public static int Images(IReadOnlyList<string> ids, AttachedFiles? files) =>
        files is null ? 0 : ids.Count(id => files.Found.TryGetValue(id, out var f) && f.Kind == FileKind.Image);

    /// <summary>
    /// The attached files as the file store holds them: each must be a file of the summit uploaded for the submitting
    /// unit (or, when the secretariat writes for it, by the secretariat), attached to nothing else, of a kind the
    /// campaign's template accepts, and all of them together within <see cref="AttachedFiles.MaxBytes"/>. A file that
    /// is someone else's reads as one that does not exist.
    /// </summary>
    public static void Judge(FieldErrors errors, string field, IReadOnlyList<string> ids, AttachedFiles files, string submissionId,
        OwningUnit unit, Actor actor, SubmissionTemplate template)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(files);
        long total = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            var ours = files.Found.TryGetValue(ids[i], out var file)
                && (file.Owner == unit || (actor.Role == Role.Secretariat && file.Owner.Kind == UnitKind.Secretariat));
            if (!ours)
            {
                errors.Add($"{field}[{i}]", $"'{ids[i]}' is not a file uploaded for this unit.");
                continue;
            }
            if (file!.AttachedTo is { } other && other != AttachedTo(submissionId))
                errors.Add($"{field}[{i}]", $"'{file.Name}' is attached to something else.");
            else if (!template.FileKinds.Contains(file.Kind))
                errors.Add($"{field}[{i}]", $"'{file.Name}' is a kind of file this campaign does not accept ({string.Join(", ", template.FileKinds).ToLowerInvariant()}).");
            total += file.Length;
        }
        if (total > files.MaxBytes)
            errors.Add(field, $"hold {Mebibytes(total)} MiB together, more than the {Mebibytes(files.MaxBytes)} MiB a submission may hold.");
    }

    /// <summary>What a submission's files are marked as attached to in the file store.</summary>
    public static string AttachedTo(string submissionId) => $"submission:{submissionId}";

    /// <summary>The submission a file is attached to (its <see cref="AttachedTo"/> mark read back); null for anything else.</summary>
    public static string? SubmissionOf(string? attachedTo) =>
        attachedTo is not null && attachedTo.StartsWith("submission:", StringComparison.Ordinal) ? attachedTo["submission:".Length..] : null;

    private static string Mebibytes(long bytes) =>
        (bytes / (1024d * 1024)).ToString(bytes % (1024 * 1024) == 0 ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z")]
    private static partial Regex FileId();
}

/// <summary>
/// Rules for a unit's submission to a campaign:
/// <list type="bullet">
/// <item>Saving and submitting need the campaign published (not closed); reviewing (return, accept) needs it published
/// or closed.</item>
/// <item><c>sections</c>: each titled by a section of the campaign's template, none twice, its text HTML (cleaned by
/// <see cref="RichText"/>) of at most 20,000 characters as sent; stored in the template's order. <c>files</c>: see
/// <see cref="SubmissionFiles"/>.</item>
/// <item>Save (draft): from none, Draft or Returned (a returned submission stays Returned while revised); a submitted or
/// accepted one is refused.</item>
/// <item>Submit: from none, Draft or Returned; every template section written (some text once tags are removed) and at
/// least the template's minimum of images attached. It is numbered (1, 2, …) and kept as an immutable version; a
/// submission first handed in after the deadline is marked <see cref="Submission.Late"/> (each version also says
/// whether it was late).</item>
/// <item>Return: from Submitted, with a comment (1-2000 characters). Accept: from Submitted, the comment optional.</item>
/// </list>
/// </summary>
public static class SubmissionRules
{
    public const int MaxSectionText = 20_000;
    public const int MaxComment = 2000;

    /// <summary>The result of a command, and for a submit the version to keep.</summary>
    public sealed record Outcome(ChangeResult<Submission> Result, SubmissionVersion? Version);

    public static void CheckInput(SubmissionChange change, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Defined("action", change.Action);
        if (change.Sections is { } sections)
        {
            if (sections.Count > CampaignRules.MaxSections) errors.Add("sections", $"must have at most {CampaignRules.MaxSections} entries.");
            for (var i = 0; i < sections.Count && i < CampaignRules.MaxSections; i++)
            {
                if (sections[i] is null)
                {
                    errors.Add($"sections[{i}]", "is required.");
                    continue;
                }
                errors.Require($"sections[{i}].title", sections[i].Title, CampaignRules.MaxSectionTitle);
                errors.MaxLength($"sections[{i}].text", sections[i].Text, MaxSectionText, multiline: true);
            }
        }
        SubmissionFiles.Check(errors, "files", change.Files);
        errors.MaxLength("comment", change.Comment, MaxComment, multiline: true);
        Check.Note(errors, change.Note);
    }

    public static Outcome Apply(
        Submission? current, string summitCode, string id, Campaign campaign, OwningUnit unit, SubmissionChange change,
        DateTimeZone zone, Actor actor, Instant now, AttachedFiles? files = null, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        CheckInput(change, errors);
        var status = current?.Status;
        var writing = change.Action is SubmissionAction.Save or SubmissionAction.Submit;
        if (writing && campaign.Status != CampaignStatus.Published)
            errors.Add("campaign", "is closed: it takes no more submissions.");
        if (writing && status is SubmissionStatus.Submitted)
            errors.Add("status", "is submitted: it can change again only when the secretariat returns it.");
        if (writing && status is SubmissionStatus.Accepted)
            errors.Add("status", "is accepted: it can no longer change.");
        if (!writing)
        {
            if (change.Sections is not null) errors.Add("sections", "cannot be changed by a review.");
            if (change.Files is not null) errors.Add("files", "cannot be changed by a review.");
            if (status != SubmissionStatus.Submitted)
                errors.Add("status", $"must be Submitted to be reviewed (it is {(status is { } s ? s.ToString() : "not started")}).");
            if (change.Action == SubmissionAction.Return && string.IsNullOrWhiteSpace(change.Comment))
                errors.Add("comment", "is required to return a submission: say what to revise.");
        }
        var template = campaign.Template;
        IReadOnlyList<SubmissionSection>? sections = null;
        if (change.Sections is { } given && !errors.Any) sections = Sections(errors, given, template);
        errors.ThrowIfAny();

        var before = current ?? new Submission(summitCode, id, campaign.Id, unit, campaign.ReceiverOf(unit), SubmissionStatus.Draft, [], [],
            Late: false, SubmittedVersions: 0, SubmittedAt: null, SubmittedBy: null, ReviewComment: null, ReviewedAt: null, ReviewedBy: null,
            Version: 0, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor.Account);
        var candidate = before with
        {
            Sections = sections ?? before.Sections,
            Files = change.Files is { } newList ? [.. newList] : before.Files,
            Receiver = campaign.ReceiverOf(unit) ?? before.Receiver,
            Reviewer = campaign.Owner,
        };
        // Newly listed files are judged against the file store; those already attached stay as they were judged.
        if (writing && change.Files is { } listed && files is not null)
        {
            SubmissionFiles.Judge(errors, "files", listed, files, id, unit, actor, template);
            errors.ThrowIfAny();
        }
        bool? lateNow = null;
        switch (change.Action)
        {
            case SubmissionAction.Submit:
                Complete(errors, candidate, template, files);
                errors.ThrowIfAny();
                lateNow = campaign.Deadline is { } deadline && now > deadline.DueInstant(zone);
                candidate = candidate with
                {
                    Status = SubmissionStatus.Submitted,
                    Late = candidate.SubmittedVersions == 0 ? lateNow.Value : candidate.Late,
                    SubmittedVersions = candidate.SubmittedVersions + 1,
                    SubmittedAt = now,
                    SubmittedBy = actor.Account,
                };
                break;
            case SubmissionAction.Return:
                candidate = candidate with { Status = SubmissionStatus.Returned, ReviewComment = change.Comment!.Trim(), ReviewedAt = now, ReviewedBy = actor.Account };
                break;
            case SubmissionAction.Accept:
                candidate = candidate with { Status = SubmissionStatus.Accepted, ReviewComment = Check.Optional(change.Comment), ReviewedAt = now, ReviewedBy = actor.Account };
                break;
        }

        var changes = Compare(current, candidate);
        if (current is not null && changes.Count == 0 && Check.Optional(change.Note) is null)
            return new(ChangeResult<Submission>.Unchanged(current), null);
        var written = candidate with { Version = before.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account };
        var version = lateNow is { } late ? new SubmissionVersion(written.SubmittedVersions, written.Version, now, actor.Account, late, written) : null;
        return new(new(written, changes, true), version);
    }

    public static IReadOnlyList<FieldChange> Compare(Submission? before, Submission after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var set = new ChangeSet()
            .Add("status", before?.Status.ToString(), after.Status.ToString())
            .Add("receiver", before?.Receiver, after.Receiver);
        // Section texts can be long: the history names each changed section with the start of its text.
        foreach (var title in after.Sections.Select(s => s.Title).Union(before?.Sections.Select(s => s.Title) ?? []))
        {
            var from = before?.Sections.FirstOrDefault(s => s.Title == title)?.Text;
            var to = after.Sections.FirstOrDefault(s => s.Title == title)?.Text;
            set.Add($"sections.{title}", from is null ? null : CampaignRules.Short(from), to is null ? null : CampaignRules.Short(to), from != to);
        }
        return set
            .Codes("files", before?.Files, after.Files)
            .Add("late", before is null ? null : Render.Flag(before.Late), Render.Flag(after.Late))
            .Add("submittedVersions", before is null ? null : Render.Number(before.SubmittedVersions), Render.Number(after.SubmittedVersions))
            .Add("reviewComment", before?.ReviewComment, after.ReviewComment)
            .Changes;
    }

    private static SubmissionSection[] Sections(FieldErrors errors, IReadOnlyList<SubmissionSection> given, SubmissionTemplate template)
    {
        var byTitle = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < given.Count; i++)
        {
            var title = given[i].Title.Trim();
            if (!template.Sections.Contains(title, StringComparer.Ordinal))
                errors.Add($"sections[{i}].title", $"'{title}' is not a section of the campaign's template.");
            else if (!byTitle.TryAdd(title, RichText.Clean(given[i].Text)))
                errors.Add("sections", $"lists '{title}' more than once.");
        }
        return [.. template.Sections.Where(byTitle.ContainsKey).Select(t => new SubmissionSection(t, byTitle[t]))];
    }

    private static void Complete(FieldErrors errors, Submission submission, SubmissionTemplate template, AttachedFiles? files)
    {
        var empty = template.Sections
            .Where(t => RichText.PlainText(submission.Sections.FirstOrDefault(s => s.Title == t)?.Text).Length == 0)
            .ToArray();
        if (empty.Length > 0) errors.Add("sections", $"must be written before submitting: {string.Join(", ", empty)}.");
        var images = SubmissionFiles.Images(submission.Files, files);
        if (images < template.MinImages) errors.Add("files", $"needs at least {template.MinImages} images (attached: {images}).");
    }
}
