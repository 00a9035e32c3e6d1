using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Summit.Data.Files;

/// <summary>
/// Stored files' content in an S3-compatible bucket (AWS S3, MinIO, Ceph, …; <c>Summit:Files:Store</c> = <c>s3</c>): one
/// object per chunk, <c>{Prefix}{fileId}/{n:D6}</c>, each of <see cref="IFileStore.ChunkBytes"/> (the last one shorter).
/// <para>
/// One object per chunk rather than one multipart upload per file: a part of a multipart upload must be at least 5 MiB
/// (all but the last), so an upload would hold 5 MiB per file in memory or spool it to disk, twenty times what it holds
/// now; an upload in progress would live in the Gateway that began it (its upload id and part tags) and die with it; and
/// an abandoned multipart upload is invisible to listing and costs storage until it is aborted, which needs a cleanup of
/// its own. Chunk objects are plain objects: each is written by a short request like a chunk row, read back one at a
/// time, listed and deleted by the file's prefix, and left-overs are found by listing. The price is more requests and
/// objects (80 for a 20 MiB file), which S3 stores bill per request but which stay cheap next to the content.
/// </para>
/// <para>
/// Requests are plain SigV4 with the payload's hash, no <c>aws-chunked</c> encoding and no checksum unless an operation
/// requires one: S3-compatible servers differ in what they accept of the newer SDK defaults (one stored the chunk
/// framing as the content), and every one of them accepts this. Failures that retrying can cure (no connection, a
/// timeout, 5xx, "slow down") become <see cref="FileStoreUnavailableException"/>, answered 503.
/// </para>
/// </summary>
/// <param name="pageSize">Keys per listing (S3's most, 1,000, unless a test wants pages).</param>
public sealed partial class S3FileContent(IAmazonS3 s3, string bucket, string prefix, int pageSize = 1000) : IFileContent, IDisposable
{
    /// <summary>Longest one request may take (it is a chunk of 256 KiB, a listing of 1,000 keys or a delete of as many).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A client for the settings (checked at start by <see cref="FileContentOptions"/>).</summary>
    public static S3FileContent Create(S3FileStoreSettings settings, int pageSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            ServiceURL = settings.ServiceUrl,
            AuthenticationRegion = settings.Region,
            ForcePathStyle = settings.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = RequestTimeout,
            MaxErrorRetry = 2,
        };
        var client = string.IsNullOrEmpty(settings.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        return new S3FileContent(client, settings.Bucket!, settings.Prefix ?? "", pageSize);
    }

    /// <summary>The key of chunk <paramref name="n"/> of file <paramref name="id"/>.</summary>
    public string KeyOf(string id, int n) => $"{prefix}{id}/{n:D6}";

    public async Task WriteChunkAsync(string id, int n, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var body = MemoryMarshal.TryGetArray(bytes, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
        // Not cancelled midway: a write the server may already have taken finishes (or fails) before the caller moves on, so
        // an aborted upload's delete, which follows, sees every chunk it wrote.
        await CallAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = KeyOf(id, n),
            InputStream = body,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        }, CancellationToken.None), cancellationToken);
    }

    public async Task<byte[]?> ReadChunkAsync(string id, int n, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(async () =>
            {
                using var response = await s3.GetObjectAsync(bucket, KeyOf(id, n), cancellationToken);
                var chunk = new byte[response.ContentLength];
                await response.ResponseStream.ReadExactlyAsync(chunk, cancellationToken);
                return chunk;
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids.Distinct())
        {
            string? continuation = null;
            do
            {
                var page = await ListAsync(prefix + id + "/", continuation, cancellationToken);
                await DeleteKeysAsync(page.Keys, cancellationToken);
                continuation = page.Next;
            }
            while (continuation is not null);
        }
    }

    public async Task<int> SweepAsync(
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var swept = new HashSet<string>(StringComparer.Ordinal);
        string? continuation = null;
        do
        {
            // A page at a time (1,000 keys): the rows are asked for after the listing, and a row always exists before its
            // first chunk is written, so a chunk listed whose row is missing belongs to a file that was deleted.
            var page = await ListAsync(prefix, continuation, cancellationToken);
            var byFile = page.Keys.Select(key => (Key: key, Id: FileIdOf(key))).Where(k => k.Id is not null).ToLookup(k => k.Id!, k => k.Key);
            if (byFile.Count > 0)
            {
                var kept = await existing(byFile.Select(g => g.Key).ToArray(), cancellationToken);
                var orphans = byFile.Where(g => !kept.Contains(g.Key)).ToArray();
                await DeleteKeysAsync(orphans.SelectMany(g => g).ToArray(), cancellationToken);
                swept.UnionWith(orphans.Select(g => g.Key));
            }
            continuation = page.Next;
        }
        while (continuation is not null);
        return swept.Count;
    }

    /// <summary>The file id of a chunk's key; null for any other key under the prefix, which is never touched.</summary>
    private string? FileIdOf(string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var match = ChunkKey().Match(key, prefix.Length);
        return match.Success && match.Index == prefix.Length ? match.Groups["id"].Value : null;
    }

    [GeneratedRegex(@"\G(?<id>f-[0-9a-f]{32})/[0-9]{6,}\z")]
    private static partial Regex ChunkKey();

    private sealed record Page(IReadOnlyList<string> Keys, string? Next);

    private Task<Page> ListAsync(string keyPrefix, string? continuation, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var response = await s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = bucket,
            Prefix = keyPrefix,
            ContinuationToken = continuation,
            MaxKeys = pageSize,
        }, cancellationToken);
        var keys = (response.S3Objects ?? []).Select(o => o.Key).ToArray();
        return new Page(keys, response.IsTruncated == true ? response.NextContinuationToken : null);
    }, cancellationToken);

    private async Task DeleteKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            var response = await CallAsync(() => s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = bucket,
                Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
                Quiet = true,
            }, cancellationToken), cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new InvalidOperationException(
                    $"The file store's bucket '{bucket}' did not delete {errors.Count} objects, e.g. '{errors[0].Key}' ({errors[0].Code}: {errors[0].Message}).");
        }
    }

    /// <summary>Runs one request, turning an outage into <see cref="FileStoreUnavailableException"/>.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsOutage(e))
        {
            throw new FileStoreUnavailableException($"The file store (bucket '{bucket}') is unavailable: {e.GetType().Name}: {e.Message}", e);
        }
        catch (AmazonServiceException e) when (IsMisconfigured(e))
        {
            // Not the client's fault and not a missing file: the store cannot be used until its settings are mended.
            throw new FileStoreUnavailableException(
                $"The file store (bucket '{bucket}') refuses the platform: {e.ErrorCode} ({e.StatusCode}). Check Summit:Files:S3 (bucket, keys, policy).", e);
        }
    }

    /// <summary>True when retrying later can succeed: the endpoint not reached or not answering in time, or answering that it is failing or busy.</summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "ServiceUnavailable" or "InternalError" } => true,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        // The client's own timeout (the caller's token was not cancelled, see CallAsync).
        OperationCanceledException => true,
        _ => exception.InnerException is { } inner && IsOutage(inner),
    };

    /// <summary>
    /// True when the bucket answers that the platform's settings are wrong: no such bucket, or its keys or policy refused.
    /// Retrying cannot help until an operator mends them, but to a caller it is the store being unavailable, not a 500.
    /// </summary>
    public static bool IsMisconfigured(AmazonServiceException exception) => exception.ErrorCode is
        "NoSuchBucket" or "AccessDenied" or "AllAccessDisabled" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidBucketName"
        || exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;

    public void Dispose() => s3.Dispose();
}
