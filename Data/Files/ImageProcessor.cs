using SkiaSharp;

namespace Summit.Data.Files;

/// <summary>An image as stored: its type after re-encoding, and its thumbnail (a JPEG).</summary>
public sealed record ProcessedImage(DetectedType Type, int Width, int Height, byte[] Thumbnail);

/// <summary>Why an image was not stored.</summary>
public enum ImageProblem
{
    None,
    /// <summary>The decoder found it cut short.</summary>
    Truncated,
    /// <summary>It does not decode.</summary>
    Malformed,
    /// <summary>More pixels than <c>MaxImagePixels</c> (a decompression bomb, or a photo far larger than needed).</summary>
    TooManyPixels,
}

/// <summary>
/// Decodes an uploaded image with SkiaSharp and writes it out again, so nothing of the original file but its pixels is
/// kept: EXIF (camera, time, GPS position), XMP, comments and anything appended after the image are gone. The EXIF
/// orientation is applied first, so the stored image stands as the camera meant it. JPEG and WebP stay JPEG and WebP
/// (quality 90), PNG stays PNG, a GIF becomes a PNG of its first frame. Also makes the thumbnail: a JPEG (quality 80)
/// whose longer side is at most the given size, on white where the image is transparent. Reads from and writes to files,
/// so only the decoded pixels are in memory: one bitmap of the image (about 4 bytes a pixel), and a second one only while
/// an image is being turned upright. Nothing else copies them: the turning and the thumbnail draw from the bitmap's own
/// pixels (<see cref="SKImage.FromPixels(SKPixmap)"/>), where <c>SKImage.FromBitmap</c> would copy a bitmap not marked
/// immutable. Run it behind <see cref="ImageGate"/>, which bounds how many images are in memory at once.
/// </summary>
public static class ImageProcessor
{
    public static (ProcessedImage? Image, ImageProblem Problem) Process(string source, string destination, int thumbnailSize, long maxPixels)
    {
        using var codec = SKCodec.Create(source, out var opened);
        if (codec is null) return (null, opened == SKCodecResult.IncompleteInput ? ImageProblem.Truncated : ImageProblem.Malformed);
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0) return (null, ImageProblem.Malformed);
        if ((long)info.Width * info.Height > maxPixels) return (null, ImageProblem.TooManyPixels);

        var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var decodeInfo = new SKImageInfo(info.Width, info.Height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb());
        var upright = new SKBitmap(decodeInfo);
        try
        {
            var result = codec.GetPixels(decodeInfo, upright.GetPixels());
            if (result == SKCodecResult.IncompleteInput) return (null, ImageProblem.Truncated);
            if (result != SKCodecResult.Success) return (null, ImageProblem.Malformed);
            if (Upright(upright, codec.EncodedOrigin) is { } turned)
            {
                // The decoded bitmap goes as soon as its turned copy is drawn, before anything is encoded.
                upright.Dispose();
                upright = turned;
            }
            return Write(upright, codec.EncodedFormat, destination, thumbnailSize);
        }
        finally
        {
            upright.Dispose();
        }
    }

    private static (ProcessedImage? Image, ImageProblem Problem) Write(SKBitmap upright, SKEncodedImageFormat encodedFormat, string destination, int thumbnailSize)
    {
        var (format, type, quality) = encodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => (SKEncodedImageFormat.Jpeg, DetectedType.Jpeg, 90),
            SKEncodedImageFormat.Webp => (SKEncodedImageFormat.Webp, DetectedType.Webp, 90),
            SKEncodedImageFormat.Png or SKEncodedImageFormat.Gif => (SKEncodedImageFormat.Png, DetectedType.Png, 100),
            _ => (SKEncodedImageFormat.Png, DetectedType.Png, 100),
        };
        using (var output = new SKFileWStream(destination))
        using (var pixmap = upright.PeekPixels())
        {
            if (!output.IsValid || !pixmap.Encode(output, format, quality)) return (null, ImageProblem.Malformed);
        }
        return (new ProcessedImage(type, upright.Width, upright.Height, Thumbnail(upright, thumbnailSize)), ImageProblem.None);
    }

    /// <summary>A JPEG of the image with its longer side at most <paramref name="size"/> pixels, on white.</summary>
    public static byte[] Thumbnail(SKBitmap image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = Math.Min(1.0, (double)size / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var thumbnail = new SKBitmap(new SKImageInfo(width, height, SKImageInfo.PlatformColorType, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(thumbnail))
        using (var pixels = image.PeekPixels())
        using (var picture = SKImage.FromPixels(pixels))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawImage(picture, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = thumbnail.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    /// <summary>The image turned as its EXIF orientation says; null when it needs no turning.</summary>
    private static SKBitmap? Upright(SKBitmap image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return null;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var width = swap ? image.Height : image.Width;
        var height = swap ? image.Width : image.Height;
        // Where each source pixel (x, y) goes: x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY.
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, width, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, width, -1, 0, height, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, height, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        var turned = new SKBitmap(new SKImageInfo(width, height, image.ColorType, image.AlphaType, image.ColorSpace));
        using var canvas = new SKCanvas(turned);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(matrix);
        using var pixels = image.PeekPixels();
        using var source = SKImage.FromPixels(pixels);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return turned;
    }
}
