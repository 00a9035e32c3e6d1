using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Summit.Gateway.Security;

/// <summary>
/// Load shedding for writes: at most <see cref="RateLimitOptions.WriteConcurrency"/> writes run at once and
/// <see cref="RateLimitOptions.WriteQueue"/> more wait, oldest first; beyond that a write is refused at once with 503
/// and <c>Retry-After</c>. Without it, a Gateway past its capacity queues every request until clients time out while
/// the server still applies them late, so throughput collapses instead of levelling off. Only writes to the API's
/// entities count: reads, sign-in and the live hub's own POSTs (negotiate, long polling) are never held back, since the
/// dashboards must stay live while the writers back off.
/// </summary>
public sealed class WriteAdmission : IDisposable
{
    private readonly ConcurrencyLimiter? _limiter;

    public WriteAdmission(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        if (limits.WriteConcurrency > 0)
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.WriteConcurrency,
                QueueLimit = Math.Max(0, limits.WriteQueue),
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
    }

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (_limiter is null || RateLimits.IsRead(http.Request) || !http.Request.Path.StartsWithSegments("/api/summits"))
        {
            await next(http);
            return;
        }
        using var lease = await _limiter.AcquireAsync(1, http.RequestAborted);
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            await SecurityProblems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The server is busy.",
                "Too many changes are being applied right now; nothing was changed. Try again in 1 s.");
            return;
        }
        await next(http);
    }

    public void Dispose() => _limiter?.Dispose();
}
