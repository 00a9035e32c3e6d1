using NodaTime;
using NodaTime.Testing;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Tests.Grains;

/// <summary>
/// The commit pattern, tested on a grain instance with a storage that can stall or fail a write: reads answer only
/// persisted data, and a failed write leaves the grain exactly as it was.
/// </summary>
public class CommitTests
{
    private static readonly Instant Now = Instant.FromUtc(2020, 6, 10, 1, 0);
    private static readonly Actor Actor = new("secretariat", Role.Secretariat);

    private static async Task<(PartnerUniversityGrain Grain, ControlledState Store)> ActivateAsync()
    {
        var university = UniversityRules.Create("wyss-2020", "wmu", new UniversityDraft("Wenzhou Medical University", "Science office"), Actor, Now).Entity;
        var store = new ControlledState(new UniversityState
        {
            Entity = university,
            History = [new HistoryEntry(1, Now, Actor.Account, Actor.Role, [], null)],
        });
        var grain = new PartnerUniversityGrain(store, new FakeClock(Now + Duration.FromHours(1)), new Summit.Hosting.Audit.MemoryChangeJournal());
        await grain.OnActivateAsync(CancellationToken.None);
        return (grain, store);
    }

    [Fact]
    public async Task Reads_during_a_write_answer_the_last_persisted_state()
    {
        var (grain, store) = await ActivateAsync();
        store.Stall = new TaskCompletionSource();

        var change = grain.Change(new UniversityChange(Engagement: EngagementStatus.Committed), Actor);
        Assert.False(change.IsCompleted);
        Assert.Equal((1, EngagementStatus.Contacted), ((await grain.Get())!.Version, (await grain.Get())!.Engagement));
        Assert.Single(await grain.GetHistory());

        store.Stall.SetResult();
        Assert.Equal(2, (await change).Version);
        Assert.Equal((2, EngagementStatus.Committed), ((await grain.Get())!.Version, (await grain.Get())!.Engagement));
        Assert.Equal(2, (await grain.GetHistory()).Count);
    }

    [Fact]
    public async Task A_failed_write_restores_the_previous_state()
    {
        var (grain, store) = await ActivateAsync();
        var before = store.State;
        store.FailNext = true;

        await Assert.ThrowsAsync<IOException>(() => grain.Change(new UniversityChange(Name: "WMU"), Actor));

        Assert.Same(before, store.State);
        Assert.Equal(("Wenzhou Medical University", 1), ((await grain.Get())!.Name, (await grain.Get())!.Version));
        Assert.Single(await grain.GetHistory());

        // The next accepted change is version 2: the failed one left no trace.
        var retried = await grain.Change(new UniversityChange(Name: "WMU"), Actor);
        Assert.Equal(2, retried.Version);
        Assert.Equal([1, 2], (await grain.GetHistory()).Select(h => h.Version));
        Assert.Equal(1, store.Writes);
    }

    private sealed class ControlledState(UniversityState state) : IPersistentState<UniversityState>
    {
        public UniversityState State { get; set; } = state;
        public string? Etag => null;
        public bool RecordExists => true;
        public TaskCompletionSource? Stall { get; set; }
        public bool FailNext { get; set; }
        public int Writes { get; private set; }

        public async Task WriteStateAsync()
        {
            if (Stall is { } stall) await stall.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("storage unavailable");
            }
            Writes++;
        }

        public Task ClearStateAsync() => Task.CompletedTask;
        public Task ReadStateAsync() => Task.CompletedTask;
    }
}
