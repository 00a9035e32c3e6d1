using System.IO.Compression;
using System.Text;
using SkiaSharp;
using Summit.Data.Files;
using Summit.Storage;

namespace Summit.Tests.Files;

/// <summary>The content sniffer (<see cref="ContentSniffer"/>): types from bytes alone, fed in pieces of any size.</summary>
public sealed class ContentSnifferTests
{
    private static SniffResult Sniff(byte[] content, int piece = 7)
    {
        var sniffer = new ContentSniffer();
        for (var at = 0; at < content.Length; at += piece) sniffer.Append(content.AsSpan(at, Math.Min(piece, content.Length - at)));
        Assert.Equal(content.Length, sniffer.Length);
        return sniffer.Finish();
    }

    private static void Same(byte[] content, DetectedType type, ContentProblem problem = ContentProblem.None)
    {
        foreach (var piece in new[] { 1, 7, 4096, 256 * 1024, int.MaxValue / 2 })
        {
            var result = Sniff(content, piece);
            Assert.Equal((type.ContentType, problem), (result.Type.ContentType, result.Problem));
        }
    }

    private static byte[] Image(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(20, 10);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.Orange);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static byte[] Zip(params string[] names)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var name in names)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes($"<x>{name}</x>" + new string(' ', 3000)));
            }
        return memory.ToArray();
    }

    /// <summary>A compound file of three 512-byte sectors whose directory (the third) names one stream.</summary>
    private static byte[] Ole(string stream)
    {
        var file = new byte[3 * 512];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(file, 0);
        file[0x1E] = 9;
        var entry = 1024 + 128;
        var name = Encoding.Unicode.GetBytes("Root Entry\0");
        name.CopyTo(file, 1024);
        BitConverter.GetBytes((ushort)name.Length).CopyTo(file, 1024 + 64);
        name = Encoding.Unicode.GetBytes(stream + "\0");
        name.CopyTo(file, entry);
        BitConverter.GetBytes((ushort)name.Length).CopyTo(file, entry + 64);
        file[entry + 66] = 2;
        return file;
    }

    private static byte[] Iso(string brand, bool cut = false)
    {
        var boxes = new List<byte>();
        void Box(string type, int bodyLength)
        {
            var size = 8 + bodyLength;
            boxes.AddRange([(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]);
            boxes.AddRange(Encoding.ASCII.GetBytes(type));
            boxes.AddRange(type == "ftyp" ? [.. Encoding.ASCII.GetBytes(brand), 0, 0, 2, 0] : new byte[bodyLength]);
        }
        Box("ftyp", 8);
        Box("moov", 300);
        Box("mdat", 5000);
        var bytes = boxes.ToArray();
        return cut ? bytes[..^100] : bytes;
    }

    [Fact]
    public void Images_are_known_by_their_signature()
    {
        Same(Image(SKEncodedImageFormat.Jpeg), DetectedType.Jpeg);
        Same(Image(SKEncodedImageFormat.Png), DetectedType.Png);
        Same(Image(SKEncodedImageFormat.Webp), DetectedType.Webp);
        Same("GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray(), DetectedType.Gif);
        Assert.True(Sniff(Image(SKEncodedImageFormat.Jpeg)).Type.IsImage);
    }

    [Fact]
    public void A_PNG_without_its_end_and_a_PDF_without_EOF_are_truncated()
    {
        var png = Image(SKEncodedImageFormat.Png);
        Same(png[..^1], DetectedType.Png, ContentProblem.Truncated);
        var pdf = "%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        Same(pdf, DetectedType.Pdf);
        Same(pdf[..^8], DetectedType.Pdf, ContentProblem.Truncated);
    }

    [Fact]
    public void Office_Open_XML_is_told_apart_by_its_main_part()
    {
        Same(Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"), DetectedType.Docx);
        // LibreOffice writes the content types last.
        Same(Zip("_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"), DetectedType.Xlsx);
        Same(Zip("[Content_Types].xml", "ppt/presentation.xml"), DetectedType.Pptx);
        Assert.Equal(FileKind.Spreadsheet, DetectedType.Xlsx.Kind);
        Assert.Equal(FileKind.Document, DetectedType.Docx.Kind);
        // A plain ZIP, even one that holds a file named like a Word part, is no office document.
        Same(Zip("word/document.xml", "readme.txt"), DetectedType.Zip);
        Assert.Equal(FileKind.Other, Sniff(Zip("a.txt")).Type.Kind);
    }

    [Fact]
    public void A_ZIP_cut_short_or_with_bytes_missing_is_refused()
    {
        var docx = Zip("[Content_Types].xml", "word/document.xml");
        Same(docx[..^30], DetectedType.Zip, ContentProblem.Truncated);
        byte[] gap = [.. docx[..100], .. docx[200..]];
        Same(gap, DetectedType.Zip, ContentProblem.Malformed);
    }

    [Fact]
    public void Legacy_Office_files_are_told_apart_by_their_streams()
    {
        Same(Ole("WordDocument"), DetectedType.Doc);
        Same(Ole("Workbook"), DetectedType.Xls);
        Same(Ole("Book"), DetectedType.Xls);
        Same(Ole("PowerPoint Document"), DetectedType.Ppt);
        Same(Ole("Something"), DetectedType.Unknown);
        Same(Ole("WordDocument")[..1300], DetectedType.Doc, ContentProblem.Truncated);
    }

    [Fact]
    public void MP4_and_QuickTime_need_every_box_whole()
    {
        Same(Iso("isom"), DetectedType.Mp4);
        Same(Iso("qt  "), DetectedType.Mov);
        Same(Iso("mp42", cut: true), DetectedType.Mp4, ContentProblem.Truncated);
        // HEIC photos and M4A audio share the container but are no video.
        Same(Iso("heic"), DetectedType.Unknown);
        Same(Iso("M4A "), DetectedType.Unknown);
    }

    [Fact]
    public void UTF8_text_is_text_and_binary_is_unknown()
    {
        Same("平阳县科协,张三\r\n瓯海区科协,李四\t备注\n"u8.ToArray(), DetectedType.Text);
        Same([0xEF, 0xBB, 0xBF, .. "带 BOM 的文本"u8.ToArray()], DetectedType.Text);
        Same("ok"u8.ToArray(), DetectedType.Text);
        // A three-byte character split across pieces is still whole.
        Assert.Equal(DetectedType.Text, Sniff("中文"u8.ToArray(), piece: 1).Type);
        Same([.. "text"u8.ToArray(), 0xE4, 0xB8], DetectedType.Unknown);
        Same([.. "GBK "u8.ToArray(), 0xC6, 0xBD, 0xD1, 0xF4], DetectedType.Unknown);
        Same("nul\0inside"u8.ToArray(), DetectedType.Unknown);
        Same([(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xB8], DetectedType.Unknown);
        Assert.Equal(ContentProblem.Empty, Sniff([]).Problem);
    }
}
