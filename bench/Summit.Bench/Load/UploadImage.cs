using System.Diagnostics;
using System.Runtime.InteropServices;
using SkiaSharp;
using Summit.Data.Files;

namespace Summit.Bench.Load;

/// <summary>
/// The photo every unit uploads in the uploads scenario: a real JPEG of a 12-megapixel camera (4000×3000) at quality 92,
/// a smooth colour field with sensor-like noise, the noise's strength chosen so the file comes out at the size asked for
/// (fine noise is what makes a camera photo large). Made once per run, in memory.
/// </summary>
public sealed record UploadImage(byte[] Bytes, int Width, int Height, int Quality, int NoiseAmplitude, double GenerationSeconds)
{
    public const int DefaultWidth = 4000;
    public const int DefaultHeight = 3000;
    private const int Quality92 = 92;

    public static UploadImage Create(long targetBytes, int width = DefaultWidth, int height = DefaultHeight)
    {
        var clock = Stopwatch.StartNew();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = new byte[info.BytesSize];
        // Bisect the noise amplitude (0–127) until the JPEG is within 2% of the target, at most 8 encodes.
        int low = 0, high = 127;
        byte[]? best = null;
        var bestAmplitude = 0;
        for (var step = 0; step < 8 && low <= high; step++)
        {
            var amplitude = (low + high) / 2;
            Paint(pixels, width, height, amplitude);
            var jpeg = Encode(info, pixels, Quality92);
            if (best is null || Math.Abs(jpeg.LongLength - targetBytes) < Math.Abs(best.LongLength - targetBytes))
            {
                best = jpeg;
                bestAmplitude = amplitude;
            }
            if (Math.Abs(jpeg.LongLength - targetBytes) <= targetBytes / 50) break;
            if (jpeg.LongLength < targetBytes) low = amplitude + 1;
            else high = amplitude - 1;
        }
        using (var codec = SKCodec.Create(new MemoryStream(best!)))
        {
            if (codec is null || codec.Info.Width != width || codec.Info.Height != height)
                throw new InvalidOperationException("The generated upload image does not decode.");
        }
        return new UploadImage(best!, width, height, Quality92, bestAmplitude, Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    /// <summary>
    /// What the Gateway does with each uploaded image (<see cref="ImageProcessor.Process"/>: decode, write out again at
    /// quality 90, a 320 px thumbnail), timed in this process on one thread: the CPU cost of one upload's image work.
    /// </summary>
    /// <returns>Wall milliseconds of each run, the process's CPU milliseconds of each, and the size written.</returns>
    public (double[] Milliseconds, double[] CpuMilliseconds, long EncodedBytes) TimeProcessing(int runs)
    {
        var source = Path.GetTempFileName();
        var destination = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(source, Bytes);
            var times = new double[runs];
            var cpu = new double[runs];
            long encoded = 0;
            using var self = Process.GetCurrentProcess();
            for (var i = 0; i < runs; i++)
            {
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var started = Stopwatch.GetTimestamp();
                var (image, problem) = ImageProcessor.Process(source, destination, 320, 40_000_000);
                times[i] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
                self.Refresh();
                cpu[i] = Math.Round((self.TotalProcessorTime - cpuBefore).TotalMilliseconds, 1);
                if (image is null) throw new InvalidOperationException($"The upload image did not process: {problem}.");
                encoded = new FileInfo(destination).Length;
            }
            return (times, cpu, encoded);
        }
        finally
        {
            File.Delete(source);
            File.Delete(destination);
        }
    }

    private static byte[] Encode(SKImageInfo info, byte[] pixels, int quality)
    {
        using var bitmap = new SKBitmap(info);
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>A sky-to-ground gradient with broad waves of colour (a scene), plus per-pixel noise of ±<paramref name="amplitude"/>.</summary>
    private static void Paint(byte[] pixels, int width, int height, int amplitude)
    {
        var columns = new (double R, double G, double B)[width];
        for (var x = 0; x < width; x++)
        {
            var u = (double)x / width;
            columns[x] = (40 * Math.Sin(u * 9.1), 35 * Math.Sin(u * 5.3 + 1), 30 * Math.Cos(u * 7.7));
        }
        Parallel.For(0, height, y =>
        {
            var v = (double)y / height;
            var (rowR, rowG, rowB) = (110 + 60 * v + 25 * Math.Sin(v * 11), 140 - 20 * v + 20 * Math.Cos(v * 6.1), 190 - 120 * v);
            var state = (uint)(y * 2654435761u) | 1u;
            var row = y * width * 4;
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = columns[x];
                var i = row + x * 4;
                pixels[i] = Clamp(rowR + r + Noise(ref state, amplitude));
                pixels[i + 1] = Clamp(rowG + g + Noise(ref state, amplitude));
                pixels[i + 2] = Clamp(rowB + b + Noise(ref state, amplitude));
                pixels[i + 3] = 255;
            }
        });
    }

    private static int Noise(ref uint state, int amplitude)
    {
        if (amplitude == 0) return 0;
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return (int)(state % (uint)(2 * amplitude + 1)) - amplitude;
    }

    private static byte Clamp(double value) => (byte)Math.Clamp((int)value, 0, 255);
}
