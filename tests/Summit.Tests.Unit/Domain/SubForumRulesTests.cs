using NodaTime;
using Summit.Domain;
using Summit.Rules;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

public class SubForumRulesTests
{
    private static readonly SubForumDraft Draft = new(
        "Life and health: infectious disease", new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0),
        "Wenzhou Medical University, hall A", EventFormat.Hybrid, HostUniversity: "wmu",
        Speakers: [new Speaker("Li Lanjuan", "Zhejiang University"), new Speaker("Zhang Wenhong")]);

    private static SubForum Create(SubForumDraft? draft = null) =>
        SubForumRules.Create("wyss-2020", "health-1", draft ?? Draft, Edition, Secretariat, Now).Entity;

    private static ChangeResult<SubForum> Apply(SubForum forum, SubForumChange change) =>
        SubForumRules.Apply(forum, change, Edition, Secretariat, Later);

    [Fact]
    public void Create_starts_planned_at_version_one()
    {
        var forum = Create();
        Assert.Equal((SubForumStatus.Planned, 1, "wmu"), (forum.Status, forum.Version, forum.HostUniversity));
        Assert.Equal((2, 0), (forum.PlannedSpeakers, forum.ConfirmedSpeakers));
    }

    [Fact]
    public void Text_fields_are_required_and_bounded()
    {
        Invalid(() => Create(Draft with { Theme = " " }), "theme");
        Invalid(() => Create(Draft with { Theme = new string('x', 201) }), "theme");
        Invalid(() => Create(Draft with { Venue = "" }), "venue");
        Invalid(() => Create(Draft with { Venue = new string('x', 201) }), "venue");
        Invalid(() => Create(Draft with { Format = (EventFormat)5 }), "format");
        Invalid(() => Create(Draft with { HostUniversity = "Wenzhou Medical" }), "hostUniversity");
        Invalid(() => SubForumRules.Create("wyss-2020", "", Draft, Edition, Secretariat, Now), "id");
    }

    [Theory]
    [InlineData(11, 16)]
    [InlineData(11, 20)]
    [InlineData(6, 10)]
    public void Day_must_be_a_summit_day(int month, int day)
    {
        var error = Invalid(() => Create(Draft with { Day = new LocalDate(2020, month, day) }), "day");
        Assert.Contains("2020-11-17 and 2020-11-19", Message(error, "day"));
    }

    [Fact]
    public void Start_must_be_before_end()
    {
        Invalid(() => Create(Draft with { End = Draft.Start }), "end");
        var forum = Create();
        Invalid(() => Apply(forum, new SubForumChange(End: new LocalTime(8, 0))), "end");
        Invalid(() => Apply(forum, new SubForumChange(Start: new LocalTime(12, 30))), "start");
        Apply(forum, new SubForumChange(Start: new LocalTime(13, 0), End: new LocalTime(17, 0)));
    }

    [Fact]
    public void Speakers_are_named_by_index()
    {
        Speaker[] speakers = [new("A"), new("B"), new("", "Somewhere"), new("D", new string('x', 201))];
        var error = Invalid(() => Create(Draft with { Speakers = speakers }), "speakers[2].name");
        Assert.True(error.Errors.ContainsKey("speakers[3].affiliation"));
        Invalid(() => Create(Draft with { Speakers = [new("A"), null!] }), "speakers[1]");
        Invalid(() => Create(Draft with { Speakers = Enumerable.Range(0, 201).Select(i => new Speaker($"S{i}")).ToArray() }), "speakers");
    }

    [Fact]
    public void Speakers_confirmed_needs_a_confirmed_speaker()
    {
        var set = Apply(Create(), new SubForumChange(Status: SubForumStatus.ProgrammeSet)).Entity;
        var error = Invalid(() => Apply(set, new SubForumChange(Status: SubForumStatus.SpeakersConfirmed)), "status");
        Assert.Contains("confirmed speaker", Message(error, "status"));

        var confirmed = Apply(set, new SubForumChange(
            Status: SubForumStatus.SpeakersConfirmed,
            Speakers: [new Speaker("Li Lanjuan", "Zhejiang University", Confirmed: true), new Speaker("Zhang Wenhong")])).Entity;
        Assert.Equal(SubForumStatus.SpeakersConfirmed, confirmed.Status);

        // Later stages keep needing one: dropping the last confirmed speaker is refused.
        Invalid(() => Apply(confirmed, new SubForumChange(Speakers: [new Speaker("Zhang Wenhong")])), "speakers");
    }

    [Fact]
    public void Status_advances_one_stage_at_a_time()
    {
        var error = Invalid(() => Apply(Create(), new SubForumChange(Status: SubForumStatus.VenueReady)), "status");
        Assert.Contains("allowed next: ProgrammeSet", Message(error, "status"));
    }

    [Fact]
    public void Day_change_is_checked_and_recorded()
    {
        var forum = Create();
        Invalid(() => Apply(forum, new SubForumChange(Day: new LocalDate(2020, 11, 21))), "day");
        var result = Apply(forum, new SubForumChange(Day: new LocalDate(2020, 11, 19), HostUniversity: ""));
        Assert.Equal(
            [new FieldChange("hostUniversity", "wmu", null), new FieldChange("day", "2020-11-18", "2020-11-19")],
            result.Changes);
        Assert.Equal(2, result.Entity.Version);
    }

    [Fact]
    public void Speaker_changes_render_the_whole_list()
    {
        var result = Apply(Create(), new SubForumChange(Speakers: [new Speaker("Li Lanjuan", "Zhejiang University", true)]));
        var change = Assert.Single(result.Changes);
        Assert.Equal("speakers", change.Field);
        Assert.Equal("Li Lanjuan (Zhejiang University); Zhang Wenhong", change.From);
        Assert.Equal("Li Lanjuan (Zhejiang University), confirmed", change.To);
    }

    [Fact]
    public void Same_values_are_no_new_version()
    {
        var forum = Create();
        var result = Apply(forum, new SubForumChange(Theme: forum.Theme, Speakers: forum.Speakers.ToList(), HostUniversity: "wmu"));
        Assert.False(result.IsNewVersion);
        Assert.Same(forum, result.Entity);
    }
}
