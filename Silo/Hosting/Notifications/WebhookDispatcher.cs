using Summit.Data.Notifications;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Summit.Hosting.Notifications;

/// <summary>
/// Works the webhook outbox in the background: claims due posts, sends them, and on failure retries with exponential
/// backoff up to <see cref="WebhookOptions.MaxAttempts"/>, then moves the post to the dead letters. Every silo runs
/// one; claims keep them from sending the same post twice at once.
/// </summary>
public sealed class WebhookDispatcher(
    IWebhookStore store,
    WebhookSignal signal,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "summit-webhooks";

    private WebhookOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The outbox itself is unreachable (database down): nothing is lost, try again later.
                logger.LogError(e, "Webhook outbox unavailable; retrying in {Interval}.", Options.PollInterval);
                sent = 0;
            }
            if (sent > 0) continue;
            try
            {
                await signal.WaitAsync(Options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: claims and sends what is due; returns how many posts were tried.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var lease = now + Duration.FromTimeSpan(Options.Timeout * 2 + TimeSpan.FromSeconds(30));
        var due = await store.ClaimAsync(now, Math.Max(1, Options.BatchSize), lease, cancellationToken);
        await Task.WhenAll(due.Select(d => DeliverAsync(d, cancellationToken)));
        return due.Count;
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var error = await SendAsync(delivery, cancellationToken);
        if (error is null)
        {
            await store.CompleteAsync(delivery.Id, cancellationToken);
            return;
        }
        var attempts = delivery.Attempts + 1;
        if (attempts >= Options.MaxAttempts)
        {
            logger.LogWarning("Webhook post {Id} for {Summit}/{Unit} failed {Attempts} times and is now a dead letter: {Error}",
                delivery.Id, delivery.Summit, delivery.Unit, attempts, error);
            await store.DeadLetterAsync(delivery.Id, attempts, error, Now(), cancellationToken);
        }
        else
        {
            var next = Now() + Duration.FromTimeSpan(Options.Backoff(attempts));
            logger.LogInformation("Webhook post {Id} for {Summit}/{Unit} failed (attempt {Attempts}), retrying at {Next}: {Error}",
                delivery.Id, delivery.Summit, delivery.Unit, attempts, next, error);
            await store.RetryAsync(delivery.Id, attempts, next, error, cancellationToken);
        }
    }

    /// <returns>Null when the robot took the message; else why not.</returns>
    private async Task<string?> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.Timeout);
            using var content = new StringContent(delivery.Body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(delivery.Url, content, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode}: {Truncate(text)}";
            // Both robots answer 200 with {"errcode":0,"errmsg":"ok"}; a refusal (bad keyword, rate limit) is 200 with another errcode.
            return RobotError(text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {Options.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static string? RobotError(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errcode", out var code)
                && code.ValueKind == JsonValueKind.Number
                && code.GetInt64() != 0)
                return $"errcode {code.GetInt64()}: {Truncate(text)}";
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());
}
