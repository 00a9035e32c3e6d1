using Summit.Domain;

namespace Summit.Storage;

/// <summary>What a search finds: the kinds of result, in the order the groups are answered.</summary>
public enum SearchKind
{
    Task,
    SubEvent,
    SubForum,
    Project,
    County,
    University,
    Person,
    Alliance,
    Finalist,
}

/// <summary>
/// The terms of a text query (<c>q</c>): split at white space, each term matched as a part of an entity's text, all terms
/// together. Matching ignores case (PostgreSQL's <c>lower</c>, applied to both sides in the database).
/// </summary>
public static class SearchText
{
    /// <summary>The longest query, in characters.</summary>
    public const int MaxLength = 100;

    /// <summary>The most terms a query may have.</summary>
    public const int MaxTerms = 8;

    /// <summary>
    /// The terms of <paramref name="q"/>, in order, without repeats; empty when it has none. Null with
    /// <paramref name="error"/> set when it is no query: too long, too many terms, a control character (NUL included), or
    /// a lone surrogate (no character at all).
    /// </summary>
    public static IReadOnlyList<string>? Terms(string? q, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(q)) return [];
        if (q.Length > MaxLength)
        {
            error = $"must be at most {MaxLength} characters (got {q.Length}).";
            return null;
        }
        for (var i = 0; i < q.Length; i++)
        {
            var c = q[i];
            if (char.IsControl(c))
            {
                error = "must not contain control characters.";
                return null;
            }
            if (char.IsHighSurrogate(c) && i + 1 < q.Length && char.IsLowSurrogate(q[i + 1])) i++;
            else if (char.IsSurrogate(c))
            {
                error = "is not valid text (a lone surrogate).";
                return null;
            }
        }
        var terms = q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (terms.Length > MaxTerms)
        {
            error = $"may have at most {MaxTerms} words (got {terms.Length}).";
            return null;
        }
        return terms;
    }

    /// <summary>The terms as one phrase (single spaces), which titles are ranked against.</summary>
    public static string Phrase(IReadOnlyList<string> terms) => string.Join(' ', terms);
}

/// <summary>
/// A search of one summit (<see cref="ISummitSearch.SearchAsync"/>): the best <see cref="Limit"/> matches of each kind
/// the caller may read. What it may read is given as <see cref="Rules.AccessRules"/> decides it, and is a condition of
/// the queries, so nothing else is loaded.
/// </summary>
public sealed record SearchQuery(string Summit, IReadOnlyList<string> Terms)
{
    /// <summary>Results per kind.</summary>
    public int Limit { get; init; } = 5;

    /// <summary>The owners whose tasks the caller may read; null for every owner.</summary>
    public IReadOnlyList<OwningUnit>? TaskOwners { get; init; }

    /// <summary>The units whose venues (and sub-events), sub-forums, projects and universities the caller may read; null for all.</summary>
    public IReadOnlyList<OwningUnit>? Units { get; init; }

    /// <summary>The units whose accounts the caller may find; null for every account but admins; empty for none.</summary>
    public IReadOnlyList<OwningUnit>? People { get; init; }

    /// <summary>
    /// How many matches of a kind are ranked at most. A query that matches more (a character most titles share) ranks
    /// the titles starting with it and this many other matches, and says that more exist; the lists' <c>q</c> filter
    /// pages through all of them.
    /// </summary>
    public const int Candidates = 500;
}

/// <summary>
/// One result. <see cref="Rank"/>: 0 the title is the query, 1 it starts with it, 2 it holds it, 3 another field holds
/// the terms.
/// </summary>
/// <param name="Title">The name it is known by: a task's or project's title, a sub-forum's theme, a venue's, university's or person's name.</param>
/// <param name="Unit">The unit it belongs to as the API writes it (<c>county:pingyang</c>): a task's owner, a sub-forum's host, a project's county, a person's unit.</param>
/// <param name="County">A sub-event's county (its id is the sub-event's own).</param>
/// <param name="Date">A task's due date, a sub-event's date, a sub-forum's day (ISO).</param>
/// <param name="Status">The entity's status or stage as the JSON writes it; a person's role.</param>
public sealed record SearchHit(
    SearchKind Kind, string Id, string Title, int Rank,
    string? Unit = null, string? County = null, string? Date = null, string? Status = null);

/// <summary>One kind's best matches, best first; <see cref="More"/> when more match than were returned.</summary>
public sealed record SearchGroup(SearchKind Kind, IReadOnlyList<SearchHit> Items, bool More);

/// <summary>Text search of a summit's entities and of the accounts (PostgreSQL: migration 0230).</summary>
public interface ISummitSearch
{
    /// <summary>One group per kind of <see cref="SearchKind"/>, in its order, empty groups included.</summary>
    Task<IReadOnlyList<SearchGroup>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);
}
