namespace Summit.Gateway.Api;

/// <summary>Every list answers <c>{"items": [...], "total": n}</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, int Total);

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static ListResponse<T> Page<T>(IReadOnlyList<T> all, int? offset, int? limit)
    {
        var skip = Math.Max(0, offset ?? 0);
        var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        return new ListResponse<T>(all.Skip(skip).Take(take).ToArray(), all.Count);
    }
}
