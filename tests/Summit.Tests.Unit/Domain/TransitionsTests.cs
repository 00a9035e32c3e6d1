using Summit.Domain;
using Summit.Rules;

namespace Summit.Tests.Domain;

public class TransitionsTests
{
    [Theory]
    [InlineData(WorkStatus.NotStarted, WorkStatus.InProgress)]
    [InlineData(WorkStatus.NotStarted, WorkStatus.Done)]
    [InlineData(WorkStatus.InProgress, WorkStatus.Blocked)]
    [InlineData(WorkStatus.Blocked, WorkStatus.InProgress)]
    [InlineData(WorkStatus.Done, WorkStatus.InProgress)]
    [InlineData(WorkStatus.Cancelled, WorkStatus.NotStarted)]
    [InlineData(WorkStatus.Done, WorkStatus.Done)]
    public void Task_moves_allowed(WorkStatus from, WorkStatus to) => AssertAllowed(e => Transitions.Check(from, to, e));

    [Theory]
    [InlineData(WorkStatus.Blocked, WorkStatus.Done)]
    [InlineData(WorkStatus.Done, WorkStatus.NotStarted)]
    [InlineData(WorkStatus.Done, WorkStatus.Cancelled)]
    [InlineData(WorkStatus.Cancelled, WorkStatus.Done)]
    [InlineData(WorkStatus.Cancelled, WorkStatus.InProgress)]
    public void Task_moves_refused(WorkStatus from, WorkStatus to) => AssertRefused(e => Transitions.Check(from, to, e), "status");

    [Theory]
    [InlineData(SubEventStatus.Planned, SubEventStatus.Preparing)]
    [InlineData(SubEventStatus.Preparing, SubEventStatus.Ready)]
    [InlineData(SubEventStatus.Ready, SubEventStatus.Held)]
    [InlineData(SubEventStatus.Ready, SubEventStatus.Preparing)]
    [InlineData(SubEventStatus.Cancelled, SubEventStatus.Planned)]
    public void SubEvent_moves_allowed(SubEventStatus from, SubEventStatus to) => AssertAllowed(e => Transitions.Check(from, to, e));

    [Theory]
    [InlineData(SubEventStatus.Planned, SubEventStatus.Ready)]
    [InlineData(SubEventStatus.Planned, SubEventStatus.Held)]
    [InlineData(SubEventStatus.Held, SubEventStatus.Preparing)]
    [InlineData(SubEventStatus.Held, SubEventStatus.Cancelled)]
    public void SubEvent_moves_refused(SubEventStatus from, SubEventStatus to) => AssertRefused(e => Transitions.Check(from, to, e), "status");

    [Fact]
    public void Held_sub_event_is_final_and_says_so()
    {
        var errors = new FieldErrors();
        Transitions.Check(SubEventStatus.Held, SubEventStatus.Planned, errors);
        var error = Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
        Assert.Contains("allowed next: none", error.Errors["status"][0]);
    }

    [Theory]
    [InlineData(SubForumStatus.Planned, SubForumStatus.ProgrammeSet)]
    [InlineData(SubForumStatus.Rehearsed, SubForumStatus.Live)]
    [InlineData(SubForumStatus.Live, SubForumStatus.Concluded)]
    [InlineData(SubForumStatus.Concluded, SubForumStatus.Planned)]
    [InlineData(SubForumStatus.VenueReady, SubForumStatus.ProgrammeSet)]
    public void SubForum_moves_allowed(SubForumStatus from, SubForumStatus to) => AssertAllowed(e => Transitions.Check(from, to, e));

    [Theory]
    [InlineData(SubForumStatus.Planned, SubForumStatus.SpeakersConfirmed)]
    [InlineData(SubForumStatus.ProgrammeSet, SubForumStatus.Live)]
    [InlineData(SubForumStatus.Planned, (SubForumStatus)42)]
    public void SubForum_moves_refused(SubForumStatus from, SubForumStatus to) => AssertRefused(e => Transitions.Check(from, to, e), "status");

    [Theory]
    [InlineData(ProjectStage.Identified, ProjectStage.Matched)]
    [InlineData(ProjectStage.ReadyToSign, ProjectStage.Signed)]
    [InlineData(ProjectStage.Signed, ProjectStage.ReadyToSign)]
    [InlineData(ProjectStage.Landed, ProjectStage.Signed)]
    public void Project_moves_allowed(ProjectStage from, ProjectStage to) => AssertAllowed(e => Transitions.Check(from, to, e));

    [Theory]
    [InlineData(ProjectStage.Identified, ProjectStage.Negotiating)]
    [InlineData(ProjectStage.Landed, ProjectStage.Negotiating)]
    [InlineData(ProjectStage.Matched, ProjectStage.Signed)]
    public void Project_moves_refused(ProjectStage from, ProjectStage to) => AssertRefused(e => Transitions.Check(from, to, e), "stage");

    private static void AssertAllowed(Action<FieldErrors> check)
    {
        var errors = new FieldErrors();
        check(errors);
        Assert.False(errors.Any);
    }

    private static void AssertRefused(Action<FieldErrors> check, string field)
    {
        var errors = new FieldErrors();
        check(errors);
        var error = Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
        Assert.Equal([field], error.Errors.Keys);
    }
}
