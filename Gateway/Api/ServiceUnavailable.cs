using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Summit.Domain;
using Summit.Data.Files;
using Summit.Data.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// Faults of the infrastructure under the API: the database or the files' S3 bucket down, a silo dead or unreachable, a
/// grain call timed out, no connection to the cluster. They are answered 503 with <c>Retry-After</c> and an RFC 9457
/// problem, never 500: the request was fine and a retry in a few seconds (after failover, or once the database is back)
/// can succeed.
/// </summary>
public static class ServiceUnavailable
{
    /// <summary>
    /// Seconds a client should wait. A dead silo is replaced within about 10 s (README: Configuration), so a client that
    /// waits 5 s and retries once more is through a failover; a database restart takes about as long.
    /// </summary>
    public const int RetryAfterSeconds = 5;

    public static bool Matches(Exception exception) => exception switch
    {
        StorageUnavailableException => true,
        // Grain state that another activation changed, or whose write failed: the grain reloads on the next call.
        InconsistentStateException => true,
        // A grain call's answer did not come within the response timeout (the silo died or is stuck behind the database).
        TimeoutException => true,
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException => true,
        // No connection to any silo gateway (client mode, all silos down or restarting).
        ConnectionFailedException or Orleans.Networking.Shared.SocketConnectionException => true,
        // The bucket that holds files' content (Summit:Files:Store = s3) down, timing out or failing.
        FileStoreUnavailableException => true,
        OperationCanceledException => false,
        // The Gateway's own stores (accounts, idempotency keys, security log) when PostgreSQL is down.
        _ => StorageFaults.IsUnavailable(exception)
            || (exception.InnerException is { } inner && Matches(inner)),
    };

    public static ProblemDetails Problem(Exception exception) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Service temporarily unavailable.",
        Detail = exception switch
        {
            StorageUnavailableException or InconsistentStateException => "The database is unavailable.",
            FileStoreUnavailableException => "The file store is unavailable.",
            TimeoutException => "The cluster did not answer in time.",
            _ when StorageFaults.IsUnavailable(exception) => "The database is unavailable.",
            _ => "The cluster is unavailable or failing over.",
        } + $" Retry after {RetryAfterSeconds} seconds. A write that timed out may have been applied: read it again, or retry it with the same Idempotency-Key.",
        Extensions = { ["retryAfter"] = RetryAfterSeconds },
    };

    public static void AddRetryAfter(HttpContext http, ProblemDetails problem)
    {
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
