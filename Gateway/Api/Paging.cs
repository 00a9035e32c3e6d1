using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>
/// Every list answers <c>{"items": [...], "total": n}</c>; <see cref="Total"/> counts every match, not just this page. The
/// lists paged by a key (histories, the audit trail) add <c>next</c> when more items follow: pass it as <c>after</c> to
/// read the next page.
/// </summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, int Total)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("When more items follow: the cursor to pass as after for the next page.")]
    public string? Next { get; init; }
}

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public const string OffsetDescription = "How many matching items to skip (default 0).";
    public const string LimitDescription = "How many items to return, 1-1000 (default 100).";

    /// <summary>
    /// Every row of a list, read <paramref name="pageSize"/> at a time from the start until a page comes back short (an
    /// export's reader: it holds one page, never the list).
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        int pageSize, Func<int, int, CancellationToken, Task<IReadOnlyList<T>>> page,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        for (var offset = 0; ; offset += pageSize)
        {
            var rows = await page(offset, pageSize, cancellationToken);
            foreach (var row in rows) yield return row;
            if (rows.Count < pageSize) yield break;
        }
    }

    /// <summary>Out-of-range paging is refused (400 naming <c>offset</c> or <c>limit</c>) rather than silently clamped.</summary>
    public static void Check(FieldErrors errors, int? offset, int? limit)
    {
        if (offset is < 0) errors.Add("offset", "must be 0 or more.");
        if (limit is { } l) errors.Range("limit", l, 1, MaxLimit);
    }

    public const string AfterDescription = "The next value of the previous page: read the items after it (offset then counts from there).";

    /// <summary>
    /// An <c>after</c> cursor read by <paramref name="parse"/>; a value it does not take (garbled, or another list's) is
    /// reported as <c>after</c>.
    /// </summary>
    public static T? After<T>(FieldErrors errors, string? after, TryParse<T> parse) where T : struct
    {
        if (string.IsNullOrEmpty(after)) return null;
        if (parse(after, out var value)) return value;
        errors.Add("after", "is not a cursor of this list: pass the next value of the list's previous page.");
        return null;
    }

    public delegate bool TryParse<T>(string text, out T value);
}

/// <summary>The query string's <c>offset</c>, <c>limit</c> and <c>after</c>, for the lists paged by a key.</summary>
public readonly record struct CursorPageQuery(
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit,
    [property: FromQuery(Name = "after"), Description(Paging.AfterDescription)] string? After);

/// <summary>The query string's <c>q</c>, <c>offset</c> and <c>limit</c>: a list that filters by text.</summary>
public readonly record struct TextPageQuery(
    [property: FromQuery(Name = "q"), Description(QueryValues.TextDescription)] string? Q,
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);

/// <summary>The query string's <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct PageQuery(
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);
