using NodaTime;
using Summit.Domain;
using Summit.Grains.Progress;
using Summit.Progress;
using static Summit.Tests.Dashboard.DashboardData;

namespace Summit.Tests.Dashboard;

/// <summary>The big screen's targets are counted from the records: signed alliances and confirmed finalists.</summary>
public sealed class DashboardTargetsTests
{
    private static InnovationAlliance Alliance(string id, AllianceStatus status, int version = 1) => new(
        Code, id, id, null, "泵阀", OwningUnit.County("longwan"), [], [], status,
        status == AllianceStatus.Signed ? D(6, 1) : null, version, Now, "secretariat");

    private static StartupFinalist Finalist(string id, FinalistStatus status, int version = 1) => new(
        Code, id, id, "团队", "温州大学", "中国", "生命健康", status, null, version, Now, "secretariat");

    private static ProgressEvent Event(long seq, EntityKind kind, string id, int version, object entity) => new(
        seq, seq - 1, Code, kind, id, version, Now, "secretariat", Role.Secretariat, null, id, [], null, new ProgressScope(), entity);

    private static Dictionary<string, TargetProgress> Targets(DashboardProjection projection) =>
        projection.Snapshot(DashboardScope.Summit, Now).Funnel.Targets.ToDictionary(t => t.Key);

    [Fact]
    public void Signed_alliances_and_confirmed_finalists_are_counted_and_follow_their_changes()
    {
        var projection = new DashboardProjection(Code, BaseRevision, 100);
        projection.Rebuild(new FeedCatchUp(10, []), Edition, Tasks, [County("ouhai")], [], [], Now,
            [Alliance("a1", AllianceStatus.Signed), Alliance("a2", AllianceStatus.Forming), Alliance("a3", AllianceStatus.Cancelled)],
            [Finalist("f1", FinalistStatus.Confirmed), Finalist("f2", FinalistStatus.Confirmed), Finalist("f3", FinalistStatus.Nominated)]);

        var targets = Targets(projection);
        Assert.Equal(new TargetProgress("innovationAlliances", 10, 1, true, "Innovation alliances signed."), targets["innovationAlliances"]);
        Assert.Equal((75, 2, true), (targets["startupFinalists"].Target, targets["startupFinalists"].Actual, targets["startupFinalists"].Tracked));

        var seen = projection.Revision;
        projection.Apply(Event(11, EntityKind.Alliance, "a2", 2, Alliance("a2", AllianceStatus.Signed, 2)), projection.NextRevision());
        projection.Apply(Event(12, EntityKind.Finalist, "f1", 2, Finalist("f1", FinalistStatus.Withdrawn, 2)), projection.NextRevision());
        projection.Apply(Event(13, EntityKind.Finalist, "f4", 1, Finalist("f4", FinalistStatus.Confirmed)), projection.NextRevision());
        // A late copy of an older version changes nothing.
        projection.Apply(Event(14, EntityKind.Alliance, "a2", 1, Alliance("a2", AllianceStatus.Forming)), projection.NextRevision());

        targets = Targets(projection);
        Assert.Equal(2, targets["innovationAlliances"].Actual);
        Assert.Equal(2, targets["startupFinalists"].Actual);
        Assert.NotNull(projection.Patch(DashboardScope.Summit, seen)?.Funnel);
    }
}
