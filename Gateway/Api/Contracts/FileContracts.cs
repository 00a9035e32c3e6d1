using System.ComponentModel;
using NodaTime;
using Summit.Domain;
using Summit.Storage;

namespace Summit.Gateway.Api.Contracts;

/// <summary>A stored file's metadata.</summary>
public sealed record FileResource(
    [property: Description("Random and unguessable: f- and 32 hex digits. Other records refer to the file by it.")] string Id,
    [property: Description("The file name as given at upload, made safe (no path, no control characters; Chinese kept), with an extension that agrees with the content.")] string Name,
    [property: Description("The media type found in the content itself, e.g. image/jpeg; never the one the uploader declared.")] string ContentType,
    FileKind Kind,
    [property: Description("Bytes stored; for an image, those of the re-encoded image.")] long Length,
    [property: Description("SHA-256 of the stored content, lower-case hex; also the download's ETag.")] string Sha256,
    [property: Description("The uploader's unit: its county or university, or secretariat:office for the secretariat.")] OwningUnit Owner,
    [property: Description("The account that uploaded it.")] string UploadedBy,
    [property: Description("When it was stored, by the summit clock.")] Instant UploadedAt,
    [property: Description("What references the file (e.g. a submission); null until something does. Files never attached are deleted after Summit:Files:PruneUnattachedAfter (24 hours by default).")] string? AttachedTo,
    [property: Description("Where to download it.")] string Url,
    [property: Description("Where to read its thumbnail (a JPEG of at most 320 px a side); null for files that are not images.")] string? ThumbnailUrl)
{
    public static FileResource From(StoredFile f)
    {
        var url = $"/api/summits/{f.Summit}/files/{f.Id}";
        return new FileResource(f.Id, f.Name, f.ContentType, f.Kind, f.Length, f.Sha256, f.Owner, f.UploadedBy, f.UploadedAt, f.AttachedTo,
            url, f.HasThumbnail ? url + "/thumbnail" : null);
    }
}

/// <summary>The files one upload stored, in the order they were sent.</summary>
public sealed record FileUploadResponse(IReadOnlyList<FileResource> Files);
