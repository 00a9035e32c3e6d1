using System.Buffers.Binary;
using System.Text;
using Summit.Storage;

namespace Summit.Data.Files;

/// <summary>A type the content was found to be: its kind, its media type and the file name extensions it goes by.</summary>
public sealed record DetectedType(FileKind Kind, string ContentType, params string[] Extensions)
{
    public static readonly DetectedType Jpeg = new(FileKind.Image, "image/jpeg", ".jpg", ".jpeg");
    public static readonly DetectedType Png = new(FileKind.Image, "image/png", ".png");
    public static readonly DetectedType Gif = new(FileKind.Image, "image/gif", ".gif");
    public static readonly DetectedType Webp = new(FileKind.Image, "image/webp", ".webp");
    public static readonly DetectedType Pdf = new(FileKind.Document, "application/pdf", ".pdf");
    public static readonly DetectedType Docx = new(FileKind.Document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly DetectedType Xlsx = new(FileKind.Spreadsheet, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    public static readonly DetectedType Pptx = new(FileKind.Document, "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");
    public static readonly DetectedType Doc = new(FileKind.Document, "application/msword", ".doc");
    public static readonly DetectedType Xls = new(FileKind.Spreadsheet, "application/vnd.ms-excel", ".xls");
    public static readonly DetectedType Ppt = new(FileKind.Document, "application/vnd.ms-powerpoint", ".ppt");
    public static readonly DetectedType Mp4 = new(FileKind.Video, "video/mp4", ".mp4", ".m4v");
    public static readonly DetectedType Mov = new(FileKind.Video, "video/quicktime", ".mov", ".qt");
    public static readonly DetectedType Text = new(FileKind.Document, "text/plain; charset=utf-8", ".txt", ".csv", ".md", ".log");
    public static readonly DetectedType Zip = new(FileKind.Other, "application/zip", ".zip");
    public static readonly DetectedType Unknown = new(FileKind.Other, "application/octet-stream", ".bin");

    public bool IsImage => Kind == FileKind.Image;
}

/// <summary>Why content is refused whatever its kind.</summary>
public enum ContentProblem
{
    None,
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>The content ends before its format says it does (a PNG without its end, a PDF without %%EOF, a ZIP without its directory, a video box cut short).</summary>
    Truncated,
    /// <summary>The content claims a format its structure does not follow.</summary>
    Malformed,
}

/// <summary>The sniffer's verdict: the type, or the problem that refuses the content.</summary>
public sealed record SniffResult(DetectedType Type, ContentProblem Problem = ContentProblem.None);

/// <summary>
/// Tells what content is from its bytes alone, as they stream past (fed in order with <see cref="Append"/>, judged by
/// <see cref="Finish"/>), never from a file name or a declared type. It holds a few kilobytes (the start, the last bytes,
/// a ZIP's directory), never the content. Recognised: JPEG, PNG, GIF, WebP, PDF, Office Open XML (docx, xlsx, pptx: a ZIP
/// with <c>[Content_Types].xml</c>, told apart by the main part its directory lists), legacy Office compound files
/// (doc, xls, ppt: by the stream their directory names), MP4 and QuickTime (<c>ftyp</c>, every top-level box complete),
/// and plain UTF-8 text (valid throughout, no control characters but tab, line breaks and form feed). Anything else is
/// <see cref="DetectedType.Unknown"/> (or <see cref="DetectedType.Zip"/>), of kind <see cref="FileKind.Other"/>.
/// Images are checked further by decoding them (<see cref="ImageProcessor"/>).
/// </summary>
public sealed class ContentSniffer
{
    /// <summary>Bytes of the start that decide the format.</summary>
    public const int HeadBytes = 16;

    /// <summary>A ZIP's central directory must lie within its last this many bytes to be read (a 20 MiB document's holds a few kilobytes).</summary>
    public const int ZipTailBytes = 1024 * 1024;

    private const int PdfTailBytes = 1024;

    private enum Format { Undecided, Jpeg, Png, Gif, Webp, Pdf, Zip, Ole, IsoMedia, Text, Unknown }

    private readonly byte[] _head = new byte[HeadBytes];
    private int _headLength;
    private Format _format;
    private long _length;

    // The last bytes, for formats judged by their end.
    private byte[]? _tail;
    private int _tailStart;
    private int _tailLength;

    // UTF-8 text: decoded as it comes, refused at the first invalid sequence or control character.
    private Decoder? _utf8;
    private char[]? _chars;
    private bool _textBroken;

    // Compound files: each 128-byte directory entry is looked at for the stream names that tell the application.
    private byte[]? _block;
    private int _blockLength;
    private DetectedType? _oleType;
    private long _oleBlocks;
    private int _sectorShift = 9;

    // ISO media: where the next top-level box starts, and the header bytes of it seen so far.
    private long _nextBox;
    private readonly byte[] _box = new byte[16];
    private int _boxLength;
    private bool _boxesOpenEnded;
    private bool _boxesBroken;

    /// <summary>Bytes fed so far.</summary>
    public long Length => _length;

    /// <summary>
    /// The type as far as the start shows, once <see cref="HeadBytes"/> bytes (or the whole content) are in: final for
    /// images, PDF and video; a ZIP, a compound file and text are told apart only by <see cref="Finish"/>. Null before.
    /// </summary>
    public DetectedType? Provisional => _format switch
    {
        Format.Undecided => null,
        Format.Jpeg => DetectedType.Jpeg,
        Format.Png => DetectedType.Png,
        Format.Gif => DetectedType.Gif,
        Format.Webp => DetectedType.Webp,
        Format.Pdf => DetectedType.Pdf,
        Format.IsoMedia => IsoType(),
        Format.Zip => DetectedType.Zip,
        Format.Text => DetectedType.Text,
        _ => DetectedType.Unknown,
    };

    /// <summary>Feeds the next bytes of the content.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_format == Format.Undecided)
        {
            var take = Math.Min(HeadBytes - _headLength, data.Length);
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            _length += take;
            data = data[take..];
            if (_headLength < HeadBytes) return;
            Decide();
            Feed(_head, 0);
        }
        if (data.IsEmpty) return;
        var offset = _length;
        _length += data.Length;
        Feed(data, offset);
    }

    /// <summary>The verdict once every byte is in.</summary>
    public SniffResult Finish()
    {
        if (_length == 0) return new SniffResult(DetectedType.Unknown, ContentProblem.Empty);
        if (_format == Format.Undecided)
        {
            Decide();
            Feed(_head.AsSpan(0, _headLength), 0);
        }
        if (_format == Format.Ole && _blockLength > 0) return new SniffResult(_oleType ?? DetectedType.Unknown, ContentProblem.Truncated);
        return _format switch
        {
            Format.Png => new SniffResult(DetectedType.Png, EndsWith(PngEnd) ? ContentProblem.None : ContentProblem.Truncated),
            Format.Jpeg or Format.Gif or Format.Webp => new SniffResult(Provisional!),
            Format.Pdf => new SniffResult(DetectedType.Pdf, TailContains("%%EOF"u8) ? ContentProblem.None : ContentProblem.Truncated),
            Format.Zip => FinishZip(),
            Format.Ole => FinishOle(),
            Format.IsoMedia => FinishIso(),
            Format.Text => FinishText(),
            _ => new SniffResult(DetectedType.Unknown),
        };
    }

    private static ReadOnlySpan<byte> PngEnd => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    private void Decide()
    {
        var h = _head.AsSpan(0, _headLength);
        _format = h switch
        {
            [0xFF, 0xD8, 0xFF, ..] => Format.Jpeg,
            [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Format.Png,
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => Format.Gif,
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => Format.Webp,
            [(byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', ..] => Format.Pdf,
            [(byte)'P', (byte)'K', 3, 4, ..] => Format.Zip,
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => Format.Ole,
            [_, _, _, _, (byte)'f', (byte)'t', (byte)'y', (byte)'p', _, _, _, _, ..] => Format.IsoMedia,
            _ => Format.Text,
        };
        switch (_format)
        {
            case Format.Png:
                _tail = new byte[PngEnd.Length];
                break;
            case Format.Pdf:
                _tail = new byte[PdfTailBytes];
                break;
            case Format.Zip:
                _tail = new byte[ZipTailBytes];
                break;
            case Format.Ole:
                _block = new byte[128];
                break;
            case Format.Text:
                _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
                _chars = new char[4096];
                break;
        }
    }

    private void Feed(ReadOnlySpan<byte> data, long offset)
    {
        if (_tail is not null) KeepTail(data);
        switch (_format)
        {
            case Format.Text:
                FeedText(data, flush: false);
                break;
            case Format.Ole:
                FeedOle(data);
                break;
            case Format.IsoMedia:
                FeedIso(data, offset);
                break;
        }
    }

    // The last bytes, kept in a ring.

    private void KeepTail(ReadOnlySpan<byte> data)
    {
        var tail = _tail!;
        if (data.Length >= tail.Length)
        {
            data[^tail.Length..].CopyTo(tail);
            _tailStart = 0;
            _tailLength = tail.Length;
            return;
        }
        foreach (var b in data)
        {
            var at = (_tailStart + _tailLength) % tail.Length;
            tail[at] = b;
            if (_tailLength < tail.Length) _tailLength++;
            else _tailStart = (_tailStart + 1) % tail.Length;
        }
    }

    private byte[] Tail()
    {
        var tail = new byte[_tailLength];
        for (var i = 0; i < _tailLength; i++) tail[i] = _tail![(_tailStart + i) % _tail.Length];
        return tail;
    }

    private bool EndsWith(ReadOnlySpan<byte> end) => Tail().AsSpan().EndsWith(end);

    private bool TailContains(ReadOnlySpan<byte> what) => Tail().AsSpan().IndexOf(what) >= 0;

    // Plain text.

    private void FeedText(ReadOnlySpan<byte> data, bool flush)
    {
        if (_textBroken) return;
        try
        {
            var completed = false;
            while (!completed)
            {
                _utf8!.Convert(data, _chars, flush, out var used, out var produced, out completed);
                data = data[used..];
                foreach (var c in _chars.AsSpan(0, produced))
                    if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
                    {
                        _textBroken = true;
                        return;
                    }
                if (data.IsEmpty && !flush) return;
            }
        }
        catch (DecoderFallbackException)
        {
            _textBroken = true;
        }
    }

    private SniffResult FinishText()
    {
        FeedText([], flush: true);
        return new SniffResult(_textBroken ? DetectedType.Unknown : DetectedType.Text);
    }

    // Legacy Office compound files (OLE2): the directory's entries name the application's stream.

    private static readonly (string Name, DetectedType Type)[] OleStreams =
    [
        ("WordDocument", DetectedType.Doc), ("Workbook", DetectedType.Xls), ("Book", DetectedType.Xls), ("PowerPoint Document", DetectedType.Ppt),
    ];

    private void FeedOle(ReadOnlySpan<byte> data)
    {
        var block = _block!;
        while (!data.IsEmpty)
        {
            var take = Math.Min(block.Length - _blockLength, data.Length);
            data[..take].CopyTo(block.AsSpan(_blockLength));
            _blockLength += take;
            data = data[take..];
            if (_blockLength < block.Length) return;
            _blockLength = 0;
            // The header's first block holds the sector shift: 9 (512-byte sectors) or 12 (4096).
            if (_oleBlocks++ == 0 && BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(0x1E)) is 9 or 12)
                _sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(0x1E));
            if (_oleType is not null && _oleType != DetectedType.Ppt) continue;
            foreach (var (name, type) in OleStreams)
            {
                // A directory entry: the name in UTF-16LE with its terminating NUL, then its length in bytes (NUL included).
                var bytes = Encoding.Unicode.GetBytes(name + "\0");
                if (block.AsSpan(0, bytes.Length).SequenceEqual(bytes) && BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(64)) == bytes.Length)
                    _oleType ??= type;
            }
        }
    }

    private SniffResult FinishOle()
    {
        // A compound file is whole sectors: 512 bytes (version 3) or 4096 (version 4), by the header's sector shift.
        if (_length < 3 * 512 || _length % (1 << _sectorShift) != 0) return new SniffResult(_oleType ?? DetectedType.Unknown, ContentProblem.Truncated);
        return new SniffResult(_oleType ?? DetectedType.Unknown);
    }

    // ISO base media (MP4, QuickTime): top-level boxes follow each other to the very end.

    private static readonly HashSet<string> ImageOrAudioBrands = new(StringComparer.Ordinal) { "heic", "heix", "hevc", "mif1", "msf1", "avif", "avis", "M4A ", "M4B ", "M4P " };

    private DetectedType IsoType()
    {
        var brand = Encoding.ASCII.GetString(_head, 8, 4);
        if (ImageOrAudioBrands.Contains(brand)) return DetectedType.Unknown;
        return brand == "qt  " ? DetectedType.Mov : DetectedType.Mp4;
    }

    private void FeedIso(ReadOnlySpan<byte> data, long offset)
    {
        while (!data.IsEmpty && !_boxesOpenEnded && !_boxesBroken)
        {
            if (_boxLength == 0 && offset < _nextBox)
            {
                var skip = _nextBox - offset;
                if (skip >= data.Length) return;
                data = data[(int)skip..];
                offset = _nextBox;
            }
            // The header of the box that starts at _nextBox: 8 bytes, 16 with a 64-bit size.
            var need = _boxLength < 8 ? 8 : 16;
            var take = Math.Min(need - _boxLength, data.Length);
            data[..take].CopyTo(_box.AsSpan(_boxLength));
            _boxLength += take;
            data = data[take..];
            offset += take;
            if (_boxLength < 8) return;
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(_box);
            if (size == 1)
            {
                if (_boxLength < 16) continue;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(_box.AsSpan(8));
                if (size < 16) _boxesBroken = true;
            }
            else if (size == 0) _boxesOpenEnded = true;
            else if (size < 8) _boxesBroken = true;
            if (_boxesBroken || _boxesOpenEnded) return;
            _nextBox += size;
            _boxLength = 0;
        }
    }

    private SniffResult FinishIso()
    {
        var type = IsoType();
        if (_boxesBroken) return new SniffResult(type, ContentProblem.Malformed);
        if (_boxesOpenEnded) return new SniffResult(type);
        return new SniffResult(type, _length == _nextBox && _boxLength == 0 ? ContentProblem.None : ContentProblem.Truncated);
    }

    // ZIP and Office Open XML: the end-of-directory record, then the directory's names.

    private SniffResult FinishZip()
    {
        var tail = Tail();
        // The end-of-central-directory record: 22 bytes and a comment of at most 65535.
        var eocd = -1;
        for (var i = tail.Length - 22; i >= Math.Max(0, tail.Length - 22 - 65535); i--)
            if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6
                && i + 22 + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20)) == tail.Length)
            {
                eocd = i;
                break;
            }
        if (eocd < 0) return new SniffResult(DetectedType.Zip, ContentProblem.Truncated);
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(eocd + 10));
        var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(eocd + 12));
        var directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(eocd + 16));
        var eocdOffset = _length - tail.Length + eocd;
        // Zip64 (0xFFFFFFFF) is not what an office file of this size is; a directory that does not end where the record
        // starts means bytes are missing or added.
        if (directoryOffset == uint.MaxValue || directoryOffset + (long)directorySize != eocdOffset)
            return new SniffResult(DetectedType.Zip, ContentProblem.Malformed);
        if (directorySize > eocd) return new SniffResult(DetectedType.Zip, ContentProblem.Malformed);

        var names = new HashSet<string>(StringComparer.Ordinal);
        var at = eocd - (int)directorySize;
        for (var i = 0; i < entries; i++)
        {
            if (at + 46 > eocd || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != 0x02014B50)
                return new SniffResult(DetectedType.Zip, ContentProblem.Malformed);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 32));
            if (at + 46 + nameLength > eocd) return new SniffResult(DetectedType.Zip, ContentProblem.Malformed);
            names.Add(Encoding.UTF8.GetString(tail, at + 46, nameLength));
            at += 46 + nameLength + extraLength + commentLength;
        }
        if (!names.Contains("[Content_Types].xml")) return new SniffResult(DetectedType.Zip);
        if (names.Contains("word/document.xml")) return new SniffResult(DetectedType.Docx);
        if (names.Contains("xl/workbook.xml")) return new SniffResult(DetectedType.Xlsx);
        if (names.Contains("ppt/presentation.xml")) return new SniffResult(DetectedType.Pptx);
        return new SniffResult(DetectedType.Zip);
    }
}
