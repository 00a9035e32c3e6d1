using NodaTime;
using Summit.Domain;

namespace Summit.Journal;

/// <summary>
/// One accepted change of one entity, as the audit trail keeps it and the live dashboard receives it.
/// <see cref="EntityId"/> is the id inside the summit (for a sub-event: <c>{county}/{subEventId}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.change-record")]
public sealed record ChangeRecord(
    string Summit,
    EntityKind Kind,
    string EntityId,
    int Version,
    Instant At,
    string Account,
    Role Role,
    string? Unit,
    IReadOnlyList<FieldChange> Changes,
    string? Note);

/// <summary>Where grains record every accepted change, after persisting it and before acknowledging it.</summary>
public interface IChangeJournal
{
    Task RecordAsync(ChangeRecord change, CancellationToken cancellationToken = default);
}

/// <summary>
/// A query over the audit trail, newest first; every filter is optional. <see cref="After"/> (a cursor) continues after a
/// row: only rows older than it, then <see cref="Offset"/> skipped.
/// </summary>
public sealed record AuditQuery(
    string Summit,
    EntityKind? Kind = null,
    string? EntityId = null,
    string? Account = null,
    Instant? From = null,
    Instant? To = null,
    int Offset = 0,
    int Limit = 100,
    AuditPosition? After = null);

/// <summary>Where a row stands in the audit trail's order (newest first): its time, then its row id.</summary>
public readonly record struct AuditPosition(Instant At, long Id);

/// <summary>A page of the audit trail, the number of matches in all, and the position to continue after when more follow.</summary>
public sealed record AuditPage(IReadOnlyList<ChangeRecord> Items, int Total, AuditPosition? Next)
{
    /// <summary>The page and the total, as readers that do not follow the cursor take them.</summary>
    public void Deconstruct(out IReadOnlyList<ChangeRecord> items, out int total) => (items, total) = (Items, Total);
}

public interface IAuditReader
{
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
