using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Summit.Domain;
using Summit.Journal;
using Summit.Serialization;
using Summit.Storage;

namespace Summit.Grains;

/// <summary>The stream consumer's stored position: two numbers, whatever the summit's size.</summary>
[GenerateSerializer, Alias("summit.state.change-stream")]
public sealed class ChangeStreamState
{
    [Id(0)] public StreamPosition Position { get; set; }
}

/// <summary>
/// Delivers a summit's committed changes to the listeners, in commit order, at least once: the position is stored after
/// each batch, so a crash in between delivers that batch again, and every listener applies a change idempotently (by
/// entity version). A listener that fails is logged and skipped for that change: the stream never stops for it, and the
/// deadline engine and the dashboard rebuild from the store when they activate.
/// </summary>
[GrainType("summit.change-stream")]
public sealed class ChangeStreamGrain(
    [PersistentState("changeStream", StorageNames.Summit)] IPersistentState<ChangeStreamState> state,
    IChangeStream stream,
    IEnumerable<IChangeListener> listeners,
    ILogger<ChangeStreamGrain> logger)
    : Grain, IChangeStreamGrain, IRemindable
{
    private const int BatchSize = 500;
    private static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(2);

    private readonly IChangeListener[] _listeners = listeners.ToArray();
    private bool _reading;
    private bool _again;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A nudge can be lost (the grain was moving, a silo died); reading on a timer while active, and being woken by a
        // reminder after a restart, bounds how late a change is delivered.
        this.RegisterGrainTimer(ReadAsync, new GrainTimerCreationOptions(PollPeriod, PollPeriod) { Interleave = false });
        try
        {
            await this.RegisterOrUpdateReminder("change-stream", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not register the change stream reminder of {Summit}; it reads while active.", this.GetPrimaryKeyString());
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ReadAsync();

    public Task Poke() => ReadAsync();

    public async Task<long> Drain()
    {
        long delivered = 0;
        // Committed changes behind an older, still running transaction are withheld (so none is ever passed over); a
        // drain waits for them, briefly, so that whoever asked sees every change committed before it asked.
        var patience = Stopwatch.StartNew();
        while (true)
        {
            while (await ReadBatchAsync() is var count && count > 0) delivered += count;
            if (patience.Elapsed > DrainPatience || !await stream.HasWithheldAsync(this.GetPrimaryKeyString(), state.State.Position)) return delivered;
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(5);

    private async Task ReadAsync()
    {
        // Nudges arriving while a read runs fold into one more read after it.
        if (_reading)
        {
            _again = true;
            return;
        }
        _reading = true;
        try
        {
            do
            {
                _again = false;
                while (await ReadBatchAsync() == BatchSize) { }
            }
            while (_again);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Reading the change stream of {Summit} failed; the next nudge or tick reads again.", this.GetPrimaryKeyString());
        }
        finally
        {
            _reading = false;
        }
    }

    private async Task<int> ReadBatchAsync()
    {
        var summit = this.GetPrimaryKeyString();
        var changes = await stream.ReadAsync(summit, state.State.Position, BatchSize);
        if (changes.Count == 0) return 0;
        foreach (var change in changes)
        {
            var entity = Deserialize(change.Change.Kind, change.EntityJson);
            if (entity is null) continue;
            foreach (var listener in _listeners)
            {
                try
                {
                    await listener.OnChangedAsync(change.Change, entity);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Change listener {Listener} failed for {Kind} {Id} version {Version} of {Summit}.",
                        listener.GetType().Name, change.Change.Kind, change.Change.EntityId, change.Change.Version, summit);
                }
            }
        }
        state.State.Position = changes[^1].Position;
        await state.WriteStateAsync();
        return changes.Count;
    }

    private static object? Deserialize(EntityKind kind, string json) => kind switch
    {
        EntityKind.Summit => JsonSerializer.Deserialize<SummitEdition>(json, SummitJson.Options),
        EntityKind.Task => JsonSerializer.Deserialize<PreparationTask>(json, SummitJson.Options),
        EntityKind.SubForum => JsonSerializer.Deserialize<SubForum>(json, SummitJson.Options),
        EntityKind.County => JsonSerializer.Deserialize<CountyVenue>(json, SummitJson.Options),
        EntityKind.Project => JsonSerializer.Deserialize<CooperationProject>(json, SummitJson.Options),
        EntityKind.University => JsonSerializer.Deserialize<PartnerUniversity>(json, SummitJson.Options),
        _ => null,
    };
}
