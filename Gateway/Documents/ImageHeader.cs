using System.Buffers.Binary;

namespace Summit.Gateway.Documents;

/// <summary>The formats Word embeds that <see cref="ImageHeader"/> reads.</summary>
public enum ImageFormat { Png, Jpeg, Gif }

/// <summary>An image's format and pixel size.</summary>
public readonly record struct ImageInfo(ImageFormat Format, int Width, int Height);

/// <summary>
/// Reads an image's format and pixel size from its header (PNG IHDR, JPEG SOFn, GIF logical screen), reading forward
/// only and no further than the header, so the stream may be non-seekable. No image library is needed for this.
/// </summary>
public static class ImageHeader
{
    /// <summary>The format and size, or null when the stream is not a PNG, JPEG or GIF image the reader understands.</summary>
    public static async Task<ImageInfo?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var head = new byte[26];
        if (!await TryFillAsync(stream, head.AsMemory(0, 2), cancellationToken)) return null;

        if (head[0] == 0x89 && head[1] == (byte)'P')
        {
            // Signature (8 bytes), then the IHDR chunk: length (4), type (4), width (4), height (4), big-endian.
            if (!await TryFillAsync(stream, head.AsMemory(2, 22), cancellationToken)) return null;
            if (!head.AsSpan(0, 8).SequenceEqual(PngSignature) || !head.AsSpan(12, 4).SequenceEqual("IHDR"u8)) return null;
            return Sized(ImageFormat.Png, BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
        }

        if (head[0] == (byte)'G' && head[1] == (byte)'I')
        {
            // "GIF87a" or "GIF89a", then the logical screen's width and height, little-endian.
            if (!await TryFillAsync(stream, head.AsMemory(2, 8), cancellationToken)) return null;
            if (!head.AsSpan(0, 4).SequenceEqual("GIF8"u8)) return null;
            return Sized(ImageFormat.Gif, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8)));
        }

        if (head[0] == 0xFF && head[1] == 0xD8) return await ReadJpegAsync(stream, cancellationToken);
        return null;
    }

    private static async Task<ImageInfo?> ReadJpegAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8];
        var skip = new byte[4096];
        while (true)
        {
            // A marker is 0xFF (possibly padded with more 0xFF) and a code; segments carry a 2-byte length that counts itself.
            if (!await TryFillAsync(stream, buffer.AsMemory(0, 1), cancellationToken)) return null;
            if (buffer[0] != 0xFF) return null;
            byte code;
            do
            {
                if (!await TryFillAsync(stream, buffer.AsMemory(0, 1), cancellationToken)) return null;
                code = buffer[0];
            } while (code == 0xFF);

            if (code is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) continue; // markers without a segment
            if (code is 0xD9 or 0xDA) return null; // end of image or start of scan before any frame header

            if (!await TryFillAsync(stream, buffer.AsMemory(0, 2), cancellationToken)) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer) - 2;
            if (length < 0) return null;

            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision (1), height (2), width (2).
            if (code is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 5 || !await TryFillAsync(stream, buffer.AsMemory(0, 5), cancellationToken)) return null;
                return Sized(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(3)), BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(1)));
            }

            while (length > 0)
            {
                var chunk = Math.Min(length, skip.Length);
                if (!await TryFillAsync(stream, skip.AsMemory(0, chunk), cancellationToken)) return null;
                length -= chunk;
            }
        }
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ImageInfo? Sized(ImageFormat format, int width, int height) =>
        width > 0 && height > 0 ? new ImageInfo(format, width, height) : null;

    private static async Task<bool> TryFillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length;
    }
}
