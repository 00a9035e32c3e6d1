using Microsoft.AspNetCore.Mvc;

namespace Summit.Gateway.Api;

/// <summary>
/// Bodies of API requests are small JSON documents. This middleware refuses one over <see cref="MaxBytes"/> with 413
/// before anything reads it, and keeps the bytes it read so that idempotency can hash them and error messages can
/// point into them. It does not depend on the server enforcing a limit (the in-process test server does not).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next)
{
    public const int MaxBytes = 256 * 1024;

    public static ReadOnlyMemory<byte>? BufferedBody(HttpContext http) =>
        http.Items.TryGetValue(typeof(RequestBodyLimit), out var value) && value is ReadOnlyMemory<byte> bytes ? bytes : null;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || !(request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            await next(http);
            return;
        }
        if (request.ContentLength > MaxBytes)
        {
            await TooLargeAsync(http);
            return;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                await TooLargeAsync(http);
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        request.Body = buffer;
        http.Items[typeof(RequestBodyLimit)] = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        await next(http);
    }

    private async Task TooLargeAsync(HttpContext http)
    {
        await ApiProblems.WriteAsync(http, new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
            Detail = $"API request bodies are limited to {MaxBytes / 1024} KB.",
        });
    }
}
