using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Summit.Data.Files;

namespace Summit.Gateway.Api;

/// <summary>A streamed request body (a file upload) went past its limit: answered 413.</summary>
public sealed class RequestBodyTooLargeException(long limit) : IOException($"The request body is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Bodies of API requests are small JSON documents. This middleware refuses one over <see cref="MaxBytes"/> with 413
/// before anything reads it, and keeps the bytes it read so that idempotency can hash them and error messages can
/// point into them. It does not depend on the server enforcing a limit (the in-process test server does not). An
/// upload (<see cref="FilesApi.IsUpload"/>; routing runs after this) gets its body as it arrives instead, counted: past
/// <c>Summit:Files:MaxRequestBytes</c>, reading it throws <see cref="RequestBodyTooLargeException"/>.
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
        if (FilesApi.IsUpload(request))
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<FileStoreOptions>>().Value.MaxRequestBytes;
            if (request.ContentLength > limit)
            {
                await ApiProblems.WriteAsync(http, DomainExceptionHandler.TooLarge(limit));
                return;
            }
            // This endpoint counts for itself; the server's own limit (30 MB by default) would cut larger uploads short.
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
                server.MaxRequestBodySize = null;
            request.Body = new CountedBody(request.Body, limit);
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

/// <summary>A request body that throws <see cref="RequestBodyTooLargeException"/> once more than its limit has been read.</summary>
internal sealed class CountedBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit) throw new RequestBodyTooLargeException(limit);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
