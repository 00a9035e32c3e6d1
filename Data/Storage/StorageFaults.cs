using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Summit.Domain;

namespace Summit.Data.Storage;

/// <summary>
/// Tells database outages (PostgreSQL down, a dropped connection, an exhausted pool, a server shutting down) from other
/// failures, wherever they hide in an exception's chain: Orleans' storage providers wrap the Npgsql exception they got.
/// </summary>
public static class StorageFaults
{
    /// <summary>The first database exception in the chain, or null when the failure has nothing to do with the database.</summary>
    public static DbException? DatabaseCause(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db) return db;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (DatabaseCause(inner) is { } found) return found;
        }
        return null;
    }

    /// <summary>
    /// True when retrying later can succeed: the server could not be reached or talked to, ran out of connections or
    /// resources, is shutting down, or aborted the transaction (serialization failure, deadlock). A broken query is not.
    /// </summary>
    public static bool IsTransient(DbException exception) => exception switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal)   // connection exception
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal)   // insufficient resources, too many connections
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)  // admin/crash shutdown, cannot connect now
            || pg.SqlState.StartsWith("40", StringComparison.Ordinal),  // serialization failure, deadlock
        // Not a server answer: a network error, a timeout, or no free connection in the pool.
        NpgsqlException => true,
        _ => exception.IsTransient,
    };

    /// <summary>True when <paramref name="exception"/> means "the database is unavailable, try again later".</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is StorageUnavailableException || (DatabaseCause(exception) is { } db && IsTransient(db));

    /// <summary>
    /// Exceptions that cross a grain call must have an Orleans codec, and Npgsql's have none. Returns the serializable
    /// exception to throw instead, or null to let <paramref name="exception"/> through unchanged.
    /// </summary>
    public static Exception? Translate(Exception exception)
    {
        if (exception is StorageUnavailableException || DatabaseCause(exception) is not { } db) return null;
        var cause = $"{db.GetType().Name}: {db.Message}";
        if (IsTransient(db))
            return new StorageUnavailableException("The database is unavailable; try again shortly.") { Cause = cause };
        // Not an outage (a broken query, a missing table): still a server error, but one that reaches the caller as itself.
        return new InvalidOperationException($"Database error ({(db as PostgresException)?.SqlState ?? db.GetType().Name}): {db.Message}");
    }
}
