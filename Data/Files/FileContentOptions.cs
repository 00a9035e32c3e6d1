using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Summit.Settings;

namespace Summit.Data.Files;

/// <summary>
/// Where stored files' content lives: keys <c>Summit:Files:Store</c> and <c>Summit:Files:S3:*</c> (the README's table of
/// keys). The catalogue (<c>summit_file</c>: metadata, thumbnails, what a file is attached to, Idempotency-Keys) is in
/// PostgreSQL either way; only the content's chunks move. Checked at start: with <c>s3</c> a bucket and an endpoint are
/// required.
/// </summary>
public sealed partial class FileContentOptions : IValidatableObject
{
    public const string Section = "Summit:Files";

    /// <summary>The content in PostgreSQL's <c>summit_file_chunk</c> (the default).</summary>
    public const string PostgresStore = "postgres";

    /// <summary>The content in an S3-compatible bucket (<see cref="S3FileContent"/>).</summary>
    public const string S3Store = "s3";

    /// <summary><c>postgres</c> (default) or <c>s3</c>.</summary>
    [NotBlank]
    public string Store { get; set; } = PostgresStore;

    /// <summary>The bucket, used when <see cref="Store"/> is <c>s3</c>.</summary>
    public S3FileStoreSettings S3 { get; set; } = new();

    /// <summary>True when the content goes to the S3 bucket.</summary>
    public bool UsesS3 => string.Equals(Store?.Trim(), S3Store, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesS3 && !string.Equals(Store?.Trim(), PostgresStore, StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult($"must be {PostgresStore} or {S3Store}", [nameof(Store)]);
        if (!UsesS3) yield break;
        var required = $"must be set when {Section}:{nameof(Store)} is {S3Store}";
        if (string.IsNullOrWhiteSpace(S3.ServiceUrl))
            yield return new ValidationResult(required + " (the endpoint, e.g. http://127.0.0.1:9000 or https://s3.cn-north-1.amazonaws.com.cn)", ["S3:ServiceUrl"]);
        else if (!Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return new ValidationResult("must be an absolute http or https URL", ["S3:ServiceUrl"]);
        if (string.IsNullOrWhiteSpace(S3.Bucket))
            yield return new ValidationResult(required, ["S3:Bucket"]);
        else if (!BucketName().IsMatch(S3.Bucket))
            yield return new ValidationResult("must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens", ["S3:Bucket"]);
        if (string.IsNullOrWhiteSpace(S3.Region))
            yield return new ValidationResult(required, ["S3:Region"]);
        if (string.IsNullOrEmpty(S3.AccessKey) != string.IsNullOrEmpty(S3.SecretKey))
            yield return new ValidationResult("and S3:SecretKey must be set together (or both left out for the SDK's own credentials)", ["S3:AccessKey"]);
        if (S3.Prefix is { } prefix && (prefix.StartsWith('/') || prefix.Any(char.IsControl)))
            yield return new ValidationResult("must not start with / or hold control characters", ["S3:Prefix"]);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}

/// <summary>Keys <c>Summit:Files:S3:*</c>: the bucket that holds stored files' content.</summary>
public sealed class S3FileStoreSettings
{
    /// <summary>The S3 endpoint (AWS, MinIO, Ceph, …), e.g. <c>http://127.0.0.1:9000</c>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket; it must exist (Summit does not create it).</summary>
    public string? Bucket { get; set; }

    /// <summary>The region requests are signed for.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key id; with <see cref="SecretKey"/>, or neither for the SDK's own credentials (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path (<c>http://host/bucket/key</c>) rather than the host name; MinIO and most S3-compatible servers need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Start of every key Summit writes (<c>{Prefix}{fileId}/{n:D6}</c>). The prefix belongs to one deployment: the pruning
    /// deletes objects under it whose file this deployment's database does not hold.
    /// </summary>
    public string Prefix { get; set; } = "files/";
}
