using System.Text.Json;
using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using Summit.Serialization;

namespace Summit.Tests.Grains;

/// <summary>Entities are stored as Summit's JSON; every entity must come back exactly as it went in.</summary>
public class StateJsonTests
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly Actor Actor = new("secretariat", Role.Secretariat);

    private static readonly SummitEdition Summit = SummitRules.Create("wyss-2020", new SummitDraft(
        "2020世界青年科学家峰会", "温州", new LocalDate(2020, 11, 17), new LocalDate(2020, 11, 19), "Asia/Shanghai",
        SummitMode.Hybrid, SummitTargets.Wyss2020, new LocalDate(2020, 4, 1)), Actor, Now).Entity;

    private static readonly List<HistoryEntry> History =
        [new HistoryEntry(1, Now, "secretariat", Role.Secretariat, [new FieldChange("title", null, "预算编制 budget")], "note\nwith a break")];

    [Fact]
    public void Summit_and_history_round_trip()
    {
        RoundTrip(Summit);
        RoundTrip(History);
    }

    [Fact]
    public void Task_state_round_trips() => RoundTrip(
        TaskRules.Create("wyss-2020", "t-1", new TaskDraft("预算编制 budget", TaskCategory.Budget, OwningUnit.County("pingyang"),
            new Deadline(new LocalDate(2020, 6, 12), new LocalTime(17, 30)), "Chen", true, ["t-0"]), Summit, Actor, Now).Entity);

    [Fact]
    public void County_state_with_checklist_round_trips()
    {
        var county = CountyRules.Create("wyss-2020", "pingyang", new CountyDraft("平阳", "Pingyang hall"), Actor, Now).Entity;
        county = CountyRules.AddSubEvent(county, "day", new SubEventDraft("Day", new LocalDate(2020, 6, 20)), Summit, Actor, Now).Entity;
        county = CountyRules.ApplySubEvent(county, "day", new SubEventChange(Status: SubEventStatus.Preparing,
            Checklist: new Dictionary<ChecklistItem, ChecklistState> { [ChecklistItem.EpidemicPrevention] = ChecklistState.Done }), Summit, Actor, Now).Entity;
        RoundTrip(county);
    }

    [Fact]
    public void Sub_forum_project_and_university_round_trip()
    {
        RoundTrip(
            SubForumRules.Create("wyss-2020", "f-1", new SubForumDraft("Health", new LocalDate(2020, 11, 18), new LocalTime(9, 0),
                new LocalTime(12, 0, 30), "Hall A", EventFormat.Online, "wmu", [new Speaker("Li", "ZJU", true)]), Summit, Actor, Now).Entity);
        RoundTrip(
            ProjectRules.Create("wyss-2020", "p-1", new ProjectDraft("Pump", "valves", [new Partner("CSCM", PartnerKind.NationalSociety)],
                "longwan", ["wzu"], 3, ProjectStage.Signed, new LocalDate(2020, 4, 17)), Summit, Actor, Now).Entity);
        RoundTrip(
            UniversityRules.Link(UniversityRules.Create("wyss-2020", "wmu", new UniversityDraft("WMU", "Office"), Actor, Now).Entity,
                EntityKind.SubForum, "f-1", true));
    }

    private static void RoundTrip<T>(T state)
    {
        var json = JsonSerializer.Serialize(state, SummitJson.Options);
        var back = JsonSerializer.Deserialize<T>(json, SummitJson.Options);
        Assert.Equal(json, JsonSerializer.Serialize(back, SummitJson.Options));
    }
}
