using System.ComponentModel.DataAnnotations;
using Summit.Settings;
using Summit.Storage;

namespace Summit.Data.Files;

/// <summary>Section <c>Summit:Files</c>: what an upload may be and how long unattached files are kept. See the README's table of keys.</summary>
public sealed class FileStoreOptions : IValidatableObject
{
    public const string Section = "Summit:Files";

    /// <summary>Largest file accepted, in bytes (20 MiB).</summary>
    [Positive]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest upload request (all its files and the multipart framing together), in bytes (100 MiB).</summary>
    [Positive]
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most bytes the files attached to one thing (a unit's submission) may hold together (200 MiB).</summary>
    [Positive]
    public long MaxAttachedBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Most files in one upload request.</summary>
    [Positive]
    public int MaxFilesPerRequest { get; set; } = 20;

    /// <summary>
    /// The kinds accepted, separated by commas; content of any other kind is refused (415). <c>other</c> admits content of
    /// no known type (stored as application/octet-stream).
    /// </summary>
    [NotBlank]
    public string AllowedKinds { get; set; } = "image,document,video,spreadsheet";

    /// <summary><see cref="AllowedKinds"/> as kinds; unknown names are left out (validation refuses them at start).</summary>
    public IReadOnlySet<FileKind> Allowed => AllowedKinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(k => Enum.TryParse<FileKind>(k, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(k, out _) ? kind : (FileKind?)null)
        .OfType<FileKind>()
        .ToHashSet();

    /// <summary>Images with more pixels than this are refused rather than decoded (40 megapixels).</summary>
    [Positive]
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>The longer side of an image's thumbnail, in pixels.</summary>
    [Positive]
    public int ThumbnailSize { get; set; } = 320;

    /// <summary>
    /// Images decoded and written out again at once (<see cref="ImageGate"/>); each holds its decoded pixels, about 4 bytes
    /// a pixel, and a core while it is processed. The number of cores unless set.
    /// </summary>
    [Positive]
    public int ImageConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Images that wait for one of those places; an image beyond them is refused at once (503 with Retry-After).</summary>
    [NotNegative]
    public int ImageQueue { get; set; } = 32;

    /// <summary>Longest an image waits for a place; past it the upload is refused (503 with Retry-After).</summary>
    [Positive]
    public TimeSpan ImageWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file nothing has attached is deleted this long after it was stored.</summary>
    [Positive]
    public TimeSpan PruneUnattachedAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each silo prunes (also once at start); zero switches pruning off.</summary>
    [NotNegative]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFileBytes > MaxRequestBytes)
            yield return new ValidationResult($"must not be less than MaxFileBytes ({MaxFileBytes})", [nameof(MaxRequestBytes)]);
        if (MaxFileBytes > MaxAttachedBytes)
            yield return new ValidationResult($"must not be less than MaxFileBytes ({MaxFileBytes})", [nameof(MaxAttachedBytes)]);
        var names = (AllowedKinds ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Length != Allowed.Count)
            yield return new ValidationResult("must be kinds separated by commas, each one of image, document, video, spreadsheet, other", [nameof(AllowedKinds)]);
    }
}
