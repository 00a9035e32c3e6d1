using NodaTime;
using Summit.Domain;

namespace Summit.Rules;

/// <summary>
/// Rules for a county venue and its sub-events:
/// <list type="bullet">
/// <item><c>county</c> is a code; <c>name</c> and <c>venue</c> required, at most 200 characters; <c>lead</c> at most 100 (blank clears it).</item>
/// <item>Sub-events: <c>id</c> is a code unique in the county (at most 200 per county); <c>title</c> required, at most 200;
/// <c>venue</c> at most 200; <c>date</c> inside the summit's preparation window (checked when it changes).</item>
/// <item>The checklist starts with every <see cref="ChecklistItem"/> Open; items and states are known values (<c>checklist.venue</c>).</item>
/// <item>Status moves follow <see cref="Transitions"/>; Ready needs every checklist item Done, and no item may leave Done while Ready.</item>
/// <item><c>plan</c>: a sub-event may belong to one summit mode's contingency plan; it is set aside while the summit runs
/// in another mode (<see cref="ContingencyPlan"/>), and every change of the county re-reads that from the summit's mode.</item>
/// </list>
/// Any change to the county or one of its sub-events is a new county version; its history names sub-event fields
/// as <c>subEvents.{id}.status</c>, <c>subEvents.{id}.checklist.venue</c>.
/// </summary>
public static class CountyRules
{
    public const int MaxName = 200;
    public const int MaxVenue = 200;
    public const int MaxLead = 100;
    public const int MaxTitle = 200;
    public const int MaxSubEvents = 200;

    public static string ChecklistField(ChecklistItem item) => $"checklist.{Render.Camel(item)}";

    public static void Validate(string county, CountyDraft draft, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        errors.Code("county", county);
        errors.Require("name", draft.Name, MaxName);
        errors.Require("venue", draft.Venue, MaxVenue);
        errors.MaxLength("lead", draft.Lead, MaxLead);
    }

    public static ChangeResult<CountyVenue> Create(string summitCode, string county, CountyDraft draft, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        Validate(county, draft, errors);
        errors.ThrowIfAny();
        var venue = new CountyVenue(
            summitCode,
            county,
            draft.Name.Trim(),
            draft.Venue.Trim(),
            Check.Optional(draft.Lead),
            [],
            Version: 1,
            new LastUpdate(actor.Account, now, null));
        return new(venue, Compare(null, venue), true);
    }

    /// <summary>Changes the county's own fields; the sub-events' set-aside flags follow <paramref name="summit"/>'s mode.</summary>
    public static ChangeResult<CountyVenue> Apply(CountyVenue current, CountyChange change, SummitEdition summit, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        if (change.Name is not null) errors.Require("name", change.Name, MaxName);
        if (change.Venue is not null) errors.Require("venue", change.Venue, MaxVenue);
        errors.MaxLength("lead", change.Lead, MaxLead);
        Check.Note(errors, change.Note);
        errors.ThrowIfAny();

        var candidate = current with
        {
            Name = Check.Trim(change.Name) ?? current.Name,
            Venue = Check.Trim(change.Venue) ?? current.Venue,
            Lead = change.Lead is null ? current.Lead : Check.Optional(change.Lead),
            SubEvents = [.. current.SubEvents.Select(e => WithPlan(e, e.Plan, summit))],
        };
        var changes = Compare(current, candidate);
        var note = Check.Optional(change.Note);
        if (changes.Count == 0 && note is null) return ChangeResult<CountyVenue>.Unchanged(current);
        var stamp = new LastUpdate(actor.Account, now, note);
        // A sub-event whose set-aside flag moved is a new version of that sub-event too.
        var subEvents = candidate.SubEvents
            .Select((e, i) => e.SetAside == current.SubEvents[i].SetAside ? e : e with { Version = e.Version + 1, LastUpdate = stamp })
            .ToArray();
        return new(candidate with { SubEvents = subEvents, Version = current.Version + 1, LastUpdate = stamp }, changes, true);
    }

    /// <summary>Adds a sub-event; the new sub-event is the last of <see cref="CountyVenue.SubEvents"/> in the result.</summary>
    /// <exception cref="EntityExistsException">The county already has a sub-event with this id.</exception>
    public static ChangeResult<CountyVenue> AddSubEvent(
        CountyVenue current, string subEventId, SubEventDraft draft, SummitEdition summit, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        if (current.SubEvents.Any(e => e.Id == subEventId)) throw new EntityExistsException(EntityKind.County, SubEventKey(current, subEventId));
        var errors = new FieldErrors();
        errors.Code("id", subEventId);
        errors.Require("title", draft.Title, MaxTitle);
        errors.MaxLength("venue", draft.Venue, MaxVenue);
        if (draft.Date is { } date) Check.InWindow(errors, "date", date, summit.PreparationWindow, "the summit's preparation window");
        if (draft.Plan is { } plan) errors.Defined("plan", plan);
        if (current.SubEvents.Count >= MaxSubEvents) errors.Add("id", $"a county runs at most {MaxSubEvents} sub-events.");
        errors.ThrowIfAny();

        var stamp = new LastUpdate(actor.Account, now, null);
        var subEvent = new SubEvent(
            subEventId,
            draft.Title.Trim(),
            draft.Date,
            Check.Optional(draft.Venue),
            SubEventStatus.Planned,
            Enum.GetValues<ChecklistItem>().ToDictionary(i => i, _ => ChecklistState.Open),
            Version: 1,
            stamp);
        subEvent = WithPlan(subEvent, draft.Plan, summit);
        var next = current with { SubEvents = [.. current.SubEvents, subEvent], Version = current.Version + 1, LastUpdate = stamp };
        return new(next, Compare(current, next), true);
    }

    /// <summary>Changes one sub-event; both the sub-event's and the county's versions rise.</summary>
    /// <exception cref="EntityNotFoundException">The county has no sub-event with this id.</exception>
    public static ChangeResult<CountyVenue> ApplySubEvent(
        CountyVenue current, string subEventId, SubEventChange change, SummitEdition summit, Actor actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(summit);
        ArgumentNullException.ThrowIfNull(actor);
        var index = FindSubEvent(current, subEventId);
        var subEvent = current.SubEvents[index];

        var errors = new FieldErrors();
        if (change.Title is not null) errors.Require("title", change.Title, MaxTitle);
        errors.MaxLength("venue", change.Venue, MaxVenue);
        if (change.Date is { } date && date != subEvent.Date)
            Check.InWindow(errors, "date", date, summit.PreparationWindow, "the summit's preparation window");
        if (change.Status is { } status) Transitions.Check(subEvent.Status, status, errors);
        if (change.Plan?.Mode is { } plan) errors.Defined("plan", plan);
        Check.Note(errors, change.Note);

        var checklist = new Dictionary<ChecklistItem, ChecklistState>(subEvent.Checklist);
        foreach (var (item, state) in change.Checklist ?? new Dictionary<ChecklistItem, ChecklistState>())
        {
            if (!Enum.IsDefined(item))
            {
                errors.Add("checklist", $"'{item}' is not a known checklist item.");
                continue;
            }
            errors.Defined(ChecklistField(item), state);
            checklist[item] = state;
        }

        var nextStatus = change.Status ?? subEvent.Status;
        var notDone = Enum.GetValues<ChecklistItem>()
            .Where(i => checklist.GetValueOrDefault(i) != ChecklistState.Done)
            .ToArray();
        if (nextStatus == SubEventStatus.Ready && notDone.Length > 0)
        {
            if (change.Status == SubEventStatus.Ready && subEvent.Status != SubEventStatus.Ready)
                errors.Add("status", $"Ready needs every checklist item Done; not yet: {string.Join(", ", notDone.Select(Render.Camel))}.");
            else
                foreach (var item in notDone) errors.Add(ChecklistField(item), "cannot leave Done while the sub-event is Ready.");
        }
        errors.ThrowIfAny();

        var candidate = subEvent with
        {
            Title = Check.Trim(change.Title) ?? subEvent.Title,
            Date = change.Date ?? subEvent.Date,
            Venue = change.Venue is null ? subEvent.Venue : Check.Optional(change.Venue),
            Status = nextStatus,
            Checklist = checklist,
        };
        candidate = WithPlan(candidate, change.Plan is { } choice ? choice.Mode : subEvent.Plan, summit);
        var changes = CompareSubEvent(subEvent, candidate);
        var note = Check.Optional(change.Note);
        if (changes.Count == 0 && note is null) return ChangeResult<CountyVenue>.Unchanged(current);

        // A note alone is recorded as the sub-event's note, so the county's history and the live feed still name the
        // sub-event it was written on (its changes are told apart by their subEvents.{id}. prefix).
        if (changes.Count == 0) changes = [new FieldChange($"subEvents.{subEvent.Id}.note", subEvent.LastUpdate.Note, note)];
        var stamp = new LastUpdate(actor.Account, now, note);
        var subEvents = current.SubEvents.ToArray();
        subEvents[index] = candidate with { Version = subEvent.Version + 1, LastUpdate = stamp };
        return new(current with { SubEvents = subEvents, Version = current.Version + 1, LastUpdate = stamp }, changes, true);
    }

    /// <summary>The index of a sub-event, or <see cref="EntityNotFoundException"/> (kind County, id <c>{county}/{subEvent}</c>).</summary>
    public static int FindSubEvent(CountyVenue county, string subEventId)
    {
        for (var i = 0; i < county.SubEvents.Count; i++)
            if (county.SubEvents[i].Id == subEventId) return i;
        throw new EntityNotFoundException(EntityKind.County, SubEventKey(county, subEventId));
    }

    public static IReadOnlyList<FieldChange> Compare(CountyVenue? before, CountyVenue after)
    {
        var set = new ChangeSet()
            .Add("name", before?.Name, after.Name)
            .Add("venue", before?.Venue, after.Venue)
            .Add("lead", before?.Lead, after.Lead);
        foreach (var subEvent in after.SubEvents)
            set.AddRange(CompareSubEvent(before?.SubEvents.FirstOrDefault(e => e.Id == subEvent.Id), subEvent));
        return set.Changes;
    }

    /// <summary>A sub-event's changes, named as in the county's history: <c>subEvents.{id}.field</c>.</summary>
    public static IReadOnlyList<FieldChange> CompareSubEvent(SubEvent? before, SubEvent after)
    {
        var set = new ChangeSet($"subEvents.{after.Id}.")
            .Add("title", before?.Title, after.Title)
            .Add("date", Render.Date(before?.Date), Render.Date(after.Date))
            .Add("venue", before?.Venue, after.Venue)
            .Add("status", before?.Status.ToString(), after.Status.ToString());
        foreach (var item in Enum.GetValues<ChecklistItem>())
            set.Add(ChecklistField(item),
                before is null ? null : before.Checklist.GetValueOrDefault(item).ToString(),
                after.Checklist.GetValueOrDefault(item).ToString());
        set.Add("plan", before?.Plan?.ToString(), after.Plan?.ToString())
            // A new sub-event that is not set aside says nothing about it.
            .Add("setAside", before is null ? null : Render.Flag(before.SetAside), before is null && !after.SetAside ? null : Render.Flag(after.SetAside));
        return set.Changes;
    }

    /// <summary>Whether the county's sub-events already follow <paramref name="mode"/>'s contingency plan.</summary>
    public static bool FollowsMode(CountyVenue county, SummitMode mode) =>
        county.SubEvents.All(e => e.SetAside == ContingencyPlan.IsSetAside(e.Plan, mode));

    /// <summary>Contingency plan: set aside follows from the plan and the summit's current mode; the status is never touched.</summary>
    private static SubEvent WithPlan(SubEvent subEvent, SummitMode? plan, SummitEdition summit) =>
        subEvent with { Plan = plan, SetAside = ContingencyPlan.IsSetAside(plan, summit.Mode) };

    private static string SubEventKey(CountyVenue county, string subEventId) => $"{county.County}/{subEventId}";
}
