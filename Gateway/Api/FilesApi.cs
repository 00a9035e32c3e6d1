using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Summit.Data.Files;
using Summit.Domain;
using Summit.Grains;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Idempotency;
using Summit.Gateway.Security;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Gateway.Api;

/// <summary>
/// <c>/api/summits/{summit}/files</c>: photos, videos and documents units attach to their records, stored in PostgreSQL
/// (<see cref="IFileStore"/>). An upload is <c>multipart/form-data</c> read as it arrives (never buffered whole): each
/// file's type is found in its content (<see cref="ContentSniffer"/>), images are decoded and written out again without
/// their metadata and get a thumbnail (<see cref="ImageProcessor"/>, a few at a time behind <see cref="ImageGate"/>), other
/// files go into the store a chunk at a time as they come. A refused, failed or aborted upload deletes what it wrote. Who
/// may read a file is <see cref="AccessRules.MayReadFile"/>; who may upload, <see cref="AccessRules.EnsureUpload"/>.
/// </summary>
public static class FilesApi
{
    public static RouteGroupBuilder MapFilesApi(this RouteGroupBuilder summit)
    {
        var group = summit.MapGroup("/files").WithTags("Files");
        group.MapPost("/", Upload).Describe("UploadFiles", "Uploads one or more files (multipart/form-data), answering what was stored.",
                "Each part with a file name is a file. Its type is found in its content (JPEG, PNG, GIF, WebP, PDF, docx, xlsx, pptx, doc, xls, " +
                "ppt, MP4, MOV, UTF-8 text), never from its name or declared type; kinds not allowed (Summit:Files:AllowedKinds) get 415. " +
                "A file over Summit:Files:MaxFileBytes (20 MiB) or an upload over Summit:Files:MaxRequestBytes gets 413 naming the file and the " +
                "limit; a truncated or damaged file 422. Images are stored re-encoded without EXIF/GPS metadata, turned upright, with a thumbnail. " +
                "A refused upload stores nothing, not even the files before the refused one. The secretariat, counties and universities upload; " +
                "a file belongs to the uploader's unit.")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .Produces<FileUploadResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RejectsUnknownQuery()
            .WithMetadata(new IdempotentWriteMetadata());
        group.MapGet("/{id}", Download).Describe("DownloadFile", "Downloads a file's content.",
                "Content-Disposition: attachment with the name (filename* in UTF-8, RFC 5987), the detected Content-Type, Content-Length, " +
                "X-Content-Type-Options: nosniff and the SHA-256 as a strong ETag (If-None-Match answers 304). The secretariat and leaders " +
                "read every file of the summit; a county or university its own unit's files (another's is 404).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RejectsUnknownQuery();
        group.MapGet("/{id}/thumbnail", Thumbnail).Describe("FileThumbnail", "An image's thumbnail: a JPEG of at most 320 px a side.",
                "404 for a file that is not an image, and for a file the caller may not read.")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RejectsUnknownQuery();
        group.MapGet("/{id}/info", Info).Describe("GetFileInfo", "A file's metadata.")
            .Produces<FileResource>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RejectsUnknownQuery();
        return group;
    }

    /// <summary>
    /// <c>POST /api/summits/{summit}/files</c>: its body is streamed, not buffered (<see cref="RequestBodyLimit"/>), and a
    /// 415 the framework gives it asks for multipart/form-data. Told by the path, as it is needed before routing.
    /// </summary>
    public static bool IsUpload(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsPost(request.Method)) return false;
        var segments = request.Path.Value?.Trim('/').Split('/');
        return segments is ["api", "summits", _, "files"];
    }

    // Upload.

    private static async Task<IResult> Upload(
        string summit, HttpContext http, IGrainFactory grains, IFileStore store, IOptions<FileStoreOptions> settings, ImageGate images, IClock clock)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        var owner = AccessRules.EnsureUpload(actor, summit);
        var options = settings.Value;

        var key = IdempotencyContext.Outgoing;
        if (key is { Replay: true } && await store.AppliedAsync(key, http.RequestAborted) is { } applied)
            return Stored(applied);

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
            return Refused(new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type.",
                Detail = "Send the files as multipart/form-data.",
            });

        var begun = new List<string>();
        var uploads = new List<CompletedUpload>();
        var done = false;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
            var part = 0;
            while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
            {
                var field = $"files[{part++}]";
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                    return Invalid(field, "is not a file (a form field without a file name).");
                if (uploads.Count >= options.MaxFilesPerRequest)
                    return Invalid("files", $"must have at most {options.MaxFilesPerRequest} entries.");
                var given = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                var name = FileNames.Sanitise(given);
                var received = await ReceiveAsync(section.Body, name, owner, actor, summit, store, options, images, clock, begun, http.RequestAborted);
                if (received.Refusal is { } refusal)
                {
                    if (refusal.Extensions.TryGetValue("retryAfter", out var seconds))
                        http.Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
                    return Refused(refusal);
                }
                uploads.Add(received.Upload!);
            }
            if (uploads.Count == 0) return Invalid("files", "must hold at least one file.");
            var files = await store.CompleteAsync(uploads, key, http.RequestAborted);
            done = true;
            return Stored(files);
        }
        catch (RequestBodyTooLargeException e)
        {
            return Refused(DomainExceptionHandler.TooLarge(e.Limit));
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            // The multipart framing is broken (no closing boundary, a header line too long), or the body ended early.
            return Invalid("body", "is not valid multipart/form-data.");
        }
        finally
        {
            // Whatever went wrong (a refusal, a dropped connection, the database), nothing of this request stays.
            if (!done && begun.Count > 0) await store.DeleteAsync(begun, CancellationToken.None);
        }
    }

    private sealed record Received(CompletedUpload? Upload, ProblemDetails? Refusal);

    /// <summary>
    /// One file of the upload: an image goes to a temporary file to be decoded and written out again, anything else into
    /// the store a chunk at a time as it arrives; the type is checked against the allowed kinds as soon as it is known.
    /// </summary>
    private static async Task<Received> ReceiveAsync(
        Stream body, string name, OwningUnit owner, Actor actor, string summit, IFileStore store, FileStoreOptions options, ImageGate images,
        IClock clock, List<string> begun, CancellationToken cancellationToken)
    {
        var sniffer = new ContentSniffer();
        var buffer = ArrayPool<byte>.Shared.Rent(IFileStore.ChunkBytes);
        try
        {
            var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, IFileStore.ChunkBytes), IFileStore.ChunkBytes, throwOnEndOfStream: false, cancellationToken);
            if (read > options.MaxFileBytes) return new Received(null, FileTooLarge(name, options.MaxFileBytes));
            sniffer.Append(buffer.AsSpan(0, read));
            var provisional = read < ContentSniffer.HeadBytes ? sniffer.Finish().Type : sniffer.Provisional!;
            if (provisional.IsImage)
            {
                if (!options.Allowed.Contains(FileKind.Image)) return new Received(null, NotAllowed(name, provisional, options));
                return await ReceiveImageAsync(body, buffer, read, sniffer, name, owner, actor, summit, store, options, images, clock, begun, cancellationToken);
            }
            // PDF and video are known from their start: refused before anything is stored.
            if (provisional.Kind is FileKind.Document or FileKind.Video && provisional != DetectedType.Text && !options.Allowed.Contains(provisional.Kind))
                return new Received(null, NotAllowed(name, provisional, options));

            var id = await store.BeginAsync(summit, owner, actor.Account, name, clock.GetCurrentInstant(), cancellationToken);
            begun.Add(id);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            var n = 0;
            while (read > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                await store.WriteChunkAsync(id, n++, buffer.AsMemory(0, read), cancellationToken);
                if (read < IFileStore.ChunkBytes) break;
                read = await body.ReadAtLeastAsync(buffer.AsMemory(0, IFileStore.ChunkBytes), IFileStore.ChunkBytes, throwOnEndOfStream: false, cancellationToken);
                if (length + read > options.MaxFileBytes) return new Received(null, FileTooLarge(name, options.MaxFileBytes));
                sniffer.Append(buffer.AsSpan(0, read));
            }
            var verdict = sniffer.Finish();
            if (verdict.Problem != ContentProblem.None) return new Received(null, Unreadable(name, verdict.Type, verdict.Problem));
            if (!options.Allowed.Contains(verdict.Type.Kind)) return new Received(null, NotAllowed(name, verdict.Type, options));
            return new Received(new CompletedUpload(id, FileNames.WithExtension(name, verdict.Type), verdict.Type, length, hash.GetHashAndReset(), null), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Received> ReceiveImageAsync(
        Stream body, byte[] buffer, int read, ContentSniffer sniffer, string name, OwningUnit owner, Actor actor, string summit,
        IFileStore store, FileStoreOptions options, ImageGate images, IClock clock, List<string> begun, CancellationToken cancellationToken)
    {
        var original = Path.GetTempFileName();
        var encoded = Path.GetTempFileName();
        try
        {
            await using (var spool = new FileStream(original, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                long length = 0;
                while (read > 0)
                {
                    length += read;
                    await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    read = await body.ReadAsync(buffer.AsMemory(0, IFileStore.ChunkBytes), cancellationToken);
                    if (length + read > options.MaxFileBytes) return new Received(null, FileTooLarge(name, options.MaxFileBytes));
                    sniffer.Append(buffer.AsSpan(0, read));
                }
            }
            var verdict = sniffer.Finish();
            if (verdict.Problem != ContentProblem.None) return new Received(null, Unreadable(name, verdict.Type, verdict.Problem));
            // Decoded only when one of the gate's places is free; an aborted request leaves the queue with an exception.
            var processed = await images.ProcessAsync(original, encoded, cancellationToken);
            if (!processed.Done) return new Received(null, Busy(name, processed, options));
            var (image, problem) = processed.Value;
            if (image is null)
                return new Received(null, problem == ImageProblem.TooManyPixels
                    ? Problem(StatusCodes.Status422UnprocessableEntity, "The file cannot be read.",
                        $"The image '{name}' has more than {options.MaxImagePixels} pixels.", name, options.MaxImagePixels)
                    : Unreadable(name, verdict.Type, problem == ImageProblem.Truncated ? ContentProblem.Truncated : ContentProblem.Malformed));

            var id = await store.BeginAsync(summit, owner, actor.Account, name, clock.GetCurrentInstant(), cancellationToken);
            begun.Add(id);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long stored = 0;
            await using var content = new FileStream(encoded, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            for (var n = 0; (read = await content.ReadAtLeastAsync(buffer.AsMemory(0, IFileStore.ChunkBytes), IFileStore.ChunkBytes, false, cancellationToken)) > 0; n++)
            {
                hash.AppendData(buffer, 0, read);
                stored += read;
                await store.WriteChunkAsync(id, n, buffer.AsMemory(0, read), cancellationToken);
            }
            return new Received(new CompletedUpload(id, FileNames.WithExtension(name, image.Type, replace: true), image.Type, stored,
                hash.GetHashAndReset(), image.Thumbnail), null);
        }
        finally
        {
            File.Delete(original);
            File.Delete(encoded);
        }
    }

    private static IResult Stored(IReadOnlyList<StoredFile> files)
    {
        var resources = files.Select(FileResource.From).ToArray();
        return TypedResults.Created(resources.Length == 1 ? resources[0].Url + "/info" : (string?)null, new FileUploadResponse(resources));
    }

    // Refusals: each names the file and, where there is one, the limit.

    private static ProblemDetails FileTooLarge(string name, long limit) => Problem(StatusCodes.Status413PayloadTooLarge, "The file is too large.",
        $"The file '{name}' is larger than the limit of {Sizes.Describe(limit)} per file.", name, limit);

    /// <summary>503: the image was not processed because too many are waiting; nothing of the upload is kept.</summary>
    private static ProblemDetails Busy<T>(string name, GateResult<T> result, FileStoreOptions options)
    {
        var problem = Problem(StatusCodes.Status503ServiceUnavailable, "The server is busy.", result.Refusal == ImageGateRefusal.QueueFull
            ? $"The image '{name}' was not processed: {options.ImageQueue} images are already waiting. Nothing was stored; try again in {result.RetryAfterSeconds} s."
            : $"The image '{name}' waited {(int)Math.Ceiling(options.ImageWaitTimeout.TotalSeconds)} s to be processed. Nothing was stored; try again in {result.RetryAfterSeconds} s.",
            name, null);
        problem.Extensions["retryAfter"] = result.RetryAfterSeconds;
        return problem;
    }

    private static ProblemDetails NotAllowed(string name, DetectedType type, FileStoreOptions options) => Problem(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
        $"The file '{name}' is not of an accepted type (its content is {type.ContentType}; accepted: " +
        $"{string.Join(", ", options.Allowed.Order().Select(PostgresFileStore.KindName))}).", name, null);

    private static ProblemDetails Unreadable(string name, DetectedType type, ContentProblem problem) => Problem(
        StatusCodes.Status422UnprocessableEntity, "The file cannot be read.", problem switch
        {
            ContentProblem.Empty => $"The file '{name}' is empty.",
            ContentProblem.Truncated => $"The file '{name}' is truncated: it ends before its format ({type.ContentType}) says it does.",
            _ => $"The file '{name}' is damaged: its content does not follow its format ({type.ContentType}).",
        }, name, null);

    private static ProblemDetails Problem(int status, string title, string detail, string name, long? limit)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["file"] = name } };
        if (limit is not null) problem.Extensions["limit"] = limit;
        return problem;
    }

    private static IResult Refused(ProblemDetails problem) => TypedResults.Problem(problem);

    private static IResult Invalid(string field, string message) => TypedResults.Problem(new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request has invalid fields.",
    });

    // Reading.

    private static async Task<IResult> Download(string summit, string id, HttpContext http, IGrainFactory grains, IFileStore store)
    {
        var file = await ReadableAsync(summit, id, http, grains, store);
        if (file is null) return NotFound(id);
        if (NotModified(http, file.Sha256)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var content = await store.OpenReadAsync(summit, file.Id, http.RequestAborted);
        if (content is null) return NotFound(id);
        return new FileContent(file, content);
    }

    private static async Task<IResult> Thumbnail(string summit, string id, HttpContext http, IGrainFactory grains, IFileStore store)
    {
        var file = await ReadableAsync(summit, id, http, grains, store);
        if (file is null || !file.HasThumbnail) return NotFound(id);
        var tag = file.Sha256 + "-thumbnail";
        if (NotModified(http, tag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var thumbnail = await store.ReadThumbnailAsync(summit, file.Id, http.RequestAborted);
        if (thumbnail is null) return NotFound(id);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.File(thumbnail, "image/jpeg");
    }

    private static async Task<IResult> Info(string summit, string id, HttpContext http, IGrainFactory grains, IFileStore store)
    {
        var file = await ReadableAsync(summit, id, http, grains, store);
        if (file is null) return NotFound(id);
        var tag = file.Sha256 + "-" + (file.AttachedTo is null ? "0" : Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(file.AttachedTo)))[..16]);
        if (NotModified(http, tag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(FileResource.From(file));
    }

    /// <summary>The file, if the summit and the file exist and the actor may read it (<see cref="AccessRules.MayReadFile"/>); else null, answered as 404.</summary>
    private static async Task<StoredFile?> ReadableAsync(string summit, string id, HttpContext http, IGrainFactory grains, IFileStore store)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        if (!IsFileId(id)) return null;
        var file = await store.FindAsync(summit, id, http.RequestAborted);
        if (file is null) return null;
        if (AccessRules.MayReadFile(actor, FileScope.Of(file))) return file;
        // A file attached to a submission to a forwarded campaign is read by the unit that forwarded it (its reviewer).
        if (SubmissionFiles.SubmissionOf(file.AttachedTo) is { } submission && Submission.Parse(submission) is { } parsed
            && await grains.GetGrain<ICampaignGrain>(GrainKeys.Of(summit, parsed.Campaign)).Get() is { Owner: { } reviewer }
            && AccessRules.MayReadFile(actor, FileScope.Of(file) with { Reviewer = reviewer }))
            return file;
        http.RecordRefusal($"{actor.Account} may not read file '{id}'.");
        return null;
    }

    private static bool IsFileId(string id) => id.Length == 34 && id.StartsWith("f-", StringComparison.Ordinal) && id.Skip(2).All(char.IsAsciiHexDigitLower);

    private static IResult NotFound(string id) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = $"No file '{(IsFileId(id) ? id : QueryValues.Printable(id.Length > 40 ? id[..40] + "…" : id))}'.",
    });

    /// <summary>Sets the strong ETag; true when the client's If-None-Match already names it.</summary>
    private static bool NotModified(HttpContext http, string tag)
    {
        var etag = new EntityTagHeaderValue($"\"{tag}\"");
        http.Response.Headers.ETag = etag.ToString();
        var request = http.Request.GetTypedHeaders();
        return request.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
    }

    /// <summary>A download: the headers, then the content copied from the store a chunk at a time.</summary>
    private sealed class FileContent(StoredFile file, Stream content) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            await using (content)
            {
                var response = http.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = file.ContentType;
                response.ContentLength = file.Length;
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(file.Name);
                response.Headers.ContentDisposition = disposition.ToString();
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.CacheControl = "private, no-cache";
                // Opened in the browser's own tab by mistake, the content still runs nothing.
                response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
                await content.CopyToAsync(response.Body, http.RequestAborted);
            }
        }
    }
}
