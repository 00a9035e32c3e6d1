using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Summit.Tests.Documents;

/// <summary>Real images made in code: an RGB PNG (zlib-compressed scanlines, CRC-checked chunks) and a grey baseline JPEG.</summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(output, "IHDR", header);

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    row[1 + x * 3] = (byte)(x * 255 / Math.Max(1, width - 1));
                    row[2 + x * 3] = (byte)(y * 255 / Math.Max(1, height - 1));
                    row[3 + x * 3] = 0x80;
                }
                zlib.Write(row);
            }
        }
        Chunk(output, "IDAT", pixels.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// A mid-grey greyscale JPEG: every 8×8 block has only zero coefficients, coded with one-symbol Huffman tables
    /// (DC category 0 and end-of-block are each the 1-bit code 0). An APP1 segment before the frame header stands in
    /// for the EXIF data a camera writes, so a reader must skip segments to find the size.
    /// </summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        Segment(output, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(output, 0xE1, [.. "Exif\0\0"u8, .. new byte[3000]]);
        Segment(output, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(output, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(output, 0xC4, [0x00, 1, .. new byte[15], 0]); // DC table 0: one code of length 1, symbol 0
        Segment(output, 0xC4, [0x10, 1, .. new byte[15], 0]); // AC table 0: one code of length 1, symbol 0 (end of block)
        Segment(output, 0xDA, [1, 1, 0x00, 0, 63, 0]);
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);
        var bits = blocks * 2;
        var data = new byte[(bits + 7) / 8];
        if (bits % 8 != 0) data[^1] = (byte)(0xFF >> (bits % 8)); // pad the last byte with 1 bits
        output.Write(data);
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void Segment(Stream output, byte marker, byte[] payload)
    {
        output.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        output.Write(payload);
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}

/// <summary>A response body as Kestrel gives it: write-only, not seekable, and synchronous writes refused.</summary>
internal sealed class ResponseLikeStream : Stream
{
    private readonly MemoryStream inner = new();

    public byte[] Written => inner.ToArray();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        inner.Write(buffer.Span);
    }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
