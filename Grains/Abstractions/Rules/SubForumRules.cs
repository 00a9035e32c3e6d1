using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a sub-forum:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>theme</c> and <c>venue</c> required, at most 200 characters each; <c>format</c> and <c>status</c> known values.</item>
/// <item><c>day</c> is one of the summit's days (checked when it changes); <c>start</c> is before <c>end</c>.</item>
/// <item><c>hostUniversity</c>, when given, is a code (blank clears it); that it exists is the grain's check.</item>
/// <item><c>speakers</c>: at most 200; each <c>speakers[i].name</c> required and <c>speakers[i].affiliation</c> optional, at most 200 each.</item>
/// <item>Status moves follow <see cref="Transitions"/>; SpeakersConfirmed and every later stage need at least one confirmed speaker.</item>
/// </list>
/// </summary>
public static class SubForumRules
{
    public const int MaxTheme = 200;
    public const int MaxVenue = 200;
    public const int MaxSpeakers = 200;
    public const int MaxSpeakerText = 200;

    public static void Validate(string id, SubForumDraft draft, SummitEdition summit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        errors.Code("id", id);
        errors.Require("theme", draft.Theme, MaxTheme);
        Check.InWindow(errors, "day", draft.Day, summit.SummitDays, "the summit's days");
        if (draft.Start >= draft.End) errors.Add("end", "must be after start.");
        errors.Require("venue", draft.Venue, MaxVenue);
        errors.Defined("format", draft.Format);
        Host(errors, draft.HostUniversity);
        Speakers(errors, draft.Speakers);
        Check.Defined(errors, "plan", draft.Plan);
    }

    /// <param name="errors">Problems the caller already found (e.g. an unknown host university).</param>
    public static ChangeResult<SubForum> Create(
        string summitCode, string id, SubForumDraft draft, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, summit, errors);
        errors.ThrowIfAny();
        var forum = new SubForum(
            summitCode,
            id,
            draft.Theme.Trim(),
            Check.Optional(draft.HostUniversity),
            draft.Day,
            draft.Start,
            draft.End,
            draft.Venue.Trim(),
            draft.Format,
            Normalise(draft.Speakers),
            SubForumStatus.Planned,
            Version: 1,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        forum = WithPlan(forum, draft.Plan, summit);
        return new(forum, Compare(null, forum), true);
    }

    /// <param name="errors">Problems the caller already found (e.g. an unknown host university).</param>
    public static ChangeResult<SubForum> Apply(
        SubForum current, SubForumChange change, SummitEdition summit, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.Theme is not null) errors.Require("theme", change.Theme, MaxTheme);
        if (change.Venue is not null) errors.Require("venue", change.Venue, MaxVenue);
        if (change.Day is { } day && day != current.Day) Check.InWindow(errors, "day", day, summit.SummitDays, "the summit's days");
        Check.Defined(errors, "format", change.Format);
        Host(errors, change.HostUniversity);
        Speakers(errors, change.Speakers);
        if (change.Status is { } status) Transitions.Check(current.Status, status, errors);
        Check.Note(errors, change.Note);
        Check.Defined(errors, "plan", change.Plan?.Mode);

        var start = change.Start ?? current.Start;
        var end = change.End ?? current.End;
        if (start >= end)
        {
            if (change.End is not null) errors.Add("end", "must be after start.");
            else errors.Add("start", "must be before end.");
        }
        var nextStatus = change.Status ?? current.Status;
        var confirmed = (change.Speakers ?? current.Speakers).Any(s => s is { Confirmed: true });
        if (nextStatus >= SubForumStatus.SpeakersConfirmed && Enum.IsDefined(nextStatus) && !confirmed)
            errors.Add(change.Status is not null && change.Status != current.Status ? "status" : "speakers",
                $"{nextStatus} needs at least one confirmed speaker.");
        errors.ThrowIfAny();

        var candidate = current with
        {
            Theme = Check.Trim(change.Theme) ?? current.Theme,
            Day = change.Day ?? current.Day,
            Start = start,
            End = end,
            Venue = Check.Trim(change.Venue) ?? current.Venue,
            Format = change.Format ?? current.Format,
            HostUniversity = change.HostUniversity is null ? current.HostUniversity : Check.Optional(change.HostUniversity),
            Speakers = change.Speakers is null ? current.Speakers : Normalise(change.Speakers),
            Status = nextStatus,
        };
        candidate = WithPlan(candidate, change.Plan is { } plan ? plan.Mode : current.Plan, summit);
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<SubForum>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(SubForum? before, SubForum after) => new ChangeSet()
        .Add("theme", before?.Theme, after.Theme)
        .Add("hostUniversity", before?.HostUniversity, after.HostUniversity)
        .Add("day", Render.Date(before?.Day), Render.Date(after.Day))
        .Add("start", before is null ? null : Render.Time(before.Start), Render.Time(after.Start))
        .Add("end", before is null ? null : Render.Time(before.End), Render.Time(after.End))
        .Add("venue", before?.Venue, after.Venue)
        .Add("format", before?.Format.ToString(), after.Format.ToString())
        .List("speakers", before?.Speakers, after.Speakers, Describe)
        .Add("status", before?.Status.ToString(), after.Status.ToString())
        .Add("plan", before?.Plan?.ToString(), after.Plan?.ToString())
        // A new sub-forum that is not set aside says nothing about it.
        .Add("setAside", before is null ? null : Render.Flag(before.SetAside), before is null && !after.SetAside ? null : Render.Flag(after.SetAside))
        .Changes;

    /// <summary>Contingency plan: set aside follows from the plan and the summit's current mode; the status is never touched.</summary>
    private static SubForum WithPlan(SubForum forum, SummitMode? plan, SummitEdition summit) =>
        forum with { Plan = plan, SetAside = ContingencyPlan.IsSetAside(plan, summit.Mode) };

    private static string Describe(Speaker s) =>
        s.Name + (s.Affiliation is { } a ? $" ({a})" : "") + (s.Confirmed ? ", confirmed" : "");

    private static void Host(FieldErrors errors, string? host)
    {
        if (Check.Optional(host) is { } code) errors.Code("hostUniversity", code);
    }

    private static void Speakers(FieldErrors errors, IReadOnlyList<Speaker>? speakers)
    {
        if (speakers is null) return;
        if (speakers.Count > MaxSpeakers) errors.Add("speakers", $"must have at most {MaxSpeakers} entries.");
        for (var i = 0; i < speakers.Count; i++)
        {
            if (speakers[i] is not { } speaker)
            {
                errors.Add($"speakers[{i}]", "is required.");
                continue;
            }
            errors.Require($"speakers[{i}].name", speaker.Name, MaxSpeakerText);
            errors.MaxLength($"speakers[{i}].affiliation", speaker.Affiliation, MaxSpeakerText);
        }
    }

    private static Speaker[] Normalise(IReadOnlyList<Speaker>? speakers) =>
        speakers?.Select(s => new Speaker(s.Name.Trim(), Check.Optional(s.Affiliation), s.Confirmed)).ToArray() ?? [];
}
