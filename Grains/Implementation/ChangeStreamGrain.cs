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
/// Delivers a summit's committed changes to the listeners, in commit order, at least once: the position is stored at most
/// once a second (and when the grain is drained or deactivated), so a crash delivers the changes since then again, and
/// every listener applies a change idempotently (by entity version). Each listener takes a batch in order, the listeners
/// side by side, so the live feed never waits for the deadline engine. A listener that fails is logged and skipped for
/// that change: the stream never stops for it, and the deadline engine and the dashboard rebuild from the store when
/// they activate.
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
    private static readonly TimeSpan SavePeriod = TimeSpan.FromSeconds(1);
    // How long one read waits, retrying, for a change committed behind a still running transaction (see Drain).
    private static readonly TimeSpan WithheldPatience = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _sinceSaved = Stopwatch.StartNew();
    private bool _unsaved;

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
            if (patience.Elapsed > DrainPatience || !await stream.HasWithheldAsync(this.GetPrimaryKeyString(), state.State.Position))
            {
                await SaveAsync(force: true);
                return delivered;
            }
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
            var waited = Stopwatch.StartNew();
            var backoff = TimeSpan.FromMilliseconds(2);
            do
            {
                _again = false;
                int read;
                while ((read = await ReadBatchAsync()) == BatchSize) { }
                // Nothing new after a nudge: the change is committed but withheld behind an older transaction still
                // running (another commit, any writer of the cluster). Look again shortly rather than at the next nudge.
                if (read == 0 && waited.Elapsed < WithheldPatience && await stream.HasWithheldAsync(this.GetPrimaryKeyString(), state.State.Position))
                {
                    await Task.Delay(backoff);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
                    _again = true;
                }
            }
            while (_again);
            await SaveAsync(force: false);
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
        var entities = changes.Select(c => Deserialize(c.Change.Kind, c.EntityJson)).ToArray();
        await Task.WhenAll(_listeners.Select(listener => DeliverAsync(listener, changes, entities, summit)));
        state.State.Position = changes[^1].Position;
        _unsaved = true;
        return changes.Count;
    }

    private async Task DeliverAsync(IChangeListener listener, IReadOnlyList<StreamedChange> changes, object?[] entities, string summit)
    {
        for (var i = 0; i < changes.Count; i++)
        {
            if (entities[i] is not { } entity) continue;
            var change = changes[i].Change;
            try
            {
                await listener.OnChangedAsync(change, entity);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Change listener {Listener} failed for {Kind} {Id} version {Version} of {Summit}.",
                    listener.GetType().Name, change.Kind, change.EntityId, change.Version, summit);
            }
        }
    }

    /// <summary>Stores the position when it moved, at most once a <see cref="SavePeriod"/> unless <paramref name="force"/>.</summary>
    private async Task SaveAsync(bool force)
    {
        if (!_unsaved || (!force && _sinceSaved.Elapsed < SavePeriod)) return;
        await state.WriteStateAsync();
        _unsaved = false;
        _sinceSaved.Restart();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(force: true);
        }
        catch (Exception e)
        {
            // Not stored: the next activation delivers the changes since the last stored position again.
            logger.LogWarning(e, "Storing the change stream position of {Summit} failed.", this.GetPrimaryKeyString());
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private static object? Deserialize(EntityKind kind, string json) => kind switch
    {
        EntityKind.Summit => JsonSerializer.Deserialize<SummitEdition>(json, SummitJson.Options),
        EntityKind.Task => JsonSerializer.Deserialize<PreparationTask>(json, SummitJson.Options),
        EntityKind.SubForum => JsonSerializer.Deserialize<SubForum>(json, SummitJson.Options),
        EntityKind.County => JsonSerializer.Deserialize<CountyVenue>(json, SummitJson.Options),
        EntityKind.Project => JsonSerializer.Deserialize<CooperationProject>(json, SummitJson.Options),
        EntityKind.University => JsonSerializer.Deserialize<PartnerUniversity>(json, SummitJson.Options),
        EntityKind.Alliance => JsonSerializer.Deserialize<InnovationAlliance>(json, SummitJson.Options),
        EntityKind.Finalist => JsonSerializer.Deserialize<StartupFinalist>(json, SummitJson.Options),
        EntityKind.Campaign => JsonSerializer.Deserialize<Campaign>(json, SummitJson.Options),
        EntityKind.Submission => JsonSerializer.Deserialize<Submission>(json, SummitJson.Options),
        EntityKind.Organization => JsonSerializer.Deserialize<Organization>(json, SummitJson.Options),
        _ => null,
    };
}
