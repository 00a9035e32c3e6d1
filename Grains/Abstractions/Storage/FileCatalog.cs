using NodaTime;
using Summit.Domain;

namespace Summit.Storage;

/// <summary>What a stored file is, as its content shows (never its name or the type the uploader declared).</summary>
[GenerateSerializer]
public enum FileKind
{
    /// <summary>JPEG, PNG, GIF or WebP; stored re-encoded, without its metadata, with a thumbnail.</summary>
    Image,
    /// <summary>PDF, Word (docx, doc), PowerPoint (pptx, ppt) or plain UTF-8 text.</summary>
    Document,
    /// <summary>MP4 or QuickTime (MOV).</summary>
    Video,
    /// <summary>Excel (xlsx, xls).</summary>
    Spreadsheet,
    /// <summary>Content of no known type (application/octet-stream); refused unless the settings allow it.</summary>
    Other,
}

/// <summary>
/// A stored file's metadata (<c>summit_file</c>). The content is read with <see cref="IFileCatalog.OpenReadAsync"/>.
/// </summary>
/// <param name="Id">Random and unguessable: <c>f-</c> and 32 hex digits.</param>
/// <param name="Owner">The uploader's unit: its county or university, or a secretariat department for the secretariat.</param>
/// <param name="UploadedBy">The uploader's account.</param>
/// <param name="Name">The file name as sanitised at upload (Chinese kept; no path, no control characters).</param>
/// <param name="ContentType">The media type detected from the content, e.g. <c>image/jpeg</c>.</param>
/// <param name="Length">Bytes stored: for an image, those of the re-encoded image.</param>
/// <param name="Sha256">SHA-256 of the stored content, lower-case hex.</param>
/// <param name="HasThumbnail">True for images: a JPEG of at most 320 px a side.</param>
/// <param name="UploadedAt">When it was stored, by the summit clock.</param>
/// <param name="AttachedTo">What references the file (e.g. <c>submission:s-1</c>); null until something does. Files never
/// attached are deleted after <c>Summit:Files:PruneUnattachedAfter</c>.</param>
[GenerateSerializer, Immutable, Alias("summit.stored-file")]
public sealed record StoredFile(
    string Id,
    string Summit,
    OwningUnit Owner,
    string UploadedBy,
    string Name,
    string ContentType,
    FileKind Kind,
    long Length,
    string Sha256,
    bool HasThumbnail,
    Instant UploadedAt,
    string? AttachedTo);

/// <summary>What the files attached to one thing (a unit's submission) may hold together: setting <c>Summit:Files:MaxAttachedBytes</c>.</summary>
public sealed record AttachmentLimits(long MaxBytes)
{
    public static AttachmentLimits Default { get; } = new(200L * 1024 * 1024);
}

/// <summary>
/// The summit's stored files as other code uses them (a submission refers to its attachments by id). Files are uploaded
/// through <c>POST /api/summits/{summit}/files</c>; who may read one is <see cref="Rules.AccessRules.MayReadFile"/>'s
/// decision, which the caller makes before handing a file's content to anyone. Ids of another summit, unknown ids and
/// uploads still arriving are never found.
/// </summary>
public interface IFileCatalog
{
    /// <summary>The files of <paramref name="summit"/> among <paramref name="ids"/>, in the order asked; unknown ids are left out.</summary>
    Task<IReadOnlyList<StoredFile>> GetAsync(string summit, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the files as referenced by <paramref name="attachedTo"/> (e.g. <c>submission:s-1</c>), so pruning keeps them.
    /// A file already attached to something else is left as it is. Answers the ids now attached to
    /// <paramref name="attachedTo"/> (newly or before), so a caller sees which of its ids it may not use.
    /// </summary>
    Task<IReadOnlyList<string>> AttachAsync(string summit, IReadOnlyCollection<string> ids, string attachedTo, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears the mark of the files attached to <paramref name="attachedTo"/> among <paramref name="ids"/>; they are pruned
    /// like new uploads once <c>PruneUnattachedAfter</c> has passed since they were stored. Answers how many were detached.
    /// </summary>
    Task<int> DetachAsync(string summit, IReadOnlyCollection<string> ids, string attachedTo, CancellationToken cancellationToken = default);

    /// <summary>
    /// The file's content as a read-only stream that fetches one chunk at a time (so the whole file is never in memory and
    /// no connection is held between reads); null when there is no such file. Dispose it when done.
    /// </summary>
    Task<Stream?> OpenReadAsync(string summit, string id, CancellationToken cancellationToken = default);

    /// <summary>The image's thumbnail (a JPEG), or null when the file is not an image or does not exist.</summary>
    Task<byte[]?> ReadThumbnailAsync(string summit, string id, CancellationToken cancellationToken = default);
}
