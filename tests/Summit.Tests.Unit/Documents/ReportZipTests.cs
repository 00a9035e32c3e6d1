using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Summit.Gateway.Documents;

namespace Summit.Tests.Documents;

public sealed class ReportZipTests
{
    private static readonly DateTimeOffset Stamp = new(2020, 5, 10, 9, 30, 0, TimeSpan.FromHours(8));

    private static async Task<byte[]> Write(CompiledReport report)
    {
        var output = new ResponseLikeStream();
        await ReportZip.WriteAsync(report, output, Stamp, cancellationToken: CancellationToken.None);
        return output.Written;
    }

    [Fact]
    public async Task Each_unit_gets_a_numbered_folder_with_its_document_and_files_under_safe_unique_names()
    {
        var bytes = await Write(ReportSamples.Report());

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(
        [
            "01 平阳县/", "01 平阳县/平阳县.docx", "01 平阳县/现场照片.png", "01 平阳县/签到表.jpg", "01 平阳县/总结报告.pdf",
            "02 瑞安市/", "02 瑞安市/瑞安市.docx", "02 瑞安市/照片.png", "02 瑞安市/照片 (2).png", "02 瑞安市/照片 (3).png",
            "02 瑞安市/第四张.png", "02 瑞安市/秘密_文件_.txt",
            "03 洞头区/", "03 洞头区/洞头区.docx",
        ], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(Stamp.DateTime, e.LastWriteTime.DateTime));
    }

    [Fact]
    public async Task File_bytes_round_trip_and_each_file_is_read_from_its_own_stream_once()
    {
        var large = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(large);
        var opens = 0;
        var unit = ReportSamples.Dongtou() with
        {
            Files = [ReportSamples.File("数据.bin", large, "application/octet-stream", opened: () => opens++), ReportSamples.File("图.png", ReportSamples.WidePng, "image/png")],
        };
        var bytes = await Write(new CompiledReport("汇编", null, null, [unit]));

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(large, Read(zip.GetEntry("01 洞头区/数据.bin")!));
        Assert.Equal(ReportSamples.WidePng, Read(zip.GetEntry("01 洞头区/图.png")!));
        Assert.Equal(1, opens);
    }

    [Fact]
    public async Task A_units_document_in_the_zip_is_a_valid_docx_with_its_text_and_images()
    {
        var bytes = await Write(ReportSamples.Report());

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        using var document = WordprocessingDocument.Open(new MemoryStream(Read(zip.GetEntry("01 平阳县/平阳县.docx")!)), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Assert.Equal("平阳县", body.Elements<Paragraph>().First().InnerText);
        Assert.Contains(body.Elements<Paragraph>(), p => p.InnerText == "交通接驳车辆不足。");
        Assert.Equal(2, document.MainDocumentPart.ImageParts.Count());
        Assert.Empty(new OpenXmlValidator().Validate(document));

        using var empty = WordprocessingDocument.Open(new MemoryStream(Read(zip.GetEntry("03 洞头区/洞头区.docx")!)), false);
        Assert.Contains(empty.MainDocumentPart!.Document!.Body!.Elements<Paragraph>(), p => p.InnerText.Contains("未提交", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_are_utf8_and_flagged_so_chinese_survives_explorer_and_unzip()
    {
        var bytes = await Write(ReportSamples.Report());

        // Walk the central directory: general-purpose flag bit 11 marks a UTF-8 name.
        var end = bytes.AsSpan().LastIndexOf([(byte)0x50, (byte)0x4B, (byte)0x05, (byte)0x06]);
        Assert.True(end >= 0);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0x02014B50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 8));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
            var name = Encoding.UTF8.GetString(bytes, offset + 46, nameLength);
            Assert.True((flags & 0x0800) != 0, $"{name} has no UTF-8 flag");
            names.Add(name);
            offset += 46 + nameLength + extraLength + commentLength;
        }
        Assert.Contains("02 瑞安市/照片 (2).png", names);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
