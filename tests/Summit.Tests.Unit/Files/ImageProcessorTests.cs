using SkiaSharp;
using Summit.Data.Files;

namespace Summit.Tests.Files;

/// <summary>
/// <see cref="ImageProcessor.Process"/> on real files: each of the eight EXIF orientations is turned upright, the metadata
/// is gone, the thumbnail follows the upright image, and transparency becomes white in the thumbnail.
/// </summary>
public sealed class ImageProcessorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("summit-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly SKColor Red = new(255, 0, 0), Green = new(0, 255, 0), Blue = new(0, 0, 255), Yellow = new(255, 255, 0);

    /// <summary>A 64×32 JPEG in quarters (red, green above; blue, yellow below) with an EXIF block holding its orientation.</summary>
    private static byte[] Quarters(int orientation)
    {
        using var bitmap = new SKBitmap(64, 32);
        using (var canvas = new SKCanvas(bitmap))
        {
            foreach (var (x, y, colour) in new[] { (0, 0, Red), (32, 0, Green), (0, 16, Blue), (32, 16, Yellow) })
            {
                using var paint = new SKPaint { Color = colour };
                canvas.DrawRect(x, y, 32, 16, paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        var jpeg = data.ToArray();
        // TIFF, little-endian: IFD0 with the orientation alone.
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        var length = 2 + 6 + tiff.Length;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8.ToArray(), .. tiff, .. jpeg[2..]];
    }

    private (ProcessedImage Image, byte[] Stored) Process(byte[] original, int thumbnailSize = 16)
    {
        var source = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        var destination = source + ".out";
        File.WriteAllBytes(source, original);
        var (image, problem) = ImageProcessor.Process(source, destination, thumbnailSize, 40_000_000);
        Assert.Equal(ImageProblem.None, problem);
        return (image!, File.ReadAllBytes(destination));
    }

    private static SKColor Nearest(SKColor colour) =>
        new[] { Red, Green, Blue, Yellow, SKColors.White }.MinBy(c => Math.Abs(c.Red - colour.Red) + Math.Abs(c.Green - colour.Green) + Math.Abs(c.Blue - colour.Blue));

    /// <summary>The colours of the four corners (top left, top right, bottom left, bottom right), 3 pixels in.</summary>
    private static SKColor[] Corners(SKBitmap bitmap, int inset = 3) =>
    [
        Nearest(bitmap.GetPixel(inset, inset)), Nearest(bitmap.GetPixel(bitmap.Width - 1 - inset, inset)),
        Nearest(bitmap.GetPixel(inset, bitmap.Height - 1 - inset)), Nearest(bitmap.GetPixel(bitmap.Width - 1 - inset, bitmap.Height - 1 - inset)),
    ];

    public static TheoryData<int, int, int, string> Orientations => new()
    {
        // orientation, upright width and height, the corners' colours once upright (R red, G green, B blue, Y yellow)
        { 1, 64, 32, "RGBY" },
        { 2, 64, 32, "GRYB" }, // mirrored
        { 3, 64, 32, "YBGR" }, // turned 180°
        { 4, 64, 32, "BYRG" }, // mirrored top to bottom
        { 5, 32, 64, "RBGY" }, // mirrored across the diagonal
        { 6, 32, 64, "BRYG" }, // turned 90° clockwise
        { 7, 32, 64, "YGBR" }, // mirrored across the other diagonal
        { 8, 32, 64, "GYRB" }, // turned 90° anticlockwise
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Each_EXIF_orientation_is_turned_upright_and_the_metadata_is_gone(int orientation, int width, int height, string corners)
    {
        var original = Quarters(orientation);
        Assert.True(original.AsSpan().IndexOf("Exif"u8) > 0);
        var (image, stored) = Process(original);

        Assert.Equal((DetectedType.Jpeg, width, height), (image.Type, image.Width, image.Height));
        Assert.True(stored.AsSpan().IndexOf("Exif"u8) < 0, "the stored image still has an EXIF block");
        using (var codec = SKCodec.Create(new MemoryStream(stored)))
        {
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        }
        var expected = corners.Select(c => c switch { 'R' => Red, 'G' => Green, 'B' => Blue, _ => Yellow }).ToArray();
        using var upright = SKBitmap.Decode(stored);
        Assert.Equal(expected, Corners(upright));

        // The thumbnail is the upright image at most 16 px a side.
        using var thumbnail = SKBitmap.Decode(image.Thumbnail);
        Assert.Equal((width / 4, height / 4), (thumbnail.Width, thumbnail.Height));
        Assert.Equal(expected, Corners(thumbnail, inset: 1));
    }

    [Fact]
    public void A_transparent_PNG_stays_a_PNG_and_its_thumbnail_is_on_white()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(40, 20, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var paint = new SKPaint { Color = Blue };
            canvas.DrawRect(0, 0, 20, 20, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var (image, stored) = Process(data.ToArray(), thumbnailSize: 20);

        Assert.Equal((DetectedType.Png, 40, 20), (image.Type, image.Width, image.Height));
        using (var kept = SKBitmap.Decode(stored))
        {
            Assert.Equal(0, kept.GetPixel(35, 10).Alpha);
            Assert.Equal(Blue, kept.GetPixel(5, 10));
        }
        using var thumbnail = SKBitmap.Decode(image.Thumbnail);
        Assert.Equal((20, 10), (thumbnail.Width, thumbnail.Height));
        Assert.Equal(Blue, Nearest(thumbnail.GetPixel(2, 5)));
        Assert.Equal(SKColors.White, Nearest(thumbnail.GetPixel(17, 5)));
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_refused_before_it_is_decoded()
    {
        var source = Path.Combine(_folder, "large");
        File.WriteAllBytes(source, Quarters(1));
        var (image, problem) = ImageProcessor.Process(source, source + ".out", 16, 64 * 32 - 1);
        Assert.Null(image);
        Assert.Equal(ImageProblem.TooManyPixels, problem);
    }
}
