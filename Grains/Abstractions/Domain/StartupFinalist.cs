using NodaTime;

namespace Summit.Domain;

/// <summary>
/// Where a University Startup World Cup project stands on its way to the Wenzhou final: Nominated (put forward by a
/// regional round or a partner), Confirmed (confirmed as a finalist; counts toward the summit's finalist target),
/// Withdrawn (the team withdrew or was not confirmed).
/// </summary>
[GenerateSerializer]
public enum FinalistStatus
{
    Nominated,
    Confirmed,
    Withdrawn,
}

[GenerateSerializer, Immutable, Alias("summit.finalist-draft")]
public sealed record FinalistDraft(
    string ProjectName,
    string Team,
    string University,
    string Country,
    string Track,
    FinalistStatus Status = FinalistStatus.Nominated,
    string? SubForum = null);

[GenerateSerializer, Immutable, Alias("summit.finalist-change")]
public sealed record FinalistChange(
    string? ProjectName = null,
    string? Team = null,
    string? University = null,
    string? Country = null,
    string? Track = null,
    FinalistStatus? Status = null,
    string? SubForum = null,
    string? Note = null);

/// <summary>
/// A University Startup World Cup (大学创业世界杯) project selected for the global final held at the summit: the
/// project, its team, university and country, the competition track, and optionally the sub-forum it presents at.
/// </summary>
[GenerateSerializer, Immutable, Alias("summit.finalist")]
public sealed record StartupFinalist(
    string Summit,
    string Id,
    string ProjectName,
    string Team,
    string University,
    string Country,
    string Track,
    FinalistStatus Status,
    string? SubForum,
    int Version,
    Instant UpdatedAt,
    string UpdatedBy);
