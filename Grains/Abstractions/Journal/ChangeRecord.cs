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

/// <summary>A query over the audit trail; every filter is optional.</summary>
public sealed record AuditQuery(
    string Summit,
    EntityKind? Kind = null,
    string? EntityId = null,
    string? Account = null,
    Instant? From = null,
    Instant? To = null,
    int Offset = 0,
    int Limit = 100);

public interface IAuditReader
{
    Task<(IReadOnlyList<ChangeRecord> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
