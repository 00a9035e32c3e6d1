using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a University Startup World Cup finalist:
/// <list type="bullet">
/// <item><c>id</c> is a code; <c>projectName</c> and <c>team</c> required, at most 200 characters; <c>university</c>
/// required, at most 200 (any university in the world, so a name, not a partner code); <c>country</c> required, at most
/// 100; <c>track</c> (the competition track, e.g. 生命健康) required, at most 50.</item>
/// <item><c>subForum</c>, when given, is a code (blank clears it); that the sub-forum exists is the grain's check.</item>
/// <item><c>status</c> a known value, moving as <see cref="Transitions"/> allows; a finalist may be created at any status.</item>
/// <item>It counts toward the summit's finalist target when Confirmed (<see cref="Counts"/>).</item>
/// </list>
/// </summary>
public static class FinalistRules
{
    public const int MaxProjectName = 200;
    public const int MaxTeam = 200;
    public const int MaxUniversity = 200;
    public const int MaxCountry = 100;
    public const int MaxTrack = 50;

    /// <summary>Whether the project counts toward the summit's target of Startup World Cup finalists.</summary>
    public static bool Counts(StartupFinalist finalist)
    {
        ArgumentNullException.ThrowIfNull(finalist);
        return finalist.Status == FinalistStatus.Confirmed;
    }

    public static void Validate(string id, FinalistDraft draft, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Code("id", id);
        errors.Require("projectName", draft.ProjectName, MaxProjectName);
        errors.Require("team", draft.Team, MaxTeam);
        errors.Require("university", draft.University, MaxUniversity);
        errors.Require("country", draft.Country, MaxCountry);
        errors.Require("track", draft.Track, MaxTrack);
        errors.Defined("status", draft.Status);
        SubForum(errors, draft.SubForum);
    }

    /// <param name="errors">Problems the caller already found (e.g. an unknown sub-forum).</param>
    public static ChangeResult<StartupFinalist> Create(
        string summitCode, string id, FinalistDraft draft, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();
        Validate(id, draft, errors);
        errors.ThrowIfAny();
        var finalist = new StartupFinalist(
            summitCode,
            id,
            draft.ProjectName.Trim(),
            draft.Team.Trim(),
            draft.University.Trim(),
            draft.Country.Trim(),
            draft.Track.Trim(),
            draft.Status,
            Check.Optional(draft.SubForum),
            Version: 1,
            UpdatedAt: now,
            UpdatedBy: actor.Account);
        return new(finalist, Compare(null, finalist), true);
    }

    /// <param name="errors">Problems the caller already found (e.g. an unknown sub-forum).</param>
    public static ChangeResult<StartupFinalist> Apply(
        StartupFinalist current, FinalistChange change, Actor actor, Instant now, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        errors ??= new FieldErrors();

        if (change.ProjectName is not null) errors.Require("projectName", change.ProjectName, MaxProjectName);
        if (change.Team is not null) errors.Require("team", change.Team, MaxTeam);
        if (change.University is not null) errors.Require("university", change.University, MaxUniversity);
        if (change.Country is not null) errors.Require("country", change.Country, MaxCountry);
        if (change.Track is not null) errors.Require("track", change.Track, MaxTrack);
        if (change.Status is { } status) Transitions.Check(current.Status, status, errors);
        SubForum(errors, change.SubForum);
        Check.Note(errors, change.Note);
        errors.ThrowIfAny();

        var candidate = current with
        {
            ProjectName = Check.Trim(change.ProjectName) ?? current.ProjectName,
            Team = Check.Trim(change.Team) ?? current.Team,
            University = Check.Trim(change.University) ?? current.University,
            Country = Check.Trim(change.Country) ?? current.Country,
            Track = Check.Trim(change.Track) ?? current.Track,
            Status = change.Status ?? current.Status,
            SubForum = change.SubForum is null ? current.SubForum : Check.Optional(change.SubForum),
        };
        var changes = Compare(current, candidate);
        if (changes.Count == 0 && Check.Optional(change.Note) is null) return ChangeResult<StartupFinalist>.Unchanged(current);
        return new(candidate with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor.Account }, changes, true);
    }

    public static IReadOnlyList<FieldChange> Compare(StartupFinalist? before, StartupFinalist after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return new ChangeSet()
            .Add("projectName", before?.ProjectName, after.ProjectName)
            .Add("team", before?.Team, after.Team)
            .Add("university", before?.University, after.University)
            .Add("country", before?.Country, after.Country)
            .Add("track", before?.Track, after.Track)
            .Add("status", before?.Status.ToString(), after.Status.ToString())
            .Add("subForum", before?.SubForum, after.SubForum)
            .Changes;
    }

    private static void SubForum(FieldErrors errors, string? subForum)
    {
        if (Check.Optional(subForum) is { } code) errors.Code("subForum", code);
    }
}
