using System.Buffers.Text;
using System.Globalization;
using System.Text;
using NodaTime;
using Summit.Domain;
using Summit.Journal;

namespace Summit.Storage;

/// <summary>
/// One page of a summit's county venues, sub-forums, cooperation projects, partner universities, innovation alliances or
/// Startup World Cup finalists, in list order, as
/// <see cref="IEntityQueries.QueryEntitiesAsync"/> answers it. PostgreSQL answers it with one indexed query (migration
/// 0180); <see cref="UnitsOf(CountyVenue)"/> and the other overloads, with <see cref="Matches"/> and <see cref="Order{T}"/>,
/// say what the SQL means.
/// </summary>
/// <remarks>
/// Order: sub-forums by day, start, then id; the other kinds by id. Ids compare in ordinal order.
/// </remarks>
public sealed record EntityListQuery(string Summit, EntityKind Kind)
{
    /// <summary>The kinds this query lists.</summary>
    public static IReadOnlySet<EntityKind> Kinds { get; } =
        new HashSet<EntityKind>
        {
            EntityKind.County, EntityKind.SubForum, EntityKind.Project, EntityKind.University, EntityKind.Alliance, EntityKind.Finalist,
            EntityKind.Campaign, EntityKind.Organization,
        };

    /// <summary>
    /// The units whose entities the caller may read (an entity matches when one of <see cref="UnitsOf(CountyVenue)"/> is
    /// among them); null for every entity. An empty list matches nothing.
    /// </summary>
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    public int Offset { get; init; }

    /// <summary>How many entities to return; null for every match.</summary>
    public int? Limit { get; init; }

    /// <summary>Only entities whose own text (id, name or title, venue, and the like) holds every term (<see cref="SearchText"/>).</summary>
    public IReadOnlyList<string>? Terms { get; init; }

    /// <summary>
    /// Only entities with this status, as the API writes it (<c>signed</c>, <c>confirmed</c>); for alliances and finalists
    /// (migration 0250 indexes it).
    /// </summary>
    public string? Status { get; init; }

    /// <summary>Only finalists of this track (exactly as written).</summary>
    public string? Track { get; init; }

    /// <summary>Only organisations registered under this county or university (migration 0300 indexes it).</summary>
    public OwningUnit? Parent { get; init; }

    /// <summary>Only organisations at the city level (registered under no county or university).</summary>
    public bool CityLevel { get; init; }

    /// <summary>Only archived (true) or active (false) organisations.</summary>
    public bool? Archived { get; init; }

    /// <summary>Campaigns: only those forwarded from this campaign.</summary>
    public string? ForwardedFrom { get; init; }

    /// <summary>Whether an entity with these units is in the list.</summary>
    public bool Matches(IEnumerable<OwningUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        return Units is null || units.Any(Units.Contains);
    }

    // What a county or university account reads of each kind (the generated column list_units of migration 0180).
    public static IReadOnlyList<OwningUnit> UnitsOf(CountyVenue venue) => [OwningUnit.County(venue.County)];

    public static IReadOnlyList<OwningUnit> UnitsOf(SubForum forum) =>
        forum.HostUniversity is { } host ? [OwningUnit.University(host)] : [];

    public static IReadOnlyList<OwningUnit> UnitsOf(CooperationProject project) =>
        [.. project.County is { } county ? [OwningUnit.County(county)] : Array.Empty<OwningUnit>(), .. project.Universities.Select(OwningUnit.University)];

    public static IReadOnlyList<OwningUnit> UnitsOf(PartnerUniversity university) => [OwningUnit.University(university.Code)];

    /// <summary>Alliances and finalists belong to no unit (list_units is NULL): a unit's account lists none of them.</summary>
    public static IReadOnlyList<OwningUnit> UnitsOf(InnovationAlliance alliance) => [];

    public static IReadOnlyList<OwningUnit> UnitsOf(StartupFinalist finalist) => [];

    /// <summary>
    /// A campaign is listed to the units it addresses once published or closed (migration 0270 indexes its addressees);
    /// a draft or archived one to none. Its <c>q</c> matches its title only.
    /// </summary>
    public static IReadOnlyList<OwningUnit> UnitsOf(Campaign campaign) =>
        [.. campaign.IsOut ? campaign.Addressees : [], .. campaign.Owner is { } owner ? [owner] : Array.Empty<OwningUnit>()];

    /// <summary>An organisation is listed to the county or university it is registered under, and to itself.</summary>
    public static IReadOnlyList<OwningUnit> UnitsOf(Organization organization) =>
        [organization.Unit, .. organization.ParentUnit is { } parent ? [parent] : Array.Empty<OwningUnit>()];

    /// <summary>The list's order for <paramref name="kind"/>: what the SQL's ORDER BY says.</summary>
    public static IEnumerable<T> Order<T>(EntityKind kind, IEnumerable<T> items, Func<T, object> entity) => kind switch
    {
        EntityKind.SubForum => items.OrderBy(i => ((SubForum)entity(i)).Day).ThenBy(i => ((SubForum)entity(i)).Start)
            .ThenBy(i => ((SubForum)entity(i)).Id, StringComparer.Ordinal),
        _ => items.OrderBy(i => IdOf(entity(i)), StringComparer.Ordinal),
    };

    private static string IdOf(object entity) => entity switch
    {
        CountyVenue v => v.County,
        SubForum f => f.Id,
        CooperationProject p => p.Id,
        PartnerUniversity u => u.Code,
        InnovationAlliance a => a.Id,
        StartupFinalist f => f.Id,
        Campaign c => c.Id,
        Organization o => o.Code,
        _ => throw new ArgumentException($"{entity.GetType().Name} is not listed by {nameof(EntityListQuery)}.", nameof(entity)),
    };
}

/// <summary>One page of stored entity JSON, in list order, and how many entities match in all.</summary>
public sealed record EntityPage(IReadOnlyList<string> Items, int Total);

/// <summary>
/// A page of one entity's history, oldest first: after the version <see cref="AfterVersion"/> (a cursor) when set, then
/// skipping <see cref="Offset"/> changes.
/// </summary>
public sealed record HistoryQuery(EntityKey Key)
{
    public int? AfterVersion { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>A page of history, the number of changes in all, and the version to continue after when more follow.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, int Total, int? NextAfterVersion);

/// <summary>
/// The opaque <c>after</c> cursors of the keyset-paged lists: a history continues after a version, the audit trail after
/// a row's time and id. Each is tagged with its list, so a cursor of one list is refused by another.
/// </summary>
public static class ListCursor
{
    private const string HistoryTag = "h1";
    private const string AuditTag = "a1";

    public static string OfHistory(int version) => Encode($"{HistoryTag}:{version.ToString(CultureInfo.InvariantCulture)}");

    public static bool TryHistory(string text, out int version)
    {
        version = 0;
        return Decode(text) is [HistoryTag, var v]
            && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    public static string OfAudit(AuditPosition position) =>
        Encode($"{AuditTag}:{position.At.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)}:{position.Id.ToString(CultureInfo.InvariantCulture)}");

    public static bool TryAudit(string text, out AuditPosition position)
    {
        position = default;
        if (Decode(text) is not [AuditTag, var ticks, var id]
            || !long.TryParse(ticks, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t)
            || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return false;
        // Instants outside NodaTime's range are no position of any row.
        if (t < Instant.MinValue.ToUnixTimeTicks() || t > Instant.MaxValue.ToUnixTimeTicks()) return false;
        position = new AuditPosition(Instant.FromUnixTimeTicks(t), i);
        return true;
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));

    private static string[]? Decode(string text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 100) return null;
        try
        {
            return Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
