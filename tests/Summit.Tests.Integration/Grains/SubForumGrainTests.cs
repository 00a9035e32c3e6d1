using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;
using static Summit.Tests.Grains.GrainAssert;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class SubForumGrainTests(ClusterFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetClock();

    private static SubForumDraft Draft(string? host = "wmu") => new(
        "生命健康 life and health", new LocalDate(2020, 11, 18), new LocalTime(9, 0), new LocalTime(12, 0),
        "Wenzhou Medical University, hall A", EventFormat.Hybrid, host, [new Speaker("Li Lanjuan")]);

    private ISubForumGrain Forum(SummitEdition summit, string id) => fixture.Grains.GetGrain<ISubForumGrain>(GrainKeys.Of(summit.Code, id));

    private IPartnerUniversityGrain University(SummitEdition summit, string code) =>
        fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, code));

    private async Task<SummitEdition> SummitWithUniversitiesAsync()
    {
        var summit = await fixture.CreateSummitAsync();
        await University(summit, "wmu").Create(new UniversityDraft("温州医科大学 Wenzhou Medical University", "Science office"), Secretariat);
        await University(summit, "wzu").Create(new UniversityDraft("温州大学 Wenzhou University", "Science office"), Secretariat);
        return summit;
    }

    [Fact]
    public async Task Create_get_change_with_versions_and_history()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Forum(summit, "health-1");
        var t0 = fixture.Clock.GetCurrentInstant();

        var created = await grain.Create(Draft(), Secretariat);
        fixture.Clock.Advance(Duration.FromMinutes(30));
        var programme = await grain.Change(new SubForumChange(Status: SubForumStatus.ProgrammeSet), Wmu, expectedVersion: 1);
        var confirmed = await grain.Change(new SubForumChange(
            Status: SubForumStatus.SpeakersConfirmed, Speakers: [new Speaker("Li Lanjuan", "Zhejiang University", true)]), Wmu, expectedVersion: 2);

        Assert.Equal((1, 2, 3), (created.Version, programme.Version, confirmed.Version));
        Assert.Equal(1, confirmed.ConfirmedSpeakers);
        Unchanged(confirmed, await grain.Get());
        var history = await grain.GetHistory();
        Assert.Equal([1, 2, 3], history.Select(h => h.Version));
        Assert.Equal(("secretariat", t0), (history[0].Account, history[0].At));
        Assert.Equal(("wmu-office", Role.University, t0 + Duration.FromMinutes(30)), (history[1].Account, history[1].Role, history[1].At));
        Assert.Equal([new FieldChange("status", "Planned", "ProgrammeSet")], history[1].Changes);
        Assert.Equal(["speakers", "status"], history[2].Changes.Select(c => c.Field));
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_leaves_the_sub_forum_unchanged()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Forum(summit, "health-1");
        var created = await grain.Create(Draft(), Secretariat);

        await Invalid(() => grain.Change(new SubForumChange(Day: new LocalDate(2020, 11, 25)), Secretariat), "day");
        await Invalid(() => grain.Change(new SubForumChange(Speakers: [new Speaker("ok"), new Speaker("")]), Secretariat), "speakers[1].name");
        await Invalid(() => grain.Change(new SubForumChange(HostUniversity: "pku"), Secretariat), "hostUniversity");
        await Invalid(() => Forum(summit, "health-2").Create(Draft("pku"), Secretariat), "hostUniversity");

        Unchanged(created, await grain.Get());
        Assert.Single(await grain.GetHistory());
        Assert.Null(await Forum(summit, "health-2").Get());
        Assert.Equal(["health-1"], (await University(summit, "wmu").Get())!.HostedSubForums);
    }

    [Fact]
    public async Task Forbidden_status_moves_are_refused()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Forum(summit, "health-1");
        var created = await grain.Create(Draft(), Secretariat);

        await Invalid(() => grain.Change(new SubForumChange(Status: SubForumStatus.Live), Secretariat), "status");
        await grain.Change(new SubForumChange(Status: SubForumStatus.ProgrammeSet), Secretariat);
        var error = await Invalid(() => grain.Change(new SubForumChange(Status: SubForumStatus.SpeakersConfirmed), Secretariat), "status");
        Assert.Contains("confirmed speaker", error.Errors["status"][0]);
        Assert.Equal(2, (await grain.Get())!.Version);
        Assert.Equal(created.Speakers, (await grain.Get())!.Speakers);
    }

    [Fact]
    public async Task University_links_follow_the_host()
    {
        var summit = await SummitWithUniversitiesAsync();
        var wmu = University(summit, "wmu");
        var wzu = University(summit, "wzu");
        var grain = Forum(summit, "health-1");

        await grain.Create(Draft("wmu"), Secretariat);
        await Forum(summit, "health-0").Create(Draft("wmu"), Secretariat);
        Assert.Equal(["health-0", "health-1"], (await wmu.Get())!.HostedSubForums);

        await grain.Change(new SubForumChange(HostUniversity: "wzu"), Secretariat);
        Assert.Equal(["health-0"], (await wmu.Get())!.HostedSubForums);
        Assert.Equal(["health-1"], (await wzu.Get())!.HostedSubForums);

        var cleared = await grain.Change(new SubForumChange(HostUniversity: ""), Secretariat);
        Assert.Null(cleared.HostUniversity);
        Assert.Empty((await wzu.Get())!.HostedSubForums);

        // Links are the sub-forum's record: the universities' own versions and histories stay as they were.
        Assert.Equal((1, 1), ((await wmu.Get())!.Version, (await wzu.Get())!.Version));
        Assert.Single(await wzu.GetHistory());
    }

    [Fact]
    public async Task Wrong_version_missing_and_existing()
    {
        var summit = await SummitWithUniversitiesAsync();
        var grain = Forum(summit, "health-1");
        await Assert.ThrowsAsync<EntityNotFoundException>(() => grain.Change(new SubForumChange(Theme: "x"), Secretariat));
        Assert.Null(await grain.Get());

        var created = await grain.Create(Draft(), Secretariat);
        await Assert.ThrowsAsync<EntityExistsException>(() => grain.Create(Draft(), Secretariat));
        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => grain.Change(new SubForumChange(Theme: "x"), Secretariat, expectedVersion: 2));
        Assert.Equal((EntityKind.SubForum, "health-1"), (conflict.Kind, conflict.Id));
        Unchanged(created, await grain.Get());
        Assert.Equal(["health-1"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.SubForum));
    }
}
