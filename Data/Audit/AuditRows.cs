using System.Text.Json;
using NodaTime;
using Npgsql;
using Summit.Domain;
using Summit.Journal;
using Summit.Serialization;

namespace Summit.Data.Audit;

/// <summary>
/// The one reading of a <c>summit_audit</c> row: select <see cref="Columns"/> (with a table alias through
/// <see cref="ColumnsOf"/>) and read them with <see cref="Read"/>; the history of one entity is the same row as a
/// <see cref="HistoryEntry"/>.
/// </summary>
public static class AuditRows
{
    /// <summary>The columns <see cref="Read"/> reads, in its order: the row's change, then its row id.</summary>
    public const string Columns = "summit, entity_kind, entity_id, version, at, account, role, unit, changes::text, note, id";

    /// <summary>How many columns <see cref="Columns"/> holds.</summary>
    public const int ColumnCount = 11;

    /// <summary><see cref="Columns"/> of a table alias, e.g. <c>a.summit, a.entity_kind, …</c>.</summary>
    public static string ColumnsOf(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    /// <summary>
    /// The change of the row whose <see cref="Columns"/> start at <paramref name="first"/>, and its row id; null for a row
    /// of a kind this version does not know.
    /// </summary>
    public static (ChangeRecord Change, long RowId)? Read(NpgsqlDataReader reader, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!AuditNames.TryParseKind(reader.GetString(first + 1), out var kind)) return null;
        var change = new ChangeRecord(
            Summit: reader.GetString(first),
            Kind: kind,
            EntityId: reader.GetString(first + 2),
            Version: reader.GetInt32(first + 3),
            At: reader.GetFieldValue<Instant>(first + 4),
            Account: reader.GetString(first + 5),
            Role: AuditNames.ParseRole(reader.GetString(first + 6)),
            Unit: reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
            Changes: JsonSerializer.Deserialize<FieldChange[]>(reader.GetString(first + 8), SummitJson.Options) ?? [],
            Note: reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9));
        return (change, reader.GetInt64(first + 10));
    }

    /// <summary>A change as its entity's history lists it.</summary>
    public static HistoryEntry ToHistory(ChangeRecord change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new HistoryEntry(change.Version, change.At, change.Account, change.Role, change.Changes, change.Note, change.Unit);
    }
}
