using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class CountyRulesTests
{
    private static readonly CountyDraft Draft = new("平阳 Pingyang", "Pingyang sub-venue", "Lin");

    private static CountyVenue Create() => CountyRules.Create("wyss-2020", "pingyang", Draft, Secretariat, Now).Entity;

    private static CountyVenue WithSubEvent() =>
        CountyRules.AddSubEvent(Create(), "forum-day", new SubEventDraft("Youth science day", June(20), "Pingyang hall"), Edition, Pingyang, Later).Entity;

    private static ChangeResult<CountyVenue> ChangeSubEvent(CountyVenue county, SubEventChange change) =>
        CountyRules.ApplySubEvent(county, "forum-day", change, Edition, Pingyang, Later);

    private static readonly IReadOnlyDictionary<ChecklistItem, ChecklistState> AllDone =
        Enum.GetValues<ChecklistItem>().ToDictionary(i => i, _ => ChecklistState.Done);

    [Fact]
    public void County_fields_are_required_and_bounded()
    {
        Invalid(() => CountyRules.Create("wyss-2020", "Ping Yang", Draft, Secretariat, Now), "county");
        Invalid(() => CountyRules.Create("wyss-2020", "pingyang", Draft with { Name = "" }, Secretariat, Now), "name");
        Invalid(() => CountyRules.Create("wyss-2020", "pingyang", Draft with { Venue = new string('x', 201) }, Secretariat, Now), "venue");
        Invalid(() => CountyRules.Create("wyss-2020", "pingyang", Draft with { Lead = new string('x', 101) }, Secretariat, Now), "lead");
    }

    [Fact]
    public void Added_sub_event_starts_planned_with_an_open_checklist_and_bumps_the_county()
    {
        var result = CountyRules.AddSubEvent(Create(), "forum-day", new SubEventDraft("Youth science day", June(20)), Edition, Pingyang, Later);
        var subEvent = Assert.Single(result.Entity.SubEvents);

        Assert.Equal(2, result.Entity.Version);
        Assert.Equal((SubEventStatus.Planned, 1, 0), (subEvent.Status, subEvent.Version, subEvent.ChecklistDone));
        Assert.Equal(Enum.GetValues<ChecklistItem>().Length, subEvent.Checklist.Count);
        Assert.All(subEvent.Checklist.Values, state => Assert.Equal(ChecklistState.Open, state));
        Assert.Equal(new LastUpdate("county-pingyang", Later, null), result.Entity.LastUpdate);
        Assert.Contains(new FieldChange("subEvents.forum-day.title", null, "Youth science day"), result.Changes);
        Assert.Contains(new FieldChange("subEvents.forum-day.checklist.epidemicPrevention", null, "Open"), result.Changes);
    }

    [Fact]
    public void Sub_event_input_is_checked()
    {
        var county = Create();
        Invalid(() => CountyRules.AddSubEvent(county, "Forum Day", new SubEventDraft("x"), Edition, Pingyang, Later), "id");
        Invalid(() => CountyRules.AddSubEvent(county, "a", new SubEventDraft(""), Edition, Pingyang, Later), "title");
        Invalid(() => CountyRules.AddSubEvent(county, "a", new SubEventDraft("x", new LocalDate(2020, 12, 1)), Edition, Pingyang, Later), "date");
        Invalid(() => CountyRules.AddSubEvent(county, "a", new SubEventDraft("x", Venue: new string('v', 201)), Edition, Pingyang, Later), "venue");
        Assert.Throws<EntityExistsException>(() =>
            CountyRules.AddSubEvent(WithSubEvent(), "forum-day", new SubEventDraft("again"), Edition, Pingyang, Later));
    }

    [Fact]
    public void A_note_alone_is_recorded_on_its_sub_event_so_the_change_still_names_it()
    {
        var result = ChangeSubEvent(WithSubEvent(), new SubEventChange(Note: "场地已踏勘"));

        Assert.True(result.IsNewVersion);
        Assert.Equal([new FieldChange("subEvents.forum-day.note", null, "场地已踏勘")], result.Changes);
        var again = CountyRules.ApplySubEvent(result.Entity, "forum-day", new SubEventChange(Note: "方案已定"), Edition, Pingyang, Later);
        Assert.Equal([new FieldChange("subEvents.forum-day.note", "场地已踏勘", "方案已定")], again.Changes);
        // The live feed tells the sub-event by that name, not the county.
        var change = new Summit.Journal.ChangeRecord("wyss-2020", EntityKind.County, "pingyang", again.Entity.Version, Later, "county-pingyang",
            Role.County, "pingyang", again.Changes, "方案已定");
        Assert.Equal("pingyang/forum-day", Summit.Grains.Progress.ProgressEvents.From(change, again.Entity).Id);
    }

    [Fact]
    public void Checklist_changes_are_named_by_item_and_bump_both_versions()
    {
        var county = WithSubEvent();
        var result = ChangeSubEvent(county, new SubEventChange(
            Status: SubEventStatus.Preparing,
            Checklist: new Dictionary<ChecklistItem, ChecklistState> { [ChecklistItem.EpidemicPrevention] = ChecklistState.InProgress },
            Note: "防疫方案 drafted"));

        Assert.Equal(3, result.Entity.Version);
        var subEvent = Assert.Single(result.Entity.SubEvents);
        Assert.Equal(2, subEvent.Version);
        Assert.Equal(new LastUpdate("county-pingyang", Later, "防疫方案 drafted"), subEvent.LastUpdate);
        Assert.Equal(
            [
                new FieldChange("subEvents.forum-day.status", "Planned", "Preparing"),
                new FieldChange("subEvents.forum-day.checklist.epidemicPrevention", "Open", "InProgress"),
            ],
            result.Changes);
    }

    [Fact]
    public void Bad_checklist_entries_name_the_item()
    {
        var county = WithSubEvent();
        Invalid(() => ChangeSubEvent(county, new SubEventChange(Checklist: new Dictionary<ChecklistItem, ChecklistState>
            { [ChecklistItem.Venue] = (ChecklistState)9 })), "checklist.venue");
        Invalid(() => ChangeSubEvent(county, new SubEventChange(Checklist: new Dictionary<ChecklistItem, ChecklistState>
            { [(ChecklistItem)40] = ChecklistState.Done })), "checklist");
    }

    [Fact]
    public void Ready_needs_every_checklist_item_done()
    {
        var preparing = ChangeSubEvent(WithSubEvent(), new SubEventChange(Status: SubEventStatus.Preparing)).Entity;
        var almost = new Dictionary<ChecklistItem, ChecklistState>(AllDone) { [ChecklistItem.Publicity] = ChecklistState.InProgress };

        var error = Invalid(() => ChangeSubEvent(preparing, new SubEventChange(Status: SubEventStatus.Ready, Checklist: almost)), "status");
        Assert.Contains("publicity", Message(error, "status"));

        var ready = ChangeSubEvent(preparing, new SubEventChange(Status: SubEventStatus.Ready, Checklist: AllDone)).Entity;
        Assert.Equal(SubEventStatus.Ready, ready.SubEvents[0].Status);

        // While Ready, an item may not slip back.
        Invalid(() => ChangeSubEvent(ready, new SubEventChange(Checklist: new Dictionary<ChecklistItem, ChecklistState>
            { [ChecklistItem.Guests] = ChecklistState.InProgress })), "checklist.guests");
    }

    [Fact]
    public void Sub_event_status_follows_the_pipeline()
    {
        Invalid(() => ChangeSubEvent(WithSubEvent(), new SubEventChange(Status: SubEventStatus.Held)), "status");
    }

    [Fact]
    public void Unknown_sub_event_is_not_found() =>
        Assert.Throws<EntityNotFoundException>(() => CountyRules.ApplySubEvent(Create(), "nope", new SubEventChange(Title: "x"), Edition, Pingyang, Later));

    [Fact]
    public void Sub_event_change_that_changes_nothing_is_no_new_version()
    {
        var county = WithSubEvent();
        var result = ChangeSubEvent(county, new SubEventChange(Title: "Youth science day", Status: SubEventStatus.Planned));
        Assert.False(result.IsNewVersion);
        Assert.Same(county, result.Entity);
    }

    [Fact]
    public void County_change_records_fields_and_note()
    {
        var result = CountyRules.Apply(Create(), new CountyChange(Lead: "", Note: "Lead moved to the city office"), Edition, Pingyang, Later);
        Assert.Equal(2, result.Entity.Version);
        Assert.Null(result.Entity.Lead);
        Assert.Equal(new LastUpdate("county-pingyang", Later, "Lead moved to the city office"), result.Entity.LastUpdate);
        Assert.Equal([new FieldChange("lead", "Lin", null)], result.Changes);
    }

    [Fact]
    public void A_sub_event_of_another_modes_plan_is_set_aside_and_restored_with_its_checklist()
    {
        // The edition runs hybrid: an online-only stream is set aside from the start.
        var county = CountyRules.AddSubEvent(WithSubEvent(), "stream", new SubEventDraft("Online stream") { Plan = SummitMode.Online },
            Edition, Secretariat, Later).Entity;
        var stream = county.SubEvents.Single(e => e.Id == "stream");
        Assert.Equal((SummitMode.Online, true, false), (stream.Plan, stream.SetAside, stream.IsActive));
        Assert.True(CountyRules.FollowsMode(county, SummitMode.Hybrid));
        Assert.False(CountyRules.FollowsMode(county, SummitMode.Online));

        // The on-site day belongs to the hybrid plan; work on it is kept while it is set aside.
        county = CountyRules.ApplySubEvent(county, "forum-day",
            new SubEventChange(Checklist: new Dictionary<ChecklistItem, ChecklistState> { [ChecklistItem.Venue] = ChecklistState.Done }) { Plan = new PlanChoice(SummitMode.Hybrid) },
            Edition, Secretariat, Later).Entity;

        var online = Edition with { Mode = SummitMode.Online };
        var switched = CountyRules.Apply(county, new CountyChange(Note: "typhoon"), online, Secretariat, Later);
        var day = switched.Entity.SubEvents.Single(e => e.Id == "forum-day");
        var live = switched.Entity.SubEvents.Single(e => e.Id == "stream");
        Assert.Equal((true, ChecklistState.Done), (day.SetAside, day.Checklist[ChecklistItem.Venue]));
        Assert.False(live.SetAside);
        Assert.Equal(county.SubEvents.Single(e => e.Id == "forum-day").Version + 1, day.Version);
        Assert.Contains(new FieldChange("subEvents.forum-day.setAside", "false", "true"), switched.Changes);
        Assert.Contains(new FieldChange("subEvents.stream.setAside", "true", "false"), switched.Changes);
        Assert.True(CountyRules.FollowsMode(switched.Entity, SummitMode.Online));

        var back = CountyRules.Apply(switched.Entity, new CountyChange(Note: "all clear"), Edition, Secretariat, Later).Entity;
        Assert.Equal(county.SubEvents.Select(e => (e.Id, e.SetAside, e.Status)), back.SubEvents.Select(e => (e.Id, e.SetAside, e.Status)));

        var cleared = CountyRules.ApplySubEvent(back, "stream", new SubEventChange { Plan = PlanChoice.AllModes }, Edition, Secretariat, Later).Entity;
        Assert.Equal((null, false), (cleared.SubEvents.Single(e => e.Id == "stream").Plan, cleared.SubEvents.Single(e => e.Id == "stream").SetAside));
        Invalid(() => CountyRules.AddSubEvent(back, "x", new SubEventDraft("x") { Plan = (SummitMode)42 }, Edition, Secretariat, Later), "plan");
    }
}
