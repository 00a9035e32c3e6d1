using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Summit.Data.Startup;

/// <summary>Set once start-up work (seeding, say) is finished; <c>/healthz</c> answers 503 until then.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}

public sealed class ReadinessHealthCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}
