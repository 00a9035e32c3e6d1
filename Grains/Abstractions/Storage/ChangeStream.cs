using Summit.Journal;

namespace Summit.Storage;

/// <summary>
/// A place in a summit's change stream: the committing transaction and the history row's id. Rows are read in this
/// order, and only from transactions older than every transaction still running, so a reader never passes a change
/// that commits later with a smaller position.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.stream-position")]
public readonly record struct StreamPosition([property: Id(0)] ulong Transaction, [property: Id(1)] long Row)
{
    public static StreamPosition Start => default;

    public bool IsAfter(StreamPosition other) => Transaction > other.Transaction || (Transaction == other.Transaction && Row > other.Row);
}

/// <summary>One committed change as the stream delivers it: its history row and its entity as stored now.</summary>
public sealed record StreamedChange(StreamPosition Position, ChangeRecord Change, string EntityJson);

/// <summary>
/// The committed changes of a summit, in commit order: the history table read as a stream. Consumers (the deadline
/// engine, the live feed) keep their position and catch up from it after a crash; nothing is pushed to them on the
/// path that acknowledges a change.
/// </summary>
public interface IChangeStream
{
    Task<IReadOnlyList<StreamedChange>> ReadAsync(string summit, StreamPosition after, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// True while committed changes after <paramref name="after"/> exist that <see cref="ReadAsync"/> does not hand out
    /// yet, because an older transaction (of any database on the server) is still running.
    /// </summary>
    Task<bool> HasWithheldAsync(string summit, StreamPosition after, CancellationToken cancellationToken = default);
}
