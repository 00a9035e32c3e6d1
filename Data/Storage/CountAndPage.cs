using Npgsql;

namespace Summit.Data.Storage;

/// <summary>
/// A list's two queries, how many rows match and one page of them, sent as one <see cref="NpgsqlBatch"/>: one round trip
/// and, as a batch runs in one implicit transaction, a total and a page of the same snapshot.
/// </summary>
public static class CountAndPage
{
    /// <summary>OFFSET, then LIMIT when there is one, as the page queries number them after their filter's parameters.</summary>
    public static List<NpgsqlParameter> PagingParameters(int offset, int? limit)
    {
        var paging = new List<NpgsqlParameter> { new NpgsqlParameter<int> { TypedValue = Math.Max(0, offset) } };
        if (limit is { } value) paging.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, value) });
        return paging;
    }

    /// <summary>
    /// Runs <paramref name="countSql"/> (one row, one bigint) and <paramref name="pageSql"/> together. Both take the
    /// <paramref name="filter"/> parameters (each command gets its own copies); the page also takes
    /// <paramref name="paging"/> after them (for positional parameters: <c>$n+1</c>, … where n is the filter's count).
    /// </summary>
    /// <param name="read">Reads one row of the page; a null result leaves the row out.</param>
    public static async Task<(List<T> Items, int Total)> ReadAsync<T>(
        NpgsqlDataSource dataSource,
        string countSql,
        string pageSql,
        IReadOnlyList<NpgsqlParameter> filter,
        IReadOnlyList<NpgsqlParameter> paging,
        Func<NpgsqlDataReader, T?> read,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(paging);
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var count = new NpgsqlBatchCommand(countSql);
        // A parameter object belongs to one command, so each batch command gets its own copies.
        foreach (var p in filter) count.Parameters.Add(p.Clone());
        var page = new NpgsqlBatchCommand(pageSql);
        foreach (var p in filter.Concat(paging)) page.Parameters.Add(p.Clone());
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = checked((int)reader.GetInt64(0));
        await reader.NextResultAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            if (read(reader) is { } item) items.Add(item);
        return (items, total);
    }
}
