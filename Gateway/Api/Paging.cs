using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Summit.Domain;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>Every list answers <c>{"items": [...], "total": n}</c>; <see cref="Total"/> counts every match, not just this page.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, int Total);

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public const string OffsetDescription = "How many matching items to skip (default 0).";
    public const string LimitDescription = "How many items to return, 1-1000 (default 100).";

    /// <summary>Out-of-range paging is refused (400 naming <c>offset</c> or <c>limit</c>) rather than silently clamped.</summary>
    public static ListResponse<T> Page<T>(IReadOnlyList<T> all, int? offset, int? limit)
    {
        var errors = new FieldErrors();
        Check(errors, offset, limit);
        errors.ThrowIfAny();
        return new ListResponse<T>(all.Skip(offset ?? 0).Take(limit ?? DefaultLimit).ToArray(), all.Count);
    }

    public static void Check(FieldErrors errors, int? offset, int? limit)
    {
        if (offset is < 0) errors.Add("offset", "must be 0 or more.");
        if (limit is { } l) errors.Range("limit", l, 1, MaxLimit);
    }
}

/// <summary>The query string's <c>offset</c> and <c>limit</c>.</summary>
public readonly record struct PageQuery(
    [property: FromQuery(Name = "offset"), Description(Paging.OffsetDescription)] int? Offset,
    [property: FromQuery(Name = "limit"), Description(Paging.LimitDescription)] int? Limit);
