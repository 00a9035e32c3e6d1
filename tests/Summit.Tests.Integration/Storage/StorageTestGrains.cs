using System.Collections.Concurrent;
using Orleans.Placement;
using Orleans.Runtime;

namespace Summit.Tests.Storage;

// Grains used only to drive the real Orleans ADO.NET providers against PostgreSQL. Each class has
// its own state name: the ADO.NET provider keys rows by state name and key, not by grain class.

public interface IStorageProbeGrain : IGrainWithIntegerKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Clear();
    Task Deactivate();
}

public interface IStringKeyStorageProbeGrain : IGrainWithStringKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Deactivate();
}

public interface IGuidKeyStorageProbeGrain : IGrainWithGuidKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Deactivate();
}

public interface ICompoundKeyStorageProbeGrain : IGrainWithGuidCompoundKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Deactivate();
}

public interface IIntegerCompoundKeyStorageProbeGrain : IGrainWithIntegerCompoundKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Deactivate();
}

/// <summary>Uses a storage provider configured with DeleteStateOnClear = true.</summary>
public interface IDeletingStorageProbeGrain : IGrainWithStringKey
{
    Task Write(string text, int number);
    Task<StorageProbeSnapshot> Read();
    Task Clear();
    Task Deactivate();
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);
    Task<bool> Exists(string name);
    Task<IReadOnlyList<string>> List();
    Task Unregister(string name);
}

[GenerateSerializer]
public sealed class StorageProbeState
{
    [Id(0)] public string Text { get; set; } = "";
    [Id(1)] public int Number { get; set; }
    [Id(2)] public List<string> History { get; set; } = [];
}

[GenerateSerializer]
public sealed record StorageProbeSnapshot(
    [property: Id(0)] string Text,
    [property: Id(1)] int Number,
    [property: Id(2)] IReadOnlyList<string> History,
    [property: Id(3)] bool RecordExists,
    [property: Id(4)] string? ETag);

public static class StorageProviders
{
    public const string Default = "test";
    public const string DeleteOnClear = "test-delete";
}

public abstract class StorageProbeGrainBase(IPersistentState<StorageProbeState> state) : Grain
{
    public async Task Write(string text, int number)
    {
        state.State.Text = text;
        state.State.Number = number;
        state.State.History.Add(text);
        await state.WriteStateAsync();
    }

    public Task<StorageProbeSnapshot> Read() =>
        Task.FromResult(new StorageProbeSnapshot(
            state.State.Text, state.State.Number, state.State.History.ToArray(), state.RecordExists, state.Etag));

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        // Forces the next call to reactivate the grain and read its state from the database.
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public sealed class StorageProbeGrain([PersistentState("integer-probe", StorageProviders.Default)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), IStorageProbeGrain;

public sealed class StringKeyStorageProbeGrain([PersistentState("string-probe", StorageProviders.Default)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), IStringKeyStorageProbeGrain;

public sealed class GuidKeyStorageProbeGrain([PersistentState("guid-probe", StorageProviders.Default)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), IGuidKeyStorageProbeGrain;

public sealed class CompoundKeyStorageProbeGrain([PersistentState("compound-probe", StorageProviders.Default)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), ICompoundKeyStorageProbeGrain;

public sealed class IntegerCompoundKeyStorageProbeGrain([PersistentState("integer-compound-probe", StorageProviders.Default)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), IIntegerCompoundKeyStorageProbeGrain;

public sealed class DeletingStorageProbeGrain([PersistentState("deleting-probe", StorageProviders.DeleteOnClear)] IPersistentState<StorageProbeState> state)
    : StorageProbeGrainBase(state), IDeletingStorageProbeGrain;

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    /// <summary>Ticks seen in this process, keyed by "grainKey/reminderName"; silos run in the test process.</summary>
    public static readonly ConcurrentDictionary<string, int> Ticks = new();

    public async Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> Exists(string name) => await this.GetReminder(name) is not null;

    public async Task<IReadOnlyList<string>> List() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToArray();

    public async Task Unregister(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate($"{this.GetPrimaryKeyString()}/{reminderName}", 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Answers which silo it is activated on; placed at random so that grains spread over a cluster.</summary>
public interface ISiloProbeGrain : IGrainWithIntegerKey
{
    Task<string> Host();
}

[RandomPlacement]
public sealed class SiloProbeGrain : Grain, ISiloProbeGrain
{
    public Task<string> Host() => Task.FromResult(GrainContext.Address.SiloAddress!.ToString());
}
