using NodaTime;
using Summit.Domain;

namespace Summit.Storage;

/// <summary>What a unit's submission to a campaign stands at on the board: <see cref="SubmissionStatus"/> or not started.</summary>
public enum BoardStatus
{
    NotStarted,
    Draft,
    Submitted,
    Returned,
    Accepted,
}

/// <summary>
/// One page of a campaign's board: its addressees (in the campaign's order) with where each one's submission stands,
/// only the units <see cref="Units"/> names (null for all), filtered by kind of unit, status and lateness.
/// </summary>
public sealed record CampaignBoardQuery(string Summit, string Campaign)
{
    /// <summary>The units the caller may read (a unit's account: itself); null for every addressee.</summary>
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    public UnitKind? UnitKind { get; init; }

    public BoardStatus? Status { get; init; }

    /// <summary>true: only units whose submission is late; false: only the others.</summary>
    public bool? Late { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>One addressed unit on a campaign's board.</summary>
/// <param name="Name">The unit's name: the county's or university's as stored, the department's from <see cref="SecretariatDepartments"/>.</param>
/// <param name="Version">The submission's version (its ETag); 0 when not started.</param>
/// <param name="SubmittedVersions">How many versions the unit has handed in.</param>
public sealed record BoardRow(
    OwningUnit Unit,
    string? Name,
    BoardStatus Status,
    bool Late,
    int Version,
    int SubmittedVersions,
    Instant? SubmittedAt,
    Instant? UpdatedAt,
    string? Receiver)
{
    /// <summary>The unit's forward of the campaign to its organisations, if it forwarded it: how far they are.</summary>
    public ForwardProgress? Forward { get; init; }
}

/// <summary>
/// A unit's forward of a campaign (the campaign <see cref="Campaign"/> it forwarded to its organisations): its internal
/// deadline, how many organisations it addresses, how many have handed in (submitted or accepted) and been accepted.
/// </summary>
public sealed record ForwardProgress(string Campaign, Deadline? Deadline, int Addressed, int HandedIn, int Accepted);

/// <summary>How many of the units (of the board's readable units and unit-kind filter, before the status filter) stand at each status.</summary>
public sealed record BoardCounts(int Total, int NotStarted, int Draft, int Submitted, int Returned, int Accepted, int Late);

/// <summary>A page of a board: its rows, how many rows match the filters, and the counts per status.</summary>
public sealed record BoardPage(IReadOnlyList<BoardRow> Items, int Total, BoardCounts Counts);

/// <summary>
/// The summit's open campaigns (published: neither a draft, closed nor archived), soonest deadline first, each with its
/// board's counts over the units <see cref="Units"/> names (null for all; a unit's account: the campaigns addressed to it
/// and its own row only). The big screen's panel.
/// </summary>
public sealed record OpenCampaignsQuery(string Summit)
{
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>An open campaign and where its addressees stand.</summary>
public sealed record OpenCampaignRow(string Id, string Title, Deadline? Deadline, BoardCounts Counts);

/// <summary>A page of open campaigns and how many are open.</summary>
public sealed record OpenCampaignsPage(IReadOnlyList<OpenCampaignRow> Items, int Total);

/// <summary>A page of a campaign's submissions as stored JSON (in id order), filtered by status and the caller's units.</summary>
public sealed record SubmissionListQuery(string Summit, string Campaign)
{
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    public SubmissionStatus? Status { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>Reads of campaigns' boards, submissions and their kept versions, answered in SQL (no grain is activated).</summary>
public interface ICampaignQueries
{
    /// <summary>The board of a campaign; an empty page when the campaign does not exist.</summary>
    Task<BoardPage> QueryBoardAsync(CampaignBoardQuery query, CancellationToken cancellationToken = default);

    Task<EntityPage> QuerySubmissionsAsync(SubmissionListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The open campaigns, soonest deadline first, with their counts per status (<see cref="OpenCampaignsQuery"/>).</summary>
    Task<OpenCampaignsPage> QueryOpenCampaignsAsync(OpenCampaignsQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of an entity's kept snapshots (JSON), oldest first, and how many there are.</summary>
    Task<EntityPage> QuerySnapshotsAsync(EntityKey key, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>One kept snapshot (JSON), or null.</summary>
    Task<string?> LoadSnapshotAsync(EntityKey key, int number, CancellationToken cancellationToken = default);
}
